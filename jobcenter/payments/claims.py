"""Claims (tilbagebetalingskrav): booked by a release, decided by the benefits officer, offset against later payments.

The life of a claim (docs/payments.md):

1. A release whose line has `claim_ore` > 0 books the overpayment on
   ``receivable:claim:<citizen>`` (payments/ledger.py) and creates the Claim in
   the same transaction (`book_claims_and_offsets`), pointing at the payment
   whose corrections are the months and reasons it comes from.
2. Before the citizen is told to pay back, the citizen is consulted
   (partshøring): the decision is refused until the deadline has passed or
   the reply is recorded, as for a reduction or a stop.
3. The officer decides once: repay (justification, legal basis, offset per
   month), with a decision letter; or waive (eftergivelse), with a reason and
   a letter. Nothing is collected while a claim awaits its decision.
4. Later trials deduct min(offset per month, balance, the month's net payment)
   from the payment (`open_claims` + `offset_for`, one query for the
   municipality); the release writes a ClaimOffset per claim and payment in
   the payment's transaction and credits the receivable. At balance 0 the
   claim is settled.

DOMAIN.md has no rule on repayment or offset of kontanthjælp: the legal basis
and the monthly offset are the officer's input, printed as decided, and the
missing legal facts are listed for review in docs/payments.md.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.actions import (
    DecisionRefused,
    check_consultation_allows_decision,
    check_consultation_input,
    do_record_consultation_reply,
    start_consultation,
)
from jobcenter.benefits.models import ConsultationKind, Grant
from jobcenter.letters.actions import do_issue_letter
from jobcenter.letters.models import LetterKind
from jobcenter.payments.models import (
    Claim,
    ClaimOffset,
    ClaimStatus,
    PaymentCorrection,
    PaymentRun,
    PaymentRunLine,
    RunStatus,
)
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User


class ClaimRefused(Exception):
    """The claim action (or the run's offsets) was refused; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[str] = []


# --- Offsets in the run -----------------------------------------------------------------


@dataclass(frozen=True)
class OpenClaim:
    claim_id: uuid.UUID
    offset_per_month_ore: int
    balance_ore: int

    @property
    def due_ore(self) -> int:
        """What this claim may take from one month's payment."""
        return min(self.offset_per_month_ore, self.balance_ore)


def open_claims(municipality_id: int) -> dict[uuid.UUID, list[OpenClaim]]:
    """Every decided claim with a balance, per citizen, oldest first: ONE query for the municipality."""
    rows = (
        Claim.objects.filter(municipality_id=municipality_id, status=ClaimStatus.DECIDED)
        .order_by("created_at", "id")
        .values_list("citizen_id", "id", "offset_per_month_ore", "amount_ore", "offset_total_ore")
    )
    claims: dict[uuid.UUID, list[OpenClaim]] = defaultdict(list)
    for citizen_id, claim_id, per_month, amount, offset_total in rows:
        claims[citizen_id].append(OpenClaim(claim_id, per_month or 0, amount - offset_total))
    return claims


def offset_for(claims: Sequence[OpenClaim] | None, net_ore: int) -> int:
    """What to deduct from a payment of `net_ore`: each claim's min(offset per month, balance), at most the net."""
    if not claims or net_ore <= 0:
        return 0
    return min(net_ore, sum(claim.due_ore for claim in claims))


def allocate(claims: Sequence[OpenClaim], offset_ore: int) -> list[tuple[uuid.UUID, int]]:
    """Split a line's offset over the citizen's claims, oldest first, each at most what it may take."""
    parts = []
    left = offset_ore
    for claim in claims:
        take = min(left, claim.due_ore)
        if take > 0:
            parts.append((claim.claim_id, take))
            left -= take
    if left:
        raise ClaimRefused(
            _(
                "Modregningen passer ikke længere med tilbagebetalingskravenes saldo (der mangler %(ore)s øre). "
                "Intet er udbetalt for denne del; start en ny prøvekørsel."
            )
            % {"ore": left}
        )
    return parts


def refuse_offsets_beside_pending_runs(municipality_id: int, month: datetime.date, offsets_ore: int) -> None:
    """A run that offsets claims needs the claims' balances to stay as computed: no other approved
    run with offsets may be waiting to be released (it would lower the same balances first)."""
    if not offsets_ore:
        return
    pending = (
        PaymentRun.objects.filter(
            municipality_id=municipality_id,
            status__in=[RunStatus.APPROVED, RunStatus.RELEASING],
            offset_total_ore__gt=0,
        )
        .exclude(month=month)
        .first()
    )
    if pending is not None:
        raise ClaimRefused(
            _(
                "Kørslen for %(month)s modregner i tilbagebetalingskrav og er endnu ikke udbetalt. "
                "Udbetal den først; ellers kunne det samme krav blive modregnet to gange."
            )
            % {"month": f"{pending.month:%Y-%m}"}
        )


def check_run_offsets(run: PaymentRun) -> None:
    """Before approval: every line's offset still fits the citizen's decided claims as they are now."""
    refuse_offsets_beside_pending_runs(run.municipality_id, run.month, run.offset_total_ore)
    if not run.offset_total_ore:
        return
    claims = open_claims(run.municipality_id)
    short = [
        citizen_id
        for citizen_id, offset in PaymentRunLine.objects.filter(run=run, offset_ore__gt=0).values_list(
            "citizen_id", "offset_ore"
        )
        if offset > sum(claim.due_ore for claim in claims.get(citizen_id, []))
    ]
    if short:
        raise ClaimRefused(
            _(
                "%(count)s linje(r) modregner mere, end borgerens tilbagebetalingskrav nu tillader. "
                "Start en ny prøvekørsel."
            )
            % {"count": len(short)}
        )


def book_claims_and_offsets(run: PaymentRun, paid: Iterable[tuple[uuid.UUID, uuid.UUID, uuid.UUID, int, int]]) -> None:
    """For payments just written (payment id, grant id, citizen id, claim øre, offset øre), inside the
    chunk's transaction: create the claims they book, and record their offsets against decided claims.

    An offset belongs to its payment (unique per claim and payment), and a payment is unique per grant
    and month, so a release run again offsets nothing twice. The claims are locked while their balance
    changes; an offset that no longer fits refuses the whole chunk (ClaimRefused).
    """
    paid = list(paid)
    new_claims = [
        Claim(
            municipality_id=run.municipality_id,
            citizen_id=citizen_id,
            grant_id=grant_id,
            run=run,
            origin_payment_id=payment_id,
            amount_ore=claim_ore,
        )
        for payment_id, grant_id, citizen_id, claim_ore, _offset in paid
        if claim_ore > 0
    ]
    if new_claims:
        Claim.objects.bulk_create(new_claims)
    offsetting = [(payment_id, citizen_id, offset) for payment_id, _g, citizen_id, _c, offset in paid if offset > 0]
    if not offsetting:
        return
    locked = (
        Claim.objects.select_for_update()
        .filter(
            municipality_id=run.municipality_id,
            status=ClaimStatus.DECIDED,
            citizen_id__in={citizen_id for _p, citizen_id, _o in offsetting},
        )
        .order_by("created_at", "id")
        .values_list("citizen_id", "id", "offset_per_month_ore", "amount_ore", "offset_total_ore")
    )
    claims: dict[uuid.UUID, list[OpenClaim]] = defaultdict(list)
    for citizen_id, claim_id, per_month, amount, offset_total in locked:
        claims[citizen_id].append(OpenClaim(claim_id, per_month or 0, amount - offset_total))
    offsets = []
    taken: dict[uuid.UUID, int] = defaultdict(int)
    for payment_id, citizen_id, offset in offsetting:
        for claim_id, amount in allocate(claims.get(citizen_id, []), offset):
            offsets.append(ClaimOffset(claim_id=claim_id, payment_id=payment_id, amount_ore=amount))
            taken[claim_id] += amount
    ClaimOffset.objects.bulk_create(offsets)
    for claim_id, amount in taken.items():
        # One statement: the balance goes down and, at 0, the claim is settled (the constraints see both).
        Claim.objects.filter(pk=claim_id).update(
            offset_total_ore=F("offset_total_ore") + amount,
            status=Case(
                When(amount_ore=F("offset_total_ore") + amount, then=Value(ClaimStatus.SETTLED.value)),
                default=F("status"),
            ),
        )


# --- The claim's decision ---------------------------------------------------------------


def _claim_for_update(user: User, claim_id: uuid.UUID | str) -> Claim:
    try:
        return (
            # Only the claim's row is locked (its consultation is a nullable join).
            Claim.objects.select_for_update(of=("self",))
            .select_related("citizen", "citizen__municipality", "consultation")
            .get(pk=claim_id, municipality=working_municipality(user))
        )
    except (Claim.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _refuse_unless_awaiting(claim: Claim) -> None:
    if claim.status != ClaimStatus.AWAITING:
        raise ClaimRefused(
            _("Kravet er allerede afgjort (%(status)s). En afgørelse træffes kun én gang.")
            % {"status": claim.get_status_display().lower()}
        )


def do_start_claim_consultation(
    user: User,
    claim_id: uuid.UUID | str,
    *,
    subject: str,
    deadline: datetime.date,
    sent_on: datetime.date | None = None,
) -> Claim:
    """Consult the citizen (partshøring) about the intended claim: the same benefits.Consultation, with
    its letter, as before a reduction or a stop (benefits/actions.py `start_consultation`)."""
    require_permission(user, Permission.GRANTS_DECIDE)
    sent_on = sent_on or timezone.localdate()
    try:
        check_consultation_input(subject=subject, sent_on=sent_on, deadline=deadline)
    except DecisionRefused as refused:
        raise ClaimRefused(refused.message) from None
    with transaction.atomic():
        claim = _claim_for_update(user, claim_id)
        _refuse_unless_awaiting(claim)
        if claim.consultation_id is not None:
            raise ClaimRefused(_("Partshøringen om kravet er allerede registreret."))
        grant = (
            Grant.objects.select_for_update().select_related("citizen", "citizen__municipality").get(pk=claim.grant_id)
        )
        try:
            consultation, _letter = start_consultation(
                user,
                grant,
                intended_kind=ConsultationKind.CLAIM,
                subject=subject,
                sent_on=sent_on,
                deadline=deadline,
                amount_ore=claim.amount_ore,
            )
        except DecisionRefused as refused:
            raise ClaimRefused(refused.message) from None
        claim.consultation = consultation
        claim.save(update_fields=["consultation"])
        record(user, AuditAction.UPDATE, obj=claim, detail={"consultation": str(consultation.pk)})
    return claim


def do_record_claim_consultation_reply(
    user: User, claim_id: uuid.UUID | str, *, received_on: datetime.date, summary: str
) -> Claim:
    """The citizen's reply to the claim's partshøring, recorded on its Consultation."""
    require_permission(user, Permission.GRANTS_DECIDE)
    with transaction.atomic():
        claim = _claim_for_update(user, claim_id)
        if claim.consultation_id is None:
            raise ClaimRefused(_("Der er ingen partshøring om kravet at registrere svar på."))
        try:
            do_record_consultation_reply(user, claim.consultation_id, received_on=received_on, summary=summary)
        except DecisionRefused as refused:
            raise ClaimRefused(refused.message) from None
    return Claim.objects.select_related("consultation").get(pk=claim.pk)


def _refuse_unless_consulted(claim: Claim) -> None:
    """The same rule as for a reduction or a stop (benefits/actions.py): partshøring first, and the
    decision from the day after the deadline unless the citizen has answered."""
    if claim.consultation is None:
        raise ClaimRefused(
            _(
                "Et tilbagebetalingskrav kræver partshøring først (forvaltningslovens § 19). "
                "Registrér partshøringen, og vent på svar eller på at fristen udløber."
            )
        )
    try:
        check_consultation_allows_decision(claim.consultation)
    except DecisionRefused as refused:
        raise ClaimRefused(refused.message) from None


def claim_corrections(claim: Claim) -> list[PaymentCorrection]:
    """The months and reasons the claim comes from: the correction records of the payment that booked it."""
    return list(PaymentCorrection.objects.filter(payment_id=claim.origin_payment_id).order_by("for_month"))


def do_decide_claim(
    user: User,
    claim_id: uuid.UUID | str,
    *,
    justification: str,
    legal_basis: str,
    offset_per_month_ore: int,
) -> Claim:
    """The citizen must pay the claim back, collected by offset against later payments; with its letter."""
    require_permission(user, Permission.GRANTS_DECIDE)
    if not justification.strip():
        raise ClaimRefused(_("Skriv en begrundelse for afgørelsen."))
    if not legal_basis.strip():
        raise ClaimRefused(_("Angiv lovgrundlaget for tilbagebetalingskravet."))
    if offset_per_month_ore <= 0:
        raise ClaimRefused(_("Modregningen pr. måned skal være større end 0 kr."))
    with transaction.atomic():
        claim = _claim_for_update(user, claim_id)
        _refuse_unless_awaiting(claim)
        if offset_per_month_ore > claim.amount_ore:
            raise ClaimRefused(_("Modregningen pr. måned kan ikke være større end kravet."))
        _refuse_unless_consulted(claim)
        claim.status = ClaimStatus.DECIDED
        claim.decided_by = user
        claim.decided_at = timezone.now()
        claim.justification = justification.strip()
        claim.legal_basis = legal_basis.strip()[:400]
        claim.offset_per_month_ore = offset_per_month_ore
        claim.letter = _issue_claim_letter(user, claim)
        claim.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "justification",
                "legal_basis",
                "offset_per_month_ore",
                "letter",
            ]
        )
        record(
            user,
            AuditAction.UPDATE,
            obj=claim,
            detail={
                "decision": "decided",
                "amount_ore": claim.amount_ore,
                "offset_per_month_ore": offset_per_month_ore,
            },
        )
    return claim


