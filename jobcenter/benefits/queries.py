"""Every read on the benefits side, access-checked."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from jobcenter.benefits.models import RateTableImport, RateTableStatus
from jobcenter.rules import RateTable
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User


def approved_rate_tables() -> list[RateTable]:
    """The approved tables in the order they were approved: a later one overrides an earlier one."""
    rows = RateTableImport.objects.filter(status=RateTableStatus.APPROVED).order_by("decided_at", "imported_at")
    return [RateTable.model_validate(row.table_json) for row in rows]


def rate_table_imports(user: User) -> QuerySet[RateTableImport]:
    require_permission(user, Permission.RATES_MANAGE)
    return RateTableImport.objects.select_related("imported_by", "decided_by").order_by("-imported_at")


def access_rate_table_import(user: User, import_id: uuid.UUID | str) -> RateTableImport:
    """Rate tables are national, not any municipality's: the permission is the only check."""
    require_permission(user, Permission.RATES_MANAGE)
    try:
        return RateTableImport.objects.select_related("imported_by", "decided_by").get(pk=import_id)
    except (RateTableImport.DoesNotExist, ValueError):
        raise Http404 from None
