"""Pages for cases, the journal, interviews, plans and offers. Every write goes through actions."""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobcenter.cases import actions, queries
from jobcenter.cases.attachments import files_received
from jobcenter.cases.contact_course import is_overdue
from jobcenter.cases.forms import (
    AssignCasesForm,
    CaseReasonForm,
    InterviewPlanForm,
    JournalEntryForm,
    OfferForm,
    OfferStatusForm,
    OpenCaseForm,
    OutcomeForm,
    PlanForm,
    WorklistFilterForm,
    apply_errors,
)
from jobcenter.cases.models import Case, CaseStatus, JournalEntry, OfferStatus
from jobcenter.cases.target_groups import target_groups_on
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission

SESSION_CLEARED_DRAFTS = "jobcenter_cleared_drafts"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> datetime.date:
    return timezone.localdate()


def _target_group_choices(day: datetime.date) -> list[tuple[str, str]]:
    return [(group.code, f"{group.name_da} ({group.paragraph})") for group in target_groups_on(day)]


def _caseworker_choices(user: User) -> list[tuple[str, str]]:
    return [(str(u.pk), u.display_name) for u in queries.caseworkers_of(user)]


def _draft_saved(request: HttpRequest, key: str) -> None:
    """Tell the next page to forget the browser's copy of this draft: the entry is saved."""
    cleared = request.session.get(SESSION_CLEARED_DRAFTS, [])
    request.session[SESSION_CLEARED_DRAFTS] = [*cleared, key][-10:]


def _files(request: HttpRequest) -> list[actions.UploadedFile]:
    # The files as they lie on disk (jobcenter.cases.attachments); the action checks them before reading.
    return [actions.UploadedFile(f.name or "bilag", f) for f in files_received(request, "attachments")]


def _draft_response(request: HttpRequest, key: str) -> HttpResponse:
    content = {name: request.POST.get(name, "") for name in request.POST if name != "csrfmiddlewaretoken"}
    actions.do_save_draft(user=_user(request), key=key, content=content)
    now = timezone.localtime()
    return render(request, "cases/_draft_status.html", {"saved_at": now})


