"""Rate tables (satsregulering) imported by administrators."""

from __future__ import annotations

import pytest
from rules_helpers import adult, household

from jobcenter.rules import (
    MissingParameterError,
    RateTableError,
    calculate_month,
    parse_rate_table,
    tax_benefit_system,
    validate_rate_table,
)

ENTRY = """
  - parameter: new_law.base_rates.forhoejet_sats
    effective_from: 2026-01-01
    value: 12900
    unit: currency-DKK
    reference: LAS §§ 16-20
    source_url: https://example.invalid/satser-2026
    source_title: Test table for 2026 (fictional figures)
    source_kind: official
"""


def table_text(entries: str = ENTRY) -> str:
    return "title: Test satsregulering 2026\nentries:\n" + entries


def supplement(name: str, value: str) -> str:
    return ENTRY.replace("new_law.base_rates.forhoejet_sats", name).replace("value: 12900", f"value: {value}")


def test_it_parses_a_yaml_rate_table():
    table = parse_rate_table(table_text())
    assert table.entries[0].parameter == "new_law.base_rates.forhoejet_sats"
    assert str(table.entries[0].value) == "12900"


def test_it_parses_a_csv_rate_table():
    text = (
        "parameter,effective_from,valid_until,value,unit,reference,source_url,source_title,source_kind,derived_from\n"
        "new_law.base_rates.grundsats,2026-01-01,,7450,currency-DKK,LAS §§ 16-20,https://example.invalid/x,"
        "Test,derived,7.205 x 1.034 (fictional)\n"
    )
    table = parse_rate_table(text, "csv", title="Test CSV")
    assert table.entries[0].valid_until is None
    assert table.entries[0].derived_from == "7.205 x 1.034 (fictional)"


def test_an_imported_rate_is_used_with_its_source_and_ends_with_its_year():
    table = parse_rate_table(
        table_text(
            ENTRY
            + supplement("new_law.supplements.single_non_provider", "1130")
            + supplement("new_law.work_income.disregard.forhoejet_sats", "2500")
        )
    )
    result = calculate_month([household(adult())], "2026-03", extra_parameters=table)
    assert result.household_total_ore.tolist() == [1290000 + 113000]
    base_line = result[0].persons[0].lines[0]
    assert base_line.parameters[0].source_url == "https://example.invalid/satser-2026"
    assert base_line.parameters[0].valid_until == "2026-12-31"
    # A yearly rate holds for its calendar year only: 2027 is still refused.
    with pytest.raises(MissingParameterError):
        calculate_month([household(adult())], "2027-01", extra_parameters=table)


def test_the_base_system_is_not_changed_by_an_import():
    table = parse_rate_table(table_text())
    calculate_month([household(adult())], "2025-08", extra_parameters=table)
    with pytest.raises(MissingParameterError):
        calculate_month([household(adult())], "2026-03")


def test_an_imported_null_marks_a_value_as_not_found():
    text = table_text(ENTRY.replace("value: 12900", "value: null").replace("2026-01-01", "2025-10-01"))
    table = parse_rate_table(text)
    with pytest.raises(MissingParameterError) as caught:
        calculate_month([household(adult())], "2025-11", extra_parameters=table)
    assert caught.value.parameter == "new_law.base_rates.forhoejet_sats"
    # Before the imported null, the shipped value still holds.
    assert calculate_month([household(adult())], "2025-09", extra_parameters=table)[0].total_ore > 0


def fields_of(error: RateTableError) -> list[str]:
    return [problem.field for problem in error.problems]


def test_a_malformed_rate_table_names_the_field():
    with pytest.raises(RateTableError) as caught:
        parse_rate_table(table_text(ENTRY.replace("effective_from: 2026-01-01", "effective_from: 1st of January")))
    assert fields_of(caught.value) == ["entries.0.effective_from"]


def test_a_rate_table_with_an_unknown_field_is_refused():
    with pytest.raises(RateTableError) as caught:
        parse_rate_table(table_text(ENTRY + "    approved_by: me\n"))
    assert fields_of(caught.value) == ["entries.0.approved_by"]


def test_a_rate_table_with_a_missing_source_is_refused():
    with pytest.raises(RateTableError) as caught:
        parse_rate_table(table_text(ENTRY.replace("    source_url: https://example.invalid/satser-2026\n", "")))
    assert fields_of(caught.value) == ["entries.0.source_url"]


def test_a_derived_value_must_say_how_it_was_derived():
    with pytest.raises(RateTableError) as caught:
        parse_rate_table(table_text(ENTRY.replace("source_kind: official", "source_kind: derived")))
    assert "derived_from is required" in str(caught.value)


def test_a_csv_error_names_row_and_column():
    text = (
        "parameter,effective_from,value,unit,reference,source_url,source_title,source_kind\n"
        "new_law.base_rates.grundsats,2026-13-01,7450,currency-DKK,LAS,https://example.invalid/x,T,official\n"
    )
    with pytest.raises(RateTableError) as caught:
        parse_rate_table(text, "csv")
    assert fields_of(caught.value) == ["row.2.effective_from"]


def test_a_csv_with_an_unknown_column_is_refused():
    with pytest.raises(RateTableError) as caught:
        parse_rate_table("parameter,colour\n", "csv")
    assert "header.colour" in fields_of(caught.value)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ("new_law.base_rates.forhoejet_sats", "new_law.base_rates.nonexistent"),
            "entries.0.parameter",
            "unknown parameter",
        ),
        (("unit: currency-DKK", "unit: /1"), "entries.0.unit", "does not match"),
        (("value: 12900", "value: 12900.555"), "entries.0.value", "whole øre"),
        (("value: 12900", "value: -5"), "entries.0.value", "negative"),
        (
            ("effective_from: 2026-01-01", "effective_from: 2026-01-01\n    valid_until: 2027-06-30"),
            "entries.0.valid_until",
            "one calendar year",
        ),
    ],
)
def test_a_rate_table_is_checked_against_the_parameters(change, field, message):
    table = parse_rate_table(table_text(ENTRY.replace(*change)))
    with pytest.raises(RateTableError) as caught:
        validate_rate_table(table, tax_benefit_system())
    assert fields_of(caught.value) == [field]
    assert message in str(caught.value)


def test_overlapping_entries_for_one_parameter_are_refused():
    table = parse_rate_table(table_text(ENTRY + ENTRY.replace("12900", "13000")))
    with pytest.raises(RateTableError) as caught:
        validate_rate_table(table, tax_benefit_system())
    assert fields_of(caught.value) == ["entries.1.effective_from"]
