"""Reading the audit log: auditors, and only their own municipality's entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.citizens.models import Citizen

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive
    # "All activity" on one citizen or one case: the entries on these objects (their ids, gathered
    # by citizen_activity / case_activity), and for a citizen also the entries that name them in
    # their detail. `subject` is what the search itself records ("citizen:<id>", "case:<id>").
    object_ids: tuple[str, ...] = ()
    citizen_id: str = ""
    subject: str = ""


def search_audit_entries(user: User, criteria: AuditFilter) -> QuerySet[AuditEntry]:
    """The entries of the auditor's municipality that match, newest first.

    Searching the audit log is itself recorded: auditors are audited too.
    """
    require_permission(user, Permission.AUDIT_VIEW)
    municipality = working_municipality(user)
    entries = AuditEntry.objects.filter(municipality=municipality)
    if criteria.username:
        entries = entries.filter(username__icontains=criteria.username)
    if criteria.action:
        entries = entries.filter(action=criteria.action)
    if criteria.object_type:
        entries = entries.filter(object_type=criteria.object_type)
    if criteria.object_id:
        entries = entries.filter(object_id=criteria.object_id)
    if criteria.object_ids or criteria.citizen_id:
        on_them = Q(object_id__in=criteria.object_ids)
        if criteria.citizen_id:
            on_them |= Q(detail__citizen=criteria.citizen_id)
        entries = entries.filter(on_them)
    if criteria.date_from:
        start = datetime.datetime.combine(criteria.date_from, datetime.time.min, COPENHAGEN)
        entries = entries.filter(occurred_at__gte=start)
    if criteria.date_to:
        end = datetime.datetime.combine(criteria.date_to + datetime.timedelta(days=1), datetime.time.min, COPENHAGEN)
        entries = entries.filter(occurred_at__lt=end)
    record(
        user,
        AuditAction.SEARCH,
        object_type="audit.auditentry",
        detail={
            key: str(value)
            for key, value in criteria.__dict__.items()
            if value and key not in ("object_ids", "citizen_id")  # the subject names them
        },
    )
    return entries.order_by("-occurred_at", "-id")


def citizen_activity(user: User, citizen: Citizen) -> AuditFilter:
    """What "all activity on a citizen" searches for: the citizen and every object of theirs (cases,
    interviews, journal entries and attachments, summonses, offers, plans, the grant and its
    decisions, consultations and proposals, payments, claims, letters), one query per app.

    `citizen` comes from citizens_for_audit (the auditor's own municipality)."""
    from jobcenter.benefits.queries import audit_object_ids_for_citizen as benefits_ids
    from jobcenter.cases.queries import audit_object_ids_for_citizen as case_ids
    from jobcenter.letters.queries import audit_object_ids_for_citizen as letter_ids
    from jobcenter.payments.queries import audit_object_ids_for_citizen as payment_ids

    require_permission(user, Permission.AUDIT_VIEW)
    if citizen.municipality_id != working_municipality(user).pk:
        raise PermissionDenied
    citizen_id = str(citizen.pk)
    ids = [
        citizen_id,
        *case_ids(citizen_id),
        *benefits_ids(citizen_id),
        *payment_ids(citizen_id),
        *letter_ids(citizen_id),
    ]
    return AuditFilter(object_ids=tuple(ids), citizen_id=citizen_id, subject=f"citizen:{citizen_id}")


def case_activity(user: User, case_id: str) -> AuditFilter | None:
    """What "all activity on a case" searches for: the case and its interviews, journal, summonses and
    offers; None when the auditor's municipality has no such case."""
    from jobcenter.cases.queries import audit_object_ids_for_case

    require_permission(user, Permission.AUDIT_VIEW)
    ids = audit_object_ids_for_case(working_municipality(user), case_id)
    if ids is None:
        return None
    return AuditFilter(object_ids=tuple(ids), subject=f"case:{ids[0]}")
