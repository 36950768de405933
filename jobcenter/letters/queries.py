"""Every read of letters: access-checked to the user's municipality, and recorded in the audit log."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, OuterRef, QuerySet, Subquery

from jobcenter.audit.actions import record
from jobcenter.audit.denied import denied
from jobcenter.audit.models import AuditAction
from jobcenter.citizens.models import Citizen
from jobcenter.citizens.queries import access_citizen
from jobcenter.letters.models import DeliveryStatus, Letter, LetterDelivery
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User


def current_status(letter: Letter) -> DeliveryStatus:
    latest = LetterDelivery.objects.filter(letter=letter).order_by("-occurred_at", "-id").first()
    return DeliveryStatus(latest.status) if latest else DeliveryStatus.QUEUED


_M = TypeVar("_M", bound=Model)


def with_delivery_status(objects: QuerySet[_M], letter_field: str = "pk") -> QuerySet[_M]:
    """Annotate each row with its letter's current delivery (the newest event of the history).

    `letter_field` names the letter from the rows' side: "pk" for letters,
    "letter" for a model that links to its letter (a summons). The status is
    read, never copied: the delivery history is the only place it lives.
    """
    latest = LetterDelivery.objects.filter(letter=OuterRef(letter_field)).order_by("-occurred_at", "-id")
    return objects.annotate(
        delivery_status=Subquery(latest.values("status")[:1]),
        delivery_detail=Subquery(latest.values("detail")[:1]),
        delivery_at=Subquery(latest.values("occurred_at")[:1]),
    )


def _with_status(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    return with_delivery_status(letters)


def access_letter(user: User, letter_id: uuid.UUID | str, *, for_download: bool = False) -> Letter:
    """The letter, if it belongs to the user's municipality; otherwise not-found, whether or not it exists."""
    require_permission(user, Permission.LETTERS_VIEW)
    municipality = working_municipality(user)
    try:
        letter = _with_status(Letter.objects.select_related("citizen", "municipality")).get(
            pk=letter_id, municipality=municipality
        )
    except (Letter.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Letter, letter_id) from None
    record(user, AuditAction.EXPORT if for_download else AuditAction.VIEW, obj=letter)
    return letter


def letters_for_citizen(user: User, citizen_id: uuid.UUID | str) -> tuple[Citizen, list[Letter]]:
    """A citizen and their letters, newest first (the citizen is checked and audited by access_citizen)."""
    require_permission(user, Permission.LETTERS_VIEW)
    citizen = access_citizen(user, citizen_id)
    return citizen, list(_with_status(Letter.objects.filter(citizen=citizen).defer("pdf")).order_by("-created_at"))


def paper_queue(user: User) -> list[Letter]:
    """Letters Digital Post could not deliver, waiting for a person to print and post them."""
    require_permission(user, Permission.LETTERS_POST)
    municipality = working_municipality(user)
    letters = list(
        _with_status(Letter.objects.filter(municipality=municipality).select_related("citizen").defer("pdf"))
        .filter(delivery_status=DeliveryStatus.NEEDS_PAPER)  # type: ignore[misc]
        .order_by("created_at")
    )
    record(
        user,
        AuditAction.VIEW,
        object_type="letters.paperqueue",
        detail={"letters": [str(letter.pk) for letter in letters]},
    )
    return letters


# --- The citizen overview and the audit's "all activity on a citizen" -----------------------------


def latest_letters_of_citizen(user: User, citizen: Citizen, limit: int = 5) -> tuple[int, list[Letter]] | None:
    """How many letters the citizen has, and the newest `limit` with their delivery status, for a user
    who has opened the citizen with access_citizen (that read is the audit record); None without
    letters.view. Two queries."""
    if not user.has_permission(Permission.LETTERS_VIEW) or citizen.municipality_id != working_municipality(user).pk:
        return None
    letters = Letter.objects.filter(citizen=citizen)
    count = letters.count()
    return count, list(_with_status(letters.defer("pdf")).order_by("-created_at")[:limit])


def audit_object_ids_for_citizen(citizen_id: uuid.UUID | str) -> list[str]:
    """The ids of the citizen's letters, for the auditor's "all activity on a citizen". One query."""
    return [str(pk) for pk in Letter.objects.filter(citizen_id=citizen_id).order_by().values_list("pk", flat=True)]
