"""The case API under /api/v1/cases. Reads and writes go through the same queries and actions as the pages.

Each path has one method, so that the isolation matrix names every route.
"""

from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile
from pydantic import field_validator

from jobcenter import bounds
from jobcenter.cases import actions, queries
from jobcenter.cases.attachments import files_received
from jobcenter.cases.models import (
    Case,
    Interview,
    InterviewForm,
    InterviewOutcome,
    JournalEntry,
    Offer,
    OfferKind,
    OfferStatus,
    PlanVersion,
    Summons,
)
from jobcenter.letters.models import DeliveryStatus
from jobcenter.letters.queries import current_status
from jobcenter.tenancy.models import User

router = Router(tags=["Sager"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class JournalEntryOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    text: str
    author_name: str
    created_at: datetime.datetime
    corrects: uuid.UUID | None
    corrected_by: list[uuid.UUID]


class InterviewOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    scheduled_at: datetime.datetime
    form: str
    location: str
    outcome: str
    held_form: str
    topics: str
    agreements: str
    next_steps: str
    notes: str
    # Each summons's letter's current delivery status (letters' DeliveryStatus values).
    summons_status: list[str]


class OfferOut(Schema):
    id: uuid.UUID
    kind: str
    provider: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str


class CaseOut(Schema):
    id: uuid.UUID
    citizen_id: uuid.UUID
    target_group: str
    target_group_name: str
    status: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    caseworker: str | None
    available: bool
    next_interview_due: datetime.date | None


class CaseDetailOut(CaseOut):
    interviews: list[InterviewOut]
    offers: list[OfferOut]
    journal: list[JournalEntryOut]


def _entry(entry: JournalEntry) -> JournalEntryOut:
    return JournalEntryOut(
        id=entry.pk,
        kind=entry.kind,
        title=entry.title,
        text=entry.text,
        author_name=entry.author_name,
        created_at=entry.created_at,
        corrects=entry.corrects_id,
        corrected_by=[c.pk for c in entry.corrections.all()],
    )


def _summons_status(summons: Summons) -> str:
    return getattr(summons, "delivery_status", None) or DeliveryStatus.QUEUED


def _interview(interview: Interview) -> InterviewOut:
    return InterviewOut(
        id=interview.pk,
        case_id=interview.case_id,
        scheduled_at=interview.scheduled_at,
        form=interview.form,
        location=interview.location,
        outcome=interview.outcome,
        held_form=interview.held_form,
        topics=interview.topics,
        agreements=interview.agreements,
        next_steps=interview.next_steps,
        notes=interview.notes,
        summons_status=[_summons_status(s) for s in interview.summonses.all()],
    )


def _offer(offer: Offer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        kind=offer.kind,
        provider=offer.provider,
        starts_on=offer.starts_on,
        ends_on=offer.ends_on,
        status=offer.status,
    )


def _case(case: Case, due: datetime.date | None) -> CaseOut:
    return CaseOut(
        id=case.pk,
        citizen_id=case.citizen_id,
        target_group=case.target_group,
        target_group_name=queries.target_group_name(case.target_group),
        status=case.status,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        caseworker=case.caseworker.display_name if case.caseworker else None,
        available=case.available,
        next_interview_due=due,
    )


class OpenCaseIn(Schema):
    citizen_id: uuid.UUID
    target_group: str = Field(max_length=64, description="Målgruppens kode, gyldig på datoen")
    opened_on: datetime.date
    caseworker_id: uuid.UUID | None = None
    contact_course_exempt: bool = False


@router.post("", url_name="cases-open", response={201: CaseOut}, summary="Opret en sag")
def open_case(request: HttpRequest, payload: OpenCaseIn) -> Status[CaseOut]:
    user = _user(request)
    citizen = queries.access_citizen_for_cases(user, payload.citizen_id, edit=True)
    caseworker = None
    if payload.caseworker_id:
        caseworker = next((u for u in queries.caseworkers_of(user) if u.pk == payload.caseworker_id), None)
        if caseworker is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"caseworker_id": "Ukendt sagsbehandler i din kommune."})
    case = actions.do_open_case(
        acting_user=user,
        citizen=citizen,
        target_group_code=payload.target_group,
        opened_on=payload.opened_on,
        caseworker=caseworker,
        contact_course_exempt=payload.contact_course_exempt,
    )
    return Status(201, _case(case, None))


@router.get("/{uuid:case_id}", url_name="cases-detail", response=CaseDetailOut, summary="En sag med journal")
def detail(request: HttpRequest, case_id: uuid.UUID) -> CaseDetailOut:
    case = queries.access_case(_user(request), case_id)
    overview = queries.case_overview(case, today=timezone.localdate())
    due = overview["next_due"].due if overview["next_due"] else None
    return CaseDetailOut(
        **_case(case, due).model_dump(),
        interviews=[_interview(i) for i in overview["interviews"]],
        offers=[_offer(o) for o in overview["offers"]],
        journal=[_entry(e) for e in overview["journal"]],
    )


class JournalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, description="Højst 20.000 tegn")


