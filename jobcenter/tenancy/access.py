"""The checks every view, API route and query starts with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jobcenter.tenancy.models import Municipality, User


def require_permission(user: User, permission: Permission) -> None:
    """Refuse (403) a signed-in user whose role does not grant `permission`."""
    if not user.is_authenticated or not user.has_permission(permission):
        raise PermissionDenied


def working_municipality(user: User) -> Municipality:
    """The one municipality whose personal data this user may see.

    Only single-municipality roles read personal data; a user without exactly
    one municipality has none to work in and is refused.
    """
    municipality = user.municipality
    if municipality is None:
        raise PermissionDenied
    return municipality


def is_locked_out(request: HttpRequest, user: User) -> bool:
    """Whether the user's name is locked after failed logins (django-axes, AXES_LOCKOUT_PARAMETERS)."""
    from axes.handlers.proxy import AxesProxyHandler

    return bool(AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()}))
