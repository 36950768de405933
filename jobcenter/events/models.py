from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it reports.

    A row exists if and only if the change committed. The dispatcher
    (events/dispatcher.py) routes it (`routed_at`: one `EventDelivery` per
    handler is written, or the event is dead-lettered as malformed), delivers
    it, and stamps `dispatched_at` when no delivery is pending any more; until
    then a national service being down stops nothing. The payload names people
    by their internal id, never by CPR number.
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
    routed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Attempts and errors are per handler: EventDelivery.

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["dispatched_at", "created_at"], name="outbox_pending_idx"),
            models.Index(fields=["routed_at", "created_at"], name="outbox_unrouted_idx"),
        ]
        verbose_name = _("udgående hændelse")
        verbose_name_plural = _("udgående hændelser")

    def __str__(self) -> str:
        return f"{self.event_type} {self.occurred_at:%Y-%m-%d %H:%M}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    DONE = "done", _("Leveret")
    DEAD = "dead", _("Afvist (døde breve)")


# The name of the dispatcher's own step that checks an event and writes its deliveries;
# a malformed event or one for an unknown citizen is dead-lettered under this name.
ROUTING = "events.routing"


class EventDelivery(models.Model):
    """One handler's delivery of one event: the processed-event key is (event, handler).

    The dispatcher runs the handler and marks the row done in one transaction, so a
    handler that only writes to the database takes effect exactly once. `citizen` and
    `event_created_at` are copied from the event so that "an earlier event of the same
    citizen still waits for this handler" is one indexed lookup.
    """

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="deliveries")
    handler = models.CharField(_("modtager"), max_length=100)
    integration = models.CharField(_("integration"), max_length=32, blank=True)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen_id = models.UUIDField(null=True, blank=True)
    event_created_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    next_attempt_at = models.DateTimeField(_("næste forsøg"))
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="delivery_once_per_event_and_handler")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["handler", "citizen_id", "status", "event_created_at"], name="delivery_order_idx"),
        ]
        verbose_name = _("levering af hændelse")
        verbose_name_plural = _("leveringer af hændelser")

    def __str__(self) -> str:
        return f"{self.handler} {self.status}"


class DeliveryFailure(models.Model):
    """One failed attempt, kept for "failures per integration" on the operations page."""

    delivery = models.ForeignKey(EventDelivery, on_delete=models.CASCADE, related_name="failures")
    integration = models.CharField(max_length=32, blank=True)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    failed_at = models.DateTimeField(db_index=True)
    error = models.TextField()
    final = models.BooleanField(default=False)  # this failure dead-lettered the delivery

    def __str__(self) -> str:
        return f"{self.integration or 'intern'} {self.failed_at:%Y-%m-%d %H:%M}"


class BackgroundTaskState(models.TextChoices):
    RUNNING = "running", _("Kører")
    RETRYING = "retrying", _("Prøves igen")
    FAILED = "failed", _("Fejlet")
    DONE = "done", _("Gennemført")


class BackgroundTask(models.Model):
    """What the worker did with one piece of background work (events/background.py): one row per
    job (a task and its arguments, e.g. "deliver letter X", "release run Y"), kept up to date by
    every attempt. Written when a job fails, and, for long jobs, while it runs (the heartbeat that
    tells a live attempt from one whose worker died). Shown on the operations page. No personal
    data: the label names the work, the error is redacted of CPR numbers."""

    key = models.CharField(max_length=200, unique=True)
    task_path = models.CharField(max_length=200)
    args_kwargs = models.JSONField(default=dict)
    label = models.CharField(_("opgave"), max_length=300)
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=BackgroundTaskState.choices)
    # Failed attempts in a row (a success starts again from nought), and the most allowed.
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=1)
    last_error = models.CharField(max_length=2000, blank=True)
    # The task result (django_tasks_db) of the latest attempt, when it ran on the worker.
    result_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # A running attempt not heard from by then is taken for dead (its worker was killed or lost).
    lease_until = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state", "updated_at"], name="background_task_state_idx")]
        verbose_name = _("baggrundsopgave")
        verbose_name_plural = _("baggrundsopgaver")

    def __str__(self) -> str:
        return self.label
