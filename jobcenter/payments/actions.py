"""The payment run's verbs before the release: start a trial, approve it. Each in one transaction
with its audit record. The release is in release.py, its payment file in payment_file.py, the
forked processes of a large run in workers.py, the stored lines' format in lines.py.
"""

from __future__ import annotations

import datetime
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.calculation import CalculationRefused
from jobcenter.benefits.periods import month_start
from jobcenter.payments.claims import ClaimRefused, check_run_offsets, refuse_offsets_beside_pending_runs
from jobcenter.payments.compute import TrialTotals, compute_trial, without_cyclic_gc
from jobcenter.payments.lines import write_breakdowns, write_lines
from jobcenter.payments.models import BINDING_STATUSES, PaymentRun, RunStatus
from jobcenter.payments.paydays import payment_date
from jobcenter.payments.refusals import PaymentRunRefused, Progress, problems_of, quiet
from jobcenter.payments.workers import ComputedTrial, compute_in_processes
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import Municipality, User


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
    progress: Progress = quiet,
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
            raise PaymentRunRefused(refused.message, problems_of(refused)) from None

        def write(run: PaymentRun) -> None:
            write_lines(run, trial.lines)
            write_breakdowns(run, 0, trial.breakdowns)

        yield TrialTotals.of(trial.lines), trial.without_nemkonto, write
        return
    with tempfile.TemporaryDirectory(prefix="jobcenter-trial-") as scratch:
        yield compute_in_processes(municipality_id, month, run_id, progress, Path(scratch), workers)


def _refuse_if_month_is_bound(place: Municipality, month: datetime.date) -> None:
    bound = PaymentRun.objects.filter(municipality=place, month=month, status__in=BINDING_STATUSES).first()
    if bound is not None:
        raise PaymentRunRefused(
            _("Udbetalingen for %(month)s er allerede %(status)s. Rettelser kommer med i næste måneds kørsel.")
            % {"month": f"{month:%Y-%m}", "status": bound.get_status_display().lower()}
        )


def run_for_update(user: User, run_id: uuid.UUID | str) -> PaymentRun:
    try:
        return PaymentRun.objects.select_for_update().get(pk=run_id, municipality=working_municipality(user))
    except (PaymentRun.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def do_approve_run(user: User, run_id: uuid.UUID | str) -> PaymentRun:
    """A second person approves the trial: from now on it can be released, and nothing in it changes."""
    require_permission(user, Permission.PAYMENTS_APPROVE)
    with transaction.atomic():
        run = run_for_update(user, run_id)
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
