"""The letter of every decision and every partshøring, composed from the record (docs/letters.md).

A decision's letter is issued by the action that records the decision, in its transaction
(benefits/actions.py): the decision, the amount and its breakdown (the rules' own lines with their
§), the months it changes (benefits/consequences.py), the reasons, the facts it rests on, the
partshøring, the legal basis and klagevejledning (forvaltningsloven §§ 22-25). The same parts
render the preview on the decision form, without issuing anything.

Letters are Danish documents: their text is written here in Danish, not translated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jobcenter.benefits.calculation import CalculationRefused, calculate
from jobcenter.benefits.consequences import Consequence, consequence_of
from jobcenter.benefits.forms import AdultForm
from jobcenter.benefits.models import Consultation, ConsultationKind, DecisionKind, Grant
from jobcenter.letters.actions import DecisionDetails, FactSection, MonthChange, danish_date
from jobcenter.rules import format_kroner
from jobcenter.rules.breakdown import month_in_danish

TITLES = {
    DecisionKind.GRANT: "Afgørelse: Du får kontanthjælp",
    DecisionKind.CHANGE: "Afgørelse: Din kontanthjælp ændres",
    DecisionKind.REDUCTION: "Afgørelse: Din kontanthjælp nedsættes",
    DecisionKind.STOP: "Afgørelse: Din kontanthjælp standses",
    DecisionKind.SANCTION: "Afgørelse: Fradrag i din kontanthjælp",
}

CONSULTATION_TITLES = {
    ConsultationKind.REDUCTION: "Partshøring: Vi overvejer at nedsætte din kontanthjælp",
    ConsultationKind.STOP: "Partshøring: Vi overvejer at standse din kontanthjælp",
    ConsultationKind.SANCTION: "Partshøring: Vi overvejer at trække i din kontanthjælp",
    ConsultationKind.CLAIM: "Partshøring: Vi overvejer at kræve kontanthjælp betalt tilbage",
}

# The legal basis of a deduction for a missed interview, as DOMAIN.md and benefits/actions.py state it.
SANCTION_BASIS = (
    "Lov om aktiv socialpolitik § 37 (fradrag for udeblivelse) og § 35 (fradraget foretages inden for "
    "3 hele kalendermåneder)."
)

EXEMPTION_SENTENCE = (
    "Du er ikke blevet hørt, før afgørelsen blev truffet, fordi afgørelsen alene bygger på oplysninger, "
    "som du selv har givet (forvaltningslovens § 19, stk. 2, nr. 1)."
)

# The help's rules by period (DOMAIN.md §§ 1-2).
NEW_LAW_FROM = datetime.date(2025, 7, 1)
NEW_LAW = "Lov om aktiv socialpolitik §§ 16-20 (lov nr. 1655 af 30. december 2024)"
OLD_LAW = "Lov om aktiv socialpolitik §§ 22-25"

RELATIONSHIPS = {"married": "Gift", "cohabiting": "Samlevende"}


@dataclass(frozen=True)
class LetterText:
    """What a caller words itself (the inbox's proposals): title, decision text and legal basis."""

    title: str
    decision_text: str
    legal_basis: str


def decision_text(kind: DecisionKind, effective_from: datetime.date, effective_to: datetime.date | None) -> str:
    start = danish_date(effective_from)
    until = f" til og med den {danish_date(effective_to)}" if effective_to else ""
    if kind == DecisionKind.GRANT:
        return f"Du får kontanthjælp fra den {start}{until}."
    if kind == DecisionKind.CHANGE:
        return f"Din kontanthjælp ændres fra den {start}{until}."
    if kind == DecisionKind.REDUCTION:
        return f"Din kontanthjælp nedsættes fra den {start}{until}."
    if kind == DecisionKind.STOP:
        return f"Din kontanthjælp standses fra den {start}."
    last = effective_to or effective_from
    days = (last - effective_from).days + 1
    return (
        f"Vi trækker din kontanthjælp for {days} dag{'e' if days != 1 else ''}, "
        f"fra den {start} til og med den {danish_date(last)}, fordi du udeblev fra en jobsamtale."
    )


def _yes_no(value: Any) -> str:
    return "Ja" if value else "Nej"


def facts_in_danish(facts: dict[str, Any] | None) -> tuple[FactSection, ...]:
    """The household's facts with the labels of the decision form (AdultForm): what the decision rests on."""
    if not facts:
        return ()
    labels = {name: str(field.label) for name, field in AdultForm.base_fields.items()}
    sections = []
    adults = facts.get("adults") or []
    for number, adult in enumerate(adults, start=1):
        lines: list[tuple[str, str]] = []
        if adult.get("birth_date"):
            lines.append((labels["birth_date"], danish_date(datetime.date.fromisoformat(adult["birth_date"]))))
        lines.append((labels["applies_for_help"], _yes_no(adult.get("applies_for_help"))))
        for name in AdultForm.TRI_STATE_FIELDS:
            if adult.get(name) is not None:
                lines.append((labels[name], _yes_no(adult[name])))
        if adult.get("months_on_help"):
            lines.append((labels["months_on_help"], str(adult["months_on_help"])))
        lines.extend((labels[name], "Ja") for name in AdultForm.FLAG_FIELDS[1:] if adult.get(name))
        for form_name, input_name in AdultForm.MONEY_FIELDS.items():
            if adult.get(input_name):
                lines.append((labels[form_name].replace(" (kr.)", ""), format_kroner(int(adult[input_name]))))
        hours = Decimal(str(adult.get("work_hours") or 0))
        if hours:
            lines.append((labels["work_hours"], f"{hours.normalize():f}".replace(".", ",")))
        heading = adult.get("name") or f"Voksen {number}"
        sections.append(FactSection(heading, tuple(lines)))
    household: list[tuple[str, str]] = []
    if facts.get("relationship"):
        household.append(("De voksne er", RELATIONSHIPS.get(facts["relationship"], "")))
    children = facts.get("children") or []
    household.append(("Børn i husstanden", str(len(children)) if children else "Ingen"))
    household.extend(
        (f"Barn {number}", f"Født {danish_date(datetime.date.fromisoformat(child['birth_date']))}")
        for number, child in enumerate(children, start=1)
    )
    sections.append(FactSection("Husstanden", tuple(household)))
    return tuple(sections)


def consultation_paragraph(consultation: Consultation | None, exemption: str) -> str:
    if consultation is not None:
        text = (
            f"Vi skrev til dig den {danish_date(consultation.sent_on)} og bad om dine bemærkninger senest "
            f"den {danish_date(consultation.deadline)}."
        )
        if consultation.reply_received_on is not None:
            return f"{text} Vi modtog dit svar den {danish_date(consultation.reply_received_on)}:\n{consultation.reply_summary}"
        return f"{text} Vi har ikke modtaget svar fra dig."
    if exemption:
        return EXEMPTION_SENTENCE
    return ""


def decision_details(
    grant: Grant,
    *,
    kind: DecisionKind,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    facts: dict[str, Any] | None,
    consultation: Consultation | None = None,
    exemption: str = "",
    consequence: Consequence | None = None,
) -> DecisionDetails:
    """The amount, its breakdown and the months the decision changes, computed before the decision is
    recorded (the "before" is the grant as it stands), and the facts and partshøring it rests on."""
    breakdown: tuple[Any, ...] = ()
    law = ""
    note = ""
    month = f"{effective_from:%Y-%m}"
    if facts is not None:
        try:
            result = calculate([facts], month)[0]
        except CalculationRefused as refused:
            note = f"Beløbet kan ikke beregnes endnu: {refused.message}"
        else:
            breakdown = tuple(person for person in result.persons if person.receives_help)
            law = result.law
    if consequence is None:
        consequence = consequence_of(
            grant, kind=str(kind), effective_from=effective_from, effective_to=effective_to, facts=facts
        )
    months = tuple(
        MonthChange(
            month_label=month_in_danish(f"{change.month:%Y-%m}"),
            before_ore=change.amount_before_ore,
            after_ore=change.amount_after_ore,
            paid_ore=change.paid_ore,
            correction_ore=change.correction_ore,
        )
        for change in consequence.months
    )
    if consequence.refused and not note:
        note = f"Beløbet kan ikke beregnes endnu: {consequence.refused}"
    return DecisionDetails(
        breakdown=breakdown,
        law=law,
        breakdown_month=month_in_danish(month),
        months=months,
        facts=facts_in_danish(facts),
        consultation=consultation_paragraph(consultation, exemption),
        amount_note=note,
    )


def legal_basis_for(
    kind: DecisionKind, details: DecisionDetails, stated: str, effective_from: datetime.date | None = None
) -> str:
    """The rules applied: what the officer states, and the § of every line of the breakdown (the rules'
    parameters); for a sanction, LAS §§ 35 and 37. Nothing else: no § is invented (DOMAIN.md § 8)."""
    parts = [stated.strip()] if stated.strip() else []
    if kind == DecisionKind.SANCTION:
        parts.append(SANCTION_BASIS)
    references = list(
        dict.fromkeys(line.reference for person in details.breakdown for line in person.lines if line.reference)
    )
    if references:
        parts.append("Beregningen af hjælpen: " + "; ".join(references) + ".")
    elif kind not in (DecisionKind.STOP, DecisionKind.SANCTION) and effective_from is not None:
        # No breakdown (no approved rates for the month yet): the rules of the help as DOMAIN.md §§ 1-2 name them.
        parts.append("Hjælpens størrelse: " + (NEW_LAW if effective_from >= NEW_LAW_FROM else OLD_LAW) + ".")
    return "\n".join(parts)


def letter_parts(
    kind: DecisionKind,
    *,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    details: DecisionDetails,
    stated_legal_basis: str,
    text: LetterText | None,
) -> tuple[str, str, str]:
    """(title, decision text, legal basis) of a decision's letter."""
    if text is not None:
        return text.title, text.decision_text, legal_basis_for(DecisionKind.STOP, details, text.legal_basis)
    return (
        TITLES[kind],
        decision_text(kind, effective_from, effective_to),
        legal_basis_for(kind, details, stated_legal_basis, effective_from),
    )


def consultation_title(kind: ConsultationKind | str) -> str:
    return CONSULTATION_TITLES[ConsultationKind(kind)]
