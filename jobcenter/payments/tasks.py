"""Work on payment runs that happens on the worker, not in a web request: releasing a run, and the
specification letters of a released run."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied

from jobcenter.audit.context import work_context
from jobcenter.events.background import background_task, heartbeat

logger = logging.getLogger(__name__)


def _run_label(what: str, run_id: str) -> tuple[str, Any]:
    from jobcenter.payments.models import PaymentRun
    from jobcenter.rules.breakdown import month_in_danish

    run = PaymentRun.objects.select_related("municipality").get(pk=run_id)
    return f"{what} {month_in_danish(f'{run.month:%Y-%m}')} ({run.municipality.name})", run.municipality_id


def release_key(run_id: str) -> str:
    """One job per run, whoever pressed the button: its lease tells the run's page whether the
    release is alive (events/background.py)."""
    return f"payments.release_run:{run_id}"


@background_task(
    describe=lambda user_id, run_id: _run_label("Udbetaling af kørslen for", run_id),
    key=lambda user_id, run_id: release_key(run_id),
    heartbeat=True,
)
def release_run(user_id: str, run_id: str) -> str:
    """Release an approved run as the user who pressed the button (their permission and the
    four-eyes rule are checked again by `do_release_run`). Progress is committed chunk by chunk,
    so the run's page shows it live. Safe to run again: a resumed release pays only what is left."""
    from jobcenter.payments.refusals import PaymentRunRefused
    from jobcenter.payments.release import do_record_release_refused, do_release_run
    from jobcenter.tenancy.models import User

    with work_context("task:release_run"):
        user = User.objects.get(pk=user_id)
        try:
            # Each chunk renews the release's lease; a worker killed mid-release lets it run out.
            run = do_release_run(user, run_id, progress=lambda phase, done, total: heartbeat())
        except PaymentRunRefused as refused:
            logger.error("payment run %s not released: %s", run_id, refused.message)
            do_record_release_refused(run_id, " ".join([refused.message, *refused.problems]))
            return "refused"
        except PermissionDenied:
            logger.error("payment run %s not released: user %s may no longer release runs", run_id, user_id)
            do_record_release_refused(
                run_id, "Brugeren, der satte udbetalingen i gang, har ikke længere adgang til det."
            )
            return "refused"
        except Exception:
            # Anything else (NemKonto not answering, the database gone): say so on the run's page,
            # so it does not wait for ever. What was committed stands; releasing again pays the rest.
            logger.exception("payment run %s: the release stopped", run_id)
            do_record_release_refused(
                run_id,
                "Udbetalingen stoppede uventet. Det, der er bogført, står fast, og ingen er betalt to gange. "
                "Den prøves igen automatisk om lidt, og du kan også genoptage den nu; driften kan se fejlen.",
            )
            raise
        return str(run.status)


# Letters per task run. Each letter is rendered to PDF/A (a fraction of a second to a
# second, docs/letters.md) and committed on its own, so a crash loses no letter already
# made; queuing the task again (jobcenter payments letters RUN) goes on from there.
SPECIFICATION_CHUNK = 100


@background_task(
    describe=lambda run_id, chunk_size=SPECIFICATION_CHUNK: _run_label("Specifikationsbreve for kørslen for", run_id),
    key=lambda run_id, chunk_size=SPECIFICATION_CHUNK: f"payments.issue_specifications:{run_id}",
    heartbeat=True,
)
def issue_specifications(run_id: str, chunk_size: int = SPECIFICATION_CHUNK) -> str:
    """Issue the next chunk of a released run's specification letters, then queue the next chunk.

    Idempotent and resumable: it takes only payments without a specification (a unique
    constraint allows one per payment, ever), so it can be run again after a crash, or
    by several workers at once, and never sends a second letter.
    """
    from jobcenter.citizens.models import Citizen
    from jobcenter.payments.models import PaymentRun, RunStatus
    from jobcenter.payments.specifications import (
        SpecificationMismatch,
        do_issue_specification,
        do_refuse_specification,
        paid_months,
        payments_needing_letters,
    )

    with work_context("task:issue_specifications"):
        run = PaymentRun.objects.select_related("municipality", "released_by").get(pk=run_id)
        if run.status != RunStatus.RELEASED:
            return "not released"
        payments = list(
            payments_needing_letters(run)
            .filter(specification__isnull=True)
            .select_related("grant")
            .order_by("id")[:chunk_size]
        )
        if not payments:
            return "done"
        citizens = Citizen.objects.in_bulk([payment.grant.citizen_id for payment in payments])
        issued = refused = 0
        by_id = {payment.pk: payment for payment in payments}
        for payment_id, figures in paid_months(run, payments).items():
            payment = by_id[payment_id]
            heartbeat()  # alive: a worker killed mid-chunk lets the lease run out, and the watch retries
            if isinstance(figures, SpecificationMismatch):
                refused += do_refuse_specification(run, payment, figures.message)
            else:
                issued += do_issue_specification(run, payment, citizens[payment.grant.citizen_id], figures)
        if len(payments) == chunk_size:
            issue_specifications.enqueue(run_id, chunk_size)
        return f"{issued} issued, {refused} refused"
