from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobcenter.tenancy.queries import municipalities_visible_to, users_visible_to


@login_required
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "tenancy/users.html", {"users": users_visible_to(request.user)})  # type: ignore[arg-type]


@login_required
def municipalities(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenancy/municipalities.html",
        {"municipalities": municipalities_visible_to(request.user)},  # type: ignore[arg-type]
    )
