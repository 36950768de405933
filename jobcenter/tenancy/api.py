from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from jobcenter.tenancy.queries import municipalities_visible_to

router = Router(tags=["Kommuner og brugere"])


class MunicipalityOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    id: str
    username: str
    name: str
    role: str
    municipalities: list[MunicipalityOut]


@router.get("/me", response=MeOut, summary="Den indloggede bruger")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        id=str(user.pk),
        username=user.username,
        name=user.display_name,
        role=user.role,
        municipalities=[MunicipalityOut(code=m.code, name=m.name) for m in user.municipality_list],
    )


@router.get("/municipalities", response=list[MunicipalityOut], summary="Kommuner brugeren arbejder for")
def municipalities(request: HttpRequest) -> list[MunicipalityOut]:
    return [MunicipalityOut(code=m.code, name=m.name) for m in municipalities_visible_to(request.auth)]  # type: ignore[attr-defined]
