from __future__ import annotations

import dataclasses
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jobcenter.audit.forms import PLAIN_FIELDS, AuditSearchForm
from jobcenter.audit.models import AuditEntry
from jobcenter.audit.queries import AuditFilter, case_activity, citizen_activity, search_audit_entries
from jobcenter.citizens.queries import citizens_for_audit
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission, Role

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """The auditor's search: by citizen (CPR number, name), by case, by user, by action and dates.

    Sent by POST, so that a CPR number or a name never lands in a URL; the plain filters (user,
    action, object id, dates) are also taken from a GET query. The CPR number is looked up to the
    citizen, and only the citizen's id is kept (in the search's own audit record).
    """
    user = request.user
    require_permission(user, Permission.AUDIT_VIEW)  # type: ignore[arg-type]
    if request.method == "POST":
        form = AuditSearchForm(request.POST)
        page_number = request.POST.get("side")
    else:
        plain = {key: value for key, value in request.GET.items() if key in PLAIN_FIELDS}
        form = AuditSearchForm(plain or None)
        page_number = request.GET.get("side")
    context: dict[str, Any] = {"form": form, "page": None, "choices": None, "citizen": None, "carry": {}}
    if form.is_bound and not form.is_valid():
        return render(request, "audit/search.html", context)
    data = form.cleaned_data if form.is_bound else {}
    plain_criteria = {key: data[key] for key in PLAIN_FIELDS if data.get(key)}
    criteria = AuditFilter(**plain_criteria)
    carry: dict[str, str] = {key: str(value) for key, value in plain_criteria.items()}
    if data.get("cpr") or data.get("name") or data.get("citizen"):
        field = "cpr" if data.get("cpr") else "name"
        try:
            found = citizens_for_audit(
                user,  # type: ignore[arg-type]
                cpr=data.get("cpr", ""),
                name=data.get("name", ""),
                citizen_id=str(data["citizen"]) if data.get("citizen") else "",
            )
        except ValidationError as error:
            form.add_error(field, error)
            return render(request, "audit/search.html", context)
        if not found:
            form.add_error(field, _("Ingen borger i kommunen passer på søgningen."))
            return render(request, "audit/search.html", context)
        if len(found) > 1:
            context.update(choices=found, carry=carry)
            return render(request, "audit/search.html", context)
        criteria = dataclasses.replace(citizen_activity(user, found[0]), **plain_criteria)  # type: ignore[arg-type]
        context["citizen"] = found[0]
        carry["citizen"] = str(found[0].pk)
    elif data.get("case"):
        activity = case_activity(user, str(data["case"]))  # type: ignore[arg-type]
        if activity is None:
            form.add_error("case", _("Kommunen har ingen sag med det id."))
            return render(request, "audit/search.html", context)
        criteria = dataclasses.replace(activity, **plain_criteria)
        context["case_id"] = str(data["case"])
        carry["case"] = str(data["case"])
    entries = search_audit_entries(user, criteria)  # type: ignore[arg-type]
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    context.update(page=page, rows=[_row(entry) for entry in page], carry=carry)
    return render(request, "audit/search.html", context)


def _row(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the auditor reads it: the role and the kind of object in Danish."""
    return {"entry": entry, "role": _role_label(entry.role), "object_type": _object_type_label(entry.object_type)}


def _role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code or "—"


def _object_type_label(label: str) -> str:
    """'cases.case' -> 'sag': the model's Danish name, or the name of a list that is no model."""
    lists = {
        "cases.worklist": _("arbejdsliste"),
        "letters.paperqueue": _("papirpostkø"),
    }
    if label in lists:
        return str(lists[label])
    if "." not in label:
        return label
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
