"""The dead-letter list's retry button (the list itself is on the operations page, web/views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter.events.actions import RetryRefused, do_rerun_background_task, do_retry_dead_letter


@login_required
@require_POST
def retry_dead_letter(request: HttpRequest, delivery_id: int) -> HttpResponse:
    # The action checks the permission; another municipality's delivery is not found (404).
    try:
        do_retry_dead_letter(request.user, delivery_id)  # type: ignore[arg-type]
    except RetryRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Leveringen er sat i kø igen og sendes ved næste kørsel."))
    return HttpResponseRedirect(reverse("web:operations") + "#doede-breve")


@login_required
@require_POST
def rerun_background_task(request: HttpRequest, job_id: int) -> HttpResponse:
    # The action checks the permission; another municipality's job is not found (404).
    try:
        do_rerun_background_task(request.user, job_id)  # type: ignore[arg-type]
    except RetryRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Opgaven er sat i kø igen og køres, når en baggrundsproces tager den."))
    return HttpResponseRedirect(reverse("web:operations") + "#baggrundsopgaver")