def do_waive_claim(user: User, claim_id: uuid.UUID | str, *, reason: str) -> Claim:
    """Waive the claim (eftergivelse): nothing is collected; the citizen gets a letter saying so.

    In the citizen's favour, so no partshøring is needed first.
    """
    require_permission(user, Permission.GRANTS_DECIDE)
    if not reason.strip():
        raise ClaimRefused(_("Skriv en begrundelse for eftergivelsen."))
    with transaction.atomic():
        claim = _claim_for_update(user, claim_id)
        _refuse_unless_awaiting(claim)
        claim.status = ClaimStatus.WAIVED
        claim.decided_by = user
        claim.decided_at = timezone.now()
        claim.waiver_reason = reason.strip()
        claim.letter = _issue_claim_letter(user, claim)
        claim.save(update_fields=["status", "decided_by", "decided_at", "waiver_reason", "letter"])
        record(user, AuditAction.UPDATE, obj=claim, detail={"decision": "waived", "amount_ore": claim.amount_ore})
    return claim


def _issue_claim_letter(user: User, claim: Claim):  # type: ignore[no-untyped-def]
    corrections = claim_corrections(claim)
    waived = claim.status == ClaimStatus.WAIVED
    months = claim.amount_ore // claim.offset_per_month_ore if claim.offset_per_month_ore else 0
    rest = claim.amount_ore % claim.offset_per_month_ore if claim.offset_per_month_ore else 0
    if waived:
        title = _("Afgørelse: dit tilbagebetalingskrav er eftergivet")
        summary = _("Kommunen har eftergivet kravet om tilbagebetaling af for meget udbetalt kontanthjælp.")
    else:
        title = _("Afgørelse om tilbagebetaling af kontanthjælp")
        summary = _(
            "Du har fået for meget udbetalt kontanthjælp og skal betale det tilbage. "
            "Beløbet trækkes i dine kommende udbetalinger."
        )
    return do_issue_letter(
        user,
        citizen=claim.citizen,
        kind=LetterKind.CLAIM,
        title=title,
        summary_text=summary,
        template_name="payments/claim_letter.html",
        context={
            "claim": claim,
            "waived": waived,
            "corrections": corrections,
            "full_months": months,
            "last_month_ore": rest,
        },
        subject_type="payments.claim",
        subject_id=str(claim.pk),
    )


