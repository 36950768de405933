"""Every read of payment runs and the ledger: access-checked, recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.models import Citizen
from jobcenter.payments.models import LedgerEntry, PaymentRun, PaymentRunLine
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
    """The citizen's ledger statement: every entry on the citizen's accounts, oldest first,
    with the running balance of what the municipality owes (negative) or is owed (positive)."""
    require_permission(user, Permission.PAYMENTS_VIEW)
    try:
        citizen = Citizen.objects.get(pk=citizen_id, municipality=working_municipality(user))
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    entries = (
        LedgerEntry.objects.filter(citizen_id=citizen.pk)
        .select_related("transaction")
        .order_by("transaction__booked_on", "transaction__created_at", "id")
    )
    lines = []
    balance = 0
    for entry in entries:
        balance += entry.amount_ore
        lines.append(
            StatementLine(
                entry.transaction.booked_on, entry.transaction.description, entry.account, entry.amount_ore, balance
            )
        )
    record(user, AuditAction.VIEW, obj=citizen, detail={"statement": True, "entries": len(lines)})
    return citizen, lines
