"""Reads of staff and municipality data, scoped to what the user may see."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from jobcenter.tenancy.access import is_locked_out, require_permission
from jobcenter.tenancy.models import (
    AdministratorRequest,
    AdministratorRequestStatus,
    ApiToken,
    Municipality,
    User,
    hash_api_token,
)
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


# --- The administrator's pages (issue 14) ----------------------------------------------


def manages(admin: User, user: User) -> bool:
    """An administrator manages a user whose every municipality is one of the administrator's own.

    A user who also works elsewhere (an operations user of Odense and Aarhus)
    is shown to the administrator of Aarhus but changed only by one who works
    for both.
    """
    own = {m.pk for m in admin.municipality_list}
    theirs = {m.pk for m in user.municipality_list}
    return bool(theirs) and theirs <= own


def access_managed_user(admin: User, user_id: uuid.UUID | str) -> User:
    """A user the administrator may change; not-found for anyone else, as for an id that never existed."""
    require_permission(admin, Permission.USERS_MANAGE)
    try:
        user = User.objects.prefetch_related("municipalities").get(pk=user_id)
    except (User.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not manages(admin, user):
        raise Http404
    return user


def access_managed_token(admin: User, token_id: uuid.UUID | str) -> ApiToken:
    try:
        token = ApiToken.objects.get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    access_managed_user(admin, token.user_id)
    return token


def access_administrator_request(admin: User, request_id: uuid.UUID | str) -> AdministratorRequest:
    try:
        request = AdministratorRequest.objects.select_related("user", "requested_by").get(pk=request_id)
    except (AdministratorRequest.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    access_managed_user(admin, request.user_id)
    return request


def pending_administrator_requests(admin: User) -> list[AdministratorRequest]:
    """Requests for the administrator role about users this administrator manages, oldest first."""
    require_permission(admin, Permission.USERS_MANAGE)
    pending = (
        AdministratorRequest.objects.filter(status=AdministratorRequestStatus.PENDING)
        .select_related("user", "requested_by")
        .order_by("requested_at")
    )
    return [request for request in pending if manages(admin, request.user)]


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these users are locked out after too many failed logins (django-axes), right now."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.values_list("username", flat=True))
