"""The parallel workers of a payment run: forked processes (PostgreSQL, outside a transaction)
that compute a trial's shares, write the payment file's parts and pay the release's shares.

None of them shares a database connection across the fork; the work of the trial's and the
file's processes writes nothing to the database (their caller does, in one transaction).
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _

from jobcenter.benefits.calculation import CalculationRefused
from jobcenter.payments.claims import ClaimRefused
from jobcenter.payments.compute import TrialTotals, compute_trial, without_cyclic_gc
from jobcenter.payments.ledger import copy_file
from jobcenter.payments.lines import LINE_COLUMNS, line_copy_text, write_breakdowns
from jobcenter.payments.models import PaymentRun, PaymentRunLine
from jobcenter.payments.refusals import PaymentRunRefused, Progress, ReleaseInterrupted, problems_of

ComputedTrial = tuple[TrialTotals, list[uuid.UUID], Callable[[PaymentRun], None]]


def compute_in_processes(
    municipality_id: int, month: datetime.date, run_id: uuid.UUID, progress: Progress, scratch: Path, workers: int
) -> ComputedTrial:
    def compute_share(share: int) -> dict[str, Any]:
        # The first share reports progress for all (the shares are about equally large).
        say = None if share else lambda phase, done, total: progress(phase, done * workers, total * workers)
        try:
            trial = compute_trial(municipality_id, month, say, share, workers)
        except CalculationRefused as refused:
            return {"refused": refused.message, "problems": problems_of(refused)}
        if not trial.without_nemkonto:
            with (scratch / f"lines-{share}.copy").open("w", encoding="utf-8") as out:
                for first in range(0, len(trial.lines), 10_000):
                    batch = trial.lines[first : first + 10_000]
                    out.write("".join([line_copy_text(run_id.hex, line) + "\n" for line in batch]))
            for first, data in trial.breakdowns:
                (scratch / f"breakdowns-{share}-{first}.npz").write_bytes(data)
        return {
            "totals": asdict(TrialTotals.of(trial.lines)),
            "without_nemkonto": [str(citizen) for citizen in trial.without_nemkonto],
        }

    outcomes = in_processes(
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
            blocks = sorted(scratch.glob(f"breakdowns-{share}-*.npz"), key=lambda path: int(path.stem.split("-")[2]))
            write_breakdowns(run, share, [(int(path.stem.split("-")[2]), path.read_bytes()) for path in blocks])

    return totals, without_nemkonto, write_lines


def in_processes(
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


def pay_in_processes(pay_share: Callable[..., None], args: tuple[Any, ...], workers: int) -> None:
    """`pay_share(*args, share, workers)` in `workers` forked processes, each paying its own share of
    the lines. A worker's refusal is raised here with its reason; a worker that dies raises
    ReleaseInterrupted once the others are done."""
    # Each process opens its own connection: none may be shared across the fork.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    # A worker that refuses (e.g. an offset that no longer fits its claim) sends the reason home,
    # so the person releasing reads why, not only that the release stopped.
    refusals = context.SimpleQueue()
    processes = [
        context.Process(
            target=_release_worker,
            args=(refusals, pay_share, *args, share, workers),
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


def _release_worker(refusals: Any, pay_share: Callable[..., None], *args: Any) -> None:
    try:
        # The worker inherits the parent's heap; a collection would walk it all (and copy every
        # page it touches). What a chunk builds is freed by reference counting.
        with without_cyclic_gc():
            pay_share(*args)
    except (PaymentRunRefused, ClaimRefused) as refused:
        refusals.put(refused.message)
        raise
    finally:
        connections.close_all()
