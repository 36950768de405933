"""Every read on the benefits side, access-checked."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jobcenter.audit.actions import record
from jobcenter.audit.denied import denied
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.models import (
    Consultation,
    Decision,
    Grant,
    Proposal,
    ProposalStatus,
    RateTableImport,
    RateTableStatus,
)
from jobcenter.citizens.models import Citizen
from jobcenter.rules import RateTable
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User


def approved_rate_tables() -> list[RateTable]:
    """The approved tables in the order they were approved: a later one overrides an earlier one."""
    rows = RateTableImport.objects.filter(status=RateTableStatus.APPROVED).order_by("decided_at", "imported_at")
    return [RateTable.model_validate(row.table_json) for row in rows]


def rate_table_imports(user: User) -> QuerySet[RateTableImport]:
    require_permission(user, Permission.RATES_MANAGE)
    return RateTableImport.objects.select_related("imported_by", "decided_by").order_by("-imported_at")


def access_rate_table_import(user: User, import_id: uuid.UUID | str) -> RateTableImport:
    """Rate tables are national, not any municipality's: the permission is the only check."""
    require_permission(user, Permission.RATES_MANAGE)
    try:
        return RateTableImport.objects.select_related("imported_by", "decided_by").get(pk=import_id)
    except (RateTableImport.DoesNotExist, ValueError):
        raise Http404 from None


def access_grant(user: User, grant_id: uuid.UUID | str) -> Grant:
    """A grant of the user's municipality; not-found otherwise (as for an id that never existed). Recorded."""
    require_permission(user, Permission.GRANTS_VIEW)
    try:
        grant = Grant.objects.select_related("citizen", "latest_decision").get(
            pk=grant_id, municipality=working_municipality(user)
        )
    except (Grant.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Grant, grant_id) from None
    record(user, AuditAction.VIEW, obj=grant, detail={"citizen": str(grant.citizen_id)})
    return grant


def grant_decisions(grant: Grant) -> list[Decision]:
    """The decision versions of a grant already accessed with access_grant, newest first."""
    return list(grant.decisions.select_related("decided_by", "consultation").order_by("-version"))


def grant_consultations(grant: Grant) -> list[Consultation]:
    return list(grant.consultations.order_by("-sent_on", "-created_at"))


def grants_of_municipality(user: User, limit: int = 500) -> list[Grant]:
    """The grants of the user's municipality, newest first (recorded as one listing)."""
    require_permission(user, Permission.GRANTS_VIEW)
    grants = list(
        Grant.objects.filter(municipality=working_municipality(user))
        .select_related("citizen", "latest_decision")
        .order_by("-created_at")[:limit]
    )
    record(user, AuditAction.SEARCH, object_type="benefits.grant", detail={"hits": len(grants)})
    return grants


def access_citizen_for_decision(user: User, citizen_id: uuid.UUID | str) -> tuple[Citizen, Grant | None]:
    """The citizen (of the user's municipality) and their grant, for the decision page. Recorded."""
    require_permission(user, Permission.GRANTS_DECIDE)
    try:
        citizen = Citizen.objects.get(pk=citizen_id, municipality=working_municipality(user))
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Citizen, citizen_id) from None
    grant = Grant.objects.select_related("latest_decision").filter(citizen=citizen).first()
    record(user, AuditAction.VIEW, obj=citizen, detail={"grant": str(grant.pk) if grant else None})
    return citizen, grant


def inbox_proposals(user: User, limit: int = 200) -> list[Proposal]:
    """The open proposals of the user's municipality, oldest first (recorded as one listing)."""
    require_permission(user, Permission.GRANTS_VIEW)
    proposals = list(
        Proposal.objects.filter(municipality=working_municipality(user), status=ProposalStatus.OPEN)
        .select_related("citizen", "grant")
        .order_by("created_at", "id")[:limit]
    )
    record(user, AuditAction.SEARCH, object_type="benefits.proposal", detail={"hits": len(proposals)})
    return proposals


def open_proposal_counts(user: User) -> dict[str, int]:
    """Open proposals of the user's municipality by kind (no personal data)."""
    require_permission(user, Permission.GRANTS_VIEW)
    rows = (
        Proposal.objects.filter(municipality=working_municipality(user), status=ProposalStatus.OPEN)
        .values("kind")
        .annotate(count=Count("id"))
    )
    return {row["kind"]: row["count"] for row in rows}


def access_proposal(user: User, proposal_id: uuid.UUID | str) -> Proposal:
    """A proposal of the user's municipality; not-found otherwise. Recorded."""
    require_permission(user, Permission.GRANTS_VIEW)
    try:
        proposal = (
            Proposal.objects.select_related(
                "citizen", "grant", "decided_by", "decision", "letter", "citizen__municipality"
            )
            .defer("letter__pdf")
            .get(pk=proposal_id, municipality=working_municipality(user))
        )
    except (Proposal.DoesNotExist, ValueError, ValidationError):
        raise denied(user, Proposal, proposal_id) from None
    record(user, AuditAction.VIEW, obj=proposal, detail={"citizen": str(proposal.citizen_id)})
    return proposal


# --- The citizen overview and the audit's "all activity on a citizen" -----------------------------


def grant_of_citizen(user: User, citizen: Citizen) -> Grant | None:
    """The citizen's grant with its current decision, for a user who has opened the citizen with
    access_citizen (that read is the audit record); None without grants.view or without a grant.
    The open proposals of the inbox are counted in (`open_proposals`). One query."""
    if not user.has_permission(Permission.GRANTS_VIEW) or citizen.municipality_id != working_municipality(user).pk:
        return None
    return (
        Grant.objects.filter(citizen=citizen)
        .select_related("latest_decision")
        .annotate(open_proposals=Count("proposals", filter=Q(proposals__status=ProposalStatus.OPEN)))
        .first()
    )


def audit_object_ids_for_citizen(citizen_id: uuid.UUID | str) -> list[str]:
    """The ids of the citizen's grant, its decisions, consultations and proposals, for the auditor's
    "all activity on a citizen" (the caller has checked the auditor and the citizen). One query."""
    from jobcenter.audit.object_ids import object_ids

    return object_ids(
        Grant.objects.filter(citizen_id=citizen_id),
        Decision.objects.filter(grant__citizen_id=citizen_id),
        Consultation.objects.filter(grant__citizen_id=citizen_id),
        Proposal.objects.filter(citizen_id=citizen_id),
    )
