"""The parameter files: sources, units, and values that must stay absent."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.rules import tax_benefit_system
from jobcenter.rules.parameters import check_parameter_validity, describe_value, get_parameter, iter_parameters


def test_every_parameter_states_unit_reference_validity_and_sources():
    assert check_parameter_validity(tax_benefit_system().parameters) == []


def test_a_yearly_rate_without_an_end_is_caught():
    system = tax_benefit_system()
    parameter = get_parameter(system.parameters, "new_law.base_rates.grundsats")
    saved = parameter.values_list
    try:
        parameter.values_list = [entry for entry in saved if entry.value is not None]
        problems = check_parameter_validity(system.parameters)
    finally:
        parameter.values_list = saved
    assert any("new_law.base_rates.grundsats" in problem and "2026-01-01" in problem for problem in problems)


@pytest.mark.parametrize(
    ("name", "on"),
    [
        ("new_law.base_rates.hjemmeboende_sats", date(2025, 8, 1)),
        ("new_law.base_rates.grundsats", date(2026, 1, 1)),
        ("new_law.base_rates.forhoejet_sats", date(2026, 6, 1)),
        ("old_law.kontanthjaelp.age_30_or_over.other", date(2025, 1, 1)),
        ("old_law.kontanthjaelp.under_30.single_provider", date(2025, 6, 1)),
        ("old_law.uddannelseshjaelp.single_provider", date(2024, 1, 1)),
        ("old_law.work_income.hourly_disregard", date(2023, 1, 1)),
        ("new_law.supplements.midlertidigt_tilpasningstillaeg.amount", date(2025, 7, 1)),
        ("new_law.supplements.boernetillaeg", date(2026, 1, 1)),
    ],
)
def test_values_not_found_in_the_sources_are_absent(name, on):
    assert describe_value(tax_benefit_system().parameters, name, on).value is None


def test_the_2024_old_law_figures_are_carried_as_secondary():
    value = describe_value(
        tax_benefit_system().parameters, "old_law.kontanthjaelp.age_30_or_over.other", date(2024, 3, 1)
    )
    assert value.value == 12326
    assert value.source_kind == "secondary"
    assert value.valid_until == "2024-12-31"


def test_the_2025_base_rates_are_marked_derived():
    value = describe_value(tax_benefit_system().parameters, "new_law.base_rates.grundsats", date(2025, 8, 1))
    assert (value.value, value.source_kind) == (7205, "derived")
    assert value.derived_from and "1,036" in value.derived_from


def test_every_money_parameter_is_a_whole_number_of_ore():
    for parameter in iter_parameters(tax_benefit_system().parameters):
        if parameter.metadata.get("unit") == "currency-DKK":
            for entry in parameter.values_list:
                if entry.value is not None:
                    assert round(entry.value * 100) == pytest.approx(entry.value * 100), parameter.name
