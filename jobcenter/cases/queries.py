"""Every read of case data: access-checked (another municipality's object is not-found) and audited."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jobcenter.audit.actions import record
from jobcenter.audit.denied import denied
from jobcenter.audit.models import AuditAction
from jobcenter.cases.models import (
    Case,
    CaseStatus,
    Draft,
    Interview,
    InterviewOutcome,
    JournalAttachment,
    JournalEntry,
    Offer,
    PlanVersion,
    Summons,
)
from jobcenter.citizens.models import Citizen
from jobcenter.letters.queries import with_delivery_status
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission


def _permission(edit: bool) -> Permission:
    return Permission.CASES_EDIT if edit else Permission.CASES_VIEW


def _get(user: User, queryset: QuerySet[Any], object_id: uuid.UUID | str, *, edit: bool, audit: bool = True) -> Any:
    require_permission(user, _permission(edit))
    municipality = working_municipality(user)
    try:
        obj = queryset.get(pk=object_id, municipality=municipality)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise denied(user, queryset.model, object_id) from None
    if audit:
        record(user, AuditAction.VIEW, obj=obj)
    return obj


def summonses_with_status() -> Prefetch[Any]:
    """An interview's summonses, each with its letter's current delivery status (read from the letter)."""
    return Prefetch("summonses", queryset=with_delivery_status(Summons.objects.all(), "letter"))


def access_case(user: User, case_id: uuid.UUID | str, *, edit: bool = False) -> Case:
    return _get(user, Case.objects.select_related("citizen", "caseworker", "municipality"), case_id, edit=edit)


def access_interview(user: User, interview_id: uuid.UUID | str, *, edit: bool = False) -> Interview:
    return _get(
        user,
        Interview.objects.select_related("case__citizen", "case__caseworker").prefetch_related(summonses_with_status()),
        interview_id,
        edit=edit,
    )


def access_journal_entry(user: User, entry_id: uuid.UUID | str, *, edit: bool = False) -> JournalEntry:
    return _get(user, JournalEntry.objects.select_related("case__citizen"), entry_id, edit=edit)


def access_offer(user: User, offer_id: uuid.UUID | str, *, edit: bool = False) -> Offer:
    return _get(user, Offer.objects.select_related("case__citizen"), offer_id, edit=edit)


def access_attachment(user: User, attachment_id: uuid.UUID | str) -> JournalAttachment:
    require_permission(user, Permission.CASES_VIEW)
    municipality = working_municipality(user)
    try:
        attachment = JournalAttachment.objects.select_related("entry").get(
            pk=attachment_id, entry__municipality=municipality
        )
    except (JournalAttachment.DoesNotExist, ValueError, ValidationError):
        raise denied(user, JournalAttachment, attachment_id) from None
    record(user, AuditAction.VIEW, obj=attachment)
    return attachment


def access_citizen_for_cases(user: User, citizen_id: uuid.UUID | str, *, edit: bool = False) -> Citizen:
    """The citizen, for reading or writing their cases and plan."""
    require_permission(user, Permission.CITIZENS_VIEW)
    return _get(user, Citizen.objects.select_related("municipality"), citizen_id, edit=edit)


def journal_for(case: Case) -> list[JournalEntry]:
    """The case's journal, newest first, each entry with its corrections and attachments."""
    return list(
        JournalEntry.objects.filter(case=case)
        .select_related("corrects")
        .prefetch_related(
            Prefetch("corrections", queryset=JournalEntry.objects.order_by("created_at")),
            Prefetch("attachments", queryset=JournalAttachment.objects.defer("data")),
        )
    )


def cases_for_citizen(user: User, citizen: Citizen) -> list[Case]:
    """The citizen's cases, for a user who has already opened the citizen."""
    if not user.has_permission(Permission.CASES_VIEW) or citizen.municipality != user.municipality:
        return []
    return list(Case.objects.filter(citizen=citizen).select_related("caseworker").order_by("status", "-opened_on"))


def plan_versions(user: User, citizen: Citizen) -> list[PlanVersion]:
    if not user.has_permission(Permission.CASES_VIEW) or citizen.municipality != user.municipality:
        return []
    return list(PlanVersion.objects.filter(citizen=citizen))


def draft_for(user: User, key: str) -> tuple[dict[str, str], int]:
    """The user's draft for `key` and when it was saved (ms since the epoch, 0 for none)."""
    draft = Draft.objects.filter(user=user, key=key).first()
    if draft is None:
        return {}, 0
    return dict(draft.content), int(draft.updated_at.timestamp() * 1000)


