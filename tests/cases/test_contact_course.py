"""Contact-course deadlines at each date the law changes: LAB § 31 until 30 June 2026, the flexible course from 1 July."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobcenter.cases.contact_course import (
    ContactCourseInputError,
    add_months,
    contact_rules,
    is_due_soon,
    is_overdue,
    next_interview_due,
)
from jobcenter.cases.target_groups import UnknownTargetGroup, all_target_groups

JOBPARAT = "lab_jobparat_kontanthjaelp"
AKTIVITETSPARAT = "lab_aktivitetsparat_kontanthjaelp"
DAGPENGE = "lab_dagpenge"


def due_for(code=JOBPARAT, started=date(2026, 7, 1), held=(), exempt=False, today=None):
    return next_interview_due(
        target_group_code=code,
        course_started=started,
        held_interviews=list(held),
        exempt=exempt,
        today=today or started,
    )


# ---- Which law: decided by the day the course started ----


def test_a_course_started_the_day_before_1_july_2026_follows_lab_31_as_it_was():
    result = due_for(started=date(2026, 6, 30))

    assert result.requirement.rule_id == "lab31_kontanthjaelp"
    assert result.requirement.paragraph == "LAB § 31, stk. 3 og 5"
    assert not result.requirement.legal_review


def test_a_course_started_on_1_july_2026_follows_the_flexible_contact_course():
    result = due_for(started=date(2026, 7, 1))

    assert result.requirement.rule_id == "lov1750_jobparat_kontanthjaelp"
    assert result.requirement.legal_review


def test_a_course_started_before_1_july_keeps_the_old_rule_after_1_july_and_ignores_an_exemption():
    result = due_for(started=date(2026, 5, 1), held=[date(2026, 5, 5)], exempt=True, today=date(2026, 8, 1))

    assert result.requirement.rule_id == "lab31_kontanthjaelp"
    assert result.due is not None
    assert "ikke anvendt" in result.reason_da


def test_nothing_changes_for_the_contact_course_on_1_february_2026():
    before = due_for(started=date(2026, 1, 31))
    on = due_for(started=date(2026, 2, 1))

    assert before.requirement == on.requirement
    assert on.due == date(2026, 2, 8)


# ---- The first week and the spreading of 4 interviews in 6 months ----


def test_the_first_interview_for_kontanthjaelp_is_due_one_week_after_the_first_request_for_help():
    assert due_for(started=date(2026, 3, 2)).due == date(2026, 3, 9)
    assert due_for(code=AKTIVITETSPARAT, started=date(2026, 3, 2)).due == date(2026, 3, 9)


def test_the_four_interviews_are_spread_so_the_fourth_falls_inside_the_first_6_months():
    started = date(2026, 7, 1)
    held: list[date] = []
    dues = []
    for _ in range(4):
        result = due_for(started=started, held=held, today=date(2026, 7, 2) if not held else held[-1])
        dues.append(result.due)
        held.append(result.due)

    assert dues == [date(2026, 7, 8), date(2026, 9, 30), date(2026, 11, 15), date(2026, 12, 31)]
    done = due_for(started=started, held=held, today=date(2026, 12, 31))
    assert done.due is None
    assert done.reason_da.startswith("4 af 4 samtaler")
    assert "aftal næste skridt" in done.reason_da


def test_the_reason_says_how_many_of_the_four_are_held():
    result = due_for(started=date(2026, 7, 1), held=[date(2026, 7, 6), date(2026, 8, 1)], today=date(2026, 8, 2))

    assert result.reason_da == "2 af 4 samtaler inden for de første 6 måneder holdt."
    assert (result.interviews_held, result.interviews_required) == (2, 4)
    assert result.due == date(2026, 11, 15)


# ---- Dagpenge ----


def test_dagpenge_before_1_july_the_jobcentre_holds_3_interviews_from_month_3_to_6():
    result = due_for(code=DAGPENGE, started=date(2026, 6, 30))

    assert result.requirement.rule_id == "lab31_dagpenge"
    assert result.interviews_required == 3
    assert date(2026, 9, 30) <= result.due <= date(2026, 12, 29)


def test_dagpenge_from_1_july_the_municipality_holds_2_interviews_after_the_a_kasse_period():
    result = due_for(code=DAGPENGE, started=date(2026, 7, 1))

    assert result.requirement.rule_id == "lov1750_dagpenge"
    assert result.interviews_required == 2
    assert result.due == date(2026, 11, 15)


def test_dagpenge_interviews_held_in_the_a_kasse_months_do_not_count_for_the_municipality():
    result = due_for(code=DAGPENGE, started=date(2026, 7, 1), held=[date(2026, 8, 1)], today=date(2026, 9, 1))

    assert result.interviews_held == 0


# ---- After 6 months (§ 32) ----


def test_after_6_months_the_next_step_is_individually_agreed():
    result = due_for(
        started=date(2026, 1, 5),
        held=[date(2026, 1, 6), date(2026, 2, 1), date(2026, 4, 1), date(2026, 6, 1)],
        today=date(2026, 11, 23),
    )

    assert result.due is None
    assert result.requirement.paragraph == "LAB § 32"
    assert result.interviews_missing == 0
    assert result.reason_da.endswith("Ingen lovbestemt frist — aftal næste skridt.")


def test_after_6_months_a_requirement_not_met_is_said_plainly():
    result = due_for(started=date(2026, 1, 5), held=[date(2026, 1, 6)], today=date(2026, 11, 23))

    assert result.due is None
    assert result.interviews_missing == 3
    assert "Kravet om 4 samtaler blev ikke opfyldt." in result.reason_da


def test_the_window_ends_the_day_before_6_months_have_passed():
    inside = due_for(started=date(2026, 7, 1), today=date(2026, 12, 31))
    after = due_for(started=date(2026, 7, 1), today=date(2027, 1, 1))

    assert inside.due == date(2026, 7, 8)
    assert after.due is None


# ---- Exemption (from 1 July 2026) ----


def test_an_exempt_jobparat_still_gets_the_first_interview():
    result = due_for(started=date(2026, 7, 1), exempt=True)

    assert result.due == date(2026, 7, 8)
    assert "første jobsamtale" in result.reason_da


def test_an_exempt_jobparat_has_no_statutory_deadline_after_the_first_interview():
    result = due_for(started=date(2026, 7, 1), held=[date(2026, 7, 6)], exempt=True, today=date(2026, 7, 10))

    assert result.due is None
    assert "undtaget" in result.reason_da
    assert "aftal næste skridt" in result.reason_da


def test_an_exempt_dagpenge_recipient_has_no_statutory_deadline():
    assert due_for(code=DAGPENGE, started=date(2026, 7, 1), exempt=True).due is None


def test_an_exemption_has_no_effect_where_the_rule_allows_none():
    result = due_for(code=AKTIVITETSPARAT, started=date(2026, 7, 1), exempt=True)

    assert result.due == date(2026, 7, 8)
    assert "ikke anvendt" in result.reason_da


# ---- Groups without a rule here, unknown groups, bad dates ----


def test_a_group_without_a_rule_here_gets_no_date_and_says_so():
    result = due_for(code="lab_sygedagpenge")

    assert result.due is None
    assert result.requirement.rule_id == "no_statutory_interview_rule"
    assert "aftal næste skridt" in result.reason_da


def test_an_unknown_group_is_refused_in_danish():
    with pytest.raises(UnknownTargetGroup, match="Ukendt målgruppe: »jobparat«"):
        due_for(code="jobparat")


def test_an_interview_before_the_course_started_is_refused_naming_the_field():
    with pytest.raises(ContactCourseInputError) as raised:
        due_for(started=date(2026, 7, 1), held=[date(2026, 6, 30)], today=date(2026, 7, 2))

    assert raised.value.field == "held_interviews"
    assert raised.value.message == (
        "Feltet »held_interviews«: samtalen den 30.06.2026 ligger før kontaktforløbets start den 01.07.2026."
    )


def test_an_interview_in_the_future_is_refused_naming_the_field():
    with pytest.raises(ContactCourseInputError, match=r"»held_interviews«.*i fremtiden"):
        due_for(started=date(2026, 7, 1), held=[date(2026, 7, 3)], today=date(2026, 7, 2))


def test_a_course_starting_after_today_is_refused_naming_the_field():
    with pytest.raises(ContactCourseInputError) as raised:
        due_for(started=date(2026, 12, 1), today=date(2026, 11, 23))

    assert raised.value.field == "course_started"
    assert isinstance(raised.value, ValueError)


# ---- Overdue and due soon ----


@pytest.mark.parametrize(
    ("due", "today", "overdue", "soon"),
    [
        (None, date(2026, 11, 23), False, False),
        (date(2026, 11, 22), date(2026, 11, 23), True, False),
        (date(2026, 11, 23), date(2026, 11, 23), False, True),
        (date(2026, 11, 30), date(2026, 11, 23), False, True),
        (date(2026, 12, 1), date(2026, 11, 23), False, False),
    ],
)
def test_overdue_and_due_soon(due, today, overdue, soon):
    assert is_overdue(due, today) is overdue
    assert is_due_soon(due, today) is soon


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 3) == date(2027, 3, 15)


def test_every_rule_names_a_known_group_a_paragraph_and_a_source():
    known = {group.code for group in all_target_groups()}
    for rule in contact_rules():
        assert set(rule.target_groups) <= known
        assert rule.paragraph and rule.source.startswith("https://")
        assert rule.legal_review or rule.valid_to is not None  # every rule after 1 July 2026 awaits review


# ---- Properties ----

CODES = st.sampled_from([JOBPARAT, AKTIVITETSPARAT, DAGPENGE, "lab_jobafklaring", "lab_fleksjob_ledighedsydelse"])
STARTS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30))


@st.composite
def courses(draw):
    code = draw(CODES)
    started = draw(STARTS)
    today = started + timedelta(days=draw(st.integers(0, 250)))
    span = (today - started).days
    held = sorted(started + timedelta(days=draw(st.integers(0, span))) for _ in range(draw(st.integers(0, 5))))
    extra = started + timedelta(days=draw(st.integers(0, span)))
    exempt = draw(st.booleans())
    return code, started, today, held, extra, exempt


@given(courses())
def test_holding_one_more_interview_never_moves_the_next_due_date_earlier(course):
    code, started, today, held, extra, exempt = course
    before = due_for(code=code, started=started, held=held, exempt=exempt, today=today)
    after = due_for(code=code, started=started, held=[*held, extra], exempt=exempt, today=today)

    assert after.due is None or (before.due is not None and after.due >= before.due)


@given(courses())
def test_a_due_date_always_lies_inside_the_first_6_months(course):
    code, started, today, held, _, exempt = course
    result = due_for(code=code, started=started, held=held, exempt=exempt, today=today)

    if result.due is not None:
        assert started <= result.due < add_months(started, 6)
