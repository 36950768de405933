"""Bad input is refused with an error that names the field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from rules_helpers import adult, household

from jobcenter.rules import CalculationRequest, HouseholdInput, InputError, calculate_month


def test_a_child_older_than_its_parent_is_refused():
    with pytest.raises(ValidationError) as caught:
        household(adult(), children=[{"id": "c1", "birth_date": "1980-01-01", "parent_ids": ["a1"]}])
    assert "children.0.birth_date" in str(caught.value)
    assert "not younger than its parent" in str(caught.value)


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as caught:
        household(adult(favourite_colour="blue"))
    errors = caught.value.errors()
    assert errors[0]["type"] == "extra_forbidden"
    assert errors[0]["loc"] == ("adults", 0, "favourite_colour")


def test_a_month_before_2023_is_refused():
    with pytest.raises(InputError) as caught:
        calculate_month([household(adult())], "2022-12")
    assert caught.value.problems[0].field == "month"
    with pytest.raises(ValidationError) as caught_request:
        CalculationRequest.model_validate({"month": "2022-12", "households": []})
    assert caught_request.value.errors()[0]["loc"] == ("month",)


def test_a_missing_required_fact_is_refused():
    data = adult()
    del data["birth_date"]
    with pytest.raises(ValidationError) as caught:
        household(data)
    assert caught.value.errors()[0]["loc"] == ("adults", 0, "birth_date")
    assert caught.value.errors()[0]["type"] == "missing"


def test_an_applicant_must_state_where_he_lives():
    data = adult()
    del data["lives_with_parents"]
    with pytest.raises(ValidationError) as caught:
        household(data)
    assert "lives_with_parents" in str(caught.value)


def test_a_fact_the_months_law_needs_is_required_with_the_month():
    # The new law needs the residence and employment requirement.
    data = adult()
    del data["meets_residence_and_employment_requirement"]
    hh = household(data)
    calculate_month([hh], "2024-05")  # not needed under the old law
    with pytest.raises(InputError) as caught:
        calculate_month([hh], "2025-08")
    assert caught.value.problems[0].loc == ("households", 0, "adults", 0, "meets_residence_and_employment_requirement")


def test_an_applicant_under_30_before_july_2025_must_state_the_education():
    data = adult(birth_date="2000-01-01")
    del data["has_vocational_education"]
    with pytest.raises(InputError) as caught:
        calculate_month([household(data)], "2024-05")
    assert caught.value.problems[0].field == "households.0.adults.0.has_vocational_education"


def test_two_adults_need_a_relationship():
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate({"id": "h", "adults": [adult("a1"), adult("a2")]})
    assert "relationship is required" in str(caught.value)


def test_a_child_must_belong_to_an_adult_of_the_household():
    with pytest.raises(ValidationError) as caught:
        household(adult(), children=[{"id": "c1", "birth_date": "2015-01-01", "parent_ids": ["x9"]}])
    assert "children.0.parent_ids" in str(caught.value)


def test_ekstra_boernetilskud_requires_a_child():
    with pytest.raises(ValidationError) as caught:
        household(adult(receives_ekstra_boernetilskud=True))
    assert "adults.0.receives_ekstra_boernetilskud" in str(caught.value)


def test_work_hours_have_at_most_two_decimals():
    with pytest.raises(ValidationError) as caught:
        household(adult(work_hours="10.125"))
    assert caught.value.errors()[0]["loc"] == ("adults", 0, "work_hours")


def test_negative_income_is_refused():
    with pytest.raises(ValidationError) as caught:
        household(adult(work_income_ore=-1))
    assert caught.value.errors()[0]["loc"] == ("adults", 0, "work_income_ore")


def test_the_json_schema_describes_the_household():
    schema = HouseholdInput.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "examples" in schema
    adult_schema = schema["$defs"]["AdultInput"]
    assert "description" in adult_schema["properties"]["lives_with_parents"]
