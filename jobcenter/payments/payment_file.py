"""The release's payment file (pain.001): where it is staged, writing it (in parts by the
parallel workers on PostgreSQL) and validating it against the XSD before anything is paid."""

from __future__ import annotations

import datetime
import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.payments.compute import without_cyclic_gc
from jobcenter.payments.ledger import fetch_batches
from jobcenter.payments.models import PaymentRun, PaymentRunLine
from jobcenter.payments.pain001 import (
    FileHeader,
    PaymentFileInvalid,
    Transfer,
    Written,
    join_parts,
    validate_pain001,
    write_pain001,
)
from jobcenter.payments.workers import in_processes


def end_to_end_id(grant_id: uuid.UUID, month: datetime.date) -> str:
    """The transfer's id: the same grant and month always give the same id (the bank can refuse a repeat)."""
    return f"{grant_id.hex[:26]}{month:%Y%m}"


def staged_file(run: PaymentRun) -> Path:
    directory = Path(settings.JOBCENTER_PAYMENT_FILES_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"pain001-{run.municipality.code}-{run.month:%Y-%m}-{run.pk.hex[:8]}.xml"


def write_file(run: PaymentRun, path: Path, workers: int) -> None:
    """The payment file, validated against the XSD, at `path`; PaymentFileInvalid if it is not valid.

    With `workers` > 1 (PostgreSQL, outside a transaction) forked processes each write and
    validate the transfers of one range of line ids as a document of its own under the run's
    header, and the parts are joined (pain001.join_parts says why that validates the file)."""
    header = FileHeader(
        message_id=run.pk.hex,
        created_at=timezone.localtime(),
        debtor_name=f"{run.municipality.name} Kommune",
        debtor_iban=settings.JOBCENTER_PAYMENT_DEBTOR_IBAN,
        debtor_bic=settings.JOBCENTER_PAYMENT_DEBTOR_BIC,
        execution_date=run.payment_date,
        count=run.payment_count,
        total_ore=run.total_ore,
    )
    partial = path.with_suffix(".partial")
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        _write_file_part(run, header, partial)
        partial.replace(path)
        return
    bounds = PaymentRunLine.objects.filter(run=run).aggregate(first=Min("id"), last=Max("id"))
    first, last = bounds["first"], bounds["last"]
    step = (last - first) // workers + 1
    with tempfile.TemporaryDirectory(prefix="jobcenter-file-", dir=path.parent) as scratch_name:
        scratch = Path(scratch_name)

        def write_share(share: int) -> dict[str, Any]:
            ids = (first + share * step, first + (share + 1) * step)
            try:
                return {"written": _write_file_part(run, header, scratch / f"part-{share}.xml", ids)}
            except PaymentFileInvalid as invalid:
                return {"invalid": invalid.message, "problems": invalid.problems}

        outcomes = in_processes(
            write_share, workers, scratch, _("Betalingsfilen blev ikke skrevet færdig. Intet er udbetalt.")
        )
        for outcome in outcomes:
            if "invalid" in outcome:
                raise PaymentFileInvalid(outcome["invalid"], outcome["problems"])
        # A part without transfers was not written (a document needs at least one transfer).
        parts = [
            (scratch / f"part-{share}.xml", Written(*outcome["written"]))
            for share, outcome in enumerate(outcomes)
            if outcome["written"][0]
        ]
        join_parts(partial, header, parts)
    partial.replace(path)


def _write_file_part(run: PaymentRun, header: FileHeader, path: Path, ids: tuple[int, int] | None = None) -> Written:
    """The transfers of the run's lines (those with `ids[0]` <= id < `ids[1]`, or all) in a document
    under `header`, validated; a part is checked against the header's totals by join_parts."""
    lines = PaymentRunLine.objects.filter(run=run, amount_ore__gt=0)
    if ids is not None:
        lines = lines.filter(id__gte=ids[0], id__lt=ids[1])
        if not lines.exists():
            return Written(0, 0)
    rows = lines.order_by("id").values_list(
        "grant_id", "amount_ore", "citizen__first_name", "citizen__last_name", "citizen__cpr"
    )
    remittance = f"Kontanthjælp {run.month:%m-%Y}"
    # One transaction for the streaming read (see fetch_batches); a national file parses to
    # millions of elements for validation, so the cycle collector waits.
    with transaction.atomic(), without_cyclic_gc():
        written = write_pain001(
            path,
            header,
            (
                Transfer(end_to_end_id(grant_id, run.month), amount, f"{first} {last}", cpr, remittance)
                for batch in fetch_batches(rows)
                for grant_id, amount, first, last, cpr in batch
            ),
            part=ids is not None,
        )
    with without_cyclic_gc():
        validate_pain001(path)
    return written


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
