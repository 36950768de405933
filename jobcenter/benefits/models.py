"""Rate tables (satsregulering) as the benefits office imports and approves them.

A table takes effect only once a second person has approved it
(benefits/actions.py). Its text is kept exactly as uploaded, so an auditor can
see what was imported, by whom, and who let it take effect.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.rules import RateTable


class RateTableStatus(models.TextChoices):
    PENDING = "pending", _("Afventer godkendelse")
    APPROVED = "approved", _("Godkendt")
    REJECTED = "rejected", _("Afvist")


class RateTableFormat(models.TextChoices):
    YAML = "yaml", "YAML"
    CSV = "csv", "CSV"


class RateTableImport(models.Model):
    """One imported rate table and the decision on it.

    Only the status and the decision fields ever change, once, from pending
    to approved or rejected; everything else is written at import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("titel"), max_length=200)
    file_name = models.CharField(_("filnavn"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=RateTableFormat.choices)
    source_text = models.TextField(_("filens indhold"))
    # The validated table (RateTable.model_dump_json()): what calculations use.
    table_json = models.JSONField(_("satstabel"))
    entry_count = models.PositiveIntegerField(_("antal satser"))
    status = models.CharField(
        _("status"), max_length=8, choices=RateTableStatus.choices, default=RateTableStatus.PENDING
    )
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("importeret"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    decision_note = models.TextField(_("begrundelse"), blank=True)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["status", "decided_at"])]
        constraints = [
            # The four-eyes rule, also in the database: nobody approves their own import.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("imported_by")),
                name="rate_table_decided_by_another_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="rate_table_decision_complete",
            ),
        ]
        verbose_name = _("satstabel")
        verbose_name_plural = _("satstabeller")

    def __str__(self) -> str:
        return self.title

    @property
    def table(self) -> RateTable:
        return RateTable.model_validate(self.table_json)
