"""Every write on the benefits side. Each runs in one transaction with its audit record."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.models import RateTableFormat, RateTableImport, RateTableStatus
from jobcenter.benefits.rate_tables import RateTableRefused, check_against_approved, read_rate_table
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User

MAX_RATE_TABLE_BYTES = 1_000_000  # a year's satsregulering is a few kilobytes


def do_import_rate_table(user: User, *, file_name: str, content: bytes, title: str = "") -> RateTableImport:
    """Store an uploaded rate table as pending. It has no effect until another person approves it.

    Refused (RateTableRefused, nothing written) if the file is too large, not
    UTF-8, not a valid table, or does not fit the parameters and the tables
    already approved.
    """
    require_permission(user, Permission.RATES_MANAGE)
    if len(content) > MAX_RATE_TABLE_BYTES:
        raise RateTableRefused(_("Filen er for stor. En satstabel må højst fylde 1 MB."))
    file_format = RateTableFormat.CSV if file_name.lower().endswith(".csv") else RateTableFormat.YAML
    if not file_name.lower().endswith((".csv", ".yaml", ".yml")):
        raise RateTableRefused(_("Filen skal være en YAML-fil (.yaml, .yml) eller en CSV-fil (.csv)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RateTableRefused(_("Filen skal være gemt som UTF-8.")) from None
    table = read_rate_table(text, file_format, title=title.strip() or None)
    with transaction.atomic():
        check_against_approved(table)
        imported = RateTableImport.objects.create(
            title=table.title[:200],
            file_name=file_name[:255],
            file_format=file_format,
            source_text=text,
            table_json=table.model_dump(mode="json"),
            entry_count=len(table.entries),
            imported_by=user,
        )
        record(
            user,
            AuditAction.CREATE,
            obj=imported,
            municipality=None,
            detail={"title": imported.title, "entries": imported.entry_count, "file": imported.file_name},
        )
    return imported


def _decide(user: User, import_id: uuid.UUID | str, status: RateTableStatus, note: str) -> RateTableImport:
    require_permission(user, Permission.RATES_MANAGE)
    with transaction.atomic():
        try:
            imported = RateTableImport.objects.select_for_update().get(pk=import_id)
        except (RateTableImport.DoesNotExist, ValidationError, ValueError):
            raise RateTableImport.DoesNotExist from None
        if imported.status != RateTableStatus.PENDING:
            raise RateTableRefused(
                _("Satstabellen er allerede behandlet (%(status)s).") % {"status": imported.get_status_display()}
            )
        if imported.imported_by_id == user.pk:
            # The four-eyes rule: a rate table takes effect only when a second person agrees.
            raise RateTableRefused(_("Du kan ikke selv godkende eller afvise en satstabel, du har importeret."))
        if status == RateTableStatus.APPROVED:
            check_against_approved(imported.table)
        imported.status = status
        imported.decided_by = user
        imported.decided_at = timezone.now()
        imported.decision_note = note.strip()
        imported.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            user,
            AuditAction.UPDATE,
            obj=imported,
            municipality=None,
            detail={"decision": str(status), "title": imported.title, "note": imported.decision_note},
        )
    return imported


def do_approve_rate_table(user: User, import_id: uuid.UUID | str, note: str = "") -> RateTableImport:
    """Let a pending table take effect: from now on every calculation uses it."""
    return _decide(user, import_id, RateTableStatus.APPROVED, note)


def do_reject_rate_table(user: User, import_id: uuid.UUID | str, note: str) -> RateTableImport:
    """Refuse a pending table; a reason is required so the importer knows what to fix."""
    if not note.strip():
        raise RateTableRefused(_("Skriv en begrundelse for afvisningen."))
    return _decide(user, import_id, RateTableStatus.REJECTED, note)