def caseworkers_of(user: User) -> list[User]:
    municipality = working_municipality(user)
    return list(
        User.objects.filter(municipalities=municipality, role__in=["caseworker", "team_lead"], is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )


# --- Worklists -----------------------------------------------------------------------------------


class Flag:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_NEXT_STEP = "no_next_step"


@dataclass
class WorklistRow:
    case: Case
    due: datetime.date | None
    reason: str
    planned: Interview | None
    flags: set[str] = field(default_factory=set)
    today: datetime.date | None = None

    @property
    def days_overdue(self) -> int:
        """How many days the deadline has passed (0 when it has not)."""
        if Flag.OVERDUE not in self.flags or self.due is None or self.today is None:
            return 0
        return (self.today - self.due).days


def deadline_order(row: WorklistRow) -> tuple[bool, datetime.date, str, str, str]:
    """Earliest deadline first (so the overdue come first), cases without a deadline last, then by name."""
    citizen = row.case.citizen
    return (row.due is None, row.due or datetime.date.max, citizen.last_name, citizen.first_name, str(row.case.pk))


@dataclass
class Worklist:
    rows: list[WorklistRow]
    counts: dict[str, int]
    total: int


def worklist(
    user: User,
    *,
    today: datetime.date,
    caseworker: User | str | None = "",
    target_group: str = "",
    status: str = CaseStatus.OPEN,
    flag: str = "",
    team: bool = False,
) -> Worklist:
    """Open cases with their next contact-course deadline, for one caseworker or (team) for all.

    Sorted by the deadline, earliest first: an overdue case is at the top.

    Three queries whatever the number of cases: the cases with citizens and
    caseworkers, their interviews, and the audit record.
    """
    require_permission(user, Permission.CASES_TEAM_OVERVIEW if team else Permission.CASES_EDIT)
    municipality = working_municipality(user)
    cases = Case.objects.filter(municipality=municipality).select_related("citizen", "caseworker")
    if not team:
        cases = cases.filter(caseworker=user)
    elif isinstance(caseworker, User):
        cases = cases.filter(caseworker=caseworker)
    elif caseworker is None:
        cases = cases.filter(caseworker__isnull=True)
    if target_group:
        cases = cases.filter(target_group=target_group)
    if status:
        cases = cases.filter(status=status)
    rows, counts = _rows_with_flags(cases, today)
    rows.sort(key=deadline_order)
    total = len(rows)
    if flag:
        rows = [row for row in rows if flag in row.flags]
    record(
        user,
        AuditAction.VIEW,
        object_type="cases.worklist",
        detail={"team": team, "cases": [str(row.case.pk) for row in rows][:500]},
    )
    return Worklist(rows=rows, counts=counts, total=total)


def _rows_with_flags(cases: QuerySet[Case], today: datetime.date) -> tuple[list[WorklistRow], dict[str, int]]:
    """Each case with its next deadline and flags, and the count per flag (two queries)."""
    from jobcenter.cases.contact_course import is_due_soon, is_overdue

    cases = cases.prefetch_related(Prefetch("interviews", queryset=Interview.objects.order_by("scheduled_at")))
    rows: list[WorklistRow] = []
    counts = {Flag.OVERDUE: 0, Flag.DUE_SOON: 0, Flag.NO_NEXT_STEP: 0}
    for case in cases:
        interviews = list(case.interviews.all())
        planned = next((i for i in interviews if not i.outcome), None)
        result = next_due_for(case, interviews, today)
        due = result.due if result else None
        row = WorklistRow(case=case, due=due, reason=result.reason_da if result else "", planned=planned, today=today)
        if case.status == CaseStatus.OPEN:
            if due is not None and is_overdue(due, today):
                row.flags.add(Flag.OVERDUE)
            elif (
                due is not None
                and is_due_soon(due, today)
                and (planned is None or timezone.localtime(planned.scheduled_at).date() > due)
            ):
                row.flags.add(Flag.DUE_SOON)
            if planned is None:
                row.flags.add(Flag.NO_NEXT_STEP)
        for name in row.flags:
            counts[name] += 1
        rows.append(row)
    return rows, counts


@dataclass
class CaseloadRow:
    """One caseworker's open cases and how many need attention (no personal data: counts only)."""

    caseworker: User | None
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    no_next_step: int = 0


def caseload(user: User, *, today: datetime.date) -> list[CaseloadRow]:
    """Open cases per caseworker of the municipality (and those with none), for the team lead.

    Every active caseworker is listed, also one with no cases; the unassigned
    cases come last under `caseworker=None`.
    """
    require_permission(user, Permission.CASES_TEAM_OVERVIEW)
    municipality = working_municipality(user)
    cases = Case.objects.filter(municipality=municipality, status=CaseStatus.OPEN).select_related(
        "citizen", "caseworker"
    )
    rows, _counts = _rows_with_flags(cases, today)
    by_worker: dict[Any, CaseloadRow] = {u.pk: CaseloadRow(caseworker=u) for u in caseworkers_of(user)}
    unassigned = CaseloadRow(caseworker=None)
    for row in rows:
        worker = row.case.caseworker
        # A caseworker who has left may still hold cases: listed too, so nothing is hidden.
        entry = unassigned if worker is None else by_worker.setdefault(worker.pk, CaseloadRow(caseworker=worker))
        entry.open += 1
        entry.overdue += Flag.OVERDUE in row.flags
        entry.due_soon += Flag.DUE_SOON in row.flags
        entry.no_next_step += Flag.NO_NEXT_STEP in row.flags
    return [*by_worker.values(), unassigned]


def target_group_name(code: str) -> str:
    from jobcenter.cases.target_groups import UnknownTargetGroup, target_group

    try:
        return target_group(code).name_da
    except UnknownTargetGroup:
        return code


def next_due_for(case: Case, interviews: list[Interview], today: datetime.date) -> Any:
    """When the next interview is due by the contact-course rules; None for a case that starts later."""
    from jobcenter.cases.contact_course import next_interview_due

    if case.opened_on > today:
        return None
    held = [
        day
        for day in (timezone.localtime(i.scheduled_at).date() for i in interviews if i.outcome == InterviewOutcome.HELD)
        if case.opened_on <= day <= today
    ]
    return next_interview_due(
        target_group_code=case.target_group,
        course_started=case.opened_on,
        held_interviews=held,
        exempt=case.contact_course_exempt,
        today=today,
    )


def case_overview(case: Case, *, today: datetime.date) -> dict[str, Any]:
    """What the case page shows, for a case already opened through access_case."""
    interviews = list(case.interviews.prefetch_related(summonses_with_status()).order_by("-scheduled_at"))
    return {
        "journal": journal_for(case),
        "interviews": interviews,
        "offers": list(case.offers.all()),
        "next_due": next_due_for(case, interviews, today) if case.status == CaseStatus.OPEN else None,
        "target_group_name": target_group_name(case.target_group),
    }


# --- The citizen overview and the audit's "all activity on a citizen" -----------------------------


@dataclass
class CitizenCases:
    """A citizen's cases (open first), each with `next_due` (open cases) and the interviews to come."""

    cases: list[Case]
    upcoming: list[Interview]

    @property
    def open_count(self) -> int:
        return sum(1 for case in self.cases if case.status == CaseStatus.OPEN)


def citizen_cases(user: User, citizen: Citizen, *, today: datetime.date) -> CitizenCases | None:
    """The citizen's cases, their next contact-course deadline and the interviews not yet held.

    For a user who has opened the citizen with access_citizen (that read is the
    audit record); None for a user without cases.view. Two queries.
    """
    if not user.has_permission(Permission.CASES_VIEW) or citizen.municipality_id != working_municipality(user).pk:
        return None
    cases = list(
        Case.objects.filter(citizen=citizen)
        .select_related("caseworker")
        .prefetch_related(Prefetch("interviews", queryset=Interview.objects.order_by("scheduled_at")))
        .order_by("status", "-opened_on")
    )
    now = timezone.now()
    upcoming: list[Interview] = []
    for case in cases:
        interviews = list(case.interviews.all())
        case.next_due = next_due_for(case, interviews, today) if case.status == CaseStatus.OPEN else None  # type: ignore[attr-defined]
        for interview in interviews:
            if not interview.outcome and interview.scheduled_at >= now:
                interview.case = case  # already loaded: no query for the template's case link
                upcoming.append(interview)
    upcoming.sort(key=lambda interview: interview.scheduled_at)
    return CitizenCases(cases=cases, upcoming=upcoming)


def audit_object_ids_for_citizen(citizen_id: uuid.UUID | str) -> list[str]:
    """The ids of the citizen's case objects (cases, interviews, journal entries and their
    attachments, summonses, offers, plan versions), for the auditor's "all activity on a
    citizen" (the caller has checked the auditor and the citizen). One query."""
    from jobcenter.audit.object_ids import object_ids

    return object_ids(
        Case.objects.filter(citizen_id=citizen_id),
        Interview.objects.filter(case__citizen_id=citizen_id),
        JournalEntry.objects.filter(case__citizen_id=citizen_id),
        JournalAttachment.objects.filter(entry__case__citizen_id=citizen_id),
        Summons.objects.filter(interview__case__citizen_id=citizen_id),
        Offer.objects.filter(case__citizen_id=citizen_id),
        PlanVersion.objects.filter(citizen_id=citizen_id),
    )


def audit_object_ids_for_case(municipality: Any, case_id: uuid.UUID | str) -> list[str] | None:
    """The ids of a case of `municipality` and of its interviews, journal entries and their
    attachments, summonses and offers (the case's own id first), for the auditor's search by case;
    None when the municipality has no such case. One query for the case, one for the rest."""
    try:
        case = Case.objects.only("pk").get(pk=case_id, municipality=municipality)
    except (Case.DoesNotExist, ValueError, ValidationError):
        return None
    from jobcenter.audit.object_ids import object_ids

    return [
        str(case.pk),
        *object_ids(
            Interview.objects.filter(case=case),
            JournalEntry.objects.filter(case=case),
            JournalAttachment.objects.filter(entry__case=case),
            Summons.objects.filter(interview__case=case),
            Offer.objects.filter(case=case),
        ),
    ]
