"""Every write to citizens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.cpr import birth_date_from_cpr, normalise_cpr
from jobcenter.citizens.models import Citizen, HouseholdRelation
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


def _lookup(cpr: str):  # type: ignore[no-untyped-def]
    """The person in the CPR register, or a ValidationError with the register's Danish message."""
    from jobcenter.integrations.cpr import CprError, get_cpr_client

    try:
        return get_cpr_client().lookup(cpr)
    except CprError as error:
        # The integration's messages never contain the number.
        raise ValidationError(error.message, code=type(error).__name__) from None


def _apply_person(citizen: Citizen, person) -> None:  # type: ignore[no-untyped-def]
    citizen.first_name = person.first_name
    citizen.last_name = person.last_name
    address = person.address
    citizen.street = address.street if address else ""
    citizen.postcode = address.postcode if address else ""
    citizen.city = address.city if address else ""
    citizen.cpr_refreshed_at = timezone.now()


def _replace_relations(citizen: Citizen, person) -> int:  # type: ignore[no-untyped-def]
    citizen.relations.all().delete()
    related = {
        c.cpr: c
        for c in Citizen.objects.filter(
            municipality=citizen.municipality, cpr__in=[relation.cpr for relation in person.relations]
        )
    }
    HouseholdRelation.objects.bulk_create(
        HouseholdRelation(
            citizen=citizen,
            kind=str(relation.kind),
            related_cpr=relation.cpr,
            related_citizen=related.get(relation.cpr),
            valid_from=relation.valid_from,
            valid_to=relation.valid_to,
        )
        for relation in person.relations
    )
    return len(person.relations)


@transaction.atomic
def do_register_citizen_from_cpr(*, acting_user: User | None, municipality: Municipality, cpr: str) -> Citizen:
    """Register a citizen by CPR number: name, address and household come from the CPR register."""
    cpr = normalise_cpr(cpr)
    if Citizen.objects.filter(municipality=municipality, cpr=cpr).exists():
        raise ValidationError("Borgeren er allerede oprettet i kommunen. Søg borgeren frem i stedet.", code="exists")
    person = _lookup(cpr)
    citizen = Citizen(municipality=municipality, cpr=cpr, birth_date=birth_date_from_cpr(cpr))
    _apply_person(citizen, person)
    citizen.full_clean()
    citizen.save()
    relations = _replace_relations(citizen, person)
    record(
        acting_user,
        AuditAction.CREATE,
        obj=citizen,
        municipality=municipality,
        detail={"source": "cpr", "relations": relations},
    )
    return citizen


@transaction.atomic
def do_refresh_citizen_from_cpr(*, acting_user: User | None, citizen: Citizen) -> Citizen:
    """Fetch name, address and household relations again from the CPR register."""
    person = _lookup(citizen.cpr)
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    _apply_person(citizen, person)
    citizen.full_clean()
    citizen.save(update_fields=["first_name", "last_name", "street", "postcode", "city", "cpr_refreshed_at"])
    relations = _replace_relations(citizen, person)
    record(acting_user, AuditAction.UPDATE, obj=citizen, detail={"source": "cpr", "relations": relations})
    return citizen
