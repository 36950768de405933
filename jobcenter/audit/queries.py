"""Reading the audit log: auditors, and only their own municipality's entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive


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
        detail={key: str(value) for key, value in criteria.__dict__.items() if value},
    )
    return entries.order_by("-occurred_at", "-id")
