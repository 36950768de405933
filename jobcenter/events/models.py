from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it reports.

    A row exists if and only if the change committed. The dispatcher (issue 6)
    reads undispatched rows in order, hands them to their handlers and stamps
    `dispatched_at`; until then a national service being down stops nothing.
    The payload names people by their internal id, never by CPR number.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(_("hændelsestype"), max_length=64)
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="outbox_events"
    )
    payload = models.JSONField(_("indhold"), default=dict)
    occurred_at = models.DateTimeField(_("indtruffet"))
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dispatched_at", "created_at"], name="outbox_pending_idx")]
        verbose_name = _("udgående hændelse")
        verbose_name_plural = _("udgående hændelser")

    def __str__(self) -> str:
        return f"{self.event_type} {self.occurred_at:%Y-%m-%d %H:%M}"
