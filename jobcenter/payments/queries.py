"""Every read of payment runs and the ledger: access-checked, recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.models import Citizen
from jobcenter.payments.models import Claim, ClaimOffset, LedgerEntry, PaymentRun, PaymentRunLine
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
    kind: str = ""  # what the entry is, in words (claims and offsets are named)


def _entry_kind(account: str, amount_ore: int) -> str:
    if account.startswith("receivable:claim:"):
        return _("Tilbagebetalingskrav") if amount_ore > 0 else _("Modregning i tilbagebetalingskrav")
    return _("Skyldig til borgeren")


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
                entry.transaction.booked_on,
                entry.transaction.description,
                entry.account,
                entry.amount_ore,
                balance,
                _entry_kind(entry.account, entry.amount_ore),
            )
        )
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
        raise Http404 from None
    if audit:
        record(user, AuditAction.VIEW, obj=claim)
    return claim


def claim_offsets(claim: Claim) -> list[ClaimOffset]:
    """The offsets of a claim already accessed with access_claim, oldest first, with their payment's month."""
    return list(claim.offsets.select_related("payment").order_by("payment__month", "id"))


def citizen_claims(citizen: Citizen) -> list[Claim]:
    """The claims of a citizen already accessed (the statement's access check), oldest first."""
    return list(Claim.objects.filter(citizen=citizen).prefetch_related("offsets__payment").order_by("created_at"))
