"""Payment runs: start a trial, inspect it, approve it (another person), release it; the ledger statement."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobcenter.events.background import is_stalled, job
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.forms import RunStartForm
from jobcenter.payments.models import PaymentRun, RunStatus
from jobcenter.payments.queries import (
    access_run,
    citizen_claims,
    citizen_statement,
    run_lines,
    runs_of_municipality,
)
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_queue_release
from jobcenter.payments.specifications import specification_progress, specification_refusals
from jobcenter.payments.tasks import release_key
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission


class RunMonthForm(RunStartForm):
    """The start form with the browser's month picker (it sends ÅÅÅÅ-MM; a browser without one shows a text field)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        widget = self.fields["month"].widget
        widget.input_type = "month"  # type: ignore[attr-defined]
        widget.attrs["max"] = _next_month().strftime("%Y-%m")
        self.fields["month"].help_text = _("Vælg måneden. Skrives den, er formen ÅÅÅÅ-MM, fx 2025-10.")
        if not self.is_bound:
            self.initial.setdefault("month", timezone.localdate().strftime("%Y-%m"))


def _next_month() -> datetime.date:
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    return _runs_page(request, RunMonthForm(), None)


def _runs_page(
    request: HttpRequest, form: RunStartForm, refusal: PaymentRunRefused | None, status: int = 200
) -> HttpResponse:
    context = {
        "runs": runs_of_municipality(request.user),  # type: ignore[arg-type]
        "form": form,
        "refusal": refusal,
        "can_run": request.user.has_permission(Permission.PAYMENTS_RUN),  # type: ignore[union-attr]
    }
    return render(request, "payments/runs.html", context, status=status)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.PAYMENTS_RUN)  # type: ignore[arg-type]
    form = RunMonthForm(request.POST)
    if not form.is_valid():
        return _runs_page(request, form, None, status=422)
    try:
        run = do_start_trial_run(request.user, form.cleaned_data["month"])  # type: ignore[arg-type]
    except PaymentRunRefused as refused:
        return _runs_page(request, form, refused, status=422)
    messages.success(request, _("Prøvekørslen er beregnet. En anden person skal godkende den, før den kan udbetales."))
    return HttpResponseRedirect(reverse("payments:run", args=[run.pk]))


def _letters(run: PaymentRun) -> dict[str, Any] | None:
    """The specification letters' progress, once the run is paid (payments.tasks.issue_specifications)."""
    if run.status != RunStatus.RELEASED:
        return None
    progress = specification_progress(run)
    return {**progress, "working": progress["issued"] + progress["refused"] < progress["total"]}


def _release_stalled(run: PaymentRun) -> bool:
    """The worker releasing the run since it was last queued died (its lease ran out) or gave up."""
    if run.status not in (RunStatus.APPROVED, RunStatus.RELEASING) or run.release_queued_at is None:
        return False
    return is_stalled(job(release_key(str(run.pk))), since=run.release_queued_at)


def _release_state(request: HttpRequest, run: PaymentRun) -> dict[str, Any]:
    stalled = _release_stalled(run)
    return {
        "release_stalled": stalled,
        "may_release": run.status in (RunStatus.APPROVED, RunStatus.RELEASING)
        and (stalled or not run.release_waiting)
        and request.user.has_permission(Permission.PAYMENTS_RUN),  # type: ignore[union-attr]
    }


def _run_context(request: HttpRequest, run: PaymentRun) -> dict[str, Any]:
    user = request.user
    return {
        "run": run,
        "letters": _letters(run),
        "outliers": run_lines(run, outliers_only=True),
        "lines": run_lines(run),
        "may_approve": run.status == RunStatus.TRIAL
        and run.started_by_id != user.pk
        and user.has_permission(Permission.PAYMENTS_APPROVE),  # type: ignore[union-attr]
        "own_run": run.started_by_id == user.pk,
        **_release_state(request, run),
    }


@login_required
def run_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    run = access_run(request.user, run_id)  # type: ignore[arg-type]
    context = _run_context(request, run)
    if context["letters"] and context["letters"]["refused"]:
        context["refusals"] = specification_refusals(run)
    return render(request, "payments/run_detail.html", context)


@login_required
def run_progress(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The progress bar alone, polled by htmx while a run is being released."""
    run = access_run(request.user, run_id, audit=False)  # type: ignore[arg-type]
    context = {"run": run, "letters": _letters(run), **_release_state(request, run)}
    return render(request, "payments/_run_progress.html", context)


def _act(request: HttpRequest, run_id: uuid.UUID, action: Any, done: str) -> HttpResponse:
    run = access_run(request.user, run_id)  # type: ignore[arg-type]
    try:
        action(request.user, run.pk)
    except PaymentRunRefused as refused:
        run.refresh_from_db()
        context = _run_context(request, run) | {"refusal": refused}
        return render(request, "payments/run_detail.html", context, status=422)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("payments:run", args=[run.pk]))


@login_required
@require_POST
def run_approve(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.PAYMENTS_APPROVE)  # type: ignore[arg-type]
    return _act(request, run_id, do_approve_run, _("Kørslen er godkendt og kan nu udbetales."))


@login_required
@require_http_methods(["GET", "POST"])
def run_release(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """Ask first: the page shows what will be paid (total, number of payments, payment day); the POST pays."""
    require_permission(request.user, Permission.PAYMENTS_RUN)  # type: ignore[arg-type]
    if request.method != "POST":
        run = access_run(request.user, run_id)  # type: ignore[arg-type]
        context = _run_context(request, run)
        if not context["may_release"]:
            messages.error(request, _("Kørslen kan ikke udbetales nu. Den skal være godkendt af en anden person."))
            return HttpResponseRedirect(reverse("payments:run", args=[run.pk]))
        return render(request, "payments/release_confirm.html", context)
    # The release runs on the worker (payments.tasks.release_run); the page follows its progress.
    return _act(
        request,
        run_id,
        do_queue_release,
        _(
            "Udbetalingen er sat i gang. Siden viser fremdriften; betalingsfilen sendes til NemKonto, når alt er betalt."
        ),
    )


@login_required
def statement(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen, lines = citizen_statement(request.user, citizen_id)  # type: ignore[arg-type]
    context = {"citizen": citizen, "lines": lines, "claims": citizen_claims(citizen)}
    return render(request, "payments/statement.html", context)
