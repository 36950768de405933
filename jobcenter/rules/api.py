"""The one public function: facts in, breakdowns out.

    result = calculate_month(households, "2025-08")
    result.household_total_ore      # int64 array, one per household
    result[0]                       # HouseholdResult with its breakdown lines
    render_text(result[0])          # Danish plain text

All households go into ONE OpenFisca simulation built from arrays, so a
payment run of a million persons is a handful of numpy operations per rule.
The breakdown is kept as one int64 array per line and turned into
dataclasses only for the households someone looks at (lazily).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from openfisca_core.simulations import Simulation
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from pydantic import ValidationError

from jobcenter.rules.breakdown import BreakdownLine, HouseholdResult, PersonResult
from jobcenter.rules.columns import NEW_LAW_START, HouseholdColumns, age_on, check_facts_for_month
from jobcenter.rules.errors import FieldProblem, InputError, MissingParameterError, RulesError
from jobcenter.rules.groups import (
    NEW_LAW_CEILING_PARAMETER,
    NEW_LAW_DISREGARD_PARAMETER,
    NEW_LAW_RATE_PARAMETER,
    NEW_LAW_RATES,
    NEW_LAW_REFERENCE,
    OLD_LAW_GROUP_RULES,
    OLD_LAW_GROUPS,
)
from jobcenter.rules.inputs import CalculationRequest, HouseholdInput
from jobcenter.rules.money import (
    BASIS_POINTS_PER_UNIT,
    divide_round_half_up,
    format_kroner,
    kroner_to_ore,
    share_to_basis_points,
)
from jobcenter.rules.parameters import ParameterValue, describe_value
from jobcenter.rules.rate_tables import RateTable, apply_rate_tables
from jobcenter.rules.system import CountryTaxBenefitSystem

OLD_LAW_LABEL = "Lov om aktiv socialpolitik §§ 22-25 (regler til 30. juni 2025)"
NEW_LAW_LABEL = "Lov om aktiv socialpolitik §§ 16-20 (regler fra 1. juli 2025)"

OLD_LAW_ADDITIONS = ("old_law_base_rate", "old_law_aktivitetstillaeg", "old_law_maintenance_supplement")
NEW_LAW_ADDITIONS = (
    "new_law_base_rate",
    "boernetillaeg",
    "single_provider_supplement",
    "single_non_provider_supplement",
    "saerligt_ungetillaeg",
    "fritidstillaeg",
    "transitional_supplement",
)
DEDUCTIONS = ("work_income_deduction", "other_income_deduction", "spouse_income_deduction")


# ---------------------------------------------------------------------------
# The tax-benefit system, with approved rate tables laid over it.


@functools.lru_cache(maxsize=1)
def base_tax_benefit_system() -> CountryTaxBenefitSystem:
    """The package's own parameters and rules (built once per process)."""
    return CountryTaxBenefitSystem()


@functools.lru_cache(maxsize=8)
def _system_with_tables(key: tuple[str, ...]) -> TaxBenefitSystem:
    tables = [RateTable.model_validate_json(text) for text in key]
    return apply_rate_tables(CountryTaxBenefitSystem(), tables)


def tax_benefit_system(extra_parameters: RateTable | Sequence[RateTable] | None = None) -> TaxBenefitSystem:
    """The system for a calculation: the base, or the base with rate tables applied.

    Tables are applied in the order given (a later table overrides an
    earlier one for the same parameter and dates). Systems are cached by the
    tables' content.
    """
    if extra_parameters is None:
        return base_tax_benefit_system()
    tables = [extra_parameters] if isinstance(extra_parameters, RateTable) else list(extra_parameters)
    if not tables:
        return base_tax_benefit_system()
    return _system_with_tables(tuple(table.model_dump_json() for table in tables))


# ---------------------------------------------------------------------------
# The calculation.


def parse_month(month: str | date) -> date:
    """The first day of the month; InputError naming 'month' if unsupported."""
    try:
        request = CalculationRequest.model_validate({"month": month, "households": []})
    except ValidationError as error:
        raise InputError([FieldProblem(tuple(e["loc"]), e["msg"]) for e in error.errors()]) from None
    return request.month


