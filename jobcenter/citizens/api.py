from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jobcenter.citizens.models import Citizen
from jobcenter.citizens.queries import access_citizen, search_citizens

router = Router(tags=["Borgere"])


class CitizenSummaryOut(Schema):
    id: uuid.UUID
    name: str
    masked_cpr: str = Field(description="Fødselsdato-delen af CPR-nummeret, resten skjult")
    birth_date: datetime.date


class CitizenOut(CitizenSummaryOut):
    cpr: str
    municipality_code: str


class CitizenSearchIn(Schema):
    """The query travels in the body, never in the URL, because it may be a CPR number."""

    query: str = Field(min_length=1, max_length=100, description="CPR-nummer eller navn")


def _summary(citizen: Citizen) -> CitizenSummaryOut:
    return CitizenSummaryOut(
        id=citizen.id, name=citizen.full_name, masked_cpr=citizen.masked_cpr, birth_date=citizen.birth_date
    )


@router.post(
    "/search", url_name="citizens-search", response=list[CitizenSummaryOut], summary="Find borgere i egen kommune"
)
def search(request: HttpRequest, payload: CitizenSearchIn) -> list[CitizenSummaryOut]:
    return [_summary(c) for c in search_citizens(request.auth, payload.query)]  # type: ignore[attr-defined]


@router.get("/{uuid:citizen_id}", url_name="citizens-detail", response=CitizenOut, summary="En borger")
def detail(request: HttpRequest, citizen_id: uuid.UUID) -> CitizenOut:
    citizen = access_citizen(request.auth, citizen_id)  # type: ignore[attr-defined]
    return CitizenOut(**_summary(citizen).model_dump(), cpr=citizen.cpr, municipality_code=citizen.municipality.code)
