from __future__ import annotations

import hashlib
import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.tenancy.roles import Permission, Role, role_has


class Municipality(models.Model):
    """One of the 98 Danish municipalities, by its official four-digit code."""

    code = models.CharField(
        _("kommunekode"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunekoden består af fire cifre."))],
    )
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A member of staff. Every user has exactly one role.

    A user works in one municipality; operations and administrators may span
    several (jobcenter.tenancy.roles.SPANNING_ROLES). The rule is kept by the
    actions that create and change users.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(_("rolle"), max_length=32, choices=[(r.value, r.label) for r in Role])
    municipalities = models.ManyToManyField(Municipality, related_name="users", verbose_name=_("kommuner"))

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_permission(self, permission: Permission) -> bool:
        return self.is_active and bool(self.role) and role_has(self.role, permission)

    @cached_property
    def municipality_list(self) -> list[Municipality]:
        return list(self.municipalities.order_by("code"))

    @property
    def municipality(self) -> Municipality | None:
        """The one municipality a single-municipality user works in; None for spanning roles."""
        if self.role_enum.spans_municipalities:
            return None
        municipalities = self.municipality_list
        return municipalities[0] if len(municipalities) == 1 else None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def hash_api_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a system integration, acting as its user.

    Only the SHA-256 hash is stored; the token itself is shown once, when it
    is issued (jobcenter.tenancy.actions.do_issue_api_token).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AdministratorRequestStatus(models.TextChoices):
    PENDING = "pending", _("Afventer godkendelse")
    APPROVED = "approved", _("Godkendt")
    REJECTED = "rejected", _("Afvist")


class AdministratorRequest(models.Model):
    """A request to give a user the administrator role, made by one administrator.

    It takes effect only when a second administrator (not the requester, not
    the user it is about) approves it (jobcenter.tenancy.actions). `is_new_user`
    marks a user created as an administrator: that user stays deactivated until
    the approval.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="administrator_requests")
    is_new_user = models.BooleanField(default=False)
    previous_role = models.CharField(max_length=32, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=AdministratorRequestStatus.choices, default=AdministratorRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("anmodning om administratorrolle")
        constraints = [
            # The four-eyes rule, kept by the database too.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
                name="administrator_request_decided_by_another_person",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_administrator_request_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"