def calculate_month(
    households: Sequence[HouseholdInput] | HouseholdColumns,
    month: str | date,
    extra_parameters: RateTable | Sequence[RateTable] | None = None,
) -> MonthResult:
    """Compute each household's help for ``month``, with breakdowns.

    ``households``: validated :class:`HouseholdInput` models, or ready
    :class:`HouseholdColumns` (the fast path for payment runs).
    ``month``: ``"YYYY-MM"`` or a date in the month, from 2023-01. The law
    is chosen by the month: LAS §§ 22-25 before July 2025, §§ 16-20 from.
    ``extra_parameters``: approved rate tables laid over the package's own
    parameters (see :mod:`jobcenter.rules.rate_tables`).

    Raises :class:`InputError` for a fact the month's law needs but which is
    not stated, and :class:`MissingParameterError` (naming the parameter, the
    month and the households) when a needed rate is not known.
    """
    first_day = parse_month(month)
    columns = households if isinstance(households, HouseholdColumns) else HouseholdColumns.from_households(households)
    if columns.household_count == 0:
        # Nothing to compute is the caller's mistake; the simulation cannot take an empty population.
        raise InputError([FieldProblem(("households",), "at least one household is needed")])
    check_facts_for_month(columns, first_day)
    system = tax_benefit_system(extra_parameters)
    period = f"{first_day:%Y-%m}"
    simulation = _build_simulation(system, columns, period)
    new_law = first_day >= NEW_LAW_START
    additions = NEW_LAW_ADDITIONS if new_law else OLD_LAW_ADDITIONS
    try:
        arrays = {name: np.asarray(simulation.calculate(name, period)) for name in (*additions, *DEDUCTIONS)}
        arrays["kontanthjaelp"] = np.asarray(simulation.calculate("kontanthjaelp", period))
        arrays["work_income_deductible"] = np.asarray(simulation.calculate("work_income_deductible", period))
        if new_law:
            arrays["rate_code"] = np.asarray(simulation.calculate("new_law_rate", period)).astype(np.intp)
            arrays["fritidstillaeg_children"] = np.asarray(simulation.calculate("fritidstillaeg_children", period))
        else:
            arrays["rate_code"] = np.asarray(simulation.calculate("old_law_group", period)).astype(np.intp)
    except MissingParameterError as error:
        household_ids = tuple(
            dict.fromkeys(str(columns.household_ids[columns.household_index[i]]) for i in error.person_indices)
        )
        raise error.with_households(household_ids) from None
    return MonthResult(first_day, new_law, columns, arrays, system, additions)


def _build_simulation(system: TaxBenefitSystem, columns: HouseholdColumns, period: str) -> Simulation:
    """One simulation for all households, from the columns (no per-household loop)."""
    populations = system.instantiate_entities()
    persons = populations["person"]
    persons.count = columns.adult_count
    persons.ids = np.arange(columns.adult_count)
    families = populations["family"]
    families.count = columns.household_count
    families.ids = np.arange(columns.household_count)
    families.members_entity_id = columns.household_index
    families.members_position = columns.position
    simulation = Simulation(system, populations)
    simulation.set_input("birth_date", "ETERNITY", columns.birth_date)
    facts: dict[str, npt.NDArray[Any]] = {
        "applies_for_help": columns.applies_for_help,
        "lives_with_parents": columns.lives_with_parents == 1,
        "is_aktivitetsparat": columns.is_aktivitetsparat == 1,
        "is_pregnant_past_week_12": columns.is_pregnant_past_week_12,
        "has_mental_illness": columns.has_mental_illness,
        "receives_ekstra_boernetilskud": columns.receives_ekstra_boernetilskud,
        "has_vocational_education": columns.has_vocational_education == 1,
        "meets_residence_and_employment_requirement": columns.meets_residence_and_employment_requirement == 1,
        "has_full_time_work_2_5_of_last_10_years": columns.has_full_time_work_2_5_of_last_10_years == 1,
        "months_on_help": np.maximum(columns.months_on_help, 0),
        "transitional_supplement_entitled": columns.transitional_supplement_entitled == 1,
        "children_in_custody": columns.children_in_custody,
        "work_income": columns.work_income,
        "work_hours_hundredths": columns.work_hours_hundredths,
        "other_income": columns.other_income,
        "child_maintenance_paid": columns.child_maintenance_paid,
        "number_of_children": columns.number_of_children,
    }
    for name, values in facts.items():
        simulation.set_input(name, period, values)
    return simulation


# ---------------------------------------------------------------------------
# The result: arrays, materialised into breakdowns on demand.


