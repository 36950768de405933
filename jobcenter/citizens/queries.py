"""Every read of citizens' personal data: access-checked, and recorded in the audit log."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q

from jobcenter.audit.actions import record
from jobcenter.audit.denied import denied
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.cpr import looks_like_cpr, normalise_cpr
from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission

SEARCH_LIMIT = 50


def access_citizen(user: User, citizen_id: uuid.UUID | str, *, detail: dict[str, object] | None = None) -> Citizen:
    """The citizen, if `user` may see them; otherwise not-found, whether or not they exist."""
    require_permission(user, Permission.CITIZENS_VIEW)
    municipality = working_municipality(user)
    try:
        citizen = Citizen.objects.select_related("municipality").get(pk=citizen_id, municipality=municipality)
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Citizen, citizen_id) from None
    record(user, AuditAction.VIEW, obj=citizen, detail=detail)
    return citizen


def search_citizens(user: User, query: str) -> list[Citizen]:
    """Find citizens of the user's municipality by CPR number or by name.

    A query of ten digits (with or without a dash) is a CPR search and must be
    a valid number; anything else searches first and last names.
    """
    require_permission(user, Permission.CITIZENS_VIEW)
    municipality = working_municipality(user)
    query = (query or "").strip()
    if not query:
        raise ValidationError("Skriv et CPR-nummer eller et navn.", code="empty")
    citizens = Citizen.objects.filter(municipality=municipality)
    if looks_like_cpr(query):
        kind = "cpr"
        citizens = citizens.filter(cpr=normalise_cpr(query))
    else:
        kind = "name"
        if len(query) < 2:
            raise ValidationError("Skriv mindst to bogstaver af navnet.", code="too_short")
        for word in query.split()[:4]:
            citizens = citizens.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    found = list(citizens.order_by("last_name", "first_name")[:SEARCH_LIMIT])
    # The query itself is not kept: it may be a CPR number or a name. The hits are.
    record(
        user,
        AuditAction.SEARCH,
        object_type="citizens.citizen",
        detail={"kind": kind, "hits": [str(c.pk) for c in found]},
    )
    return found


def reveal_cpr(user: User, citizen_id: uuid.UUID | str) -> Citizen:
    """The citizen, for showing their full CPR number: access-checked like access_citizen, and the
    showing itself is recorded (which citizen, never the number)."""
    return access_citizen(user, citizen_id, detail={"cpr_shown": True})


AUDIT_NAME_HITS = 20


def citizens_for_audit(user: User, *, cpr: str = "", name: str = "", citizen_id: str = "") -> list[Citizen]:
    """Citizens of the auditor's municipality by CPR number, by name or by id, for the audit search.

    The auditor does not open citizens (no citizens.view); this finds whom the audit log is
    searched for. An invalid CPR number is a ValidationError in Danish; the number is neither
    kept nor returned (the lookup is recorded with its hits, as search_citizens does).
    """
    require_permission(user, Permission.AUDIT_VIEW)
    citizens = Citizen.objects.filter(municipality=working_municipality(user))
    if citizen_id:
        kind = "id"
        citizens = citizens.filter(pk=citizen_id)
    elif cpr:
        kind = "cpr"
        citizens = citizens.filter(cpr=normalise_cpr(cpr))
    else:
        kind = "name"
        name = name.strip()
        if len(name) < 2:
            raise ValidationError("Skriv mindst to bogstaver af navnet.", code="too_short")
        for word in name.split()[:4]:
            citizens = citizens.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    found = list(citizens.order_by("last_name", "first_name", "birth_date")[:AUDIT_NAME_HITS])
    record(
        user,
        AuditAction.SEARCH,
        object_type="citizens.citizen",
        detail={"kind": kind, "audit": True, "hits": [str(c.pk) for c in found]},
    )
    return found
