"""The benefits officer's pages: calculate a household's help, and manage rate tables."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobcenter.benefits.actions import do_approve_rate_table, do_import_rate_table, do_reject_rate_table
from jobcenter.benefits.calculation import CalculationRefused, InputProblem, calculate
from jobcenter.benefits.forms import (
    AdultForm,
    CalculationForm,
    ChildFormSet,
    RateTableDecisionForm,
    RateTableUploadForm,
    example_households,
    household_from_forms,
    initial_from_example,
)
from jobcenter.benefits.models import RateTableImport, RateTableStatus
from jobcenter.benefits.queries import access_rate_table_import, rate_table_imports
from jobcenter.benefits.rate_tables import RateTableRefused
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

# Where a rules problem about an adult belongs on the page (AdultInput field -> form field).
_ADULT_FIELD_ON_PAGE = {name: name for name in AdultForm.base_fields} | {
    input_name: form_name for form_name, input_name in AdultForm.MONEY_FIELDS.items()
}


def _adult_problem_message(message: str) -> str:
    if message.startswith("required for") or message == "Field required":
        return _("skal oplyses for den valgte måned")
    return message


def place_problems(problems: list[InputProblem], adult_forms: dict[int, AdultForm]) -> list[str]:
    """Put each problem on the field it is about; return the ones that belong to no field."""
    loose = []
    for problem in problems:
        match = re.match(r"^households\.0\.adults\.(\d)\.(\w+)$", problem.field)
        form = adult_forms.get(int(match.group(1))) if match else None
        if match and form is not None and match.group(2) in _ADULT_FIELD_ON_PAGE:
            form.add_error(_ADULT_FIELD_ON_PAGE[match.group(2)], _adult_problem_message(problem.message))
        else:
            loose.append(problem.message.removeprefix("Value error, "))
    return loose


@login_required
@require_http_methods(["GET", "POST"])
def calculate_page(request: HttpRequest) -> HttpResponse:
    """Enter a household (or start from an example) and see each amount with its paragraph and source."""
    require_permission(request.user, Permission.BENEFITS_CALCULATE)  # type: ignore[arg-type]
    examples = example_households()
    result = None
    refusal: str | None = None
    loose_problems: list[str] = []
    if request.method == "POST":
        household_form = CalculationForm(request.POST, prefix="h")
        first = AdultForm(request.POST, prefix="a1")
        second = AdultForm(request.POST, prefix="a2")
        children = ChildFormSet(request.POST, prefix="children")
        if all(form.is_valid() for form in (household_form, first, second, children)):
            household = household_from_forms(household_form, first, second, children)
            try:
                result = calculate([household], household_form.cleaned_data["month"])[0]
            except CalculationRefused as refused:
                refusal = refused.message
                loose_problems = place_problems(refused.problems, {0: first, 1: second})
    else:
        chosen = examples.get(request.GET.get("eksempel", ""))
        if chosen is not None:
            initial = initial_from_example(chosen)
        else:
            initial = {"household": {"month": f"{timezone.localdate():%Y-%m}"}, "a1": {"applies_for_help": True}}
            initial["children"] = []
        household_form = CalculationForm(initial=initial["household"], prefix="h")
        first = AdultForm(initial=initial.get("a1", {}), prefix="a1")
        second = AdultForm(initial=initial.get("a2", {}), prefix="a2")
        children = ChildFormSet(initial=initial.get("children", []), prefix="children")
    context: dict[str, Any] = {
        "household_form": household_form,
        "adult_forms": [(_("Voksen 1"), first), (_("Voksen 2"), second)],
        "children": children,
        "examples": [(stem, example.get("_title", stem)) for stem, example in examples.items()],
        "result": result,
        "refusal": refusal,
        "loose_problems": loose_problems,
    }
    return render(request, "benefits/calculate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate_tables(request: HttpRequest) -> HttpResponse:
    """The imported rate tables, newest first, and the upload form."""
    imports = rate_table_imports(request.user)  # type: ignore[arg-type]
    refusal: RateTableRefused | None = None
    if request.method == "POST":
        form = RateTableUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = do_import_rate_table(
                    request.user,  # type: ignore[arg-type]
                    file_name=upload.name,
                    content=upload.read(),
                    title=form.cleaned_data["title"],
                )
            except RateTableRefused as refused:
                refusal = refused
            else:
                messages.success(
                    request, _("Satstabellen er importeret. Den får virkning, når en anden person har godkendt den.")
                )
                return HttpResponseRedirect(reverse("benefits:rate-table", args=[imported.pk]))
    else:
        form = RateTableUploadForm()
    return render(request, "benefits/rate_tables.html", {"imports": imports, "form": form, "refusal": refusal})


@login_required
def rate_table_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    imported = access_rate_table_import(request.user, import_id)  # type: ignore[arg-type]
    return _render_detail(request, imported, RateTableDecisionForm(), None)


def _render_detail(
    request: HttpRequest, imported: RateTableImport, form: RateTableDecisionForm, refusal: RateTableRefused | None
) -> HttpResponse:
    own_import = imported.imported_by_id == request.user.pk
    context = {
        "imported": imported,
        "entries": imported.table.entries,
        "form": form,
        "refusal": refusal,
        "may_decide": imported.status == RateTableStatus.PENDING and not own_import,
        "own_import": own_import,
    }
    return render(request, "benefits/rate_table_detail.html", context, status=422 if refusal else 200)


@login_required
@require_POST
def rate_table_decide(request: HttpRequest, import_id: uuid.UUID, decision: str) -> HttpResponse:
    imported = access_rate_table_import(request.user, import_id)  # type: ignore[arg-type]
    form = RateTableDecisionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, imported, form, None)
    action = {"godkend": do_approve_rate_table, "afvis": do_reject_rate_table}.get(decision)
    if action is None:
        raise Http404
    try:
        action(request.user, imported.pk, form.cleaned_data["note"])  # type: ignore[arg-type, operator]
    except RateTableRefused as refused:
        imported.refresh_from_db()
        return _render_detail(request, imported, form, refused)
    if decision == "godkend":
        messages.success(request, _("Satstabellen er godkendt og bruges nu i alle beregninger."))
    else:
        messages.success(request, _("Satstabellen er afvist. Den bruges ikke."))
    return HttpResponseRedirect(reverse("benefits:rate-table", args=[imported.pk]))
