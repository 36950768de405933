"""Every write of a payment run: trial, approval, release. Each in transactions with its audit record.

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
import hashlib
import json
import multiprocessing
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Exists, F, Max, Min, OuterRef, Sum, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.calculation import CalculationRefused
from jobcenter.benefits.models import RecalculationMark
from jobcenter.benefits.periods import month_start
from jobcenter.events.actions import publish
from jobcenter.events.types import PaymentRunReleased
from jobcenter.integrations import nemkonto
from jobcenter.payments.claims import (
    ClaimRefused,
    book_claims_and_offsets,
    check_run_offsets,
    refuse_offsets_beside_pending_runs,
)
from jobcenter.payments.compute import Line, TrialTotals, compute_trial, without_cyclic_gc
from jobcenter.payments.ledger import (
    bulk_insert,
    chunk_postings,
    copy_file,
    copy_rows,
    copy_text,
    fetch_batches,
    write_transactions,
)
from jobcenter.payments.models import (
    BINDING_STATUSES,
    Payment,
    PaymentCorrection,
    PaymentRun,
    PaymentRunLine,
    RunStatus,
)
from jobcenter.payments.pain001 import (
    FileHeader,
    PaymentFileInvalid,
    Transfer,
    Written,
    join_parts,
    validate_pain001,
    write_pain001,
)
from jobcenter.payments.paydays import payment_date
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import Municipality, User

Progress = Callable[[str, int, int], None]
ChunkHook = Callable[[int], None]


class PaymentRunRefused(Exception):
    """The run was not started, approved or released; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _quiet(phase: str, done: int, total: int) -> None:
    return None


def _municipality_for(user: User, municipality: Municipality | None) -> Municipality:
    own = working_municipality(user)
    if municipality is not None and municipality.pk != own.pk:
        raise PaymentRunRefused(_("Du kan kun køre udbetalinger for din egen kommune."))
    return own


def do_start_trial_run(
    user: User,
    month: datetime.date,
    *,
    municipality: Municipality | None = None,
    progress: Progress = _quiet,
) -> PaymentRun:
    """Compute every grant for the month and store the result as a trial run.

    Refused, with nothing written, for a month without approved rates, for
    grants to be paid without a NemKonto, and for a month already approved or
    paid. A newer trial supersedes an older one.
    """
    require_permission(user, Permission.PAYMENTS_RUN)
    place = _municipality_for(user, municipality)
    month = month_start(month)
    _refuse_if_month_is_bound(place, month)
    run_id = uuid.uuid4()
    with _computed_trial(place.pk, month, run_id, progress) as (totals, without_nemkonto, write_lines):
        if without_nemkonto:
            raise PaymentRunRefused(
                _(
                    "%(count)s borger(e) skal have udbetalt, men har ingen NemKonto. Kørslen er ikke startet; "
                    "få NemKonto registreret, eller stands udbetalingen ved en afgørelse."
                )
                % {"count": len(without_nemkonto)},
                [_("borger %(id)s") % {"id": citizen_id} for citizen_id in without_nemkonto[:20]],
            )
        with transaction.atomic(), without_cyclic_gc():
            _refuse_if_month_is_bound(place, month)
            try:
                refuse_offsets_beside_pending_runs(place.pk, month, totals.offset_total_ore)
            except ClaimRefused as refused:
                raise PaymentRunRefused(refused.message) from None
            PaymentRun.objects.filter(municipality=place, month=month, status__in=["computing", "trial"]).update(
                status=RunStatus.SUPERSEDED
            )
            run = PaymentRun.objects.create(
                id=run_id,
                municipality=place,
                month=month,
                status=RunStatus.TRIAL,
                payment_date=payment_date(place.code, month),
                started_by=user,
                **asdict(totals),
                progress_phase="prøvekørsel",
                progress_done=0,
                progress_total=totals.grant_count,
            )
            write_lines(run)
            record(
                user,
                AuditAction.CREATE,
                obj=run,
                municipality=place,
                detail={"month": f"{month:%Y-%m}", "grants": run.grant_count, "total_ore": run.total_ore},
            )
    progress("prøvekørsel", totals.grant_count, totals.grant_count)
    return run


