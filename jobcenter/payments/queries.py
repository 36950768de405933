"""Every read of payment runs and the ledger: access-checked, recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.denied import denied
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.models import Citizen
from jobcenter.payments.ledger import payable
from jobcenter.payments.models import Claim, ClaimOffset, ClaimStatus, LedgerEntry, Payment, PaymentRun, PaymentRunLine
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User

LINES_SHOWN = 200


def access_run(user: User, run_id: uuid.UUID | str, *, audit: bool = True) -> PaymentRun:
    """A run of the user's municipality; not-found otherwise, as for an id that never existed."""
    require_permission(user, Permission.PAYMENTS_VIEW)
    try:
        run = PaymentRun.objects.select_related("municipality", "started_by", "approved_by", "released_by").get(
            pk=run_id, municipality=working_municipality(user)
        )
    except (PaymentRun.DoesNotExist, ValueError, ValidationError):
        raise denied(user, PaymentRun, run_id) from None
    if audit:
        record(user, AuditAction.VIEW, obj=run)
    return run


def runs_of_municipality(user: User) -> list[PaymentRun]:
    require_permission(user, Permission.PAYMENTS_VIEW)
    return list(
        PaymentRun.objects.filter(municipality=working_municipality(user)).select_related("started_by", "approved_by")[
            :100
        ]
    )


def run_lines(run: PaymentRun, *, outliers_only: bool = False, limit: int = LINES_SHOWN) -> list[PaymentRunLine]:
    """Lines of a run already accessed with access_run (personal data: names and amounts)."""
    lines = PaymentRunLine.objects.filter(run=run).select_related("citizen")
    if outliers_only:
        lines = lines.exclude(outlier="")
    return list(lines.order_by("id")[:limit])


@dataclass(frozen=True)
class StatementLine:
    booked_on: object
    description: str
    account: str
    amount_ore: int
    balance_ore: int
    kind: str = ""  # what the entry is, in words (claims and offsets are named)


def _entry_kind(account: str, amount_ore: int) -> str:
    if account.startswith("receivable:claim:"):
        return _("Tilbagebetalingskrav") if amount_ore > 0 else _("Modregning i tilbagebetalingskrav")
    return _("Skyldig til borgeren")


def citizen_statement(user: User, citizen_id: uuid.UUID | str) -> tuple[Citizen, list[StatementLine]]:
    """The citizen's statement, oldest first, with the running balance of what the municipality owes
    (negative) or is owed (positive).

    Two sources (docs/payments.md, "Ledger accounts"): the citizen's payments, which are the
    subsidiary ledger of the `payable` account (the month's help and each correction owed, the amount
    paid to NemKonto, an overpayment moved to a claim, an amount offset against a claim), and the
    general ledger's entries on the citizen's own accounts (claims booked and offsets against them),
    which are written only where such an account keeps a balance.
    """
    require_permission(user, Permission.PAYMENTS_VIEW)
    try:
        citizen = Citizen.objects.get(pk=citizen_id, municipality=working_municipality(user))
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Citizen, citizen_id) from None
    owed = payable(citizen.pk)
    rows: list[tuple[tuple[Any, ...], str, str, int]] = []
    payments = (
        Payment.objects.filter(grant__citizen_id=citizen.pk)
        .select_related("transaction")
        .prefetch_related("corrections", "offsets")
        .order_by("month", "created_at")
    )
    for payment in payments:
        when = (payment.transaction.booked_on, payment.transaction.created_at, 0, payment.created_at)
        help_text = f"Kontanthjælp {payment.month:%Y-%m}"
        parts = [(help_text, -payment.regular_ore)]
        parts += [
            (f"Efterregulering {c.for_month:%Y-%m}: {c.reason}", -c.difference_ore)
            for c in sorted(payment.corrections.all(), key=lambda c: c.for_month)
        ]
        parts += [(f"{help_text}: udbetalt til NemKonto", payment.amount_ore)]
        parts += [(f"{help_text}: overført til tilbagebetalingskrav", -payment.claim_ore)]
        # An offset (modregning): the municipality owes that much less, and the claim's entry (below) goes down.
        parts += [(f"{help_text}: modregnet i tilbagebetalingskrav", sum(o.amount_ore for o in payment.offsets.all()))]
        rows += [(when, text, owed, amount) for text, amount in parts if amount]
    for entry in LedgerEntry.objects.filter(citizen_id=citizen.pk).select_related("transaction").order_by("id"):
        when = (entry.transaction.booked_on, entry.transaction.created_at, 1, entry.id)
        rows.append((when, entry.transaction.description, entry.account, entry.amount_ore))
    lines = []
    balance = 0
    for when, description, account, amount in sorted(rows, key=lambda row: row[0]):
        balance += amount
        lines.append(StatementLine(when[0], description, account, amount, balance, _entry_kind(account, amount)))
    record(user, AuditAction.VIEW, obj=citizen, detail={"statement": True, "entries": len(lines)})
    return citizen, lines