class MonthResult(Sequence[HouseholdResult]):
    """The month's results: totals as arrays, breakdowns per household on demand.

    ``len(result)`` households; ``result[i]`` builds the
    :class:`HouseholdResult` of household ``i`` (in input order);
    ``result.by_id(household_id)`` finds one by id.
    """

    def __init__(
        self,
        month: date,
        new_law: bool,
        columns: HouseholdColumns,
        arrays: dict[str, npt.NDArray[Any]],
        system: TaxBenefitSystem,
        additions: tuple[str, ...],
    ) -> None:
        self.month = month
        self.new_law = new_law
        self.law = NEW_LAW_LABEL if new_law else OLD_LAW_LABEL
        self.columns = columns
        self.arrays = arrays
        self.system = system
        self.additions = additions
        self.person_total_ore: npt.NDArray[np.int64] = arrays["kontanthjaelp"].astype(np.int64)
        lines_sum = sum(arrays[name].astype(np.int64) for name in additions) - sum(
            arrays[name].astype(np.int64) for name in DEDUCTIONS
        )
        if not np.array_equal(lines_sum, self.person_total_ore):
            raise RulesError("internal error: breakdown lines do not sum to the total")
        starts = np.flatnonzero(np.r_[True, np.diff(columns.household_index) != 0])
        self._household_starts = np.r_[starts, columns.adult_count]
        self.household_total_ore: npt.NDArray[np.int64] = (
            np.add.reduceat(self.person_total_ore, starts) if columns.adult_count else np.zeros(0, np.int64)
        )
        self._ages = age_on(columns.birth_date, month)
        self._parameter_cache: dict[str, ParameterValue] = {}
        self._index_by_id: dict[str, int] | None = None

    def __len__(self) -> int:
        return self.columns.household_count

    @overload
    def __getitem__(self, index: int) -> HouseholdResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[HouseholdResult]: ...

    def __getitem__(self, index: int | slice) -> HouseholdResult | list[HouseholdResult]:
        if isinstance(index, slice):
            return [self._household(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._household(index)

    def __iter__(self) -> Iterator[HouseholdResult]:
        for index in range(len(self)):
            yield self._household(index)

    def by_id(self, household_id: str) -> HouseholdResult:
        if self._index_by_id is None:
            self._index_by_id = {str(h): i for i, h in enumerate(self.columns.household_ids)}
        return self._household(self._index_by_id[household_id])

    # -- materialisation -------------------------------------------------

    def _parameter(self, name: str) -> ParameterValue:
        if name not in self._parameter_cache:
            self._parameter_cache[name] = describe_value(self.system.parameters, name, self.month)
        return self._parameter_cache[name]

    def _household(self, index: int) -> HouseholdResult:
        start, stop = int(self._household_starts[index]), int(self._household_starts[index + 1])
        persons = tuple(self._person(row) for row in range(start, stop))
        return HouseholdResult(
            household_id=str(self.columns.household_ids[index]),
            month=f"{self.month:%Y-%m}",
            law=self.law,
            total_ore=int(self.household_total_ore[index]),
            persons=persons,
        )

    def _person(self, row: int) -> PersonResult:
        columns = self.columns
        receives = bool(columns.applies_for_help[row])
        if not receives:
            return PersonResult(
                person_id=str(columns.adult_ids[row]),
                name=columns.adult_names[row],
                receives_help=False,
                rate="Modtager ikke hjælp",
                total_ore=int(self.person_total_ore[row]),
                note="Indtægt ud over egen hjælp fradrages i ægtefællens/samleverens hjælp.",
            )
        lines = self._new_law_lines(row) if self.new_law else self._old_law_lines(row)
        lines += self._deduction_lines(row)
        code = int(self.arrays["rate_code"][row])
        rate = NEW_LAW_RATES[code].value if self.new_law else OLD_LAW_GROUPS[code].value
        return PersonResult(
            person_id=str(columns.adult_ids[row]),
            name=columns.adult_names[row],
            receives_help=True,
            rate=str(rate),
            total_ore=int(self.person_total_ore[row]),
            lines=tuple(lines),
        )

    def _amount(self, name: str, row: int) -> int:
        return int(self.arrays[name][row])

    def _old_law_lines(self, row: int) -> list[BreakdownLine]:
        group = OLD_LAW_GROUPS[int(self.arrays["rate_code"][row])]
        rule = OLD_LAW_GROUP_RULES[group.name]
        if rule.rate is None:
            raise RulesError(f"internal error: no rate for group {group.name}")
        lines = [
            BreakdownLine(
                rule=str(group.value),
                reference=rule.reference,
                amount_ore=self._amount("old_law_base_rate", row),
                parameters=(self._parameter(rule.rate),),
            )
        ]
        if self._amount("old_law_aktivitetstillaeg", row) and rule.aktivitetstillaeg:
            parameter = self._parameter(rule.aktivitetstillaeg)
            lines.append(
                BreakdownLine(
                    rule="Aktivitetstillæg",
                    reference=parameter.reference,
                    amount_ore=self._amount("old_law_aktivitetstillaeg", row),
                    parameters=(parameter,),
                    detail="Aktivitetsparat.",
                )
            )
        if self._amount("old_law_maintenance_supplement", row) and rule.maximum_with_maintenance_duty:
            parameter = self._parameter(rule.maximum_with_maintenance_duty)
            paid = int(self.columns.child_maintenance_paid[row])
            lines.append(
                BreakdownLine(
                    rule="Tillæg ved bidragspligt",
                    reference=parameter.reference,
                    amount_ore=self._amount("old_law_maintenance_supplement", row),
                    parameters=(parameter,),
                    detail=(
                        f"Betalt børnebidrag {format_kroner(paid)}; hjælpen inkl. tillæg "
                        f"højst {_kroner_text(parameter)}"
                    ),
                )
            )
        return lines

    def _new_law_lines(self, row: int) -> list[BreakdownLine]:
        rate = NEW_LAW_RATES[int(self.arrays["rate_code"][row])]
        name = NEW_LAW_RATE_PARAMETER[rate.name]
        if name is None:
            raise RulesError(f"internal error: no parameter for rate {rate.name}")
        lines = [
            BreakdownLine(
                rule=str(rate.value),
                reference=NEW_LAW_REFERENCE,
                amount_ore=self._amount("new_law_base_rate", row),
                parameters=(self._parameter(name),),
            )
        ]
        supplements = "new_law.supplements"
        simple = (
            ("boernetillaeg", "Børnetillæg", f"{supplements}.boernetillaeg"),
            ("single_provider_supplement", "Tillæg til enlige forsørgere", f"{supplements}.single_provider"),
            (
                "single_non_provider_supplement",
                "Tillæg til enlige, der ikke er forsørgere",
                f"{supplements}.single_non_provider",
            ),
            (
                "transitional_supplement",
                "Midlertidigt tilpasningstillæg",
                f"{supplements}.midlertidigt_tilpasningstillaeg.amount",
            ),
        )
        for variable, label, parameter_name in simple:
            if self._amount(variable, row):
                parameter = self._parameter(parameter_name)
                lines.append(BreakdownLine(label, parameter.reference, self._amount(variable, row), (parameter,)))
        if self._amount("saerligt_ungetillaeg", row):
            provider = self.columns.children_in_custody[row] > 0
            leaf = (
                "provider_under_30"
                if provider
                else ("age_25_29_without_children" if self._ages[row] >= 25 else "under_25_without_children")
            )
            parameter = self._parameter(f"{supplements}.saerligt_ungetillaeg.{leaf}")
            lines.append(
                BreakdownLine(
                    "Særligt ungetillæg",
                    parameter.reference,
                    self._amount("saerligt_ungetillaeg", row),
                    (parameter,),
                    detail="Aktivitetsparat på grundsats.",
                )
            )
        if self._amount("fritidstillaeg", row):
            children = int(self.arrays["fritidstillaeg_children"][row])
            household = int(self.columns.household_index[row])
            single = self._household_starts[household + 1] - self._household_starts[household] == 1
            per_child = self._parameter(
                f"{supplements}.fritidstillaeg." + ("single_provider_per_child" if single else "couple_per_child")
            )
            lines.append(
                BreakdownLine(
                    "Fritidstillæg",
                    per_child.reference,
                    self._amount("fritidstillaeg", row),
                    (
                        per_child,
                        self._parameter(f"{supplements}.fritidstillaeg.max_children"),
                        self._parameter(f"{supplements}.fritidstillaeg.first_month_on_help"),
                    ),
                    detail=f"{children} barn/børn × {_kroner_text(per_child)}",
                )
            )
        return lines

    def _deduction_lines(self, row: int) -> list[BreakdownLine]:
        lines: list[BreakdownLine] = []
        work = self._amount("work_income_deduction", row)
        if work:
            lines.append(self._work_line(row, work))
        other = self._amount("other_income_deduction", row)
        if other:
            lines.append(
                BreakdownLine(
                    "Fradrag for anden indtægt",
                    "LAS § 30" if not self.new_law else "Lov om aktiv socialpolitik, fradrag for indtægt",
                    -other,
                    detail=f"Anden indtægt {format_kroner(int(self.columns.other_income[row]))} fradrages krone for krone.",
                )
            )
        spouse = self._amount("spouse_income_deduction", row)
        if spouse:
            lines.append(
                BreakdownLine(
                    "Fradrag for ægtefælles/samlevers indtægt",
                    "LAS § 26 (gensidig forsørgelsespligt)" if not self.new_law else "Gensidig forsørgelsespligt",
                    -spouse,
                    detail="Ægtefællens/samleverens indtægt ud over egen hjælp fradrages krone for krone.",
                )
            )
        return lines

    def _work_line(self, row: int, applied: int) -> BreakdownLine:
        income = int(self.columns.work_income[row])
        deductible = int(self.arrays["work_income_deductible"][row])
        capped = " Fradraget er begrænset til hjælpen." if applied < deductible else ""
        if not self.new_law:
            hours = int(self.columns.work_hours_hundredths[row])
            if hours and income:
                per_hour = self._parameter("old_law.work_income.hourly_disregard")
                max_hours = self._parameter("old_law.work_income.max_disregard_hours")
                detail = (
                    f"Arbejdsindtægt {format_kroner(income)} − fribeløb for "
                    f"{_hours_text(min(hours, int(max_hours.value or 0) * 100))} timer × "
                    f"{_kroner_text(per_hour)} = {format_kroner(deductible)}{capped}"
                )
                parameters: tuple[ParameterValue, ...] = (per_hour, max_hours)
            else:
                detail = f"Arbejdsindtægt {format_kroner(income)} fradrages (ingen arbejdstimer oplyst).{capped}"
                parameters = ()
            return BreakdownLine("Fradrag for arbejdsindtægt", "LAS § 30, stk. 2", -applied, parameters, detail)
        rate = NEW_LAW_RATES[int(self.arrays["rate_code"][row])]
        disregard_name = NEW_LAW_DISREGARD_PARAMETER[rate.name]
        ceiling_name = NEW_LAW_CEILING_PARAMETER[rate.name]
        if disregard_name is None:
            raise RulesError(f"internal error: no disregard for rate {rate.name}")
        disregard = self._parameter(disregard_name)
        share = self._parameter("new_law.work_income.deduction_share")
        parameters = (disregard, share)
        disregard_ore = kroner_to_ore(disregard.value or 0)  # type: ignore[arg-type]
        share_points = share_to_basis_points(share.value or 0)  # type: ignore[arg-type]
        by_share = int(divide_round_half_up(share_points * max(0, income - disregard_ore), BASIS_POINTS_PER_UNIT))
        detail = (
            f"Arbejdsindtægt {format_kroner(income)}; {_share_text(share)} af indtægten over "
            f"fribeløbet {format_kroner(disregard_ore)} = {format_kroner(by_share)}"
        )
        if ceiling_name is not None:
            ceiling_share = self._parameter(ceiling_name)
            dagpenge = self._parameter("new_law.work_income.maximum_dagpenge_per_month")
            parameters += (ceiling_share, dagpenge)
            if deductible > by_share:
                ceiling = int(
                    divide_round_half_up(
                        share_to_basis_points(ceiling_share.value or 0)  # type: ignore[arg-type]
                        * kroner_to_ore(dagpenge.value or 0),  # type: ignore[arg-type]
                        BASIS_POINTS_PER_UNIT,
                    )
                )
                detail += (
                    f"; arbejdsindtægt plus hjælp over loftet {format_kroner(ceiling)} "
                    f"({_share_text(ceiling_share)} af højeste dagpenge) fradrages krone for krone: "
                    f"{format_kroner(deductible)}"
                )
        return BreakdownLine("Fradrag for arbejdsindtægt", NEW_LAW_REFERENCE, -applied, parameters, detail + capped)


def _kroner_text(parameter: ParameterValue) -> str:
    return format_kroner(kroner_to_ore(parameter.value or 0))  # type: ignore[arg-type]


def _share_text(parameter: ParameterValue) -> str:
    return f"{share_to_basis_points(parameter.value or 0) / 100:g} %".replace(".", ",")  # type: ignore[arg-type]


def _hours_text(hundredths: int) -> str:
    whole, rest = divmod(hundredths, 100)
    return f"{whole},{rest:02d}"