ComputedTrial = tuple[TrialTotals, list[uuid.UUID], Callable[[PaymentRun], None]]


@contextmanager
def _computed_trial(
    municipality_id: int, month: datetime.date, run_id: uuid.UUID, progress: Progress
) -> Iterator[ComputedTrial]:
    """The trial computed, nothing written yet: its totals, the citizens without NemKonto, and
    how to write its lines (inside the caller's transaction, once the run exists).

    With JOBCENTER_PAYMENT_TRIAL_WORKERS = N > 1 on PostgreSQL, N forked processes each compute
    the citizens of one share (compute.citizen_share) and format their lines for COPY in a
    scratch file; the lines are then copied in the one transaction that creates the run, so a
    trial is still stored whole or not at all."""
    workers = settings.JOBCENTER_PAYMENT_TRIAL_WORKERS
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        try:
            trial = compute_trial(municipality_id, month, progress)
        except CalculationRefused as refused:
            raise PaymentRunRefused(refused.message, _problems(refused)) from None
        yield TrialTotals.of(trial.lines), trial.without_nemkonto, lambda run: _write_lines(run, trial.lines)
        return
    with tempfile.TemporaryDirectory(prefix="jobcenter-trial-") as scratch:
        yield _compute_in_processes(municipality_id, month, run_id, progress, Path(scratch), workers)


def _problems(refused: CalculationRefused) -> list[str]:
    return [f"{problem.field}: {problem.message}" for problem in refused.problems]


def _compute_in_processes(
    municipality_id: int, month: datetime.date, run_id: uuid.UUID, progress: Progress, scratch: Path, workers: int
) -> ComputedTrial:
    def compute_share(share: int) -> dict[str, Any]:
        # The first share reports progress for all (the shares are about equally large).
        say = None if share else lambda phase, done, total: progress(phase, done * workers, total * workers)
        try:
            trial = compute_trial(municipality_id, month, say, share, workers)
        except CalculationRefused as refused:
            return {"refused": refused.message, "problems": _problems(refused)}
        if not trial.without_nemkonto:
            with (scratch / f"lines-{share}.copy").open("w", encoding="utf-8") as out:
                for first in range(0, len(trial.lines), 10_000):
                    batch = trial.lines[first : first + 10_000]
                    out.write("".join([line_copy_text(run_id.hex, line) + "\n" for line in batch]))
        return {
            "totals": asdict(TrialTotals.of(trial.lines)),
            "without_nemkonto": [str(citizen) for citizen in trial.without_nemkonto],
        }

    outcomes = _in_processes(
        compute_share,
        workers,
        scratch,
        _("Prøvekørslen blev afbrudt under beregningen. Intet er gemt; start prøvekørslen igen."),
    )
    for outcome in outcomes:
        if "refused" in outcome:
            raise PaymentRunRefused(outcome["refused"], outcome["problems"])
    totals = sum((TrialTotals(**outcome["totals"]) for outcome in outcomes), TrialTotals())
    without_nemkonto = [uuid.UUID(citizen) for outcome in outcomes for citizen in outcome["without_nemkonto"]]

    def write_lines(run: PaymentRun) -> None:
        for share in range(workers):
            copy_file(PaymentRunLine, LINE_COLUMNS, scratch / f"lines-{share}.copy")

    return totals, without_nemkonto, write_lines


def _in_processes(
    work: Callable[[int], dict[str, Any]], shares: int, scratch: Path, interrupted: str
) -> list[dict[str, Any]]:
    """`work(share)` for each share in its own forked process (PostgreSQL, outside a transaction);
    their outcomes (JSON) in share order. A process that dies raises PaymentRunRefused(interrupted)
    once all have ended. The work writes nothing to the database: its caller does, in one transaction."""
    connections.close_all()  # each process opens its own connection: none may be shared across the fork
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_share_worker, args=(work, share, scratch), name=f"share-{share}")
        for share in range(shares)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    outcomes = []
    for share, process in enumerate(processes):
        outcome = scratch / f"outcome-{share}.json"
        if process.exitcode != 0 or not outcome.exists():
            raise PaymentRunRefused(interrupted)
        outcomes.append(json.loads(outcome.read_text(encoding="utf-8")))
    return outcomes


