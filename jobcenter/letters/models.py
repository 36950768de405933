"""Letters to citizens: the archived document and its delivery history.

A letter is written once and never changed (the PDF the citizen got is the
PDF we keep). Delivery is a history of events on it: queued, sent through
Digital Post, waiting for a retry, or handed to physical mail. Both tables
are append-only in the database.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.audit.append_only import AppendOnlyModel


class LetterKind(models.TextChoices):
    PAYMENT_SPECIFICATION = "payment_specification", _("Udbetalingsspecifikation")
    DECISION = "decision", _("Afgørelse")
    SUMMONS = "summons", _("Indkaldelse")
    CLAIM = "claim", _("Tilbagebetalingskrav")
    CONSULTATION = "consultation", _("Partshøring")
    OTHER = "other", _("Brev")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Venter på afsendelse")
    SENT = "sent", _("Sendt med Digital Post")
    RETRYING = "retrying", _("Digital Post svarede ikke; prøves igen")
    NEEDS_PAPER = "needs_paper", _("Skal sendes som papirpost")
    PRINTED = "printed", _("Sendt som papirpost")


class Letter(AppendOnlyModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("type"), max_length=32, choices=LetterKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    # The short text Digital Post shows with the letter; the PDF is the letter.
    summary_text = models.TextField(_("resumé"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    # What the letter is about (e.g. "benefits.paymentrun" + id), to find it again from there.
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "citizen", "-created_at"])]
        verbose_name = _("brev")
        verbose_name_plural = _("breve")

    def __str__(self) -> str:
        return self.title


class LetterDelivery(AppendOnlyModel):
    """One event in a letter's delivery; the newest is the letter's status."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices)
    occurred_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    attempt = models.PositiveIntegerField(default=0)
    message_id = models.CharField(max_length=100, blank=True)
    detail = models.CharField(_("detaljer"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["letter", "-occurred_at"])]
        verbose_name = _("forsendelse")
        verbose_name_plural = _("forsendelser")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.status}"
