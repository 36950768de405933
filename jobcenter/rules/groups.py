"""Who gets which rate: the groups of each law, with labels and paragraphs.

One table per law, used both by the formulas (to pick the rate parameter)
and by the breakdown (to name the rule in Danish and cite the paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass

from openfisca_core.indexed_enums import Enum


class OldLawGroup(Enum):
    """The rate group of a person under LAS §§ 23-25 (until 30 June 2025)."""

    none = "Ingen hjælp"
    kh_30_plus_provider = "Kontanthjælp, fyldt 30 år, forsørger"
    kh_30_plus_other = "Kontanthjælp, fyldt 30 år"
    kh_u30_mentally_ill_provider = "Kontanthjælp, under 30 år, psykisk syg, forsørger"
    kh_u30_single_provider = "Kontanthjælp, enlig forsørger under 30 år"
    kh_u30_pregnant = "Kontanthjælp, under 30 år, gravid"
    kh_u30_mentally_ill_living_away = "Kontanthjælp, under 30 år, psykisk syg, udeboende"
    kh_u30_provider_without_ebt = "Kontanthjælp, forsørger under 30 år uden ret til ekstra børnetilskud"
    kh_25_29_living_away = "Kontanthjælp, 25-29 år, udeboende"
    kh_25_29_living_with_parents = "Kontanthjælp, 25-29 år, hjemmeboende"
    kh_u25_living_away = "Kontanthjælp, under 25 år, udeboende"
    kh_u25_living_with_parents = "Kontanthjælp, under 25 år, hjemmeboende"
    uh_mentally_ill_provider = "Uddannelseshjælp, psykisk syg, forsørger"
    uh_single_provider = "Uddannelseshjælp, enlig forsørger"
    uh_pregnant = "Uddannelseshjælp, gravid"
    uh_mentally_ill_living_away = "Uddannelseshjælp, psykisk syg, udeboende"
    uh_provider_without_ebt = "Uddannelseshjælp, forsørger uden ret til ekstra børnetilskud"
    uh_25_29_living_away = "Uddannelseshjælp, 25-29 år, udeboende"
    uh_25_29_living_with_parents = "Uddannelseshjælp, 25-29 år, hjemmeboende"
    uh_u25_living_away = "Uddannelseshjælp, under 25 år, udeboende"
    uh_u25_living_with_parents = "Uddannelseshjælp, under 25 år, hjemmeboende"


@dataclass(frozen=True)
class OldLawGroupRule:
    """Parameters and paragraph of one old-law group."""

    reference: str
    rate: str | None
    aktivitetstillaeg: str | None = None
    maximum_with_maintenance_duty: str | None = None


_KH = "old_law.kontanthjaelp"
_UH = "old_law.uddannelseshjaelp"

OLD_LAW_GROUP_RULES: dict[str, OldLawGroupRule] = {
    "none": OldLawGroupRule(reference="", rate=None),
    "kh_30_plus_provider": OldLawGroupRule("LAS § 25, stk. 2, nr. 1", f"{_KH}.age_30_or_over.provider"),
    "kh_30_plus_other": OldLawGroupRule("LAS § 25, stk. 2, nr. 2", f"{_KH}.age_30_or_over.other"),
    "kh_u30_single_provider": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 1",
        f"{_KH}.under_30.single_provider",
        f"{_KH}.aktivitetstillaeg.single_provider",
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u30_provider_without_ebt": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 2",
        f"{_KH}.under_30.provider_without_ekstra_boernetilskud",
        f"{_KH}.aktivitetstillaeg.provider_without_ekstra_boernetilskud",
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u30_pregnant": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 3",
        f"{_KH}.under_30.pregnant",
        None,
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u30_mentally_ill_provider": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 4",
        f"{_KH}.under_30.mentally_ill_provider",
        None,
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u30_mentally_ill_living_away": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 5",
        f"{_KH}.under_30.mentally_ill_living_away",
        None,
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_25_29_living_away": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 6",
        f"{_KH}.under_30.age_25_29_living_away",
        f"{_KH}.aktivitetstillaeg.age_25_29_living_away",
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_25_29_living_with_parents": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 7",
        f"{_KH}.under_30.age_25_29_living_with_parents",
        f"{_KH}.aktivitetstillaeg.age_25_29_living_with_parents",
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u25_living_away": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 8",
        f"{_KH}.under_30.under_25_living_away",
        None,
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "kh_u25_living_with_parents": OldLawGroupRule(
        "LAS § 25, stk. 3, nr. 9",
        f"{_KH}.under_30.under_25_living_with_parents",
        None,
        f"{_KH}.under_30.maximum_with_maintenance_duty",
    ),
    "uh_single_provider": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 1",
        f"{_UH}.single_provider",
        f"{_UH}.aktivitetstillaeg.single_provider",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_provider_without_ebt": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 2",
        f"{_UH}.provider_without_ekstra_boernetilskud",
        f"{_UH}.aktivitetstillaeg.provider_without_ekstra_boernetilskud",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    # § 24, stk. 4: no aktivitetstillæg for § 23, stk. 2, nr. 3-5.
    "uh_pregnant": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 3", f"{_UH}.pregnant", None, f"{_UH}.maximum_with_maintenance_duty"
    ),
    "uh_mentally_ill_provider": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 4",
        f"{_UH}.mentally_ill_provider",
        None,
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_mentally_ill_living_away": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 5",
        f"{_UH}.mentally_ill_living_away",
        None,
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_25_29_living_away": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 6",
        f"{_UH}.age_25_29_living_away",
        f"{_UH}.aktivitetstillaeg.age_25_29_living_away",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_25_29_living_with_parents": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 7",
        f"{_UH}.age_25_29_living_with_parents",
        f"{_UH}.aktivitetstillaeg.age_25_29_living_with_parents",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_u25_living_away": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 8",
        f"{_UH}.under_25_living_away",
        f"{_UH}.aktivitetstillaeg.under_25_living_away",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
    "uh_u25_living_with_parents": OldLawGroupRule(
        "LAS § 23, stk. 2, nr. 9",
        f"{_UH}.under_25_living_with_parents",
        f"{_UH}.aktivitetstillaeg.under_25_living_with_parents",
        f"{_UH}.maximum_with_maintenance_duty",
    ),
}

OLD_LAW_GROUPS: list[OldLawGroup] = list(OldLawGroup)


def old_law_group_rule(index: int) -> tuple[OldLawGroup, OldLawGroupRule]:
    group = OLD_LAW_GROUPS[index]
    return group, OLD_LAW_GROUP_RULES[group.name]


class NewLawRate(Enum):
    """The base rate of a person under LAS §§ 16-20 (from 1 July 2025)."""

    none = "Ingen hjælp"
    mindstesats = "Mindstesats"
    grundsats = "Grundsats"
    forhoejet_sats = "Forhøjet sats"
    hjemmeboende_sats = "Hjemmeboende sats"


NEW_LAW_RATES: list[NewLawRate] = list(NewLawRate)

NEW_LAW_RATE_PARAMETER: dict[str, str | None] = {
    "none": None,
    "mindstesats": "new_law.base_rates.mindstesats",
    "grundsats": "new_law.base_rates.grundsats",
    "forhoejet_sats": "new_law.base_rates.forhoejet_sats",
    "hjemmeboende_sats": "new_law.base_rates.hjemmeboende_sats",
}

NEW_LAW_DISREGARD_PARAMETER: dict[str, str | None] = {
    "none": None,
    "mindstesats": "new_law.work_income.disregard.grundsats_and_mindstesats",
    "grundsats": "new_law.work_income.disregard.grundsats_and_mindstesats",
    "forhoejet_sats": "new_law.work_income.disregard.forhoejet_sats",
    "hjemmeboende_sats": "new_law.work_income.disregard.hjemmeboende_sats",
}

# The hjemmeboende sats has no ceiling in the sources (DOMAIN.md § 2).
NEW_LAW_CEILING_PARAMETER: dict[str, str | None] = {
    "none": None,
    "mindstesats": "new_law.work_income.ceiling_share.grundsats_and_mindstesats",
    "grundsats": "new_law.work_income.ceiling_share.grundsats_and_mindstesats",
    "forhoejet_sats": "new_law.work_income.ceiling_share.forhoejet_sats",
    "hjemmeboende_sats": None,
}

NEW_LAW_REFERENCE = "LAS §§ 16-20 (lov nr. 1655 af 30. december 2024)"
