from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from jobcenter.benefits.actions import do_approve_rate_table, do_import_rate_table, do_reject_rate_table
from jobcenter.benefits.calculation import CalculationRefused, calculate
from jobcenter.benefits.models import RateTableImport
from jobcenter.benefits.queries import access_rate_table_import, rate_table_imports
from jobcenter.benefits.rate_tables import RateTableRefused
from jobcenter.rules import CalculationRequest
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

router = Router(tags=["Ydelser"])


class CalculationOut(Schema):
    month: str
    households: list[dict[str, Any]]


@router.post(
    "/calculate",
    url_name="benefits-calculate",
    response=CalculationOut,
    summary="Beregn kontanthjælp for en måned, med begrundelse for hvert beløb",
)
def calculate_benefits(request: HttpRequest, payload: CalculationRequest) -> CalculationOut:
    require_permission(request.auth, Permission.BENEFITS_CALCULATE)  # type: ignore[attr-defined]
    if not payload.households:
        raise ValidationError({"households": _("Send mindst én husstand at beregne for.")})
    try:
        results = calculate(
            [household.model_dump(mode="json") for household in payload.households], payload.month.strftime("%Y-%m")
        )
    except CalculationRefused as refused:
        raise ValidationError(
            {problem.field or "month": [f"{refused.message} {problem.message}"] for problem in refused.problems}
            or refused.message
        ) from None
    return CalculationOut(month=payload.month.strftime("%Y-%m"), households=[r.to_dict() for r in results])


class RateTableIn(Schema):
    file_name: str = Field(description="The file's name; .yaml, .yml or .csv decides the format.", max_length=255)
    content: str = Field(description="The file's text (UTF-8), as docs/rules.md describes it.")
    title: str = Field(default="", max_length=200, description="Title, for CSV files (a YAML file has its own).")


class RateTableDecisionIn(Schema):
    note: str = Field(default="", max_length=2000, description="Reason; required when rejecting.")


class RateTableOut(Schema):
    id: uuid.UUID
    title: str
    file_name: str
    file_format: str
    status: str
    entry_count: int
    imported_by: str
    imported_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    table: dict[str, Any]

    @staticmethod
    def of(imported: RateTableImport) -> RateTableOut:
        return RateTableOut(
            id=imported.pk,
            title=imported.title,
            file_name=imported.file_name,
            file_format=imported.file_format,
            status=imported.status,
            entry_count=imported.entry_count,
            imported_by=imported.imported_by.username,
            imported_at=imported.imported_at,
            decided_by=imported.decided_by.username if imported.decided_by else None,
            decided_at=imported.decided_at,
            decision_note=imported.decision_note,
            table=imported.table_json,
        )


def _refused(refused: RateTableRefused) -> ValidationError:
    return ValidationError([refused.message, *(str(problem) for problem in refused.problems)])


@router.get("/rate-tables", url_name="benefits-rate-tables", response=list[RateTableOut], summary="Satstabeller")
def list_rate_tables(request: HttpRequest) -> list[RateTableOut]:
    return [RateTableOut.of(imported) for imported in rate_table_imports(request.auth)]  # type: ignore[attr-defined]


@router.post(
    "/rate-tables",
    url_name="benefits-rate-tables-import",
    response={201: RateTableOut},
    summary="Importér en satstabel (får virkning, når en anden person godkender den)",
)
def import_rate_table(request: HttpRequest, payload: RateTableIn) -> Status:
    try:
        imported = do_import_rate_table(
            request.auth,  # type: ignore[attr-defined]
            file_name=payload.file_name,
            content=payload.content.encode("utf-8"),
            title=payload.title,
        )
    except RateTableRefused as refused:
        raise _refused(refused) from None
    return Status(201, RateTableOut.of(imported))


@router.get("/rate-tables/{import_id}", url_name="benefits-rate-table", response=RateTableOut, summary="En satstabel")
def get_rate_table(request: HttpRequest, import_id: uuid.UUID) -> RateTableOut:
    return RateTableOut.of(access_rate_table_import(request.auth, import_id))  # type: ignore[attr-defined]


def _decide(request: HttpRequest, import_id: uuid.UUID, payload: RateTableDecisionIn, approve: bool) -> RateTableOut:
    imported = access_rate_table_import(request.auth, import_id)  # type: ignore[attr-defined]
    action = do_approve_rate_table if approve else do_reject_rate_table
    try:
        decided = action(request.auth, imported.pk, payload.note)  # type: ignore[attr-defined]
    except RateTableRefused as refused:
        raise _refused(refused) from None
    return RateTableOut.of(decided)


@router.post(
    "/rate-tables/{import_id}/approve",
    url_name="benefits-rate-table-approve",
    response=RateTableOut,
    summary="Godkend en satstabel, som en anden person har importeret",
)
def approve_rate_table(request: HttpRequest, import_id: uuid.UUID, payload: RateTableDecisionIn) -> RateTableOut:
    return _decide(request, import_id, payload, approve=True)


@router.post(
    "/rate-tables/{import_id}/reject",
    url_name="benefits-rate-table-reject",
    response=RateTableOut,
    summary="Afvis en satstabel, som en anden person har importeret",
)
def reject_rate_table(request: HttpRequest, import_id: uuid.UUID, payload: RateTableDecisionIn) -> RateTableOut:
    return _decide(request, import_id, payload, approve=False)
