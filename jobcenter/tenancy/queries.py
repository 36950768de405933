"""Reads of staff and municipality data, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from jobcenter.tenancy.access import is_locked_out, require_permission
from jobcenter.tenancy.models import ApiToken, Municipality, User, hash_api_token
from jobcenter.tenancy.roles import Permission


def users_visible_to(user: User) -> QuerySet[User]:
    """Colleagues in the municipalities this user works in."""
    require_permission(user, Permission.USERS_VIEW)
    return (
        User.objects.filter(municipalities__in=user.municipality_list)
        .distinct()
        .prefetch_related("municipalities")
        .order_by("username")
    )


def municipalities_visible_to(user: User) -> QuerySet[Municipality]:
    require_permission(user, Permission.MUNICIPALITIES_VIEW)
    return Municipality.objects.filter(pk__in=[m.pk for m in user.municipality_list]).order_by("code")


class ApiTokenRefused(Exception):
    """A known, unrevoked token whose user may not work now (deactivated or locked out)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def user_for_api_token(raw: str, request: HttpRequest | None = None) -> User | None:
    """The user of an unrevoked token; None for an unknown or revoked token.

    A token acts as its user, so it stops when the user is stopped: a deactivated
    user's token, and (given the request) a token of a user locked out after failed
    logins, raise ApiTokenRefused with the Danish reason.
    """
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_api_token(raw), revoked_at__isnull=True).first()
    )
    if token is None:
        return None
    user = token.user
    if not user.is_active:
        raise ApiTokenRefused("Brugeren bag API-nøglen er deaktiveret. Kontakt en administrator.")
    if request is not None and is_locked_out(request, user):
        raise ApiTokenRefused(
            "Brugeren bag API-nøglen er spærret efter for mange mislykkede login. "
            "Prøv igen senere, eller kontakt en administrator."
        )
    return user
