from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.audit.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    VIEW = "view", _("Så")
    SEARCH = "search", _("Søgte")
    CREATE = "create", _("Oprettede")
    UPDATE = "update", _("Ændrede")
    EXPORT = "export", _("Eksporterede")
    LOGIN = "login", _("Loggede ind")
    LOGIN_FAILED = "login_failed", _("Mislykket login")
    LOGOUT = "logout", _("Loggede ud")
    # An access_* lookup answered not-found: another municipality's object or an id that never existed.
    DENIED = "denied", _("Nægtet adgang")


class AuditEntry(AppendOnlyModel):
    """Who saw or changed what, when, and by which route. Never changed, never deleted.

    The user's name, role and municipality are copied in, so the record stays
    true after the user is renamed, changes role or leaves.
    """

    occurred_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("bruger"), max_length=150)
    role = models.CharField(_("rolle"), max_length=32, blank=True)
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("handling"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttype"), max_length=64, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True, db_index=True)
    route = models.CharField(_("rute"), max_length=255)
    request_id = models.CharField(max_length=32)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-occurred_at"])]
        verbose_name = _("revisionsspor")
        verbose_name_plural = _("revisionsspor")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_type}"


class DeniedAccessCount(models.Model):
    """How many lookups one user was denied in one minute (jobcenter.audit.denied).

    The audit log records the first few of each minute one by one; this counter keeps
    the true number, so a flood of probes is bounded in the log but never uncounted.
    A counter, not a record: it is the one audit table that is updated.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minute = models.DateTimeField(_("minut"))
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "minute"], name="audit_denied_count_once_per_minute")]
        indexes = [models.Index(fields=["municipality", "-minute"])]
        verbose_name = _("nægtede opslag pr. minut")
        verbose_name_plural = _("nægtede opslag pr. minut")

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.user_id} {self.attempts}"
