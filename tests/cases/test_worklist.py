"""The caseworker's worklist and the team lead's overview, computed from the contact-course rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobcenter.cases.actions import do_open_case, do_plan_interview, do_record_interview_outcome
from jobcenter.cases.queries import Flag, worklist
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.tenancy.roles import Role
from tests.cases.interviews import summoned_interview
from tests.conftest import TARGET_GROUP

TODAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def citizen(municipality, n: int, last_name: str = "Borger"):
    return do_register_citizen(
        acting_user=None,
        municipality=municipality,
        cpr=f"1{n % 10}0590{n:04d}"[:10],
        first_name=f"B{n}",
        last_name=last_name,
    )


def case_for(municipality, n, caseworker, opened_on, target_group=TARGET_GROUP):
    return do_open_case(
        acting_user=None,
        citizen=citizen(municipality, n, last_name=f"Borger{n:02d}"),
        target_group_code=target_group,
        opened_on=opened_on,
        caseworker=caseworker,
    )


@pytest.fixture
def caseload(odense, aarhus, odense_caseworker, make_user):
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    overdue = case_for(odense, 1, odense_caseworker, datetime.date(2026, 10, 1))  # due 8 Oct, nothing held
    due_soon = case_for(odense, 2, odense_caseworker, datetime.date(2026, 11, 20))  # due 27 Nov
    on_track = case_for(odense, 3, odense_caseworker, datetime.date(2026, 10, 1))
    held = summoned_interview(on_track, at=at(datetime.date(2026, 10, 5)), form="telefon")
    do_record_interview_outcome(acting_user=None, interview=held, outcome="held", held_form="telefon")
    do_plan_interview(acting_user=None, case=on_track, scheduled_at=at(datetime.date(2026, 12, 10)), form="telefon")
    planned_in_time = case_for(odense, 4, odense_caseworker, datetime.date(2026, 11, 20))
    do_plan_interview(
        acting_user=None, case=planned_in_time, scheduled_at=at(datetime.date(2026, 11, 25)), form="fremmoede"
    )
    colleagues = case_for(odense, 5, colleague, datetime.date(2026, 10, 1))
    case_for(aarhus, 6, None, datetime.date(2026, 10, 1))
    return {
        "overdue": overdue,
        "due_soon": due_soon,
        "on_track": on_track,
        "planned_in_time": planned_in_time,
        "colleagues": colleagues,
        "colleague": colleague,
    }


def flags_by_case(result):
    return {row.case.pk: row.flags for row in result.rows}


def test_the_worklist_flags_overdue_due_soon_and_no_next_step(odense_caseworker, caseload):
    result = worklist(odense_caseworker, today=TODAY)
    flags = flags_by_case(result)
    assert flags[caseload["overdue"].pk] == {Flag.OVERDUE, Flag.NO_NEXT_STEP}
    assert flags[caseload["due_soon"].pk] == {Flag.DUE_SOON, Flag.NO_NEXT_STEP}
    assert flags[caseload["on_track"].pk] == set()
    assert flags[caseload["planned_in_time"].pk] == set()
    assert caseload["colleagues"].pk not in flags
    assert result.counts == {Flag.OVERDUE: 1, Flag.DUE_SOON: 1, Flag.NO_NEXT_STEP: 2}
    due = {row.case.pk: row.due for row in result.rows}
    assert due[caseload["overdue"].pk] == datetime.date(2026, 10, 8)
    assert due[caseload["on_track"].pk] == datetime.date(2026, 12, 30)


def test_the_team_overview_covers_every_caseworker_of_the_municipality_and_filters(make_user, odense, caseload):
    lead = make_user(Role.TEAM_LEAD, odense, username="teamleder")
    result = worklist(lead, today=TODAY, team=True)
    assert len(result.rows) == 5
    assert result.counts[Flag.OVERDUE] == 2
    only_colleague = worklist(lead, today=TODAY, team=True, caseworker=caseload["colleague"])
    assert [row.case.pk for row in only_colleague.rows] == [caseload["colleagues"].pk]
    overdue_only = worklist(lead, today=TODAY, team=True, flag=Flag.OVERDUE)
    assert {row.case.pk for row in overdue_only.rows} == {caseload["overdue"].pk, caseload["colleagues"].pk}
    assert worklist(lead, today=TODAY, team=True, target_group="lab_dagpenge").rows == []


def test_the_worklist_takes_the_same_number_of_queries_for_many_cases(odense, odense_caseworker, caseload):
    with CaptureQueriesContext(connection) as few:
        worklist(odense_caseworker, today=TODAY)
    for n in range(10, 20):
        case = case_for(odense, n, odense_caseworker, datetime.date(2026, 10, 1))
        do_plan_interview(acting_user=None, case=case, scheduled_at=at(datetime.date(2026, 12, 1)), form="telefon")
    with CaptureQueriesContext(connection) as many:
        result = worklist(odense_caseworker, today=TODAY)
    assert len(result.rows) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_worklist_page_shows_counts_and_updates_when_an_interview_is_planned(
    client_for, odense_caseworker, odense_case
):
    client = client_for(odense_caseworker)
    page = client.get(reverse("cases:worklist")).content.decode()
    assert 'data-testid="count-no-next-step">1<' in page
    assert "Karen Odensen" in page
    do_plan_interview(
        acting_user=odense_caseworker,
        case=odense_case,
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
        form="telefon",
    )
    page = client.get(reverse("cases:worklist")).content.decode()
    assert 'data-testid="count-no-next-step">0<' in page


def test_the_team_overview_page_filters_by_caseworker(client_for, make_user, odense, caseload):
    lead = make_user(Role.TEAM_LEAD, odense, username="teamleder")
    page = client_for(lead).get(
        reverse("cases:team-overview"), {"caseworker": str(caseload["colleague"].pk), "status": "open"}
    )
    text = page.content.decode()
    assert "Borger05" in text
    assert "Borger01" not in text


def test_a_caseworker_may_not_open_the_team_overview(client_for, odense_caseworker):
    assert client_for(odense_caseworker).get(reverse("cases:team-overview")).status_code == 403


def test_the_worklist_api_gives_counts_and_rows(client_for, odense_caseworker, odense_case):
    response = client_for(odense_caseworker).get(reverse("api:cases-worklist"))
    body = response.json()
    assert body["total"] == 1
    assert body["counts"]["no_next_step"] == 1
    assert body["rows"][0]["citizen_name"] == "Karen Odensen"


# --- Work that fits the day: sorted by deadline, overdue first and most visible, a late plan warns ----------


def test_the_worklist_is_sorted_by_deadline_with_the_overdue_first_and_no_deadline_last(
    odense, odense_caseworker, caseload
):
    without_deadline = case_for(odense, 7, odense_caseworker, datetime.date(2026, 12, 24))  # starts after TODAY
    rows = worklist(odense_caseworker, today=TODAY).rows
    dues = [row.due for row in rows]
    assert rows[0].case.pk == caseload["overdue"].pk
    assert rows[-1].case.pk == without_deadline.pk and rows[-1].due is None
    assert dues[:-1] == sorted(dues[:-1])
    assert rows[0].days_overdue == (TODAY - datetime.date(2026, 10, 8)).days
    assert rows[1].days_overdue == 0


def test_the_team_overview_is_sorted_by_deadline_across_caseworkers(make_user, odense, caseload):
    lead = make_user(Role.TEAM_LEAD, odense, username="teamleder")
    dues = [row.due for row in worklist(lead, today=TODAY, team=True).rows]
    assert dues == sorted(dues)


def test_the_worklist_page_marks_an_overdue_deadline_on_its_row_with_the_days_passed(
    client_for, odense_caseworker, odense
):
    today = timezone.localdate()
    overdue = case_for(odense, 1, odense_caseworker, today - datetime.timedelta(days=60))
    page = client_for(odense_caseworker).get(reverse("cases:worklist")).content.decode()
    row = page[page.index('data-testid="worklist-row"') :]
    row = row[: row.index("</tr>")]
    assert 'class="worklist-row--overdue"' in row
    assert overdue.citizen.full_name in row
    assert "Overskredet med" in row and 'data-testid="flag-overdue"' in row
    assert 'data-testid="count-overdue">1<' in page


def test_the_case_page_says_first_that_the_deadline_is_overdue(client_for, odense_caseworker, odense):
    today = timezone.localdate()
    overdue = case_for(odense, 1, odense_caseworker, today - datetime.timedelta(days=60))
    on_time = case_for(odense, 2, odense_caseworker, today)
    page = client_for(odense_caseworker).get(reverse("cases:detail", args=[overdue.pk])).content.decode()
    assert 'data-testid="case-overdue"' in page
    assert "Fristen for næste jobsamtale er overskredet med" in page
    assert page.index('data-testid="case-overdue"') < page.index('data-testid="case-facts"')
    fresh = client_for(odense_caseworker).get(reverse("cases:detail", args=[on_time.pk])).content.decode()
    assert 'data-testid="case-overdue"' not in fresh


def _plan(client, case, day):
    return client.post(
        reverse("cases:interview-plan", args=[case.pk]),
        {"date": day.isoformat(), "time": "10:00", "form": "telefon"},
    )


def test_planning_an_interview_after_the_deadline_warns_and_plans_nothing_until_confirmed(
    client_for, odense_caseworker, odense
):
    from jobcenter.cases.models import Interview
    from jobcenter.cases.queries import next_due_for

    today = timezone.localdate()
    case = case_for(odense, 1, odense_caseworker, today)
    deadline = next_due_for(case, [], today).due
    assert deadline is not None and deadline >= today
    client = client_for(odense_caseworker)
    late = deadline + datetime.timedelta(days=3)
    response = _plan(client, case, late)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="late-warning"' in page and "Samtalen ligger efter fristen" in page
    assert not Interview.objects.filter(case=case).exists()
    response = client.post(
        reverse("cases:interview-plan", args=[case.pk]),
        {"date": late.isoformat(), "time": "10:00", "form": "telefon", "confirm_late": "1"},
    )
    assert response.status_code == 302
    assert timezone.localtime(Interview.objects.get(case=case).scheduled_at).date() == late


def test_planning_on_or_before_the_deadline_does_not_warn(client_for, odense_caseworker, odense):
    from jobcenter.cases.models import Interview
    from jobcenter.cases.queries import next_due_for

    today = timezone.localdate()
    case = case_for(odense, 1, odense_caseworker, today)
    deadline = next_due_for(case, [], today).due
    response = _plan(client_for(odense_caseworker), case, deadline)
    assert response.status_code == 302
    assert Interview.objects.filter(case=case).count() == 1


def test_the_team_overview_counts_open_cases_and_overdue_per_caseworker(make_user, odense, caseload):
    from jobcenter.cases.queries import caseload as caseload_of

    lead = make_user(Role.TEAM_LEAD, odense, username="teamleder")
    unassigned = case_for(odense, 8, None, datetime.date(2026, 10, 1))
    rows = {row.caseworker.username if row.caseworker else None: row for row in caseload_of(lead, today=TODAY)}
    mine = rows["odense-sagsbehandler"]
    assert (mine.open, mine.overdue, mine.due_soon, mine.no_next_step) == (4, 1, 1, 2)
    assert (rows["kollega"].open, rows["kollega"].overdue) == (1, 1)
    assert (rows["teamleder"].open, rows["teamleder"].overdue) == (0, 0)
    assert (rows[None].open, rows[None].overdue) == (1, 1)
    assert unassigned.municipality == odense  # Aarhus's case (number 6) is counted nowhere
    assert sum(row.open for row in rows.values()) == 6


def test_the_team_overview_page_shows_the_caseload_table(client_for, make_user, odense, caseload):
    lead = make_user(Role.TEAM_LEAD, odense, username="teamleder")
    page = client_for(lead).get(reverse("cases:team-overview")).content.decode()
    assert 'data-testid="caseload"' in page
    assert page.count('data-testid="caseload-row"') == 3  # two caseworkers and the team lead; none unassigned
