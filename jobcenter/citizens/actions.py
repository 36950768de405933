"""Every write to citizens."""

from __future__ import annotations

from django.db import transaction

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.cpr import birth_date_from_cpr, normalise_cpr
from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.models import Municipality, User


@transaction.atomic
def do_register_citizen(
    *, acting_user: User | None, municipality: Municipality, cpr: str, first_name: str, last_name: str
) -> Citizen:
    cpr = normalise_cpr(cpr)
    citizen = Citizen(
        municipality=municipality,
        cpr=cpr,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date_from_cpr(cpr),
    )
    citizen.full_clean()
    citizen.save()
    record(acting_user, AuditAction.CREATE, obj=citizen, municipality=municipality)
    return citizen
