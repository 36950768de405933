"""Jobcenter's rules as code: kontanthjælp as an OpenFisca country package.

Pure: imports nothing from Django or from other ``jobcenter`` apps.

Public API::

    from jobcenter.rules import HouseholdInput, calculate_month, render_text

    result = calculate_month([HouseholdInput.model_validate(data)], "2025-08")
    result.household_total_ore   # int64 øre per household
    result[0].to_dict()          # the breakdown, JSON-ready
    render_text(result[0])       # "why this amount?" in Danish

``openfisca test --country-package jobcenter.rules`` finds
:class:`CountryTaxBenefitSystem` here.
"""

from jobcenter.rules.api import MonthResult, calculate_month, parse_month, tax_benefit_system
from jobcenter.rules.breakdown import BreakdownLine, HouseholdResult, PersonResult, render_text
from jobcenter.rules.columns import HouseholdColumns
from jobcenter.rules.errors import (
    FieldProblem,
    InputError,
    MissingParameterError,
    RateTableError,
    RulesError,
)
from jobcenter.rules.inputs import AdultInput, CalculationRequest, ChildInput, HouseholdInput
from jobcenter.rules.money import divide_round_half_up, format_kroner
from jobcenter.rules.parameters import ParameterValue
from jobcenter.rules.rate_tables import (
    RateTable,
    RateTableEntry,
    apply_rate_tables,
    parse_rate_table,
    validate_rate_table,
)
from jobcenter.rules.system import CountryTaxBenefitSystem

__all__ = [
    "AdultInput",
    "BreakdownLine",
    "CalculationRequest",
    "ChildInput",
    "CountryTaxBenefitSystem",
    "FieldProblem",
    "HouseholdColumns",
    "HouseholdInput",
    "HouseholdResult",
    "InputError",
    "MissingParameterError",
    "MonthResult",
    "ParameterValue",
    "PersonResult",
    "RateTable",
    "RateTableEntry",
    "RateTableError",
    "RulesError",
    "apply_rate_tables",
    "calculate_month",
    "divide_round_half_up",
    "format_kroner",
    "parse_month",
    "parse_rate_table",
    "render_text",
    "tax_benefit_system",
    "validate_rate_table",
]
