"""The release of an approved payment run: the payment file, then the payments and the ledger in
chunks, then the file to NemKonto; and queueing the release for the worker.

Exactly once (docs/payments.md): release pays the trial's lines in chunks, each
chunk one database transaction that writes the payments, their ledger
transactions and their corrections together, and moves the progress. A
payment is unique per (grant, month) in the database, and a chunk only takes
lines whose grant has no payment for the month yet; so a release that crashes
anywhere is simply run again and finishes the rest, and a release run twice
pays nothing twice.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Max, Min, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.events.actions import publish
from jobcenter.events.types import PaymentRunReleased
from jobcenter.integrations import nemkonto
from jobcenter.payments.actions import run_for_update
from jobcenter.payments.claims import ClaimRefused, book_claims_and_offsets, check_run_offsets
from jobcenter.payments.ledger import bulk_insert, chunk_postings, write_transactions
from jobcenter.payments.models import (
    Payment,
    PaymentCorrection,
    PaymentRun,
    PaymentRunLine,
    RecalculationResolution,
    RunStatus,
)
from jobcenter.payments.pain001 import PaymentFileInvalid
from jobcenter.payments.payment_file import sha256_of, staged_file, write_file
from jobcenter.payments.refusals import ChunkHook, PaymentRunRefused, Progress, quiet
from jobcenter.payments.workers import pay_in_processes
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User


def do_release_run(
    user: User,
    run_id: uuid.UUID | str,
    *,
    chunk_size: int | None = None,
    progress: Progress = quiet,
    inside_chunk: ChunkHook | None = None,
    after_chunk: ChunkHook | None = None,
    workers: int | None = None,
) -> PaymentRun:
    """Pay an approved run: the payment file first (validated, or nothing happens), then the
    payments and the ledger in chunks, then the file to NemKonto. Safe to run again after a crash.

    `inside_chunk`/`after_chunk` are called with the chunk number inside each chunk's
    transaction and after its commit (the fault tests use them to stop the release).
    `workers` (default JOBCENTER_PAYMENT_RELEASE_WORKERS) processes pay the chunks in parallel on
    PostgreSQL; a worker that dies raises ReleaseInterrupted once the others are done.
    """
    require_permission(user, Permission.PAYMENTS_RUN)
    chunk_size = chunk_size or settings.JOBCENTER_PAYMENT_CHUNK_SIZE
    workers = workers or settings.JOBCENTER_PAYMENT_RELEASE_WORKERS
    with transaction.atomic():
        run = run_for_update(user, run_id)
        if run.status == RunStatus.RELEASED:
            return run  # released before: releasing again pays nothing
        if run.status not in (RunStatus.APPROVED, RunStatus.RELEASING):
            raise PaymentRunRefused(
                _("Kørslen kan ikke udbetales: den er %(status)s. Den skal først godkendes af en anden person.")
                % {"status": run.get_status_display().lower()}
            )
        if run.status == RunStatus.APPROVED:
            # The offsets again, before anything is written or the run starts releasing: a refusal
            # here leaves the run approved and untouched (each chunk checks once more under its lock).
            try:
                check_run_offsets(run)
            except ClaimRefused as refused:
                raise PaymentRunRefused(refused.message) from None
    # Nothing to transfer (only claims or zero lines): no file, the ledger still records the run.
    path = staged_file(run) if run.payment_count else None
    file_sha256 = ""
    if path is not None:
        # A resumed release uses the file the first attempt wrote, if not a byte has changed since.
        if run.file_sha256 and path.exists() and sha256_of(path) == run.file_sha256:
            file_sha256 = run.file_sha256
        else:
            progress("betalingsfil", 0, run.payment_count)
            try:
                write_file(run, path, workers)
            except PaymentFileInvalid as invalid:
                raise PaymentRunRefused(
                    _("Betalingsfilen blev afvist, og intet er udbetalt: %(message)s") % {"message": invalid.message},
                    invalid.problems,
                ) from None
            file_sha256 = sha256_of(path)
    with transaction.atomic():
        run = run_for_update(user, run_id)
        if run.status == RunStatus.APPROVED:
            run.status = RunStatus.RELEASING
            run.released_by = user
        run.file_name = path.name if path is not None else ""
        run.file_sha256 = file_sha256
        run.progress_phase = "udbetaler"
        run.progress_total = run.grant_count
        run.save(
            update_fields=["status", "released_by", "file_name", "file_sha256", "progress_phase", "progress_total"]
        )
        record(user, AuditAction.UPDATE, obj=run, detail={"release": "started", "file": run.file_name})
    progress("udbetaler", run.progress_done, run.grant_count)
    try:
        _pay_in_chunks(user, run, chunk_size, progress, inside_chunk, after_chunk, workers)
    except ClaimRefused as refused:
        raise PaymentRunRefused(refused.message) from None
    receipt = nemkonto.client().submit(path.name, path) if path is not None else ""
    with transaction.atomic():
        run = run_for_update(user, run_id)
        run.status = RunStatus.RELEASED
        run.released_at = timezone.now()
        run.progress_phase = "udbetalt"
        run.save(update_fields=["status", "released_at", "progress_phase"])
        record(user, AuditAction.UPDATE, obj=run, detail={"release": "done", "receipt": receipt})
        # National reporting (events/handlers.py): one event per run; its handler pages the payments.
        publish(
            PaymentRunReleased(
                municipality_id=run.municipality_id,
                occurred_at=run.released_at,
                run_id=run.pk,
                month=run.month,
                payment_date=run.payment_date,
                payment_count=run.payment_count,
            )
        )
        # The citizens' specification letters, on the worker and outside the release's timed path.
        transaction.on_commit(lambda: _enqueue_specifications(str(run.pk)))
    progress("udbetalt", run.grant_count, run.grant_count)
    return run


def _refuse_unless_releasable(run: PaymentRun) -> None:
    # The same refusal as do_release_run's: the four-eyes rule is that only an approved run is paid.
    if run.status not in (RunStatus.APPROVED, RunStatus.RELEASING):
        raise PaymentRunRefused(
            _("Kørslen kan ikke udbetales: den er %(status)s. Den skal først godkendes af en anden person.")
            % {"status": run.get_status_display().lower()}
        )


def do_queue_release(user: User, run_id: uuid.UUID | str) -> PaymentRun:
    """Queue the release of an approved run for the worker (`payments.tasks.release_run`), as this user.

    Checked here with the same permission and four-eyes rule as `do_release_run`, so a refusal
    is shown at once; the worker checks again when it runs. Releasing twice pays nothing twice.
    """
    require_permission(user, Permission.PAYMENTS_RUN)
    with transaction.atomic():
        run = run_for_update(user, run_id)
        if run.status == RunStatus.RELEASED:
            return run
        _refuse_unless_releasable(run)
        run.release_queued_by = user
        run.release_queued_at = timezone.now()
        run.release_error = ""
        run.save(update_fields=["release_queued_by", "release_queued_at", "release_error"])
        record(user, AuditAction.UPDATE, obj=run, detail={"release": "queued"})
        user_id, queued_run = str(user.pk), str(run.pk)
        transaction.on_commit(lambda: _enqueue_release(user_id, queued_run))
    return run


def _enqueue_release(user_id: str, run_id: str) -> None:
    from jobcenter.payments.tasks import release_run

    release_run.enqueue(user_id, run_id)


def _enqueue_specifications(run_id: str) -> None:
    from jobcenter.payments.tasks import issue_specifications

    issue_specifications.enqueue(run_id)


def do_record_release_refused(run_id: uuid.UUID | str, message: str) -> None:
    """The worker could not release the run: say why on the run's page (nothing was paid by that attempt)."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        run.release_error = message[:500]
        run.save(update_fields=["release_error"])
        record(
            None,
            AuditAction.UPDATE,
            obj=run,
            municipality=run.municipality,
            username="system",
            detail={"release": "refused", "message": message[:500]},
        )


