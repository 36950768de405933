"""Reads of staff and municipality data, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from jobcenter.tenancy.access import require_permission
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


def user_for_api_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_api_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None