# --- Claims (tilbagebetalingskrav) -------------------------------------------------------------

CLAIMS_SHOWN = 200


def claims_of_municipality(user: User, status: str = "") -> list[Claim]:
    """The municipality's claims, newest first; `status` one of ClaimStatus or "" for all."""
    require_permission(user, Permission.PAYMENTS_VIEW)
    claims = Claim.objects.filter(municipality=working_municipality(user)).select_related("citizen", "run")
    if status:
        claims = claims.filter(status=status)
    shown = list(claims.order_by("-created_at", "id")[:CLAIMS_SHOWN])
    record(
        user,
        AuditAction.VIEW,
        object_type="payments.claim",
        detail={"list": status or "all", "claims": len(shown)},
    )
    return shown


def access_claim(user: User, claim_id: uuid.UUID | str, *, audit: bool = True) -> Claim:
    """A claim of the user's municipality; not-found otherwise, as for an id that never existed."""
    require_permission(user, Permission.PAYMENTS_VIEW)
    try:
        claim = Claim.objects.select_related(
            "citizen", "run", "origin_payment", "decided_by", "letter", "grant", "municipality"
        ).get(pk=claim_id, municipality=working_municipality(user))
    except (Claim.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Claim, claim_id) from None
    if audit:
        record(user, AuditAction.VIEW, obj=claim)
    return claim


def claim_offsets(claim: Claim) -> list[ClaimOffset]:
    """The offsets of a claim already accessed with access_claim, oldest first, with their payment's month."""
    return list(claim.offsets.select_related("payment").order_by("payment__month", "id"))


def citizen_claims(citizen: Citizen) -> list[Claim]:
    """The claims of a citizen already accessed (the statement's access check), oldest first."""
    return list(Claim.objects.filter(citizen=citizen).prefetch_related("offsets__payment").order_by("created_at"))


# --- The citizen overview and the audit's "all activity on a citizen" -----------------------------


@dataclass(frozen=True)
class CitizenPayments:
    payments: list[Payment]  # the newest, each with its run
    payment_count: int
    claims: list[Claim]  # every claim, newest first

    @property
    def open_claims(self) -> list[Claim]:
        """Claims still to be decided or paid back."""
        return [claim for claim in self.claims if claim.status in (ClaimStatus.AWAITING, ClaimStatus.DECIDED)]


def citizen_payments(user: User, citizen: Citizen, limit: int = 6) -> CitizenPayments | None:
    """The citizen's newest payments and their claims, for a user who has opened the citizen with
    access_citizen (that read is the audit record); None without payments.view. Three queries."""
    if not user.has_permission(Permission.PAYMENTS_VIEW) or citizen.municipality_id != working_municipality(user).pk:
        return None
    payments = Payment.objects.filter(grant__citizen_id=citizen.pk)
    return CitizenPayments(
        payments=list(payments.select_related("run").order_by("-month", "-created_at")[:limit]),
        payment_count=payments.count(),
        claims=list(Claim.objects.filter(citizen=citizen).order_by("-created_at")),
    )


def audit_object_ids_for_citizen(citizen_id: uuid.UUID | str) -> list[str]:
    """The ids of the citizen's payments and claims, for the auditor's "all activity on a citizen". One query."""
    from jobcenter.audit.object_ids import object_ids

    return object_ids(Payment.objects.filter(grant__citizen_id=citizen_id), Claim.objects.filter(citizen_id=citizen_id))