@router.post(
    "/{uuid:case_id}/journal",
    url_name="cases-journal-add",
    response={201: JournalEntryOut},
    summary="Skriv i journalen",
)
def journal_add(request: HttpRequest, case_id: uuid.UUID, payload: JournalIn) -> Status[JournalEntryOut]:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    entry = actions.do_write_journal_entry(acting_user=user, case=case, title=payload.title, text=payload.text)
    return Status(201, _entry(entry))


@router.post(
    "/{uuid:case_id}/journal/files",
    url_name="cases-journal-add-files",
    response={201: JournalEntryOut},
    summary="Skriv i journalen med bilag (multipart: title, text, files)",
)
def journal_add_with_files(
    request: HttpRequest,
    case_id: uuid.UUID,
    title: Form[str],
    text: Form[str],
    files: File[list[NinjaUploadedFile]],
) -> Status[JournalEntryOut]:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    # The files as they lie on disk; the action checks each (size, whole type) before reading it.
    uploads = [actions.UploadedFile(file.name or "bilag", file) for file in files_received(request, "files")]
    entry = actions.do_write_journal_entry(acting_user=user, case=case, title=title, text=text, files=uploads)
    return Status(201, _entry(entry))


class DraftOut(Schema):
    content: dict[str, str]
    saved_at: datetime.datetime | None


class DraftIn(Schema):
    content: dict[str, str] = Field(description="The fields being written, e.g. {'title': ..., 'text': ...}")


@router.get(
    "/{uuid:case_id}/journal/draft",
    url_name="cases-journal-draft",
    response=DraftOut,
    summary="Min kladde til et journalnotat",
)
def journal_draft(request: HttpRequest, case_id: uuid.UUID) -> DraftOut:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    content, saved_ms = queries.draft_for(user, actions.journal_draft_key(case))
    saved_at = datetime.datetime.fromtimestamp(saved_ms / 1000, tz=datetime.UTC) if saved_ms else None
    return DraftOut(content=content, saved_at=saved_at)


@router.post(
    "/{uuid:case_id}/journal/draft/save",
    url_name="cases-journal-draft-save",
    response=DraftOut,
    summary="Gem min kladde til et journalnotat (slettes, når notatet gemmes)",
)
def journal_draft_save(request: HttpRequest, case_id: uuid.UUID, payload: DraftIn) -> DraftOut:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    draft = actions.do_save_draft(user=user, key=actions.journal_draft_key(case), content=payload.content)
    return DraftOut(content=dict(draft.content), saved_at=draft.updated_at)


@router.post(
    "/journal/{uuid:entry_id}/corrections",
    url_name="cases-journal-correct",
    response={201: JournalEntryOut},
    summary="Ret et journalnotat med et nyt notat",
)
def journal_correct(request: HttpRequest, entry_id: uuid.UUID, payload: JournalIn) -> Status[JournalEntryOut]:
    user = _user(request)
    entry = queries.access_journal_entry(user, entry_id, edit=True)
    correction = actions.do_correct_journal_entry(acting_user=user, entry=entry, title=payload.title, text=payload.text)
    return Status(201, _entry(correction))


class InterviewPlanIn(Schema):
    scheduled_at: datetime.datetime
    form: InterviewForm
    location: str = Field("", max_length=200)

    @field_validator("scheduled_at")
    @classmethod
    def _plausible(cls, value: datetime.datetime) -> datetime.datetime:
        # Checked on the date as sent, before any time zone arithmetic (year 9999 would overflow it).
        bounds.schema_date(value.date(), _("Samtalens dato"), latest=bounds.latest_interview_date())
        return value


@router.post(
    "/{uuid:case_id}/interviews",
    url_name="cases-interview-plan",
    response={201: InterviewOut},
    summary="Planlæg en jobsamtale",
)
def interview_plan(request: HttpRequest, case_id: uuid.UUID, payload: InterviewPlanIn) -> Status[InterviewOut]:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    interview = actions.do_plan_interview(
        acting_user=user, case=case, scheduled_at=payload.scheduled_at, form=payload.form, location=payload.location
    )
    return Status(201, _interview(interview))


@router.get(
    "/interviews/{uuid:interview_id}", url_name="cases-interview-detail", response=InterviewOut, summary="En jobsamtale"
)
def interview_detail(request: HttpRequest, interview_id: uuid.UUID) -> InterviewOut:
    return _interview(queries.access_interview(_user(request), interview_id))


class SummonsOut(Schema):
    id: uuid.UUID
    letter_id: uuid.UUID
    # The letter's delivery status; just issued, it is "queued" until the worker has sent it.
    status: str
    title: str


@router.post(
    "/interviews/{uuid:interview_id}/summons",
    url_name="cases-interview-summons",
    response={202: SummonsOut},
    summary="Send indkaldelse med Digital Post (efter commit)",
)
def interview_summons(request: HttpRequest, interview_id: uuid.UUID) -> Status[SummonsOut]:
    user = _user(request)
    interview = queries.access_interview(user, interview_id, edit=True)
    summons = actions.do_send_summons(acting_user=user, interview=interview)
    return Status(
        202,
        SummonsOut(
            id=summons.pk, letter_id=summons.letter_id, status=current_status(summons.letter), title=summons.title
        ),
    )


