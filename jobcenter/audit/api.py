from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from jobcenter import bounds
from jobcenter.audit.models import AuditAction
from jobcenter.audit.queries import AuditFilter, search_audit_entries

router = Router(tags=["Revisionsspor"])

MAX_ENTRIES = 500


class AuditEntryOut(Schema):
    occurred_at: datetime.datetime
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    route: str
    request_id: str


class AuditQuery(Schema):
    username: str = Field("", max_length=150)
    action: AuditAction | None = None
    object_type: str = Field("", max_length=64)
    object_id: str = Field("", max_length=64)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    limit: int = Field(100, ge=1, le=MAX_ENTRIES)

    @field_validator("date_from", "date_to")
    @classmethod
    def _plausible(cls, day: datetime.date | None, info: ValidationInfo) -> datetime.date | None:
        label = _("Fra-datoen") if info.field_name == "date_from" else _("Til-datoen")
        return bounds.schema_date(day, label)

    @model_validator(mode="after")
    def _in_order(self) -> AuditQuery:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise PydanticCustomError("date_order", _("Til-datoen ligger før fra-datoen."))
        return self


@router.get(
    "/entries", url_name="audit-entries", response=list[AuditEntryOut], summary="Søg i revisionssporet (revisorer)"
)
def entries(request: HttpRequest, filters: Query[AuditQuery]) -> list[AuditEntryOut]:
    criteria = AuditFilter(
        username=filters.username,
        action=filters.action.value if filters.action else "",
        object_type=filters.object_type,
        object_id=filters.object_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    rows = search_audit_entries(request.auth, criteria)[: filters.limit]  # type: ignore[attr-defined]
    return [AuditEntryOut.model_validate(row, from_attributes=True) for row in rows]
