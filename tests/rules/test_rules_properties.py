"""Properties that hold for any household (hypothesis)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_helpers import fixture_rate_table

from jobcenter.rules import HouseholdInput, calculate_month

# Months where every rate these households can need is known: 2023 (old
# law; the hourly disregard comes from the test fixture table) and the
# second half of 2025 (new law).
MONTHS = ["2023-02", "2023-11", "2025-07", "2025-12"]

settings.register_profile("rules", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rules")


@st.composite
def adults(draw: Any, identifier: str, applies: bool | None = None) -> dict[str, Any]:
    birth = draw(st.dates(min_value=date(1960, 1, 1), max_value=date(2005, 1, 1)))
    return {
        "id": identifier,
        "birth_date": birth.isoformat(),
        "applies_for_help": draw(st.booleans()) if applies is None else applies,
        # Hjemmeboende sats (new law) is not known; keep everyone udeboende.
        "lives_with_parents": False,
        "is_aktivitetsparat": draw(st.booleans()),
        "is_pregnant_past_week_12": draw(st.booleans()),
        "has_mental_illness": draw(st.booleans()),
        "has_vocational_education": draw(st.booleans()),
        "meets_residence_and_employment_requirement": draw(st.booleans()),
        "has_full_time_work_2_5_of_last_10_years": draw(st.booleans()),
        "months_on_help": draw(st.integers(1, 30)),
        "transitional_supplement_entitled": False,
        "work_income_ore": draw(st.integers(0, 3_000_000)),
        "work_hours": str(draw(st.integers(0, 20_000)) / 100),
        "other_income_ore": draw(st.integers(0, 1_500_000)),
        "child_maintenance_paid_ore": draw(st.sampled_from([0, 0, 150_000])),
    }


@st.composite
def households(draw: Any, identifier: str = "h") -> HouseholdInput:
    couple = draw(st.booleans())
    first = draw(adults("a1", applies=True))
    people = [first, draw(adults("a2"))] if couple else [first]
    child_count = draw(st.integers(0, 4))
    children = [
        {"id": f"c{i}", "birth_date": "2012-06-01", "parent_ids": [p["id"] for p in people]} for i in range(child_count)
    ]
    for person in people:
        person["birth_date"] = min(person["birth_date"], "2005-01-01")
        person["receives_ekstra_boernetilskud"] = bool(children) and not couple and draw(st.booleans())
    data: dict[str, Any] = {"id": identifier, "adults": people, "children": children}
    if couple:
        data["relationship"] = draw(st.sampled_from(["married", "cohabiting"]))
    return HouseholdInput.model_validate(data)


def calculate(items: list[HouseholdInput], month: str) -> Any:
    return calculate_month(items, month, extra_parameters=fixture_rate_table())


@given(st.lists(households(), min_size=1, max_size=15), st.sampled_from(MONTHS))
def test_help_is_never_negative(items, month):
    result = calculate(items, month)
    assert (result.person_total_ore >= 0).all()
    assert (result.household_total_ore >= 0).all()


@given(st.lists(households(), min_size=1, max_size=15), st.sampled_from(MONTHS))
def test_the_breakdown_always_sums_to_the_total(items, month):
    result = calculate(items, month)
    for household_result in result:
        for person in household_result.persons:
            assert sum(line.amount_ore for line in person.lines) == person.total_ore
        assert sum(person.total_ore for person in household_result.persons) == household_result.total_ore


@given(households(), st.sampled_from(MONTHS), st.integers(1, 2_000_000), st.sampled_from([0, 1]))
def test_more_work_income_never_gives_more_help(item, month, extra, who):
    who = min(who, len(item.adults) - 1)
    richer = item.model_copy(deep=True)
    richer.adults[who].work_income_ore += extra
    result = calculate([item, richer], month)
    before, after = result.household_total_ore.tolist()
    assert after <= before


@given(households(), st.sampled_from(MONTHS))
def test_a_couples_help_is_the_sum_of_each_spouses_help(item, month):
    result = calculate([item], month)
    arrays = result.arrays
    household_result = result[0]
    assert household_result.total_ore == sum(p.total_ore for p in household_result.persons)
    # ... and equals the couple's help before income less both incomes, floored at 0.
    gross = sum(arrays[name] for name in result.additions)
    own_income = arrays["work_income_deductible"] + result.columns.other_income
    applies = result.columns.applies_for_help
    expected = max(0, int(np.sum(np.where(applies, gross, 0)) - np.sum(own_income)))
    assert household_result.total_ore == expected