class OutcomeIn(Schema):
    outcome: InterviewOutcome
    held_form: InterviewForm | None = None
    topics: str = ""
    agreements: str = ""
    next_steps: str = ""
    notes: str = ""
    employment_start: datetime.date | None = None
    employer: str = ""
    availability: str = Field("", pattern="^(|available|unavailable)$")
    availability_from: datetime.date | None = None
    availability_reason: str = ""


@router.post(
    "/interviews/{uuid:interview_id}/outcome",
    url_name="cases-interview-outcome",
    response=InterviewOut,
    summary="Registrér samtalens udfald (én gang)",
)
def interview_outcome(request: HttpRequest, interview_id: uuid.UUID, payload: OutcomeIn) -> InterviewOut:
    user = _user(request)
    interview = queries.access_interview(user, interview_id, edit=True)
    data = payload.model_dump()
    data["held_form"] = data["held_form"] or ""
    return _interview(actions.do_record_interview_outcome(acting_user=user, interview=interview, **data))


class OfferIn(Schema):
    kind: OfferKind
    provider: str = Field(min_length=1, max_length=200)
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="Sidste dag, inklusive")
    status: OfferStatus = OfferStatus.PLANNED


@router.post("/{uuid:case_id}/offers", url_name="cases-offer-add", response={201: OfferOut}, summary="Tilføj et tilbud")
def offer_add(request: HttpRequest, case_id: uuid.UUID, payload: OfferIn) -> Status[OfferOut]:
    user = _user(request)
    case = queries.access_case(user, case_id, edit=True)
    offer = actions.do_add_offer(acting_user=user, case=case, **payload.model_dump())
    return Status(201, _offer(offer))


class OfferStatusIn(Schema):
    status: OfferStatus


@router.post(
    "/offers/{uuid:offer_id}/status",
    url_name="cases-offer-status",
    response=OfferOut,
    summary="Skift et tilbuds status",
)
def offer_status(request: HttpRequest, offer_id: uuid.UUID, payload: OfferStatusIn) -> OfferOut:
    user = _user(request)
    offer = queries.access_offer(user, offer_id, edit=True)
    return _offer(actions.do_change_offer_status(acting_user=user, offer=offer, status=payload.status))


class PlanVersionOut(Schema):
    version: int
    goals: str
    agreements: str
    author_name: str
    created_at: datetime.datetime


def _plan(plan: PlanVersion) -> PlanVersionOut:
    return PlanVersionOut(
        version=plan.version,
        goals=plan.goals,
        agreements=plan.agreements,
        author_name=plan.author_name,
        created_at=plan.created_at,
    )


@router.get(
    "/plans/{uuid:citizen_id}",
    url_name="cases-plan",
    response=list[PlanVersionOut],
    summary="Borgerens plan, nyeste version først",
)
def plan(request: HttpRequest, citizen_id: uuid.UUID) -> list[PlanVersionOut]:
    user = _user(request)
    citizen = queries.access_citizen_for_cases(user, citizen_id)
    return [_plan(p) for p in queries.plan_versions(user, citizen)]


class PlanIn(Schema):
    goals: str = Field(min_length=1)
    agreements: str = ""


@router.post(
    "/plans/{uuid:citizen_id}/versions",
    url_name="cases-plan-save",
    response={201: PlanVersionOut},
    summary="Gem planen som en ny version",
)
def plan_save(request: HttpRequest, citizen_id: uuid.UUID, payload: PlanIn) -> Status[PlanVersionOut]:
    user = _user(request)
    citizen = queries.access_citizen_for_cases(user, citizen_id, edit=True)
    return Status(201, _plan(actions.do_save_plan(acting_user=user, citizen=citizen, **payload.model_dump())))


class WorklistRowOut(Schema):
    case: CaseOut
    citizen_name: str
    planned_interview: datetime.datetime | None
    flags: list[str]


class WorklistOut(Schema):
    counts: dict[str, int]
    total: int
    rows: list[WorklistRowOut]


def _worklist(user: User, *, team: bool, target_group: str, flag: str) -> WorklistOut:
    result = queries.worklist(user, today=timezone.localdate(), team=team, target_group=target_group, flag=flag)
    return WorklistOut(
        counts=result.counts,
        total=result.total,
        rows=[
            WorklistRowOut(
                case=_case(row.case, row.due),
                citizen_name=row.case.citizen.full_name,
                planned_interview=row.planned.scheduled_at if row.planned else None,
                flags=sorted(row.flags),
            )
            for row in result.rows
        ],
    )


@router.get("/worklist", url_name="cases-worklist", response=WorklistOut, summary="Min arbejdsliste")
def worklist(request: HttpRequest, target_group: str = "", flag: str = "") -> WorklistOut:
    return _worklist(_user(request), team=False, target_group=target_group, flag=flag)


@router.get("/team-overview", url_name="cases-team-overview", response=WorklistOut, summary="Teamets overblik")
def team_overview(request: HttpRequest, target_group: str = "", flag: str = "") -> WorklistOut:
    return _worklist(_user(request), team=True, target_group=target_group, flag=flag)
