"""Every write on letters: issue one (render, archive, queue), record its delivery, mark it printed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.letters.appeal import appeal_guidance_on
from jobcenter.letters.models import DeliveryStatus, Letter, LetterDelivery, LetterKind
from jobcenter.letters.rendering import render_letter_html, render_letter_pdf
from jobcenter.rules import HouseholdResult, PersonResult, divide_round_half_up
from jobcenter.rules.breakdown import DANISH_MONTHS, month_in_danish

if TYPE_CHECKING:
    from jobcenter.citizens.models import Citizen
    from jobcenter.tenancy.models import User

MAX_SUMMARY_CHARACTERS = 2000


class LetterRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Recipient:
    name: str
    masked_cpr: str
    address_lines: list[str] = field(default_factory=list)


def recipient_of(citizen: Citizen) -> Recipient:
    """Name and address as the letter prints them (the CPR number masked: the letter may be read by others)."""
    lines: list[str] = []
    if citizen.street:
        lines.append(citizen.street)
    if citizen.postcode or citizen.city:
        lines.append(f"{citizen.postcode} {citizen.city}".strip())
    return Recipient(name=citizen.full_name, masked_cpr=citizen.masked_cpr, address_lines=lines)


def letter_context(
    *, citizen: Citizen, kind: LetterKind, title: str, context: dict[str, Any], with_appeal_guidance: bool = True
) -> dict[str, Any]:
    """Everything a letter template gets: the caller's context and the letter's frame (sender, date,
    recipient, klagevejledning). The issued letter and its preview are rendered from this one context."""
    today = timezone.localdate()
    return {
        **context,
        "title": title,
        "letter_kind": str(kind),
        "letter_date": today,
        "municipality": citizen.municipality,
        "recipient": recipient_of(citizen),
        "appeal": appeal_guidance_on(today) if with_appeal_guidance else None,
    }


def do_issue_letter(
    user: User | None,
    *,
    citizen: Citizen,
    kind: LetterKind,
    title: str,
    summary_text: str,
    template_name: str,
    context: dict[str, Any],
    subject_type: str = "",
    subject_id: str = "",
    with_appeal_guidance: bool = True,
) -> Letter:
    """Render the letter to PDF/A, archive it on the citizen, and queue it for Digital Post after commit.

    Runs inside the caller's transaction when there is one (a decision and its
    letter are one change): if the caller rolls back, no letter exists and
    nothing is sent.
    """
    if not title.strip():
        raise LetterRefused(_("Brevet skal have en titel."))
    if len(summary_text) > MAX_SUMMARY_CHARACTERS:
        raise LetterRefused(_("Brevets resumé er for langt (højst 2.000 tegn)."))
    full_context = letter_context(
        citizen=citizen, kind=kind, title=title, context=context, with_appeal_guidance=with_appeal_guidance
    )
    pdf = render_letter_pdf(template_name, full_context)
    with transaction.atomic():
        letter = Letter.objects.create(
            municipality=citizen.municipality,
            citizen=citizen,
            kind=kind,
            title=title[:200],
            summary_text=summary_text,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            subject_type=subject_type[:64],
            subject_id=subject_id[:64],
            created_by=user if user is not None and user.pk else None,
        )
        LetterDelivery.objects.create(letter=letter, status=DeliveryStatus.QUEUED)
        record(
            user,
            AuditAction.CREATE,
            obj=letter,
            municipality=citizen.municipality,
            detail={"kind": str(kind), "citizen": str(citizen.pk), "subject": f"{subject_type}:{subject_id}"},
        )
        transaction.on_commit(lambda: _enqueue_delivery(letter.pk))
    return letter


def _enqueue_delivery(letter_id: Any) -> None:
    from jobcenter.letters.tasks import deliver_letter

    deliver_letter.enqueue(str(letter_id))


@dataclass(frozen=True)
class PaidSegment:
    """Days of the month governed by one breakdown, and the amount paid for them."""

    result: HouseholdResult
    days: int
    amount_ore: int


@dataclass(frozen=True)
class PaidCorrection:
    month: str  # "YYYY-MM"
    should_ore: int
    paid_ore: int
    difference_ore: int
    reason: str


@dataclass(frozen=True)
class PaidMonth:
    """What a payment run paid a grant for a month, with the breakdowns it was computed from."""

    month: str  # "YYYY-MM"
    payment_date: date
    days_in_month: int
    segments: tuple[PaidSegment, ...]
    regular_ore: int
    corrections: tuple[PaidCorrection, ...]
    correction_ore: int
    amount_ore: int
    claim_ore: int
    # Kept back from the payment against the citizen's decided claim (modregning): paid = help + corrections - offset.
    offset_ore: int = 0


def check_paid_month(paid: PaidMonth) -> None:
    """Refuse figures that do not add up: the letter must say exactly what was paid, and why."""
    days = sum(segment.days for segment in paid.segments)
    for segment in paid.segments:
        prorated = int(divide_round_half_up(segment.result.total_ore * segment.days, paid.days_in_month))
        if prorated != segment.amount_ore:
            raise LetterRefused(_("Beregningen for en del af måneden giver ikke det udbetalte beløb."))
    if sum(segment.amount_ore for segment in paid.segments) != paid.regular_ore or days > paid.days_in_month:
        raise LetterRefused(_("Beregningen giver ikke månedens udbetalte hjælp."))
    if sum(correction.difference_ore for correction in paid.corrections) != paid.correction_ore:
        raise LetterRefused(_("Efterreguleringerne giver ikke det udbetalte beløb."))
    if paid.amount_ore < 0 or paid.claim_ore < 0 or (paid.amount_ore and paid.claim_ore):
        raise LetterRefused(_("Udbetaling og tilbagebetalingskrav kan ikke begge være der."))
    if paid.offset_ore < 0 or (paid.offset_ore and paid.claim_ore):
        raise LetterRefused(_("Modregning og nyt tilbagebetalingskrav kan ikke begge være der."))
    if paid.regular_ore + paid.correction_ore != paid.amount_ore + paid.offset_ore - paid.claim_ore:
        raise LetterRefused(_("Månedens hjælp og efterreguleringerne giver ikke det udbetalte beløb."))


def do_issue_paid_month_specification(
    user: User | None,
    *,
    citizen: Citizen,
    paid: PaidMonth,
    subject_type: str = "",
    subject_id: str = "",
) -> Letter:
    """The specification of what a payment run paid: the breakdown of a full month (per segment),
    the days, the month's help, each correction with its reason, the amount paid and any claim.

    Printed from the figures that paid, and refused (LetterRefused, nothing written) when they do
    not add up — a letter that disagrees with the payment is never made.
    """
    check_paid_month(paid)
    parameters = {
        (parameter.name, parameter.effective_from): parameter
        for segment in paid.segments
        for person in segment.result.persons
        for line in person.lines
        for parameter in line.parameters
    }
    label = month_in_danish(paid.month)
    if paid.amount_ore:
        summary = f"Du får udbetalt kontanthjælp for {label}. Se beregningen i brevet."
    elif paid.claim_ore:
        summary = f"Du får ikke udbetalt kontanthjælp for {label}: efterreguleringen er større end månedens hjælp."
    else:
        summary = f"Din kontanthjælp for {label} er efterreguleret. Se beregningen i brevet."
    return do_issue_letter(
        user,
        citizen=citizen,
        kind=LetterKind.PAYMENT_SPECIFICATION,
        title=f"Udbetaling af kontanthjælp for {label}",
        summary_text=summary,
        template_name="letters/paid_month_specification.html",
        context={
            "paid": paid,
            "month_label": label,
            "corrections": [(month_in_danish(c.month), c) for c in paid.corrections],
            "whole_month": len(paid.segments) == 1 and paid.segments[0].days == paid.days_in_month,
            "parameters": list(parameters.values()),
        },
        subject_type=subject_type,
        subject_id=subject_id,
    )


@dataclass(frozen=True)
class MonthChange:
    """One month a decision changes: the help before and after it, and what was already paid."""

    month_label: str
    before_ore: int
    after_ore: int
    paid_ore: int | None = None
    correction_ore: int | None = None


@dataclass(frozen=True)
class FactSection:
    """The facts a decision rests on, about one person, as labelled Danish lines."""

    heading: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DecisionDetails:
    """What a decision letter prints beyond its text: the amount and its breakdown, the months the
    decision changes, the facts it rests on and the partshøring before it (FVL §§ 19 and 22-24)."""

    breakdown: tuple[PersonResult, ...] = ()
    law: str = ""
    breakdown_month: str = ""
    months: tuple[MonthChange, ...] = ()
    facts: tuple[FactSection, ...] = ()
    consultation: str = ""
    # Set when the amount cannot be computed (e.g. no approved rates for the month): printed instead.
    amount_note: str = ""


def _decision_letter(
    *,
    decision_text: str,
    justification: str,
    legal_basis: str,
    effective_from: date,
    effective_to: date | None,
    monthly_amount_ore: int | None,
    details: DecisionDetails | None,
) -> dict[str, Any]:
    if not justification.strip() or not legal_basis.strip():
        raise LetterRefused(_("En afgørelse skal have en begrundelse og et lovgrundlag."))
    details = details or DecisionDetails()
    return {
        "decision_text": decision_text,
        "justification": justification,
        "legal_basis": legal_basis,
        "effective_from": effective_from,
        "effective_to": effective_to,
        "monthly_amount_ore": monthly_amount_ore,
        "details": details,
        "parameters": list(
            {
                (parameter.name, parameter.effective_from): parameter
                for person in details.breakdown
                for line in person.lines
                for parameter in line.parameters
            }.values()
        ),
    }


def do_issue_decision_letter(
    user: User | None,
    *,
    citizen: Citizen,
    title: str,
    decision_text: str,
    justification: str,
    legal_basis: str,
    effective_from: date,
    effective_to: date | None = None,
    monthly_amount_ore: int | None = None,
    details: DecisionDetails | None = None,
    subject_type: str = "",
    subject_id: str = "",
) -> Letter:
    """A decision (afgørelse): the decision, the amount and its breakdown, the reasons, the rules
    applied, the facts it rests on and how to appeal (forvaltningsloven §§ 22-25)."""
    return do_issue_letter(
        user,
        citizen=citizen,
        kind=LetterKind.DECISION,
        title=title,
        summary_text=decision_text[:MAX_SUMMARY_CHARACTERS],
        template_name="letters/decision.html",
        context=_decision_letter(
            decision_text=decision_text,
            justification=justification,
            legal_basis=legal_basis,
            effective_from=effective_from,
            effective_to=effective_to,
            monthly_amount_ore=monthly_amount_ore,
            details=details,
        ),
        subject_type=subject_type,
        subject_id=subject_id,
    )


def decision_letter_preview(
    *,
    citizen: Citizen,
    title: str,
    decision_text: str,
    justification: str,
    legal_basis: str,
    effective_from: date,
    effective_to: date | None = None,
    details: DecisionDetails | None = None,
) -> str:
    """The decision letter as HTML, exactly as `do_issue_decision_letter` would print it, marked as a
    draft: nothing archived, nothing sent."""
    context = _decision_letter(
        decision_text=decision_text,
        justification=justification,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_to=effective_to,
        monthly_amount_ore=None,
        details=details,
    )
    return render_letter_html(
        "letters/decision.html",
        letter_context(citizen=citizen, kind=LetterKind.DECISION, title=f"UDKAST – {title}", context=context),
    )


def do_issue_consultation_letter(
    user: User | None,
    *,
    citizen: Citizen,
    title: str,
    information: str,
    deadline: date,
    amount_ore: int | None = None,
    subject_type: str = "",
    subject_id: str = "",
) -> Letter:
    """The partshøring (forvaltningslovens § 19): what the municipality intends and the information
    it rests on, the deadline for the citizen's answer, and what happens after it. Not a decision,
    so no klagevejledning."""
    if not information.strip():
        raise LetterRefused(_("Skriv, hvad borgeren høres om."))
    return do_issue_letter(
        user,
        citizen=citizen,
        kind=LetterKind.CONSULTATION,
        title=title,
        summary_text=f"{title}. Du kan komme med dine bemærkninger senest den {danish_date(deadline)}.",
        template_name="letters/consultation.html",
        context={"information": information.strip(), "deadline": deadline, "amount_ore": amount_ore},
        subject_type=subject_type,
        subject_id=subject_id,
        with_appeal_guidance=False,
    )


def danish_date(day: date) -> str:
    """`2. december 2026`: a date as a letter's text writes it."""
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


def record_delivery(
    letter: Letter,
    status: DeliveryStatus,
    *,
    attempt: int = 0,
    message_id: str = "",
    detail: str = "",
    user: User | None = None,
) -> LetterDelivery:
    with transaction.atomic():
        delivery = LetterDelivery.objects.create(
            letter=letter,
            status=status,
            attempt=attempt,
            message_id=message_id[:100],
            detail=detail[:500],
            recorded_by=user,
        )
        record(
            user,
            AuditAction.UPDATE,
            obj=letter,
            municipality=letter.municipality,
            username="" if user else "system",
            detail={"delivery": str(status), "attempt": attempt},
        )
    return delivery


def do_mark_printed(user: User, letter: Letter) -> LetterDelivery:
    """A letter from the paper queue has been printed and posted."""
    from jobcenter.letters.queries import current_status

    with transaction.atomic():
        # One person marks it; a second click waits here and then finds it printed.
        list(Letter.objects.select_for_update().filter(pk=letter.pk).values_list("pk", flat=True))
        if current_status(letter) != DeliveryStatus.NEEDS_PAPER:
            raise LetterRefused(_("Brevet står ikke i køen til papirpost."))
        return record_delivery(letter, DeliveryStatus.PRINTED, user=user)
