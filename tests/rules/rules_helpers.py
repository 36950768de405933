"""Building blocks for the rules tests (no Django, no database)."""

from __future__ import annotations

from typing import Any

from jobcenter.rules import HouseholdInput, RateTable, parse_rate_table

# A rate table used by tests only: the real 2023 hourly disregard is not in
# DOMAIN.md, so old-law work hours need an imported value. 30,00 kr. is a
# deliberately round, fictional test figure - never a production rate.
TEST_HOURLY_DISREGARD_2023 = """
title: TEST FIXTURE - fictional hourly disregard for 2023 (not a real rate)
entries:
  - parameter: old_law.work_income.hourly_disregard
    effective_from: 2023-01-01
    value: 30.00
    unit: currency-DKK
    reference: LAS § 30, stk. 2
    source_url: https://example.invalid/test-fixture
    source_title: Test fixture, not a source
    source_kind: secondary
"""


def fixture_rate_table() -> RateTable:
    return parse_rate_table(TEST_HOURLY_DISREGARD_2023)


def adult(identifier: str = "a1", **facts: Any) -> dict[str, Any]:
    """An applicant over 30 living alone, with every fact stated."""
    data: dict[str, Any] = {
        "id": identifier,
        "birth_date": "1985-01-01",
        "applies_for_help": True,
        "lives_with_parents": False,
        "is_aktivitetsparat": False,
        "has_vocational_education": True,
        "meets_residence_and_employment_requirement": True,
        "has_full_time_work_2_5_of_last_10_years": False,
        "months_on_help": 6,
        "transitional_supplement_entitled": False,
    }
    data.update(facts)
    return data


def household(*adults: dict[str, Any], identifier: str = "h1", **fields: Any) -> HouseholdInput:
    data: dict[str, Any] = {"id": identifier, "adults": list(adults)}
    if len(adults) == 2:
        data["relationship"] = "married"
    data.update(fields)
    return HouseholdInput.model_validate(data)
