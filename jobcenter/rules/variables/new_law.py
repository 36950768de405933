"""Kontanthjælp from 1 July 2025 (LAS §§ 16-20, lov nr. 1655 af 30. december 2024).

One benefit with four base rates and a set of tillæg. Each variable below is
one line of the breakdown; formulas take effect on 2025-07-01.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jobcenter.rules.entities import Person
from jobcenter.rules.groups import (
    NEW_LAW_CEILING_PARAMETER,
    NEW_LAW_DISREGARD_PARAMETER,
    NEW_LAW_RATE_PARAMETER,
    NEW_LAW_RATES,
    NewLawRate,
)
from jobcenter.rules.money import BASIS_POINTS_PER_UNIT, divide_round_half_up
from jobcenter.rules.parameters import require_basis_points, require_number, require_ore
from jobcenter.rules.variables.base import _Money, family_position

MONTH = DateUnit.MONTH

# "Under 30", "25-29", "under 25" and "30 or older" in the rules for the
# rates and the særligt ungetillæg (LAS §§ 16-19).
YOUNG_AGE_LIMIT = 30
UNDER_25_AGE = 25

_CODE = {rate.name: rate.index for rate in NewLawRate}


class new_law_rate(Variable):
    value_type = Enum
    possible_values = NewLawRate
    default_value = NewLawRate.none
    entity = Person
    definition_period = MONTH
    label = "Sats efter LAS §§ 16-20"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Who gets which rate (aalborg.dk, borger.dk):
        # - mindstesats: does not meet the residence and employment requirement;
        # - hjemmeboende sats: under 30, living with a parent, no own child at home;
        # - forhøjet sats: 30 or older, or 25-29 with 2½ years of full-time
        #   work in the last 10 years;
        # - grundsats: the others (under 30).
        # Where mindstesats and hjemmeboende could both apply, mindstesats is
        # chosen (the requirement is tested first) - to verify, docs/rules.md.
        applies = person("applies_for_help", period)
        age = person("age", period)
        meets_requirement = person("meets_residence_and_employment_requirement", period)
        at_home = person("lives_with_parents", period)
        provider = person("is_provider", period)
        worked = person("has_full_time_work_2_5_of_last_10_years", period)
        codes = np.select(
            (
                ~applies,
                ~meets_requirement,
                (age < YOUNG_AGE_LIMIT) & at_home & ~provider,
                (age >= YOUNG_AGE_LIMIT) | ((age >= UNDER_25_AGE) & worked),
            ),
            (_CODE["none"], _CODE["mindstesats"], _CODE["hjemmeboende_sats"], _CODE["forhoejet_sats"]),
            default=_CODE["grundsats"],
        ).astype(np.int16)
        return EnumArray(codes, NewLawRate)


def _rate_codes(person: Any, period: Any) -> Any:
    return np.asarray(person("new_law_rate", period)).astype(np.intp)


def _table_by_rate(
    person: Any, period: Any, codes: Any, needed: Any, names: dict[str, str | None], as_share: bool = False
) -> Any:
    """Per-rate lookup of the parameter ``names[rate]``; absent only matters if needed."""
    present = np.bincount(codes[needed], minlength=len(NEW_LAW_RATES)) > 0
    table = np.zeros(len(NEW_LAW_RATES), dtype=np.int64)
    for rate in NEW_LAW_RATES:
        name = names[rate.name]
        if name is None:
            continue
        read = require_basis_points if as_share else require_ore
        table[rate.index] = read(person, period, name, present[rate.index])
    return table


class new_law_base_rate(_Money):
    entity = Person
    definition_period = MONTH
    label = "Grundbeløb (mindstesats, grundsats, forhøjet eller hjemmeboende sats), øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        codes = _rate_codes(person, period)
        table = _table_by_rate(person, period, codes, codes != _CODE["none"], NEW_LAW_RATE_PARAMETER)
        return table[codes]


class boernetillaeg(_Money):
    entity = Person
    definition_period = MONTH
    label = "Børnetillæg, øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Every provider who receives help: one tillæg per recipient,
        # whatever the number of children.
        eligible = person("applies_for_help", period) & person("is_provider", period)
        amount = require_ore(person, period, "new_law.supplements.boernetillaeg", eligible)
        return np.where(eligible, amount, 0)


class single_provider_supplement(_Money):
    entity = Person
    definition_period = MONTH
    label = "Tillæg til enlige forsørgere, øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # On mindstesats or grundsats, with ekstra børnetilskud.
        codes = _rate_codes(person, period)
        on_rate = (codes == _CODE["mindstesats"]) | (codes == _CODE["grundsats"])
        eligible = on_rate & person("is_provider", period) & person("receives_ekstra_boernetilskud", period)
        amount = require_ore(person, period, "new_law.supplements.single_provider", eligible)
        return np.where(eligible, amount, 0)


class single_non_provider_supplement(_Money):
    entity = Person
    definition_period = MONTH
    label = "Tillæg til enlige, der ikke er forsørgere, øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Single, not a provider, on grundsats or forhøjet sats.
        codes = _rate_codes(person, period)
        on_rate = (codes == _CODE["grundsats"]) | (codes == _CODE["forhoejet_sats"])
        eligible = on_rate & person("is_single", period) & ~person("is_provider", period)
        amount = require_ore(person, period, "new_law.supplements.single_non_provider", eligible)
        return np.where(eligible, amount, 0)


class saerligt_ungetillaeg(_Money):
    entity = Person
    definition_period = MONTH
    label = "Særligt ungetillæg (LAS § 19), øre"
    reference = "LAS § 19"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Aktivitetsparate recipients on grundsats: providers under 30;
        # without children, 25-29 or under 25.
        codes = _rate_codes(person, period)
        age = person("age", period)
        eligible = (codes == _CODE["grundsats"]) & person("is_aktivitetsparat", period) & (age < YOUNG_AGE_LIMIT)
        provider = person("is_provider", period)
        aged_25 = age >= UNDER_25_AGE
        node = "new_law.supplements.saerligt_ungetillaeg"
        provider_amount = require_ore(person, period, f"{node}.provider_under_30", eligible & provider)
        older_amount = require_ore(person, period, f"{node}.age_25_29_without_children", eligible & ~provider & aged_25)
        younger_amount = require_ore(
            person, period, f"{node}.under_25_without_children", eligible & ~provider & ~aged_25
        )
        amount = np.where(provider, provider_amount, np.where(aged_25, older_amount, younger_amount))
        return np.where(eligible, amount, 0)


class fritidstillaeg_children(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Antal børn, der gives fritidstillæg for (højst 3; 0 for andre end modtageren)"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Per child, at most 3, from the 3rd month on kontanthjælp. The
        # tillæg belongs to the family: it is paid once, on the line of the
        # first adult (in input order) who receives help, provides for
        # children and has reached the 3rd month (docs/rules.md).
        node = "new_law.supplements.fritidstillaeg"
        candidate = person("applies_for_help", period) & person("is_provider", period)
        first_month = int(require_number(person, period, f"{node}.first_month_on_help", candidate))
        max_children = int(require_number(person, period, f"{node}.max_children", candidate))
        eligible = candidate & (person("months_on_help", period) >= first_month)
        position = family_position(person)
        rank = np.where(eligible, position, 99)
        first = eligible & (position == person.family.min(rank))
        children = person.family("number_of_children", period)
        return np.where(first, np.minimum(children, max_children), 0).astype(np.int32)


class fritidstillaeg(_Money):
    entity = Person
    definition_period = MONTH
    label = "Fritidstillæg, øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        node = "new_law.supplements.fritidstillaeg"
        children = person("fritidstillaeg_children", period)
        paid = children > 0
        single = person("is_single", period)
        couple_amount = require_ore(person, period, f"{node}.couple_per_child", paid & ~single)
        single_amount = require_ore(person, period, f"{node}.single_provider_per_child", paid & single)
        return np.where(single, single_amount, couple_amount) * children


class transitional_supplement(_Money):
    entity = Person
    definition_period = MONTH
    label = "Midlertidigt tilpasningstillæg, øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # 1 July 2025 - 30 June 2027, recipients under 30 who are entitled.
        # The amount is not known (DOMAIN.md § 2): an entitled person's
        # result is refused with MissingParameterError.
        node = "new_law.supplements.midlertidigt_tilpasningstillaeg"
        candidate = (
            person("applies_for_help", period)
            & person("transitional_supplement_entitled", period)
            & (person("age", period) < YOUNG_AGE_LIMIT)
        )
        in_force = bool(require_number(person, period, f"{node}.in_force", candidate))
        eligible = candidate & in_force
        amount = require_ore(person, period, f"{node}.amount", eligible)
        return np.where(eligible, amount, 0)


class new_law_work_income_deductible(_Money):
    entity = Person
    definition_period = MONTH
    label = "Arbejdsindtægt til fradrag (fribeløb, 65 % og loft), øre"

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        # Recipient: 65 % of work income above the disregard (5.000 kr. on
        # grund-/mindstesats, 2.500 kr. on forhøjet sats, none when
        # hjemmeboende); once work income plus help reaches 85 % / 100 % of
        # the maximum dagpenge, krone for krone. With help G before work
        # income: help = min(G - 65 % x (w - disregard), ceiling - w), so the
        # deduction is max(65 % x (w - disregard), w + G - ceiling).
        # A spouse who does not receive help: deducted krone for krone.
        income = person("work_income", period)
        applies = person("applies_for_help", period)
        codes = _rate_codes(person, period)
        working = applies & (income > 0)
        disregard = _table_by_rate(person, period, codes, working, NEW_LAW_DISREGARD_PARAMETER)[codes]
        share = require_basis_points(person, period, "new_law.work_income.deduction_share", working)
        above = np.maximum(0, income - disregard)
        share_deduction = divide_round_half_up(share * above, BASIS_POINTS_PER_UNIT)

        has_ceiling = np.array([NEW_LAW_CEILING_PARAMETER[rate.name] is not None for rate in NEW_LAW_RATES])[codes]
        capped = working & has_ceiling
        ceiling_share = _table_by_rate(person, period, codes, capped, NEW_LAW_CEILING_PARAMETER, as_share=True)[codes]
        dagpenge = require_ore(person, period, "new_law.work_income.maximum_dagpenge_per_month", capped)
        ceiling = divide_round_half_up(ceiling_share * dagpenge, BASIS_POINTS_PER_UNIT)
        gross = person("gross_help", period)
        ceiling_deduction = np.where(capped, np.maximum(0, income + gross - ceiling), 0)
        recipient_deduction = np.maximum(share_deduction, ceiling_deduction)
        return np.where(applies, np.where(working, recipient_deduction, 0), income)
