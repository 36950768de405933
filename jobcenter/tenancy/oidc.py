"""Login through the municipality's identity provider (OIDC, e.g. a MitID Erhverv broker).

The provider proves who someone is; Jobcenter decides what they may do. Users
are therefore never created from a login: an administrator creates the user
with a role and municipality first, and the claim named by
OIDC_USERNAME_CLAIM must equal that user's user name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from jobcenter.tenancy.models import User


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not username:
            return User.objects.none()
        return User.objects.filter(username=username, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:  # type: ignore[override]
        return None