def _share_worker(work: Callable[[int], dict[str, Any]], share: int, scratch: Path) -> None:
    """In the forked process: the work, then its outcome to `outcome-<share>.json` (which therefore
    exists only if the work finished). The cycle collector waits, as in the release's workers."""
    try:
        with without_cyclic_gc():
            outcome = work(share)
        written = scratch / f"outcome-{share}.partial"
        written.write_text(json.dumps(outcome), encoding="utf-8")
        written.replace(scratch / f"outcome-{share}.json")
    finally:
        connections.close_all()


LINE_COLUMNS = [
    "run_id",
    "grant_id",
    "citizen_id",
    "days",
    "full_month_ore",
    "regular_ore",
    "correction_ore",
    "amount_ore",
    "claim_ore",
    "previous_ore",
    "outlier",
    "corrections",
    "offset_ore",
]


def line_values(run_id: uuid.UUID, line: Line) -> tuple[Any, ...]:
    """A trial line's values in LINE_COLUMNS' order."""
    return (
        run_id,
        line.grant_id,
        line.citizen_id,
        line.days,
        line.full_month_ore,
        line.regular_ore,
        line.correction_ore,
        line.amount_ore,
        line.claim_ore,
        line.previous_ore,
        line.outlier,
        line.corrections,
        line.offset_ore,
    )


def line_copy_text(run_hex: str, line: Line) -> str:
    """A trial line in COPY's text format: the same text as `copy_text` value by value (a test
    compares them), formatted in one f-string, because a national trial writes a million lines."""
    previous = "\\N" if line.previous_ore is None else int(line.previous_ore)
    outlier = copy_text(line.outlier) if line.outlier else ""
    corrections = copy_text(line.corrections) if line.corrections else "[]"
    return (
        f"{run_hex}\t{line.grant_id.hex}\t{line.citizen_id.hex}\t{int(line.days)}\t{int(line.full_month_ore)}\t"
        f"{int(line.regular_ore)}\t{int(line.correction_ore)}\t{int(line.amount_ore)}\t{int(line.claim_ore)}\t"
        f"{previous}\t{outlier}\t{corrections}\t{int(line.offset_ore)}"
    )


def _write_lines(run: PaymentRun, lines: list[Line]) -> None:
    if connection.vendor == "postgresql":
        run_hex = run.pk.hex
        copy_rows(PaymentRunLine, LINE_COLUMNS, (line_copy_text(run_hex, line) for line in lines))
    else:
        bulk_insert(PaymentRunLine, LINE_COLUMNS, (line_values(run.pk, line) for line in lines))


def _refuse_if_month_is_bound(place: Municipality, month: datetime.date) -> None:
    bound = PaymentRun.objects.filter(municipality=place, month=month, status__in=BINDING_STATUSES).first()
    if bound is not None:
        raise PaymentRunRefused(
            _("Udbetalingen for %(month)s er allerede %(status)s. Rettelser kommer med i næste måneds kørsel.")
            % {"month": f"{month:%Y-%m}", "status": bound.get_status_display().lower()}
        )


