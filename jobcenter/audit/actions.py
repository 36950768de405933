"""Writing the audit log. Every other app's actions call `record` in their own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model

from jobcenter.audit.context import current_context
from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.audit.redaction import redact_cpr

if TYPE_CHECKING:
    from jobcenter.tenancy.models import Municipality, User


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_cpr(value)
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(item) for item in value]
    return value


def record(
    user: User | None,
    action: AuditAction,
    *,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    municipality: Municipality | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Write one audit entry. Details are stripped of anything that looks like a CPR number."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if municipality is None and user is not None:
        municipality = user.municipality
    context = current_context()
    return AuditEntry.objects.create(
        user=user if user is not None and user.pk else None,
        username=redact_cpr(user.username if user is not None else (username or "system"))[:150],
        role=user.role if user is not None else "",
        municipality=municipality,
        action=action,
        object_type=object_type,
        object_id=object_id,
        route=context.route[:255],
        request_id=context.request_id,
        detail=_redact(detail or {}),
    )
