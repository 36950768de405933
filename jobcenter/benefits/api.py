from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from jobcenter.benefits.calculation import CalculationRefused, calculate
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
