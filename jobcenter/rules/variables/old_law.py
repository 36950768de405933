"""Kontanthjælp and uddannelseshjælp until 30 June 2025 (LAS §§ 22-25).

Each variable below is one line of the breakdown. The formulas are named by
the date they take effect (2023-01-01, the first month this package
computes) and end on 30 June 2025, when LAS §§ 16-20 replaced the rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jobcenter.rules.entities import Person
from jobcenter.rules.groups import OLD_LAW_GROUP_RULES, OLD_LAW_GROUPS, OldLawGroup
from jobcenter.rules.money import HUNDREDTHS_PER_HOUR, divide_round_half_up
from jobcenter.rules.parameters import require_number, require_ore
from jobcenter.rules.variables.base import _Money

MONTH = DateUnit.MONTH
OLD_LAW_END = "2025-06-30"

# Fixed ages of the law's text: "fyldt 30 år" (§ 25, stk. 2) and the
# 25-year split of § 23, stk. 2 and § 25, stk. 3.
ADULT_RATE_AGE = 30
UNDER_25_AGE = 25

_CODE = {group.name: group.index for group in OldLawGroup}

# Order of precedence within § 23, stk. 2 / § 25, stk. 3 when a person meets
# more than one group's conditions: the specific group (mental illness,
# single provider, pregnancy) before the general ones. In the 2023 tables
# this order always gives the highest applicable rate.
_KH_UNDER_30_ORDER = (
    "kh_u30_mentally_ill_provider",  # § 25, stk. 3, nr. 4
    "kh_u30_single_provider",  # nr. 1
    "kh_u30_pregnant",  # nr. 3
    "kh_u30_mentally_ill_living_away",  # nr. 5
    "kh_u30_provider_without_ebt",  # nr. 2
    "kh_25_29_living_away",  # nr. 6
    "kh_25_29_living_with_parents",  # nr. 7
    "kh_u25_living_away",  # nr. 8
    "kh_u25_living_with_parents",  # nr. 9
)
_UH_UNDER_30_ORDER = tuple("uh_" + name.removeprefix("kh_").removeprefix("u30_") for name in _KH_UNDER_30_ORDER)


class old_law_group(Variable):
    value_type = Enum
    possible_values = OldLawGroup
    default_value = OldLawGroup.none
    entity = Person
    definition_period = MONTH
    end = OLD_LAW_END
    label = "Gruppe efter LAS § 23, stk. 2 eller § 25, stk. 2-3"
    reference = "LAS §§ 23 og 25"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        applies = person("applies_for_help", period)
        age = person("age", period)
        provider = person("is_provider", period)
        ekstra_boernetilskud = person("receives_ekstra_boernetilskud", period)
        pregnant = person("is_pregnant_past_week_12", period)
        mentally_ill = person("has_mental_illness", period)
        at_home = person("lives_with_parents", period)
        educated = person("has_vocational_education", period)
        aged_25 = age >= UNDER_25_AGE

        under_30_conditions = (
            mentally_ill & provider,
            provider & ekstra_boernetilskud,
            pregnant,
            mentally_ill & ~at_home,
            provider,
            aged_25 & ~at_home,
            aged_25 & at_home,
            ~aged_25 & ~at_home,
            np.ones_like(at_home),
        )
        kh_codes = [_CODE[name] for name in _KH_UNDER_30_ORDER]
        uh_codes = [_CODE[name] for name in _UH_UNDER_30_ORDER]
        kh_under_30 = np.select(under_30_conditions, kh_codes)
        uh_under_30 = np.select(under_30_conditions, uh_codes)
        under_30 = np.where(educated, kh_under_30, uh_under_30)
        adult = np.where(provider, _CODE["kh_30_plus_provider"], _CODE["kh_30_plus_other"])
        codes = np.where(age >= ADULT_RATE_AGE, adult, under_30)
        codes = np.where(applies, codes, _CODE["none"]).astype(np.int16)
        return EnumArray(codes, OldLawGroup)


def _codes(person: Any, period: Any) -> Any:
    return np.asarray(person("old_law_group", period)).astype(np.intp)


def _rates_by_group(person: Any, period: Any, codes: Any, needed: Any, field: str) -> Any:
    """Look up, per group, the parameter named in the group's rule.

    Only the groups present among persons who need the rate are required;
    an absent value for such a group raises MissingParameterError.
    """
    present = np.bincount(codes[needed], minlength=len(OLD_LAW_GROUPS)) > 0
    table = np.zeros(len(OLD_LAW_GROUPS), dtype=np.int64)
    for group in OLD_LAW_GROUPS:
        name = getattr(OLD_LAW_GROUP_RULES[group.name], field)
        if name is not None:
            table[group.index] = require_ore(person, period, name, present[group.index])
    return table


def _has(field: str) -> Any:
    return np.array([getattr(OLD_LAW_GROUP_RULES[group.name], field) is not None for group in OLD_LAW_GROUPS])


class old_law_base_rate(_Money):
    entity = Person
    definition_period = MONTH
    end = OLD_LAW_END
    label = "Sats efter LAS § 23, stk. 2 eller § 25, stk. 2-3, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        codes = _codes(person, period)
        needed = codes != _CODE["none"]
        table = _rates_by_group(person, period, codes, needed, "rate")
        return table[codes]


class old_law_aktivitetstillaeg(_Money):
    entity = Person
    definition_period = MONTH
    end = OLD_LAW_END
    label = "Aktivitetstillæg efter LAS § 24, stk. 3 eller § 25, stk. 9, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        # Paid to aktivitetsparate recipients in the groups the tables list.
        # The further conditions of § 24, stk. 1 (participation in a tilbud,
        # the 3-month wait) are not modelled: see docs/rules.md.
        codes = _codes(person, period)
        eligible = person("is_aktivitetsparat", period) & _has("aktivitetstillaeg")[codes]
        table = _rates_by_group(person, period, codes, eligible, "aktivitetstillaeg")
        return np.where(eligible, table[codes], 0)


class old_law_maintenance_supplement(_Money):
    entity = Person
    definition_period = MONTH
    end = OLD_LAW_END
    label = "Tillæg ved bidragspligt (under 30 år), øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        # § 23, stk. 3 / § 25, stk. 4: a person under 30 who pays child
        # maintenance has the help raised by the maintenance paid, so that
        # the help including tillæg is at most the maximum.
        codes = _codes(person, period)
        paid = person("child_maintenance_paid", period)
        eligible = (paid > 0) & _has("maximum_with_maintenance_duty")[codes]
        maximum = _rates_by_group(person, period, codes, eligible, "maximum_with_maintenance_duty")[codes]
        room = np.maximum(
            0,
            maximum - person("old_law_base_rate", period) - person("old_law_aktivitetstillaeg", period),
        )
        return np.where(eligible, np.minimum(paid, room), 0)


class old_law_work_income_deductible(_Money):
    entity = Person
    definition_period = MONTH
    end = OLD_LAW_END
    label = "Arbejdsindtægt til fradrag efter fribeløb (LAS § 30, stk. 2), øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        income = person("work_income", period)
        hours = person("work_hours_hundredths", period).astype(np.int64)
        applies = person("applies_for_help", period)
        # A recipient's work income is deducted less the hourly disregard
        # (at most 160 hours); a spouse who does not receive help has no
        # disregard: his or her income is deducted krone for krone.
        needs_disregard = applies & (income > 0) & (hours > 0)
        per_hour = require_ore(person, period, "old_law.work_income.hourly_disregard", needs_disregard)
        max_hours = int(require_number(person, period, "old_law.work_income.max_disregard_hours", needs_disregard))
        counted = np.minimum(hours, max_hours * HUNDREDTHS_PER_HOUR)
        disregard = divide_round_half_up(per_hour * counted, HUNDREDTHS_PER_HOUR)
        return np.where(applies, np.maximum(0, income - np.where(needs_disregard, disregard, 0)), income)
