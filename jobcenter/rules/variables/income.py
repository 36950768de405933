"""Help before income, the income deductions, and the help paid.

The deductions are applied in a fixed order so that the breakdown lines sum
exactly to the help and the help is never negative:
1. the person's own work income (as each law counts it),
2. the person's other income, krone for krone,
3. the income of the spouse/cohabitant that exceeds the spouse's own help
   (mutual maintenance duty; cohabitants included since 2014).
Each deduction is capped at the help left after the earlier ones. For a
couple, the sum of the two persons' help equals the couple's help before
income less both incomes (floored at zero): the couple's help is the sum of
each spouse's help (LAS § 26).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit

from jobcenter.rules.entities import Person
from jobcenter.rules.variables.base import _Money

MONTH = DateUnit.MONTH


class gross_help(_Money):
    entity = Person
    definition_period = MONTH
    label = "Hjælp før fradrag for indtægter, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("old_law_base_rate", period)
            + person("old_law_aktivitetstillaeg", period)
            + person("old_law_maintenance_supplement", period)
        )

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("new_law_base_rate", period)
            + person("boernetillaeg", period)
            + person("single_provider_supplement", period)
            + person("single_non_provider_supplement", period)
            + person("saerligt_ungetillaeg", period)
            + person("fritidstillaeg", period)
            + person("transitional_supplement", period)
        )


class work_income_deductible(_Money):
    entity = Person
    definition_period = MONTH
    label = "Arbejdsindtægt, der skal fradrages (før loft ved nul), øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("old_law_work_income_deductible", period)

    def formula_2025_07_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("new_law_work_income_deductible", period)


class work_income_deduction(_Money):
    entity = Person
    definition_period = MONTH
    label = "Fradrag for arbejdsindtægt, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return np.minimum(person("work_income_deductible", period), person("gross_help", period))


class other_income_deduction(_Money):
    entity = Person
    definition_period = MONTH
    label = "Fradrag for anden indtægt, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        left = person("gross_help", period) - person("work_income_deduction", period)
        return np.minimum(person("other_income", period), left)


class income_exceeding_own_help(_Money):
    entity = Person
    definition_period = MONTH
    label = "Egen indtægt ud over egen hjælp (fradrages hos ægtefællen), øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        deductible = person("work_income_deductible", period) + person("other_income", period)
        applied = person("work_income_deduction", period) + person("other_income_deduction", period)
        return deductible - applied


class spouse_income_deduction(_Money):
    entity = Person
    definition_period = MONTH
    label = "Fradrag for ægtefælles/samlevers indtægt, øre"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        own_excess = person("income_exceeding_own_help", period)
        family_excess = person.family.sum(own_excess).astype(np.int64)
        spouse_excess = family_excess - own_excess
        left = (
            person("gross_help", period)
            - person("work_income_deduction", period)
            - person("other_income_deduction", period)
        )
        return np.minimum(spouse_excess, left)


class kontanthjaelp(_Money):
    entity = Person
    definition_period = MONTH
    label = "Hjælp til udbetaling for måneden, øre"
    reference = "LAS §§ 22-25 (til 30. juni 2025); LAS §§ 16-20 (fra 1. juli 2025)"

    def formula_2023_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("gross_help", period)
            - person("work_income_deduction", period)
            - person("other_income_deduction", period)
            - person("spouse_income_deduction", period)
        )