def _run_for_update(user: User, run_id: uuid.UUID | str) -> PaymentRun:
    try:
        return PaymentRun.objects.select_for_update().get(pk=run_id, municipality=working_municipality(user))
    except (PaymentRun.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def do_approve_run(user: User, run_id: uuid.UUID | str) -> PaymentRun:
    """A second person approves the trial: from now on it can be released, and nothing in it changes."""
    require_permission(user, Permission.PAYMENTS_APPROVE)
    with transaction.atomic():
        run = _run_for_update(user, run_id)
        if run.status != RunStatus.TRIAL:
            raise PaymentRunRefused(
                _("Kørslen kan ikke godkendes: den er %(status)s.") % {"status": run.get_status_display().lower()}
            )
        if run.started_by_id == user.pk:
            raise PaymentRunRefused(
                _("Du har selv startet kørslen. En anden person skal godkende den (to par øjne på hver udbetaling).")
            )
        try:
            check_run_offsets(run)
        except ClaimRefused as refused:
            raise PaymentRunRefused(refused.message) from None
        run.status = RunStatus.APPROVED
        run.approved_by = user
        run.approved_at = timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        record(user, AuditAction.UPDATE, obj=run, detail={"decision": "approved", "total_ore": run.total_ore})
    return run


def end_to_end_id(grant_id: uuid.UUID, month: datetime.date) -> str:
    """The transfer's id: the same grant and month always give the same id (the bank can refuse a repeat)."""
    return f"{grant_id.hex[:26]}{month:%Y%m}"


def staged_file(run: PaymentRun) -> Path:
    directory = Path(settings.JOBCENTER_PAYMENT_FILES_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"pain001-{run.municipality.code}-{run.month:%Y-%m}-{run.pk.hex[:8]}.xml"


def _write_file(run: PaymentRun, path: Path, workers: int) -> None:
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

        outcomes = _in_processes(
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def do_release_run(
    user: User,
    run_id: uuid.UUID | str,
    *,
    chunk_size: int | None = None,
    progress: Progress = _quiet,
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
        run = _run_for_update(user, run_id)
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
        if run.file_sha256 and path.exists() and _sha256(path) == run.file_sha256:
            file_sha256 = run.file_sha256
        else:
            progress("betalingsfil", 0, run.payment_count)
            try:
                _write_file(run, path, workers)
            except PaymentFileInvalid as invalid:
                raise PaymentRunRefused(
                    _("Betalingsfilen blev afvist, og intet er udbetalt: %(message)s") % {"message": invalid.message},
                    invalid.problems,
                ) from None
            file_sha256 = _sha256(path)
    with transaction.atomic():
        run = _run_for_update(user, run_id)
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
        run = _run_for_update(user, run_id)
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
        run = _run_for_update(user, run_id)
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


class ReleaseInterrupted(PaymentRunRefused):
    """A release worker stopped before its share was paid; what was committed stands, nothing twice."""


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
    # Each process opens its own connection: none may be shared across the fork.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    # A worker that refuses (e.g. an offset that no longer fits its claim) sends the reason home,
    # so the person releasing reads why, not only that the release stopped.
    refusals = context.SimpleQueue()
    processes = [
        context.Process(
            target=_release_worker,
            args=(refusals, user, run, chunk_size, progress, inside_chunk, after_chunk, share, workers),
            name=f"release-{share}",
        )
        for share in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if not refusals.empty():
        raise PaymentRunRefused(refusals.get())
    if any(process.exitcode != 0 for process in processes):
        raise ReleaseInterrupted(
            _(
                "Udbetalingen blev afbrudt undervejs. Det, der er bogført, står fast, og ingen er betalt to gange. "
                "Kør udbetalingen igen for at betale resten."
            )
        )


def _release_worker(refusals: Any, *args: Any) -> None:
    try:
        # The worker inherits the parent's heap; a collection would walk it all (and copy every
        # page it touches). What a chunk builds is freed by reference counting.
        with without_cyclic_gc():
            _pay_share(*args)
    except (PaymentRunRefused, ClaimRefused) as refused:
        refusals.put(refused.message)
        raise
    finally:
        connections.close_all()


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
    for mark_ids, payment_id in mark_payments:
        RecalculationMark.objects.filter(pk__in=mark_ids, resolved_by__isnull=True).update(resolved_by_id=payment_id)


def run_totals_paid(run: PaymentRun) -> int:
    return int(Payment.objects.filter(run=run).aggregate(total=Sum("amount_ore"))["total"] or 0)