def _pay_in_chunks(
    user: User,
    run: PaymentRun,
    chunk_size: int,
    progress: Progress,
    inside_chunk: ChunkHook | None,
    after_chunk: ChunkHook | None,
    workers: int = 1,
) -> None:
    """Pay the lines still unpaid, in chunks; with `workers` > 1 (PostgreSQL, outside a transaction),
    in that many processes, each paying its own share of the lines (every `workers`-th window of line ids)."""
    # A resumed release starts where the last one stopped.
    PaymentRun.objects.filter(pk=run.pk).update(progress_done=Payment.objects.filter(run=run).count())
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        _pay_share(user, run, chunk_size, progress, inside_chunk, after_chunk)
        return
    pay_in_processes(_pay_share, (user, run, chunk_size, progress, inside_chunk, after_chunk), workers)


def _pay_share(
    user: User,
    run: PaymentRun,
    chunk_size: int,
    progress: Progress,
    inside_chunk: ChunkHook | None,
    after_chunk: ChunkHook | None,
    share: int = 0,
    shares: int = 1,
) -> None:
    chunk_number = 0
    # The lines whose grant has no payment for the month yet (so a resumed release skips what was
    # paid, and a line is never paid twice: the unique constraint is the last word).
    unpaid = (
        PaymentRunLine.objects.filter(run=run)
        .exclude(Exists(Payment.objects.filter(grant_id=OuterRef("grant_id"), month=run.month)))
        .order_by("id")
    )
    # Taken in windows of `chunk_size` line ids, the windows dealt out in turn to the shares: each
    # query reads one bounded range of the (run, id) index, whatever the planner's statistics say
    # about a table that just got a million lines. (Asking for "the next chunk_size unpaid lines"
    # let PostgreSQL anti-join and sort every remaining line for every chunk.)
    bounds = PaymentRunLine.objects.filter(run=run).aggregate(first=Min("id"), last=Max("id"))
    if bounds["first"] is None:
        return
    for window in range(bounds["first"] + share * chunk_size, bounds["last"] + 1, shares * chunk_size):
        with transaction.atomic():
            if shares > 1:
                # One release of this share at a time (two people releasing at once wait for each other).
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_release_lock_key(run), share])
            else:
                PaymentRun.objects.select_for_update().get(pk=run.pk)  # one release at a time
            pending = list(unpaid.filter(id__gte=window, id__lt=window + chunk_size).values_list(*LINE_FIELDS))
            if not pending:
                continue  # paid by an earlier release, or ids of other runs' lines
            chunk_number += 1
            _pay_lines(run, pending)
            if inside_chunk is not None:
                inside_chunk(chunk_number)
            record(
                user,
                AuditAction.CREATE,
                object_type="payments.payment",
                object_id=str(run.pk),
                municipality=run.municipality,
                detail={"chunk": chunk_number, "payments": len(pending), "run": str(run.pk), "share": share},
            )
            # Last: the run's row stays locked from here to the commit, so parallel shares wait only briefly.
            PaymentRun.objects.filter(pk=run.pk).update(progress_done=F("progress_done") + len(pending))
        done = PaymentRun.objects.values_list("progress_done", flat=True).get(pk=run.pk)
        progress("udbetaler", done, run.grant_count)
        if after_chunk is not None:
            after_chunk(chunk_number)


