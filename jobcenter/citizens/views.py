from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jobcenter.citizens.forms import CitizenSearchForm
from jobcenter.citizens.queries import access_citizen, search_citizens
from jobcenter.tenancy.access import require_permission
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
    return render(request, "citizens/search.html", {"form": form, "results": results})


@login_required
def detail(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = access_citizen(request.user, citizen_id)  # type: ignore[arg-type]
    return render(request, "citizens/detail.html", {"citizen": citizen})
