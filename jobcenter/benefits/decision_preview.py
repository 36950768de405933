"""What a decision would do, before it is recorded: the amount before and after, month by month
(benefits/consequences.py), and its letter as it would be issued (marked as a draft). Reads only:
the same checks as recording it (benefits/actions.py), nothing written, nothing sent."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from jobcenter.benefits.actions import DecisionRefused, check_decision_against_grant, check_decision_input
from jobcenter.benefits.consequences import Consequence, consequence_of
from jobcenter.benefits.decision_letters import decision_details, letter_parts
from jobcenter.benefits.models import KINDS_REQUIRING_CONSULTATION, DecisionKind, Grant
from jobcenter.citizens.models import Citizen
from jobcenter.letters.actions import DecisionDetails, LetterRefused, decision_letter_preview


@dataclass(frozen=True)
class DecisionPreview:
    consequence: Consequence
    details: DecisionDetails
    letter_html: str


def preview_decision(
    citizen: Citizen,
    grant: Grant | None,
    *,
    kind: DecisionKind,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    facts: Any,
    justification: str,
    consultation_id: uuid.UUID | str | None,
    legal_basis: str,
) -> DecisionPreview:
    """The decision as `do_record_decision` would record it, without recording it. Refused
    (DecisionRefused) for every input recording would refuse. The caller has checked access."""
    stored_facts = check_decision_input(
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        facts=facts,
        justification=justification,
        consultation_exemption="",
        legal_basis=legal_basis,
    )
    consultation = check_decision_against_grant(
        grant, kind=kind, effective_from=effective_from, consultation_id=consultation_id, consultation_exemption=""
    )
    # The first bevilling: a grant that does not exist yet, with nothing decided or paid.
    subject = grant or Grant(municipality=citizen.municipality, citizen=citizen, effective_from=effective_from)
    consequence = consequence_of(
        subject, kind=str(kind), effective_from=effective_from, effective_to=effective_to, facts=stored_facts
    )
    details = decision_details(
        subject,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        facts=stored_facts,
        consultation=consultation if kind in KINDS_REQUIRING_CONSULTATION else None,
        consequence=consequence,
    )
    title, text, basis = letter_parts(
        kind,
        effective_from=effective_from,
        effective_to=effective_to,
        details=details,
        stated_legal_basis=legal_basis,
        text=None,
    )
    try:
        html = decision_letter_preview(
            citizen=citizen,
            title=title,
            decision_text=text,
            justification=justification.strip(),
            legal_basis=basis,
            effective_from=effective_from,
            effective_to=effective_to,
            details=details,
        )
    except LetterRefused as refused:
        raise DecisionRefused(refused.message) from None
    return DecisionPreview(consequence, details, html)
