from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from jobcenter.citizens.actions import do_refresh_citizen_from_cpr, do_register_citizen_from_cpr
from jobcenter.citizens.models import Citizen
from jobcenter.citizens.queries import access_citizen, search_citizens
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

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


class CitizenRegisterIn(Schema):
    cpr: str = Field(min_length=10, max_length=11, description="CPR-nummer; navn, adresse og husstand hentes fra CPR")


@router.post("", url_name="citizens-register", response={201: CitizenSummaryOut}, summary="Opret en borger fra CPR")
def register(request: HttpRequest, payload: CitizenRegisterIn) -> Status[CitizenSummaryOut]:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user, Permission.CITIZENS_EDIT)
    citizen = do_register_citizen_from_cpr(acting_user=user, municipality=working_municipality(user), cpr=payload.cpr)
    return Status(201, _summary(citizen))


@router.post(
    "/{uuid:citizen_id}/refresh-from-cpr",
    url_name="citizens-refresh",
    response=CitizenSummaryOut,
    summary="Hent navn, adresse og husstand igen fra CPR",
)
def refresh(request: HttpRequest, citizen_id: uuid.UUID) -> CitizenSummaryOut:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user, Permission.CITIZENS_EDIT)
    citizen = access_citizen(user, citizen_id)
    return _summary(do_refresh_citizen_from_cpr(acting_user=user, citizen=citizen))


@router.get("/{uuid:citizen_id}", url_name="citizens-detail", response=CitizenOut, summary="En borger")
def detail(request: HttpRequest, citizen_id: uuid.UUID) -> CitizenOut:
    citizen = access_citizen(request.auth, citizen_id)  # type: ignore[attr-defined]
    return CitizenOut(**_summary(citizen).model_dump(), cpr=citizen.cpr, municipality_code=citizen.municipality.code)
