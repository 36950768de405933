"""calculate_month: facts in, breakdowns out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rules_helpers import adult, fixture_rate_table, household

from jobcenter.rules import (
    HouseholdColumns,
    HouseholdInput,
    MissingParameterError,
    calculate_month,
    render_text,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "jobcenter" / "benefits" / "examples"


def test_it_computes_a_single_person_over_30_in_2023():
    result = calculate_month([household(adult())], "2023-03")
    assert result.household_total_ore.tolist() == [1194400]
    person = result[0].persons[0]
    assert person.rate == "Kontanthjælp, fyldt 30 år"
    assert [line.amount_ore for line in person.lines] == [1194400]
    line = person.lines[0]
    assert line.reference == "LAS § 25, stk. 2, nr. 2"
    assert line.parameters[0].source_kind == "official"
    assert line.parameters[0].source_url == "https://bm.dk/satser/satser-for-2023/kontanthjaelp/"


def test_money_leaves_the_rules_as_int64_ore():
    result = calculate_month([household(adult())], "2025-08")
    assert result.household_total_ore.dtype == np.int64
    assert result.person_total_ore.dtype == np.int64
    for values in result.arrays.values():
        assert values.dtype != np.float32


def test_the_law_is_chosen_by_the_month():
    old = calculate_month([household(adult())], "2024-12")
    new = calculate_month([household(adult())], "2025-07")
    assert "til 30. juni 2025" in old[0].law
    assert "fra 1. juli 2025" in new[0].law
    assert old[0].persons[0].rate == "Kontanthjælp, fyldt 30 år"
    assert new[0].persons[0].rate == "Forhøjet sats"


def test_breakdown_lines_sum_exactly_to_the_total_with_deductions():
    spouse = adult("b1", applies_for_help=False, work_income_ore=123456)
    result = calculate_month([household(adult(work_income_ore=987654), spouse)], "2025-08")
    household_result = result[0]
    for person in household_result.persons:
        assert sum(line.amount_ore for line in person.lines) == person.total_ore
    assert sum(p.total_ore for p in household_result.persons) == household_result.total_ore
    rules = [line.rule for line in household_result.persons[0].lines]
    assert rules == ["Forhøjet sats", "Fradrag for arbejdsindtægt", "Fradrag for ægtefælles/samlevers indtægt"]


def test_the_breakdown_serialises_to_json():
    result = calculate_month([household(adult(work_income_ore=500000))], "2025-08")
    text = json.dumps(result[0].to_dict(), ensure_ascii=False)
    again = json.loads(text)
    assert again["total_ore"] == result[0].total_ore
    assert again["persons"][0]["lines"][0]["parameters"][0]["name"] == "new_law.base_rates.forhoejet_sats"


def test_the_text_rendering_explains_the_amount_in_danish():
    result = calculate_month([household(adult(work_income_ore=500000))], "2025-08")
    text = render_text(result[0])
    assert "Beregning af hjælp for august 2025" in text
    assert "Forhøjet sats" in text
    assert "Fradrag for arbejdsindtægt" in text
    assert "Husstandens hjælp i alt" in text
    assert "kilde (afledt)" in text


def test_many_households_go_through_one_simulation_in_input_order():
    households = [
        household(adult(), identifier="h-old"),
        household(adult(birth_date="2001-01-01"), identifier="h-young"),
        household(adult(), adult("b1", applies_for_help=False, other_income_ore=10**9), identifier="h-rich"),
    ]
    result = calculate_month(households, "2025-09")
    assert len(result) == 3
    assert [r.household_id for r in result] == ["h-old", "h-young", "h-rich"]
    assert result.household_total_ore.tolist() == [1249800 + 109200, 720500 + 109200, 0]
    assert result.by_id("h-young").total_ore == 829700


def test_the_columns_path_gives_the_same_result_as_the_models():
    households = [household(adult(work_income_ore=300000), identifier=f"h{i}") for i in range(3)]
    from_models = calculate_month(households, "2025-08")
    columns = HouseholdColumns.from_households(households)
    from_columns = calculate_month(columns, "2025-08")
    assert np.array_equal(from_models.household_total_ore, from_columns.household_total_ore)


def test_old_law_work_hours_use_the_imported_hourly_disregard():
    # 80 hours x 30,00 kr. (test fixture) = 2.400 kr. disregarded of 5.000 kr.
    hh = household(adult(work_income_ore=500000, work_hours="80"))
    result = calculate_month([hh], "2023-05", extra_parameters=fixture_rate_table())
    assert result.household_total_ore.tolist() == [1194400 - 260000]
    line = result[0].persons[0].lines[-1]
    assert line.rule == "Fradrag for arbejdsindtægt"
    assert line.parameters[0].source_title == "Test fixture, not a source"
    assert "80,00 timer" in line.detail


def test_the_hourly_disregard_counts_at_most_160_hours():
    hh = household(adult(work_income_ore=1000000, work_hours="200"))
    result = calculate_month([hh], "2023-05", extra_parameters=fixture_rate_table())
    # 160 x 30,00 = 4.800 kr. disregarded: 10.000 - 4.800 = 5.200 kr. deducted
    assert result.household_total_ore.tolist() == [1194400 - 520000]


def test_old_law_work_hours_are_refused_without_the_years_hourly_disregard():
    hh = household(adult(work_income_ore=500000, work_hours="80"), identifier="case-17")
    with pytest.raises(MissingParameterError) as caught:
        calculate_month([hh], "2023-05")
    assert caught.value.parameter == "old_law.work_income.hourly_disregard"
    assert caught.value.month == "2023-05"
    assert caught.value.household_ids == ("case-17",)
    assert "old_law.work_income.hourly_disregard" in str(caught.value)
    assert "2023-05" in str(caught.value)


@pytest.mark.parametrize(
    ("month", "facts", "parameter"),
    [
        ("2025-03", {}, "old_law.kontanthjaelp.age_30_or_over.other"),
        ("2026-03", {}, "new_law.base_rates.forhoejet_sats"),
        (
            "2024-05",
            {"birth_date": "2000-01-01", "is_pregnant_past_week_12": True},
            "old_law.kontanthjaelp.under_30.pregnant",
        ),
        ("2025-08", {"birth_date": "2001-01-01", "lives_with_parents": True}, "new_law.base_rates.hjemmeboende_sats"),
        (
            "2025-08",
            {"birth_date": "2001-01-01", "transitional_supplement_entitled": True},
            "new_law.supplements.midlertidigt_tilpasningstillaeg.amount",
        ),
    ],
)
def test_a_month_whose_rate_is_not_found_is_refused_naming_parameter_and_month(month, facts, parameter):
    with pytest.raises(MissingParameterError) as caught:
        calculate_month([household(adult(**facts))], month)
    assert caught.value.parameter == parameter
    assert caught.value.month == month
    assert parameter in str(caught.value) and month in str(caught.value)


def test_an_absent_rate_that_nobody_needs_does_not_block_the_month():
    # 2024: the pregnancy rate is not found, but nobody here is pregnant.
    result = calculate_month([household(adult())], "2024-05")
    assert result.household_total_ore.tolist() == [1232600]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("household-*.json")))
def test_the_documented_example_households_validate_and_compute(path):
    data = json.loads(path.read_text())
    month = data.pop("_month")
    data = {key: value for key, value in data.items() if not key.startswith("_")}  # _comment, _title
    result = calculate_month([HouseholdInput.model_validate(data)], month)
    assert result[0].total_ore >= 0
