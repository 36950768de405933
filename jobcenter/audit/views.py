from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobcenter.audit.forms import AuditSearchForm
from jobcenter.audit.queries import AuditFilter, search_audit_entries
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

PAGE_SIZE = 50


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.AUDIT_VIEW)  # type: ignore[arg-type]
    form = AuditSearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        criteria = AuditFilter(**{key: value for key, value in data.items() if value})
        entries = search_audit_entries(request.user, criteria)  # type: ignore[arg-type]
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})