# --- Cases ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    citizen = queries.access_citizen_for_cases(user, citizen_id, edit=True)
    today = _today()
    opened_on = today
    if request.method == "POST":
        with contextlib.suppress(ValueError):
            opened_on = datetime.date.fromisoformat(request.POST.get("opened_on", ""))
    kwargs: dict[str, Any] = {
        "target_groups": _target_group_choices(opened_on),
        "caseworkers": _caseworker_choices(user),
    }
    if request.method == "POST":
        form = OpenCaseForm(request.POST, **kwargs)
        if form.is_valid():
            caseworker = None
            if form.cleaned_data["caseworker"]:
                caseworker = next(
                    (u for u in queries.caseworkers_of(user) if str(u.pk) == form.cleaned_data["caseworker"]), None
                )
            try:
                case = actions.do_open_case(
                    acting_user=user,
                    citizen=citizen,
                    target_group_code=form.cleaned_data["target_group"],
                    opened_on=form.cleaned_data["opened_on"],
                    caseworker=caseworker,
                    contact_course_exempt=form.cleaned_data["contact_course_exempt"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Sagen er oprettet."))
                return redirect("cases:detail", case_id=case.pk)
    else:
        form = OpenCaseForm(initial={"opened_on": today, "caseworker": str(user.pk)}, **kwargs)
    return render(request, "cases/open_case.html", {"form": form, "citizen": citizen})


@login_required
@require_safe
def detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = queries.access_case(user, case_id)
    today = _today()
    overview = queries.case_overview(case, today=today)
    due = overview["next_due"].due if overview["next_due"] else None
    cleared = request.session.pop(SESSION_CLEARED_DRAFTS, [])
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            **overview,
            "can_edit": user.has_permission(Permission.CASES_EDIT),
            "cleared_drafts": cleared,
            "offer_statuses": OfferStatus.choices,
            "days_overdue": (today - due).days if due and is_overdue(due, today) else 0,
            "reopen_form": CaseReasonForm(label=_("Hvorfor genåbnes sagen?")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Ask first: the page says what closing does; only the POST with a reason closes (and journals it)."""
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("Sagen er allerede lukket."))
        return redirect("cases:detail", case_id=case.pk)
    today = _today()
    label = _("Hvorfor lukkes sagen?")
    if request.method == "POST":
        form = CaseReasonForm(request.POST, label=label)
        if form.is_valid():
            try:
                actions.do_close_case_with_reason(
                    acting_user=user, case=case, closed_on=today, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Sagen er lukket, og begrundelsen er skrevet i journalen."))
                return redirect("cases:detail", case_id=case.pk)
    else:
        form = CaseReasonForm(label=label)
    interviews = list(case.interviews.all())
    return render(
        request,
        "cases/close_confirm.html",
        {
            "form": form,
            "case": case,
            "closed_on": today,
            "planned_interviews": [i for i in interviews if not i.outcome],
            "active_offers": [o for o in case.offers.all() if o.status in (OfferStatus.PLANNED, OfferStatus.ACTIVE)],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def reopen_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    form = CaseReasonForm(request.POST)
    form.is_valid()
    try:
        actions.do_reopen_case(acting_user=user, case=case, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sagen er genåbnet, og begrundelsen er skrevet i journalen."))
    return redirect("cases:detail", case_id=case.pk)


# --- The journal ----------------------------------------------------------------------------------


def _journal_form(
    request: HttpRequest,
    *,
    case: Case,
    key: str,
    draft_url: str,
    heading: str,
    save: Callable[[User, str, str, list[actions.UploadedFile]], object],
    saved_message: str,
    initial: dict[str, str],
    corrects: JournalEntry | None = None,
) -> HttpResponse:
    """The one form for a new entry and for a correction: the draft, the save, the errors."""
    user = _user(request)
    draft, draft_saved_ms = queries.draft_for(user, key)
    if request.method == "POST":
        form = JournalEntryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                save(user, form.cleaned_data["title"], form.cleaned_data["text"], _files(request))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _draft_saved(request, key)
                messages.success(request, saved_message)
                return redirect(reverse("cases:detail", args=[case.pk]) + "#journal")
    else:
        form = JournalEntryForm(initial=draft or initial)
    return render(
        request,
        "cases/journal_form.html",
        {
            "form": form,
            "case": case,
            "corrects": corrects,
            "draft_key": key,
            "draft_url": draft_url,
            "draft_saved_ms": draft_saved_ms,
            "heading": heading,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = queries.access_case(_user(request), case_id, edit=True)
    return _journal_form(
        request,
        case=case,
        key=actions.journal_draft_key(case),
        draft_url=reverse("cases:journal-draft", args=[case.pk]),
        heading=_("Nyt journalnotat"),
        save=lambda user, title, text, files: actions.do_write_journal_entry(
            acting_user=user, case=case, title=title, text=text, files=files
        ),
        saved_message=_("Journalnotatet er gemt."),
        initial={},
    )


@login_required
@require_POST
def journal_draft(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = queries.access_case(_user(request), case_id, edit=True)
    return _draft_response(request, actions.journal_draft_key(case))


@login_required
@require_http_methods(["GET", "POST"])
def journal_correct(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = queries.access_journal_entry(_user(request), entry_id, edit=True)
    return _journal_form(
        request,
        case=entry.case,
        key=actions.correction_draft_key(entry),
        draft_url=reverse("cases:correction-draft", args=[entry.pk]),
        heading=_("Ret journalnotat"),
        save=lambda user, title, text, files: actions.do_correct_journal_entry(
            acting_user=user, entry=entry, title=title, text=text, files=files
        ),
        saved_message=_("Rettelsen er gemt. Det oprindelige notat står uændret og er markeret som rettet."),
        initial={"title": _("Rettelse: %(title)s") % {"title": entry.title}, "text": entry.text},
        corrects=entry,
    )


@login_required
@require_POST
def correction_draft(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = queries.access_journal_entry(_user(request), entry_id, edit=True)
    return _draft_response(request, actions.correction_draft_key(entry))


@login_required
@require_safe
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    item = queries.access_attachment(_user(request), attachment_id)
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    # The stored type was sniffed from the content; the name is only a suggestion.
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(item.content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="bilag-{item.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Interviews ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interview_plan(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    today = _today()
    next_due = queries.next_due_for(case, list(case.interviews.all()), today)
    deadline = next_due.due if next_due else None
    late_warning = False
    if request.method == "POST":
        form = InterviewPlanForm(request.POST)
        if (
            form.is_valid()
            and deadline
            and today <= deadline < form.cleaned_data["date"]
            and not request.POST.get("confirm_late")
        ):
            # The deadline can still be met: warn, write nothing; the caseworker picks an earlier day or
            # plans it anyway. (Once it has passed, the page marks it overdue and any day is late.)
            late_warning = True
        elif form.is_valid():
            try:
                interview = actions.do_plan_interview(
                    acting_user=user,
                    case=case,
                    scheduled_at=form.scheduled_at(),
                    form=form.cleaned_data["form"],
                    location=form.cleaned_data["location"],
                )
            except ValidationError as error:
                if "scheduled_at" in getattr(error, "error_dict", {}):
                    # The form asks for the day and the time apart; the day is what lies outside the case.
                    error = ValidationError(
                        {"date" if k == "scheduled_at" else k: v for k, v in error.error_dict.items()}
                    )
                apply_errors(form, error)
            else:
                messages.success(request, _("Jobsamtalen er planlagt."))
                return redirect("cases:interview-detail", interview_id=interview.pk)
    else:
        form = InterviewPlanForm(
            initial={
                "date": (deadline if deadline and deadline >= today else today),
                "time": "10:00",
                "form": "fremmoede",
            }
        )
    return render(
        request,
        "cases/interview_plan.html",
        {
            "form": form,
            "case": case,
            "next_due": next_due,
            "overdue": bool(deadline and deadline < today),
            "late_warning": late_warning,
        },
    )


@login_required
@require_safe
def interview_detail(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    interview = queries.access_interview(user, interview_id)
    return render(
        request,
        "cases/interview_detail.html",
        {
            "interview": interview,
            "case": interview.case,
            "summonses": list(interview.summonses.all()),
            "can_edit": user.has_permission(Permission.CASES_EDIT),
            "can_view_letters": user.has_permission(Permission.LETTERS_VIEW),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_summons(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Ask first: the page shows the letter that will be sent; only the POST sends it."""
    user = _user(request)
    interview = queries.access_interview(user, interview_id, edit=True)
    if request.method == "POST":
        try:
            actions.do_send_summons(acting_user=user, interview=interview)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Indkaldelsen er dannet som brev og sendes med Digital Post."))
        return redirect("cases:interview-detail", interview_id=interview.pk)
    if interview.is_recorded:
        messages.error(request, _("Samtalen er allerede holdt og registreret; der kan ikke indkaldes til den."))
        return redirect("cases:interview-detail", interview_id=interview.pk)
    title, body = actions.summons_text(interview)
    return render(
        request,
        "cases/summons_confirm.html",
        {
            "interview": interview,
            "case": interview.case,
            "letter_title": title,
            "letter_body": body,
            "summonses": list(interview.summonses.all()),
        },
    )


@login_required
@require_safe
def summons_preview(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The summons as the letters app will render it (same template and context), marked as a draft;
    not archived, not sent."""
    from jobcenter.letters.actions import recipient_of
    from jobcenter.letters.models import LetterKind
    from jobcenter.letters.rendering import render_letter_pdf
    from jobcenter.letters.views import pdf_response

    interview = queries.access_interview(_user(request), interview_id, edit=True)
    title, _body = actions.summons_text(interview)
    citizen = interview.case.citizen
    pdf = render_letter_pdf(
        actions.SUMMONS_TEMPLATE,
        {
            **actions.summons_letter_context(interview),
            "title": f"{_('UDKAST')} – {title}",
            "letter_kind": str(LetterKind.SUMMONS),
            "letter_date": _today(),
            "municipality": citizen.municipality,
            "recipient": recipient_of(citizen),
            "appeal": None,
        },
    )
    return pdf_response(pdf, interview.pk)


@login_required
@require_http_methods(["GET", "POST"])
def interview_outcome(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    interview = queries.access_interview(user, interview_id, edit=True)
    key = actions.outcome_draft_key(interview)
    draft, draft_saved_ms = queries.draft_for(user, key)
    if interview.is_recorded:
        messages.error(
            request,
            _(
                "Samtalens udfald er allerede registreret og kan ikke registreres igen. Skriv et journalnotat, hvis noget skal rettes eller tilføjes."
            ),
        )
        return redirect("cases:interview-detail", interview_id=interview.pk)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                actions.do_record_interview_outcome(acting_user=user, interview=interview, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _draft_saved(request, key)
                messages.success(request, _("Samtalen er registreret og skrevet i journalen."))
                return redirect(reverse("cases:detail", args=[interview.case_id]) + "#journal")
    else:
        form = OutcomeForm(initial={"held_form": interview.form, **draft})
    return render(
        request,
        "cases/interview_outcome.html",
        {
            "form": form,
            "interview": interview,
            "case": interview.case,
            "draft_key": key,
            "draft_url": reverse("cases:outcome-draft", args=[interview.pk]),
            "draft_saved_ms": draft_saved_ms,
        },
    )


@login_required
@require_POST
def outcome_draft(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    interview = queries.access_interview(_user(request), interview_id, edit=True)
    return _draft_response(request, actions.outcome_draft_key(interview))


# --- Plans and offers ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    editing = request.method == "POST"
    citizen = queries.access_citizen_for_cases(user, citizen_id, edit=editing)
    versions = queries.plan_versions(user, citizen)
    if editing:
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                actions.do_save_plan(acting_user=user, citizen=citizen, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Planen er gemt som en ny version."))
                return redirect("cases:plan", citizen_id=citizen.pk)
    else:
        current = versions[0] if versions else None
        form = PlanForm(initial={"goals": current.goals, "agreements": current.agreements} if current else None)
    return render(
        request,
        "cases/plan.html",
        {
            "form": form,
            "citizen": citizen,
            "versions": versions,
            "can_edit": user.has_permission(Permission.CASES_EDIT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                actions.do_add_offer(acting_user=user, case=case, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Tilbuddet er gemt."))
                return redirect(reverse("cases:detail", args=[case.pk]) + "#tilbud")
    else:
        form = OfferForm(initial={"starts_on": max(_today(), case.opened_on), "status": "planned"})
    return render(request, "cases/offer_form.html", {"form": form, "case": case})


@login_required
@require_POST
def offer_status(request: HttpRequest, offer_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    offer = queries.access_offer(user, offer_id, edit=True)
    form = OfferStatusForm(request.POST)
    if form.is_valid():
        actions.do_change_offer_status(acting_user=user, offer=offer, status=form.cleaned_data["status"])
        messages.success(request, _("Tilbuddets status er ændret."))
    else:
        messages.error(request, _("Vælg en gyldig status."))
    return redirect(reverse("cases:detail", args=[offer.case_id]) + "#tilbud")


# --- Worklists -------------------------------------------------------------------------------------


def _worklist_page(request: HttpRequest, *, team: bool) -> HttpResponse:
    user = _user(request)
    require_permission(user, Permission.CASES_TEAM_OVERVIEW if team else Permission.CASES_EDIT)
    today = _today()
    caseworkers = _caseworker_choices(user) if team else None
    form = WorklistFilterForm(request.GET or None, target_groups=_target_group_choices(today), caseworkers=caseworkers)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters["target_group"] = data["target_group"]
        filters["flag"] = data["flag"]
        filters["status"] = "" if data["status"] == "all" else (data["status"] or CaseStatus.OPEN)
        if team and data.get("caseworker"):
            if data["caseworker"] == "none":
                filters["caseworker"] = None
            else:
                filters["caseworker"] = next(
                    (u for u in queries.caseworkers_of(user) if str(u.pk) == data["caseworker"]), ""
                )
    result = queries.worklist(user, today=today, team=team, **filters)
    context: dict[str, Any] = {"form": form, "worklist": result, "team": team, "today": today}
    if team:
        context["caseload"] = queries.caseload(user, today=today)
        if user.has_permission(Permission.CASES_ASSIGN):
            context["assign_form"] = AssignCasesForm(caseworkers=caseworkers or [], auto_id="assign_%s")
            context["return_query"] = request.GET.urlencode()
    return render(request, "cases/worklist.html", context)


@login_required
@require_safe
def worklist(request: HttpRequest) -> HttpResponse:
    return _worklist_page(request, team=False)


@login_required
@require_safe
def team_overview(request: HttpRequest) -> HttpResponse:
    return _worklist_page(request, team=True)


@login_required
@require_POST
def assign_cases(request: HttpRequest) -> HttpResponse:
    """The team lead gives the chosen cases (one or many) to a caseworker; back to the team overview."""
    user = _user(request)
    require_permission(user, Permission.CASES_ASSIGN)
    workers = queries.caseworkers_of(user)
    form = AssignCasesForm(request.POST, caseworkers=[(str(u.pk), u.display_name) for u in workers])
    back = reverse("cases:team-overview")
    # Back to the same filters: parsed and encoded again, so nothing but a query string follows the path.
    kept = QueryDict(request.POST.get("return_query", ""))
    if kept:
        back = f"{back}?{kept.urlencode()}"
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect(back)
    caseworker = next(u for u in workers if str(u.pk) == form.cleaned_data["caseworker"])
    try:
        assigned = actions.do_assign_cases(
            acting_user=user, case_ids=request.POST.getlist("cases"), caseworker=caseworker
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s sag er givet til %(name)s.",
                "%(count)s sager er givet til %(name)s.",
                len(assigned),
            )
            % {"count": len(assigned), "name": caseworker.display_name},
        )
    return redirect(back)
