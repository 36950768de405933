"""Roles and what each may do: the one place the permission matrix lives.

docs/roles.md shows this table to people; tests/tenancy/test_roles_doc.py
checks that the document and this module say the same thing.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    CASEWORKER = "caseworker"
    BENEFITS_OFFICER = "benefits_officer"
    TEAM_LEAD = "team_lead"
    SUPPORT_SUPERUSER = "support_superuser"
    OPERATIONS = "operations"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def spans_municipalities(self) -> bool:
        """Operations and administrators may work for several municipalities."""
        return self in SPANNING_ROLES


ROLE_LABELS = {
    Role.CASEWORKER: _("Sagsbehandler"),
    Role.BENEFITS_OFFICER: _("Ydelsesmedarbejder"),
    Role.TEAM_LEAD: _("Teamleder"),
    Role.SUPPORT_SUPERUSER: _("Superbruger (support)"),
    Role.OPERATIONS: _("Drift"),
    Role.AUDITOR: _("Revisor"),
    Role.ADMINISTRATOR: _("Administrator"),
}

SPANNING_ROLES = frozenset({Role.OPERATIONS, Role.ADMINISTRATOR})


class Permission(StrEnum):
    """What a user may see or do. Named by area, then verb."""

    CITIZENS_VIEW = "citizens.view"
    AUDIT_VIEW = "audit.view"
    OPERATIONS_VIEW = "operations.view"
    # Send a dead-lettered outbox delivery again (events/actions.py); audited.
    OPERATIONS_RETRY = "operations.retry"
    USERS_VIEW = "users.view"
    # Create users, change their role, deactivate and reactivate them, issue and
    # revoke API tokens, and approve another administrator's request to make
    # someone an administrator (the four-eyes rule: tenancy/actions.py).
    USERS_MANAGE = "users.manage"
    MUNICIPALITIES_VIEW = "municipalities.view"
    BENEFITS_CALCULATE = "benefits.calculate"
    # Import and approve rate tables (satsregulering). The approver must be
    # another person than the importer (benefits/actions.py).
    RATES_MANAGE = "rates.manage"
    # Case management
    CITIZENS_EDIT = "citizens.edit"
    CASES_VIEW = "cases.view"
    CASES_EDIT = "cases.edit"
    CASES_TEAM_OVERVIEW = "cases.team_overview"
    # Give cases to caseworkers (one or many at a time); audited per case.
    CASES_ASSIGN = "cases.assign"
    # Letters: see them; print and post the ones Digital Post could not deliver.
    LETTERS_VIEW = "letters.view"
    LETTERS_POST = "letters.post"
    # Grants and payment runs. A run is approved by another person than the
    # one who started it (benefits/payments actions and a DB constraint).
    GRANTS_VIEW = "grants.view"
    GRANTS_DECIDE = "grants.decide"
    PAYMENTS_VIEW = "payments.view"
    PAYMENTS_RUN = "payments.run"
    PAYMENTS_APPROVE = "payments.approve"


# One permission per line, so that a change reads as the line it adds.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASEWORKER: frozenset(
        {
            Permission.CITIZENS_VIEW,
            Permission.CITIZENS_EDIT,
            Permission.CASES_VIEW,
            Permission.CASES_EDIT,
            Permission.LETTERS_VIEW,
            Permission.GRANTS_VIEW,
        }
    ),
    Role.BENEFITS_OFFICER: frozenset(
        {
            Permission.CITIZENS_VIEW,
            Permission.BENEFITS_CALCULATE,
            Permission.CASES_VIEW,
            Permission.LETTERS_VIEW,
            Permission.LETTERS_POST,
            Permission.GRANTS_VIEW,
            Permission.GRANTS_DECIDE,
            Permission.PAYMENTS_VIEW,
            Permission.PAYMENTS_RUN,
            Permission.PAYMENTS_APPROVE,
        }
    ),
    Role.TEAM_LEAD: frozenset(
        {
            Permission.CITIZENS_VIEW,
            Permission.CITIZENS_EDIT,
            Permission.USERS_VIEW,
            Permission.BENEFITS_CALCULATE,
            Permission.CASES_VIEW,
            Permission.CASES_EDIT,
            Permission.CASES_TEAM_OVERVIEW,
            Permission.CASES_ASSIGN,
            Permission.LETTERS_VIEW,
            Permission.LETTERS_POST,
            Permission.GRANTS_VIEW,
            Permission.GRANTS_DECIDE,
            Permission.PAYMENTS_VIEW,
            Permission.PAYMENTS_RUN,
            Permission.PAYMENTS_APPROVE,
        }
    ),
    Role.SUPPORT_SUPERUSER: frozenset(
        {
            Permission.CITIZENS_VIEW,
            Permission.USERS_VIEW,
            Permission.CASES_VIEW,
        }
    ),
    Role.OPERATIONS: frozenset(
        {
            Permission.OPERATIONS_VIEW,
            Permission.OPERATIONS_RETRY,
            Permission.MUNICIPALITIES_VIEW,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Permission.AUDIT_VIEW,
            Permission.GRANTS_VIEW,
            Permission.PAYMENTS_VIEW,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.USERS_VIEW,
            Permission.MUNICIPALITIES_VIEW,
            Permission.OPERATIONS_VIEW,
            Permission.RATES_MANAGE,
            Permission.USERS_MANAGE,
        }
    ),
}


def role_has(role: Role | str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[Role(role)]
