"""How audit records name their objects, gathered for a search; apart from audit.queries so that
every app can call it without importing what the auditor's search imports (the other apps)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def object_ids(*querysets: QuerySet[Any]) -> list[str]:
    """The ids of the rows of `querysets` (models with UUID keys), as audit records name their
    objects (`object_id`), in one query: a UNION ALL of the querysets' keys."""
    first, *rest = (queryset.order_by().values_list("pk", flat=True) for queryset in querysets)
    return [str(pk) for pk in first.union(*rest, all=True)]
