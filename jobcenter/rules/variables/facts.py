"""The facts about each adult and family: the input of a calculation.

Defaults exist only so that scenario files stay short; the public API
(`jobcenter.rules.api`) always sets every fact explicitly.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jobcenter.rules.entities import Family, Person
from jobcenter.rules.variables.base import _Money

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY


class birth_date(Variable):
    value_type = date
    entity = Person
    definition_period = ETERNITY
    label = "Fødselsdato"


class applies_for_help(Variable):
    value_type = bool
    default_value = True
    entity = Person
    definition_period = MONTH
    label = "Søger eller modtager hjælp (ellers ægtefælle/samlever, hvis indtægt medregnes)"


class lives_with_parents(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Bor hos en eller begge forældre (hjemmeboende)"


class is_aktivitetsparat(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Visiteret som aktivitetsparat"


class is_pregnant_past_week_12(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Gravid, passeret 12. svangerskabsuge"
    reference = "LAS § 23, stk. 2, nr. 3 og § 25, stk. 3, nr. 3"


class has_mental_illness(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Psykisk syg (LAS § 23, stk. 2, nr. 4-5 og § 25, stk. 3, nr. 4-5)"


class receives_ekstra_boernetilskud(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Har ret til ekstra børnetilskud (enlig forsørger)"


class has_vocational_education(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Har en erhvervskompetencegivende uddannelse (før 1. juli 2025: kontanthjælp frem for uddannelseshjælp under 30 år)"


class meets_residence_and_employment_requirement(Variable):
    value_type = bool
    default_value = True
    entity = Person
    definition_period = MONTH
    label = "Opfylder opholds- og beskæftigelseskravet (ellers mindstesats)"


class has_full_time_work_2_5_of_last_10_years(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Har haft 2½ års fuldtidsbeskæftigelse inden for de seneste 10 år"


class months_on_help(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Måneder i træk med hjælp, denne måned medregnet"


class transitional_supplement_entitled(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Omfattet af det midlertidige tilpasningstillæg"


class children_in_custody(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Antal børn, personen har forsørgelsespligt over for og bor med"


class child_maintenance_paid(_Money):
    entity = Person
    definition_period = MONTH
    label = "Betalt børnebidrag for barn, personen ikke bor med (bidragspligt), øre"


class work_income(_Money):
    entity = Person
    definition_period = MONTH
    label = "Arbejdsindtægt i måneden, som den fradrages efter LAS, øre"


class work_hours_hundredths(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Arbejdstimer i måneden, i hundrededele timer (37,5 timer = 3750)"


class other_income(_Money):
    entity = Person
    definition_period = MONTH
    label = "Anden indtægt, der fradrages krone for krone, øre"


class number_of_children(Variable):
    value_type = int
    entity = Family
    definition_period = MONTH
    label = "Antal forskellige børn i familiens varetægt"

    def formula(family: Any, period: Any, parameters: Any) -> Any:
        # Without an explicit count: the larger of the adults' counts.
        return family.max(family.members("children_in_custody", period))


# ---------------------------------------------------------------------------
# Facts derived from facts.


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Alder den første dag i måneden"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        # Age is taken on the first day of the month: a person who turns 30
        # during the month keeps the under-30 rate for that month. The law
        # changes rates from the birthday; day-level proration is not
        # modelled (docs/rules.md, "Assumptions to verify").
        birth = person("birth_date", period).astype("datetime64[D]")
        birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
        birth_month_start = birth.astype("datetime64[M]")
        birth_month = birth_month_start.astype(np.int64) % 12 + 1
        birth_day = (birth - birth_month_start.astype("datetime64[D]")).astype(np.int64) + 1
        year, month = period.start.year, period.start.month
        not_yet = (birth_month > month) | ((birth_month == month) & (birth_day > 1))
        return (year - birth_year - not_yet).astype(np.int32)


class is_provider(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Forsørger (har forsørgelsespligt over for børn)"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("children_in_custody", period) > 0


class is_single(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Enlig (hverken gift eller samlevende)"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person.family.nb_persons() == 1
