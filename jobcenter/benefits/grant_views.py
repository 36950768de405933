"""Grants and decisions: the list, a grant with its decision versions, recording a decision, partshøring."""

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

from jobcenter.benefits.actions import (
    DecisionRefused,
    do_record_consultation_reply,
    do_record_decision,
    do_start_consultation,
)
from jobcenter.benefits.calculation import CalculationRefused, InputProblem, validated_facts
from jobcenter.benefits.decision_preview import preview_decision
from jobcenter.benefits.forms import AdultForm, ChildFormSet, HouseholdForm, household_from_forms, initial_from_example
from jobcenter.benefits.grant_forms import ConsultationForm, DecisionForm, ReplyForm
from jobcenter.benefits.models import ConsultationKind, DecisionKind, Grant
from jobcenter.benefits.queries import (
    access_citizen_for_decision,
    access_grant,
    grant_consultations,
    grant_decisions,
    grants_of_municipality,
)
from jobcenter.benefits.views import place_problems
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


def _household_forms(data: Any = None, facts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The calculation page's labelled forms for the household, bound to the POST or filled from facts."""
    if data is not None:
        return {
            "household_form": HouseholdForm(data, prefix="h"),
            "first": AdultForm(data, prefix="a1"),
            "second": AdultForm(data, prefix="a2"),
            "children": ChildFormSet(data, prefix="children"),
        }
    initial = initial_from_example(facts) if facts else {"household": {}, "a1": {"applies_for_help": True}}
    return {
        "household_form": HouseholdForm(initial=initial["household"], prefix="h"),
        "first": AdultForm(initial=initial.get("a1", {}), prefix="a1"),
        "second": AdultForm(initial=initial.get("a2", {}), prefix="a2"),
        "children": ChildFormSet(initial=initial.get("children", []), prefix="children"),
    }


def _facts_from(household: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The facts the household forms describe, or None with the problems placed on their fields."""
    forms_ = [household["household_form"], household["first"], household["second"], household["children"]]
    if not all(form.is_valid() for form in forms_):
        return None, []
    facts = household_from_forms(*forms_)
    facts["id"] = "husstand"
    try:
        validated_facts(facts)
    except CalculationRefused as refused:
        problems = [InputProblem(f"households.0.{problem.field}", problem.message) for problem in refused.problems]
        return None, place_problems(problems, {0: household["first"], 1: household["second"]})
    return facts, []


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    """Record a decision for the citizen: the first bevilling, or a new version of the grant's decision.

    The household's facts are labelled Danish fields; "Forhåndsvis" shows the amount before and
    after, month by month, and the letter as it would be sent, without writing anything. Saving
    records the decision and issues its letter in one step (benefits/actions.py)."""
    citizen, grant = access_citizen_for_decision(request.user, citizen_id)  # type: ignore[arg-type]
    consultations = (
        [
            (str(c.pk), f"{c.get_intended_kind_display()}, sendt {c.sent_on:%d-%m-%Y}, svarfrist {c.deadline:%d-%m-%Y}")
            for c in grant.consultations.exclude(intended_kind=ConsultationKind.CLAIM)
        ]
        if grant
        else []
    )
    refusal: DecisionRefused | None = None
    preview = None
    if request.method == "POST":
        form = DecisionForm(request.POST, consultations=consultations)
        household = _household_forms(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            facts, loose = _facts_from(household) if form.needs_facts else (None, [])
            if form.needs_facts and facts is None:
                refusal = DecisionRefused(
                    _("Husstandens oplysninger er ikke udfyldt korrekt. Se felterne nedenfor."), loose
                )
            else:
                arguments = {
                    "kind": DecisionKind(data["kind"]),
                    "effective_from": data["effective_from"],
                    "effective_to": data["effective_to"],
                    "facts": facts,
                    "justification": data["justification"],
                    "consultation_id": data["consultation"] or None,
                    "legal_basis": data["legal_basis"],
                }
                try:
                    if request.POST.get("handling") == "gem":
                        decision = do_record_decision(
                            request.user,  # type: ignore[arg-type]
                            citizen.pk,
                            has_nemkonto=data["has_nemkonto"],
                            **arguments,
                        )
                    else:
                        preview = preview_decision(citizen, grant, **arguments)
                except DecisionRefused as refused:
                    refusal = refused
                else:
                    if preview is None:
                        messages.success(request, _("Afgørelsen er registreret, og brevet er sendt til borgeren."))
                        return HttpResponseRedirect(reverse("benefits:grant", args=[decision.grant_id]))
        else:
            refusal = DecisionRefused(_("Afgørelsen er ikke udfyldt korrekt. Se felterne nedenfor."))
    else:
        latest = grant.latest_decision if grant else None
        form = DecisionForm(
            initial={
                "kind": "aendring" if grant else "bevilling",
                "has_nemkonto": grant.has_nemkonto if grant else False,
            },
            consultations=consultations,
        )
        household = _household_forms(facts=latest.facts if latest and latest.facts else None)
    context = {
        "citizen": citizen,
        "grant": grant,
        "form": form,
        **household,
        "adult_forms": [(_("Voksen 1"), household["first"]), (_("Voksen 2"), household["second"])],
        "refusal": refusal,
        "preview": preview,
    }
    return render(request, "benefits/decide.html", context, status=422 if refusal else 200)


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
