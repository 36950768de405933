"""Grants and decisions: the list, a grant with its decision versions, recording a decision, partshøring."""

from __future__ import annotations

import datetime
import json
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

from jobcenter.benefits.actions import (
    DecisionRefused,
    do_record_consultation_reply,
    do_record_decision,
    do_start_consultation,
)
from jobcenter.benefits.grant_forms import ConsultationForm, DecisionForm, ReplyForm
from jobcenter.benefits.models import Grant
from jobcenter.benefits.queries import (
    access_citizen_for_decision,
    access_grant,
    grant_consultations,
    grant_decisions,
    grants_of_municipality,
)
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    return render(request, "benefits/grants.html", {"grants": grants_of_municipality(request.user)})  # type: ignore[arg-type]


def _grant_page(request: HttpRequest, grant: Grant, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "grant": grant,
        "decisions": grant_decisions(grant),
        "consultations": grant_consultations(grant),
        "consultation_form": extra.pop(
            "consultation_form",
            ConsultationForm(initial={"deadline": today + datetime.timedelta(days=14)}),
        ),
        "reply_form": extra.pop("reply_form", ReplyForm(initial={"received_on": today})),
        "may_decide": request.user.has_permission(Permission.GRANTS_DECIDE),  # type: ignore[union-attr]
        **extra,
    }
    return render(request, "benefits/grant_detail.html", context, status=422 if extra.get("refusal") else 200)


@login_required
def grant_detail(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    return _grant_page(request, access_grant(request.user, grant_id))  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    """Record a decision for the citizen: the first bevilling, or a new version of the grant's decision."""
    citizen, grant = access_citizen_for_decision(request.user, citizen_id)  # type: ignore[arg-type]
    consultations = (
        [(str(c.pk), f"{c.get_intended_kind_display()} {c.sent_on:%d-%m-%Y}") for c in grant.consultations.all()]
        if grant
        else []
    )
    refusal = None
    if request.method == "POST":
        form = DecisionForm(request.POST, consultations=consultations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = do_record_decision(
                    request.user,  # type: ignore[arg-type]
                    citizen.pk,
                    kind=data["kind"],
                    effective_from=data["effective_from"],
                    effective_to=data["effective_to"],
                    facts=data["facts"],
                    justification=data["justification"],
                    consultation_id=data["consultation"] or None,
                    has_nemkonto=data["has_nemkonto"],
                )
            except DecisionRefused as refused:
                refusal = refused
            else:
                messages.success(request, _("Afgørelsen er registreret."))
                return HttpResponseRedirect(reverse("benefits:grant", args=[decision.grant_id]))
    else:
        latest = grant.latest_decision if grant else None
        facts = latest.facts if latest and latest.facts else None
        form = DecisionForm(
            initial={
                "kind": "aendring" if grant else "bevilling",
                "facts": json.dumps(facts, indent=2, ensure_ascii=False) if facts else "",
                "has_nemkonto": grant.has_nemkonto if grant else False,
            },
            consultations=consultations,
        )
    context = {"citizen": citizen, "grant": grant, "form": form, "refusal": refusal}
    return render(request, "benefits/decide.html", context, status=422 if refusal or form.errors else 200)


@login_required
@require_POST
def consultation_start(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    grant = access_grant(request.user, grant_id)  # type: ignore[arg-type]
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            do_start_consultation(request.user, grant.pk, **form.cleaned_data)  # type: ignore[arg-type]
        except DecisionRefused as refused:
            return _grant_page(request, grant, consultation_form=form, refusal=refused)
        messages.success(request, _("Partshøringen er registreret."))
        return HttpResponseRedirect(reverse("benefits:grant", args=[grant.pk]))
    return _grant_page(request, grant, consultation_form=form, refusal=DecisionRefused(_("Udfyld felterne.")))


@login_required
@require_POST
def consultation_reply(request: HttpRequest, grant_id: uuid.UUID, consultation_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    grant = access_grant(request.user, grant_id)  # type: ignore[arg-type]
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            consultation = grant.consultations.filter(pk=consultation_id).first()
            if consultation is None:
                raise DecisionRefused(_("Partshøringen hører ikke til denne bevilling."))
            do_record_consultation_reply(request.user, consultation.pk, **form.cleaned_data)  # type: ignore[arg-type]
        except DecisionRefused as refused:
            return _grant_page(request, grant, reply_form=form, refusal=refused)
        messages.success(request, _("Borgerens svar er registreret."))
        return HttpResponseRedirect(reverse("benefits:grant", args=[grant.pk]))
    return _grant_page(request, grant, reply_form=form, refusal=DecisionRefused(_("Udfyld felterne.")))