# --- The database's wall: a claim is decided once ------------------------------------------------

_CHANGED = [
    "decided_by_id",
    "decided_at",
    "justification",
    "legal_basis",
    "offset_per_month_ore",
    "waiver_reason",
    "letter_id",
]


def _decided_once_condition(distinct: str) -> str:
    """True for an UPDATE the rules forbid: a decided or waived claim's decision changed, a status moved
    other than awaiting -> decided/waived or decided -> settled, what was collected going down, or the
    claim's amount or origin changed. `distinct` is the SQL for "differs, NULLs included"."""
    decision_changed = " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in _CHANGED)
    return f"""
        (OLD.status <> 'awaiting' AND (
            NOT (NEW.status = OLD.status OR (OLD.status = 'decided' AND NEW.status = 'settled'))
            OR {decision_changed}))
        OR NEW.offset_total_ore < OLD.offset_total_ore
        OR NEW.amount_ore <> OLD.amount_ore
        OR NEW.origin_payment_id {distinct} OLD.origin_payment_id
    """


def install_decided_once_trigger(apps: object, schema_editor: object) -> None:
    """Installed by the migration: even raw SQL cannot rewrite a claim's decision or lower what it collected."""
    connection = schema_editor.connection  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                CREATE OR REPLACE FUNCTION jobcenter_claim_decided_once() RETURNS trigger AS $$
                BEGIN
                    IF {_decided_once_condition("IS DISTINCT FROM")} THEN
                        RAISE EXCEPTION 'claim %: a decision is made once', OLD.id USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                """
            )
            cursor.execute(
                "CREATE TRIGGER payments_claim_decided_once BEFORE UPDATE ON payments_claim "
                "FOR EACH ROW EXECUTE FUNCTION jobcenter_claim_decided_once();"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"""
                CREATE TRIGGER payments_claim_decided_once BEFORE UPDATE ON payments_claim
                WHEN {_decided_once_condition("IS NOT")}
                BEGIN SELECT RAISE(ABORT, 'claim: a decision is made once'); END;
                """
            )
