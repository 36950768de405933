"""Every read of payment runs and the ledger: access-checked, recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import Http404

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.models import Citizen
from jobcenter.payments.ledger import payable
from jobcenter.payments.models import LedgerEntry, Payment, PaymentRun, PaymentRunLine
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
        raise Http404 from None
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


def citizen_statement(user: User, citizen_id: uuid.UUID | str) -> tuple[Citizen, list[StatementLine]]:
    """The citizen's statement, oldest first, with the running balance of what the municipality owes
    (negative) or is owed (positive).

    Two sources (docs/payments.md, "Ledger accounts"): the citizen's payments, which are the
    subsidiary ledger of the `payable` account (the month's help and each correction owed, the amount
    paid to NemKonto, an overpayment moved to a claim), and the general ledger's entries on the
    citizen's own accounts (claims), which are written only where such an account keeps a balance.
    """
    require_permission(user, Permission.PAYMENTS_VIEW)
    try:
        citizen = Citizen.objects.get(pk=citizen_id, municipality=working_municipality(user))
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    owed = payable(citizen.pk)
    rows: list[tuple[tuple[Any, ...], str, str, int]] = []
    payments = (
        Payment.objects.filter(grant__citizen_id=citizen.pk)
        .select_related("transaction")
        .prefetch_related("corrections")
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
        rows += [(when, text, owed, amount) for text, amount in parts if amount]
    for entry in LedgerEntry.objects.filter(citizen_id=citizen.pk).select_related("transaction").order_by("id"):
        when = (entry.transaction.booked_on, entry.transaction.created_at, 1, entry.id)
        rows.append((when, entry.transaction.description, entry.account, entry.amount_ore))
    lines = []
    balance = 0
    for when, description, account, amount in sorted(rows, key=lambda row: row[0]):
        balance += amount
        lines.append(StatementLine(when[0], description, account, amount, balance))
    record(user, AuditAction.VIEW, obj=citizen, detail={"statement": True, "entries": len(lines)})
    return citizen, lines