def _release_lock_key(run: PaymentRun) -> int:
    """A 32-bit advisory-lock key for the run (pg_advisory_xact_lock(int, int))."""
    return int.from_bytes(run.pk.bytes[:4], "big", signed=True)


LINE_FIELDS = (
    "id",
    "grant_id",
    "citizen_id",
    "regular_ore",
    "correction_ore",
    "amount_ore",
    "claim_ore",
    # As text, parsed only where there are corrections (the JSON field's converter runs per row).
    Cast("corrections", TextField()),
    "offset_ore",
)


# A payment's columns in the order _pay_lines builds its rows.
PAYMENT_COLUMNS = [
    "id",
    "run_id",
    "grant_id",
    "month",
    "regular_ore",
    "correction_ore",
    "amount_ore",
    "claim_ore",
    "transaction_id",
    "created_at",
]


def _pay_lines(run: PaymentRun, lines: list[tuple[Any, ...]]) -> None:
    """The payments, their chunk's ledger transaction and the corrections of some lines (LINE_FIELDS):
    call inside one transaction.

    One ledger transaction for the chunk: the control accounts' totals, and entries on a citizen's
    own account only where it keeps a balance (ledger.chunk_postings); the payments are the detail.
    """
    now = timezone.now()
    transaction_id = uuid.uuid4()
    payments = []
    corrections = []
    mark_payments: list[tuple[list[int], uuid.UUID]] = []
    claims_and_offsets = []
    for line in lines:
        _id, grant_id, citizen_id, regular_ore, correction_ore, amount_ore, claim_ore, corrections_text, offset = line
        payment_id = uuid.uuid4()
        line_corrections = json.loads(corrections_text) if corrections_text != "[]" else []
        if claim_ore or offset:
            claims_and_offsets.append((payment_id, grant_id, citizen_id, claim_ore, offset))
        payments.append(
            (
                payment_id,
                run.pk,
                grant_id,
                run.month,
                regular_ore,
                correction_ore,
                amount_ore,
                claim_ore,
                transaction_id,
                now,
            )
        )
        for correction in line_corrections:
            corrections.append(
                (
                    payment_id,
                    grant_id,
                    datetime.date.fromisoformat(correction["month"] + "-01"),
                    correction["should_ore"],
                    correction["paid_ore"],
                    correction["difference_ore"],
                    correction["reason"],
                )
            )
            mark_payments.append((correction["marks"], payment_id))
    # (citizen, regular, correction, amount, claim, offset) per line.
    postings = chunk_postings((*line[2:7], line[8]) for line in lines)
    description = f"Kontanthjælp {run.month:%Y-%m}: {len(lines)} udbetalinger"
    write_transactions(
        municipality_id=run.municipality_id,
        run_id=run.pk,
        booked_on=run.payment_date,
        transactions=[(transaction_id, description, postings)],
    )
    bulk_insert(Payment, PAYMENT_COLUMNS, payments)
    if corrections:
        bulk_insert(
            PaymentCorrection,
            ["payment_id", "grant_id", "for_month", "should_ore", "paid_ore", "difference_ore", "reason"],
            corrections,
        )
    book_claims_and_offsets(run, claims_and_offsets)
    if mark_payments:
        # A mark is settled once (its resolution's key is the mark): a second booking leaves it as it was.
        RecalculationResolution.objects.bulk_create(
            [
                RecalculationResolution(mark_id=mark_id, payment_id=payment_id)
                for mark_ids, payment_id in mark_payments
                for mark_id in mark_ids
            ],
            ignore_conflicts=True,
        )
