"""Target groups are dated data: the 13 groups of LAB § 6 now, the reform's five once their date is confirmed."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.cases.target_groups import (
    UnknownTargetGroup,
    all_target_groups,
    is_valid_on,
    target_group,
    target_groups_on,
)

TODAY = date(2026, 11, 23)
OLD_LAW_CODES = {
    "lab_dagpenge",
    "lab_jobparat_kontanthjaelp",
    "lab_aktivitetsparat_kontanthjaelp",
    "lab_uddannelsesparat_under_30",
    "lab_aktivitetsparat_under_30",
    "lab_sygedagpenge",
    "lab_jobafklaring",
    "lab_ressourceforloeb",
    "lab_fleksjob_ledighedsydelse",
    "lab_revalidering",
    "lab_foertidspension",
    "lab_selvforsoergende",
    "lab_under_18",
}


def codes_on(day: date) -> set[str]:
    return {group.code for group in target_groups_on(day)}


def test_the_13_groups_of_lab_6_are_in_force_today():
    assert codes_on(TODAY) == OLD_LAW_CODES
    assert len(OLD_LAW_CODES) == 13


@pytest.mark.parametrize("day", [date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 30), date(2026, 7, 1)])
def test_lov_1750_does_not_change_the_groups_on_its_dates_of_entry_into_force(day):
    assert codes_on(day) == OLD_LAW_CODES


def test_before_the_2019_act_took_effect_no_group_is_known():
    assert codes_on(date(2019, 12, 31)) == set()
    assert codes_on(date(2020, 1, 1)) == OLD_LAW_CODES


def test_the_reforms_five_groups_are_known_but_never_in_force_while_their_date_is_not_confirmed():
    reform = [group for group in all_target_groups() if group.code.startswith("reform_")]

    assert len(reform) == 5
    for group in reform:
        assert group.valid_from is None
        assert group.expected_from == date(2027, 1, 1)
        assert "ikke fundet" in group.paragraph
        assert not is_valid_on(group.code, date(2027, 6, 1))
    assert codes_on(date(2027, 6, 1)) == OLD_LAW_CODES


def test_the_kontanthjaelp_and_dagpenge_groups_are_there_in_both_laws():
    assert target_group("lab_jobparat_kontanthjaelp").paragraph == "LAB § 6, nr. 2"
    assert target_group("lab_aktivitetsparat_kontanthjaelp").paragraph == "LAB § 6, nr. 3"
    assert target_group("lab_dagpenge").paragraph == "LAB § 6, nr. 1"
    assert "kontanthjælp" in target_group("reform_jobsoegningsindsats").name_da
    assert "kontanthjælp" in target_group("reform_jobhjaelpsindsats").name_da
    assert "dagpenge" in target_group("reform_dagpengeindsats").name_da


def test_every_group_names_its_paragraph_and_source():
    for group in all_target_groups():
        assert group.name_da and group.paragraph
        assert group.source_url.startswith("https://")
        assert group.source_kind in {"official", "secondary"}
        assert group.valid_to is None or (group.valid_from is not None and group.valid_from <= group.valid_to)


def test_an_unknown_code_is_refused_in_danish():
    with pytest.raises(UnknownTargetGroup) as raised:
        target_group("kontanthjaelp")

    assert raised.value.message == "Ukendt målgruppe: »kontanthjaelp«. Vælg en af de målgrupper, loven kender."
    with pytest.raises(UnknownTargetGroup):
        is_valid_on("kontanthjaelp", TODAY)


def test_the_target_group_and_contact_course_modules_are_pure():
    from pathlib import Path

    import jobcenter.cases.contact_course
    import jobcenter.cases.target_groups

    for module in (jobcenter.cases.target_groups, jobcenter.cases.contact_course):
        assert "django" not in Path(module.__file__).read_text(encoding="utf-8")
