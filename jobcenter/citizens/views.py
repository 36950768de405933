from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobcenter.citizens.actions import do_refresh_citizen_from_cpr, do_register_citizen_from_cpr
from jobcenter.citizens.forms import CitizenRegisterForm, CitizenSearchForm
from jobcenter.citizens.models import Citizen
from jobcenter.citizens.queries import access_citizen, reveal_cpr, search_citizens
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search by CPR number or name. The query is sent by POST so that a CPR
    number never lands in a URL, a browser history or an access log."""
    require_permission(request.user, Permission.CITIZENS_VIEW)  # type: ignore[arg-type]
    results = None
    if request.method == "POST":
        form = CitizenSearchForm(request.POST)
        if form.is_valid():
            try:
                results = search_citizens(request.user, form.cleaned_data["query"])  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error("query", error)
    else:
        form = CitizenSearchForm()
    can_register = request.user.has_permission(Permission.CITIZENS_EDIT)  # type: ignore[union-attr]
    return render(request, "citizens/search.html", {"form": form, "results": results, "can_register": can_register})


@login_required
@require_safe
def detail(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    """The citizen overview: who they are, and each part of their matter the user's role may see."""
    citizen = access_citizen(request.user, citizen_id)  # type: ignore[arg-type]
    return _overview(request, citizen, show_cpr=False)


@login_required
@require_POST
@never_cache
def show_cpr(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    """The overview with the full CPR number: a POST, recorded in the audit log, never in a URL,
    and not kept in the browser's cache."""
    citizen = reveal_cpr(request.user, citizen_id)  # type: ignore[arg-type]
    return _overview(request, citizen, show_cpr=True)


def _overview(request: HttpRequest, citizen: Citizen, *, show_cpr: bool) -> HttpResponse:
    """Every part is read through its own app's access-checked query, which answers None for a role
    that may not see it (the permission table, jobcenter/tenancy/roles.py)."""
    from jobcenter.benefits.queries import grant_of_citizen
    from jobcenter.cases.queries import citizen_cases
    from jobcenter.letters.queries import latest_letters_of_citizen
    from jobcenter.payments.queries import citizen_payments

    user = request.user
    today = timezone.localdate()
    letters = latest_letters_of_citizen(user, citizen)  # type: ignore[arg-type]
    payments = citizen_payments(user, citizen)  # type: ignore[arg-type]
    context = {
        "citizen": citizen,
        "show_cpr": show_cpr,
        "age": citizen.age_on(today),
        "relations": list(citizen.relations.select_related("related_citizen")),
        "today": today,
        "cases": citizen_cases(user, citizen, today=today),  # type: ignore[arg-type]
        "grant_visible": user.has_permission(Permission.GRANTS_VIEW),  # type: ignore[union-attr]
        "grant": grant_of_citizen(user, citizen),  # type: ignore[arg-type]
        "payments": payments,
        "letter_count": letters[0] if letters else 0,
        "letters": letters[1] if letters else None,
        "can_edit_cases": user.has_permission(Permission.CASES_EDIT),  # type: ignore[union-attr]
        "can_edit_citizen": user.has_permission(Permission.CITIZENS_EDIT),  # type: ignore[union-attr]
        "can_decide": user.has_permission(Permission.GRANTS_DECIDE),  # type: ignore[union-attr]
    }
    return render(request, "citizens/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a citizen by CPR number; name, address and household come from the CPR register."""
    user = request.user
    require_permission(user, Permission.CITIZENS_EDIT)  # type: ignore[arg-type]
    municipality = working_municipality(user)  # type: ignore[arg-type]
    if request.method == "POST":
        form = CitizenRegisterForm(request.POST)
        if form.is_valid():
            try:
                citizen = do_register_citizen_from_cpr(
                    acting_user=user,  # type: ignore[arg-type]
                    municipality=municipality,
                    cpr=form.cleaned_data["cpr"],
                )
            except ValidationError as error:
                form.add_error("cpr", error)
            else:
                messages.success(request, _("Borgeren er oprettet med oplysninger fra CPR."))
                return redirect("citizens:detail", citizen_id=citizen.pk)
    else:
        form = CitizenRegisterForm()
    return render(request, "citizens/register.html", {"form": form})


@login_required
@require_POST
def refresh(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    user = request.user
    require_permission(user, Permission.CITIZENS_EDIT)  # type: ignore[arg-type]
    citizen = access_citizen(user, citizen_id)  # type: ignore[arg-type]
    try:
        do_refresh_citizen_from_cpr(acting_user=user, citizen=citizen)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Navn, adresse og husstand er opdateret fra CPR."))
    return redirect("citizens:detail", citizen_id=citizen.pk)
