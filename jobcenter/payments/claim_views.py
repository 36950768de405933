"""Claims (tilbagebetalingskrav): the municipality's list, a claim's page, partshøring, decision, waiver."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter.payments.claims import (
    ClaimRefused,
    claim_corrections,
    do_decide_claim,
    do_record_claim_consultation_reply,
    do_start_claim_consultation,
    do_waive_claim,
)
from jobcenter.payments.forms import ClaimConsultationForm, ClaimDecisionForm, ClaimReplyForm, ClaimWaiveForm
from jobcenter.payments.models import Claim, ClaimStatus
from jobcenter.payments.queries import access_claim, claim_offsets, claims_of_municipality
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ClaimStatus.values:
        status = ""
    context = {
        "claims": claims_of_municipality(request.user, status),  # type: ignore[arg-type]
        "status": status,
        "statuses": ClaimStatus.choices,
    }
    return render(request, "payments/claims.html", context)


def _claim_page(request: HttpRequest, claim: Claim, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "claim": claim,
        "corrections": claim_corrections(claim),
        "offsets": claim_offsets(claim),
        "may_decide": claim.status == ClaimStatus.AWAITING and request.user.has_permission(Permission.GRANTS_DECIDE),  # type: ignore[union-attr]
        "consultation_form": extra.pop(
            "consultation_form",
            ClaimConsultationForm(initial={"deadline": today + datetime.timedelta(days=14)}),
        ),
        "reply_form": extra.pop("reply_form", ClaimReplyForm(initial={"received_on": today})),
        "decision_form": extra.pop("decision_form", ClaimDecisionForm()),
        "waive_form": extra.pop("waive_form", ClaimWaiveForm()),
        **extra,
    }
    status = 422 if extra.get("refusal") else 200
    return render(request, "payments/claim_detail.html", context, status=status)


@login_required
def claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _claim_page(request, access_claim(request.user, claim_id))  # type: ignore[arg-type]


def _post(
    request: HttpRequest, claim_id: uuid.UUID, form_class: type[forms.Form], form_key: str, action: Any, done: str
) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    claim = access_claim(request.user, claim_id)  # type: ignore[arg-type]
    form = form_class(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, **{form_key: form}, refusal=ClaimRefused(_("Udfyld felterne.")))
    try:
        action(request.user, claim.pk, **form.cleaned_data)
    except ClaimRefused as refused:
        claim.refresh_from_db()
        return _claim_page(request, claim, **{form_key: form}, refusal=refused)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("payments:claim", args=[claim.pk]))


@login_required
@require_POST
def claim_consultation(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _post(
        request,
        claim_id,
        ClaimConsultationForm,
        "consultation_form",
        do_start_claim_consultation,
        _("Partshøringen er registreret."),
    )


@login_required
@require_POST
def claim_consultation_reply(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _post(
        request,
        claim_id,
        ClaimReplyForm,
        "reply_form",
        do_record_claim_consultation_reply,
        _("Borgerens svar er registreret."),
    )


def _decide(user: Any, claim_id: uuid.UUID, *, offset_per_month: int, **data: Any) -> Claim:
    return do_decide_claim(user, claim_id, offset_per_month_ore=offset_per_month, **data)


@login_required
@require_POST
def claim_decide(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _post(
        request,
        claim_id,
        ClaimDecisionForm,
        "decision_form",
        _decide,
        _("Afgørelsen er truffet, og brevet er sendt til borgeren."),
    )


@login_required
@require_POST
def claim_waive(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _post(
        request,
        claim_id,
        ClaimWaiveForm,
        "waive_form",
        do_waive_claim,
        _("Kravet er eftergivet, og brevet er sendt til borgeren."),
    )
