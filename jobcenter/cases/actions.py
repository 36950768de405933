"""Every write to cases, the journal, interviews, plans, offers and drafts.

Each action runs in one transaction, writes its audit record, and publishes
its domain events to the outbox in that same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter import bounds
from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.cases.attachments import MAX_FILES_PER_ENTRY, CheckedAttachment, check_attachment
from jobcenter.cases.models import (
    MAX_TEXT_CHARS,
    Case,
    CaseStatus,
    Draft,
    Interview,
    InterviewForm,
    InterviewOutcome,
    JournalAttachment,
    JournalEntry,
    JournalKind,
    Offer,
    OfferKind,
    OfferStatus,
    PlanVersion,
    Summons,
)
from jobcenter.cases.target_groups import UnknownTargetGroup, is_valid_on, target_group
from jobcenter.citizens.models import Citizen
from jobcenter.events.actions import publish
from jobcenter.events.types import AvailabilityChanged, EmploymentStarted, InterviewHeld, InterviewMissed, OfferStarted
from jobcenter.tenancy.models import User

LOCAL_DATE_FORMAT = "%d.%m.%Y"


def _date_da(day: datetime.date) -> str:
    return day.strftime(LOCAL_DATE_FORMAT)


def check_text(field: str, value: str, *, label: str, required: bool = False) -> str:
    """Text as typed, or a Danish ValidationError when it is missing or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"Skriv {label}."})
    if len(value) > MAX_TEXT_CHARS:
        raise ValidationError(
            {
                field: f"Teksten i »{label}« er for lang: {len(value):,} tegn. Der er plads til {MAX_TEXT_CHARS:,} tegn; "
                "læg et længere dokument ved som bilag.".replace(",", ".")
            }
        )
    return value


def _check_within_case(case: Case, field: str, day: datetime.date, what: str) -> None:
    if not case.covers(day):
        end = f"til {_date_da(case.closed_on)}" if case.closed_on else "og frem"
        raise ValidationError(
            {field: f"{what} ({_date_da(day)}) ligger uden for sagen, som løber fra {_date_da(case.opened_on)} {end}."}
        )


def _check_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError("Sagen er lukket. Åbn en ny sag for at arbejde videre.")


def _same_municipality(user: User | None, case: Case) -> None:
    # The queries have already answered not-found; this is the second wall.
    if user is not None and user.municipality != case.municipality:
        raise ValidationError("Sagen hører ikke til din kommune.")


# --- Drafts ------------------------------------------------------------------------------


def journal_draft_key(case: Case) -> str:
    return f"journal:{case.pk}"


def correction_draft_key(entry: JournalEntry) -> str:
    return f"correction:{entry.pk}"


def outcome_draft_key(interview: Interview) -> str:
    return f"outcome:{interview.pk}"


DRAFT_MAX_FIELDS = 20


@transaction.atomic
def do_save_draft(*, user: User, key: str, content: dict[str, Any]) -> Draft:
    """Keep what the user is typing. Not audited: nothing is decided or shown to anyone else."""
    # A NUL character cannot be stored by PostgreSQL (jsonb); nobody typed it, so the draft drops it.
    cleaned = {
        str(name)[:50].replace("\x00", ""): str(value)[: MAX_TEXT_CHARS + 1000].replace("\x00", "")
        for name, value in list(content.items())[:DRAFT_MAX_FIELDS]
        if name not in {"csrfmiddlewaretoken"}
    }
    try:
        with transaction.atomic():
            draft, _created = Draft.objects.update_or_create(user=user, key=key, defaults={"content": cleaned})
    except IntegrityError:
        # Two autosaves of the same draft raced to create it: the other one won; update it.
        Draft.objects.filter(user=user, key=key).update(content=cleaned, updated_at=timezone.now())
        draft = Draft.objects.get(user=user, key=key)
    return draft


def _discard_draft(user: User | None, key: str) -> None:
    if user is not None:
        Draft.objects.filter(user=user, key=key).delete()


# --- Cases ---------------------------------------------------------------------------------


@transaction.atomic
def do_open_case(
    *,
    acting_user: User | None,
    citizen: Citizen,
    target_group_code: str,
    opened_on: datetime.date,
    caseworker: User | None = None,
    contact_course_exempt: bool = False,
) -> Case:
    try:
        group = target_group(target_group_code)
    except UnknownTargetGroup:
        raise ValidationError({"target_group": "Ukendt målgruppe."}) from None
    if not is_valid_on(target_group_code, opened_on):
        raise ValidationError(
            {
                "target_group": f"Målgruppen »{group.name_da}« gælder ikke den {_date_da(opened_on)}. Vælg en af de målgrupper, der gælder på datoen."
            }
        )
    bounds.check_date("opened_on", opened_on, _("Datoen for sagens start"))
    if caseworker is not None and caseworker.municipality != citizen.municipality:
        raise ValidationError({"caseworker": "Sagsbehandleren arbejder ikke i borgerens kommune."})
    if Case.objects.filter(citizen=citizen, target_group=target_group_code, status=CaseStatus.OPEN).exists():
        raise ValidationError({"target_group": "Borgeren har allerede en åben sag i denne målgruppe."})
    case = Case(
        municipality=citizen.municipality,
        citizen=citizen,
        target_group=target_group_code,
        caseworker=caseworker,
        opened_on=opened_on,
        contact_course_exempt=contact_course_exempt,
    )
    case.full_clean(exclude=["target_group"])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise ValidationError({"target_group": "Borgeren har allerede en åben sag i denne målgruppe."}) from None
    record(
        acting_user,
        AuditAction.CREATE,
        obj=case,
        municipality=case.municipality,
        detail={"target_group": target_group_code, "opened_on": opened_on.isoformat()},
    )
    return case


@transaction.atomic
def do_close_case(*, acting_user: User | None, case: Case, closed_on: datetime.date) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _same_municipality(acting_user, case)
    _check_open(case)
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": "Sagen kan ikke lukkes før den blev åbnet."})
    bounds.check_date("closed_on", closed_on, _("Lukkedatoen"))
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.save(update_fields=["status", "closed_on"])
    record(acting_user, AuditAction.UPDATE, obj=case, detail={"closed_on": closed_on.isoformat()})
    return case


# --- The journal -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file to attach: its bytes, or the uploaded file as it lies on disk (read only after its checks)."""

    filename: str
    data: bytes | IO[bytes]


def _attach(entry: JournalEntry, files: Iterable[CheckedAttachment]) -> None:
    for file in files:
        JournalAttachment.objects.create(
            entry=entry,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            data=file.data,
        )


def _write_entry(
    *,
    acting_user: User | None,
    case: Case,
    title: str,
    text: str,
    kind: JournalKind = JournalKind.NOTE,
    corrects: JournalEntry | None = None,
    interview: Interview | None = None,
    files: Sequence[UploadedFile] = (),
) -> JournalEntry:
    title = check_text("title", title, label="overskrift", required=True)[:200]
    text = check_text("text", text, label="tekst", required=True)
    if len(files) > MAX_FILES_PER_ENTRY:
        raise ValidationError(
            {
                "attachments": _("Et notat kan have højst %(max)s bilag; der blev sendt %(count)s. Intet er gemt.")
                % {"max": MAX_FILES_PER_ENTRY, "count": len(files)}
            }
        )
    checked = [check_attachment(file.filename, file.data) for file in files]  # refuse before anything is written
    entry = JournalEntry.objects.create(
        municipality=case.municipality,
        case=case,
        kind=kind,
        title=title,
        text=text,
        author=acting_user,
        author_name=acting_user.display_name if acting_user else "system",
        corrects=corrects,
        interview=interview,
    )
    _attach(entry, checked)
    record(
        acting_user,
        AuditAction.CREATE,
        obj=entry,
        municipality=case.municipality,
        detail={"case": str(case.pk), "kind": kind, "corrects": str(corrects.pk) if corrects else ""},
    )
    return entry


@transaction.atomic
def do_write_journal_entry(
    *, acting_user: User | None, case: Case, title: str, text: str, files: Sequence[UploadedFile] = ()
) -> JournalEntry:
    _same_municipality(acting_user, case)
    entry = _write_entry(acting_user=acting_user, case=case, title=title, text=text, files=files)
    _discard_draft(acting_user, journal_draft_key(case))
    return entry


@transaction.atomic
def do_correct_journal_entry(
    *, acting_user: User | None, entry: JournalEntry, title: str, text: str, files: Sequence[UploadedFile] = ()
) -> JournalEntry:
    """A correction is a new entry pointing at the one it corrects; the original stays as it was."""
    _same_municipality(acting_user, entry.case)
    correction = _write_entry(
        acting_user=acting_user, case=entry.case, title=title, text=text, corrects=entry, files=files
    )
    _discard_draft(acting_user, correction_draft_key(entry))
    return correction


# --- Interviews ------------------------------------------------------------------------------------


@transaction.atomic
def do_plan_interview(
    *,
    acting_user: User | None,
    case: Case,
    scheduled_at: datetime.datetime,
    form: str,
    location: str = "",
) -> Interview:
    _same_municipality(acting_user, case)
    _check_open(case)
    if form not in InterviewForm.values:
        raise ValidationError({"form": "Vælg samtalens form."})
    if timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    bounds.check_date(
        "scheduled_at", timezone.localdate(scheduled_at), _("Samtalens dato"), latest=bounds.latest_interview_date()
    )
    _check_within_case(case, "scheduled_at", timezone.localdate(scheduled_at), "Samtalens dato")
    interview = Interview.objects.create(
        municipality=case.municipality,
        case=case,
        scheduled_at=scheduled_at,
        form=form,
        location=check_text("location", location, label="sted eller link")[:200],
        planned_by=acting_user,
    )
    record(
        acting_user,
        AuditAction.CREATE,
        obj=interview,
        municipality=case.municipality,
        detail={"case": str(case.pk), "scheduled_at": scheduled_at.isoformat(), "form": form},
    )
    return interview


# LAS § 37: a deduction for a missed interview requires that the citizen was
# told in writing what not showing up means. Every summons carries it.
# For legal review: the wording is ours, from the rule as DOMAIN.md states it.
MISSED_INTERVIEW_GUIDANCE = (
    "Hvis du udebliver fra samtalen uden rimelig grund, og du modtager kontanthjælp, "
    "bliver der trukket i din hjælp for den dag, du udeblev, og for hver dag derefter, "
    "indtil du kontakter jobcentret (lov om aktiv socialpolitik § 37)."
)


def summons_text(interview: Interview) -> tuple[str, str]:
    when = timezone.localtime(interview.scheduled_at)
    title = f"Indkaldelse til jobsamtale {when:%d.%m.%Y} kl. {when:%H.%M}"
    form = InterviewForm(interview.form).label
    where = f"\nSted: {interview.location}" if interview.location else ""
    body = (
        f"Du er indkaldt til en jobsamtale i jobcentret den {when:%d.%m.%Y} kl. {when:%H.%M}.\n"
        f"Samtalen holdes som: {form}.{where}\n\n"
        "Samtalen er en del af dit kontaktforløb (lov om en aktiv beskæftigelsesindsats). "
        "Hvis du ikke kan komme, skal du give jobcentret besked før samtalen.\n\n"
        f"{MISSED_INTERVIEW_GUIDANCE}"
    )
    return title, body


SUMMONS_TEMPLATE = "letters/summons.html"


def summons_letter_context(interview: Interview) -> dict[str, Any]:
    """What the summons letter says about the interview: the one source for the letter and its preview."""
    return {
        "scheduled_at": timezone.localtime(interview.scheduled_at),
        "form_label": InterviewForm(interview.form).label,
        "location": interview.location,
        "missed_interview_guidance": MISSED_INTERVIEW_GUIDANCE,
    }


@transaction.atomic
def do_send_summons(*, acting_user: User | None, interview: Interview) -> Summons:
    """Issue the summons as a letter (PDF/A, archived on the case); Digital Post gets it after commit.

    The letters app delivers it (`letters.tasks.deliver_letter`): retries while
    Digital Post is down, and the paper-post queue when the citizen is not
    connected or the service never answers.
    """
    from jobcenter.letters.actions import do_issue_letter
    from jobcenter.letters.models import LetterKind

    interview = Interview.objects.select_for_update().select_related("case__citizen__municipality").get(pk=interview.pk)
    _same_municipality(acting_user, interview.case)
    if interview.is_recorded:
        raise ValidationError("Samtalen er allerede holdt og registreret; der kan ikke indkaldes til den.")
    title, body = summons_text(interview)
    letter = do_issue_letter(
        acting_user,
        citizen=interview.case.citizen,
        kind=LetterKind.SUMMONS,
        title=title,
        summary_text=body,
        template_name=SUMMONS_TEMPLATE,
        context=summons_letter_context(interview),
        subject_type="cases.case",
        subject_id=str(interview.case_id),
        with_appeal_guidance=False,
    )
    summons = Summons.objects.create(
        municipality=interview.municipality,
        interview=interview,
        letter=letter,
        title=title,
        body_text=body,
        created_by=acting_user,
    )
    _write_entry(
        acting_user=acting_user,
        case=interview.case,
        title=title,
        text=body,
        kind=JournalKind.SUMMONS,
        interview=interview,
    )
    record(
        acting_user,
        AuditAction.CREATE,
        obj=summons,
        municipality=interview.municipality,
        detail={"letter": str(letter.pk)},
    )
    return summons


class Availability:
    UNCHANGED = ""
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


def _outcome_journal_text(interview: Interview) -> str:
    parts = [f"Udfald: {InterviewOutcome(interview.outcome).label}"]
    if interview.held_form:
        parts.append(f"Form: {InterviewForm(interview.held_form).label}")
    for label, value in (
        ("Emner", interview.topics),
        ("Aftaler", interview.agreements),
        ("Næste skridt", interview.next_steps),
        ("Notat", interview.notes),
    ):
        if value:
            parts.append(f"{label}:\n{value}")
    return "\n\n".join(parts)


def _check_outcome_fits_the_calendar(interview: Interview, outcome: str) -> None:
    """Held and missed are facts about a summoned interview whose time has come.

    A citizen cannot miss an interview that has not begun, nor one they were never
    summoned to: the summons carries the written guidance that LAS § 37 makes a
    precondition for a deduction. A cancellation may be recorded at any time; it
    is usually recorded before the interview.
    """
    if outcome not in (InterviewOutcome.HELD, InterviewOutcome.NO_SHOW):
        return
    label = InterviewOutcome(outcome).label
    if timezone.now() < interview.scheduled_at:
        when = timezone.localtime(interview.scheduled_at)
        raise ValidationError(
            {
                "outcome": _(
                    "Samtalen er først %(day)s kl. %(time)s. »%(outcome)s« kan registreres, når samtalen er begyndt; "
                    "en aflysning kan registreres nu."
                )
                % {"day": bounds.date_da(when.date()), "time": f"{when:%H.%M}", "outcome": label}
            }
        )
    if not interview.summonses.exists():
        raise ValidationError(
            {
                "outcome": _(
                    "Borgeren er ikke indkaldt til samtalen. »%(outcome)s« kan kun registreres for en samtale, "
                    "borgeren er indkaldt til; send indkaldelsen, eller registrér samtalen som aflyst."
                )
                % {"outcome": label}
            }
        )


@transaction.atomic
def do_record_interview_outcome(
    *,
    acting_user: User | None,
    interview: Interview,
    outcome: str,
    held_form: str = "",
    topics: str = "",
    agreements: str = "",
    next_steps: str = "",
    notes: str = "",
    employment_start: datetime.date | None = None,
    employer: str = "",
    availability: str = Availability.UNCHANGED,
    availability_from: datetime.date | None = None,
    availability_reason: str = "",
) -> Interview:
    """Record what happened, once. Writes the journal entry and publishes the events, all in one transaction."""
    case = Case.objects.select_for_update().get(pk=interview.case_id)
    _same_municipality(acting_user, case)
    if outcome not in InterviewOutcome.values:
        raise ValidationError({"outcome": "Vælg samtalens udfald."})
    if outcome == InterviewOutcome.HELD and held_form not in InterviewForm.values:
        raise ValidationError({"held_form": "Vælg hvordan samtalen blev holdt."})
    if outcome != InterviewOutcome.HELD:
        held_form = ""
    _check_outcome_fits_the_calendar(interview, outcome)
    topics = check_text("topics", topics, label="emner")
    agreements = check_text("agreements", agreements, label="aftaler")
    next_steps = check_text("next_steps", next_steps, label="næste skridt")
    notes = check_text("notes", notes, label="notat")
    employer = check_text("employer", employer, label="arbejdsgiver")[:200]
    availability_reason = check_text("availability_reason", availability_reason, label="begrundelse")[:500]
    bounds.check_date("employment_start", employment_start, _("Jobstart"))
    bounds.check_date("availability_from", availability_from, _("Datoen for rådighed"))
    if employment_start is not None:
        if not employer:
            raise ValidationError({"employer": "Skriv arbejdsgiverens navn, når der er en jobstart."})
        _check_within_case(case, "employment_start", employment_start, "Jobstart")
    elif employer:
        raise ValidationError({"employment_start": "Skriv datoen for jobstart."})
    if availability not in {Availability.UNCHANGED, Availability.AVAILABLE, Availability.UNAVAILABLE}:
        raise ValidationError({"availability": "Vælg rådighed."})
    if availability != Availability.UNCHANGED:
        if availability_from is None:
            raise ValidationError({"availability_from": "Skriv fra hvilken dato rådigheden ændres."})
        _check_within_case(case, "availability_from", availability_from, "Datoen for rådighed")

    now = timezone.now()
    # One conditional UPDATE: of two recordings racing, exactly one finds the outcome empty.
    updated = Interview.objects.filter(pk=interview.pk, outcome="").update(
        outcome=outcome,
        held_form=held_form,
        topics=topics,
        agreements=agreements,
        next_steps=next_steps,
        notes=notes,
        recorded_at=now,
        recorded_by=acting_user,
    )
    if updated != 1:
        raise ValidationError(
            "Samtalens udfald er allerede registreret og kan ikke registreres igen. "
            "Skriv et journalnotat, hvis noget skal rettes eller tilføjes."
        )
    interview.refresh_from_db()
    when = timezone.localtime(interview.scheduled_at)
    _write_entry(
        acting_user=acting_user,
        case=case,
        title=f"Jobsamtale {when:%d.%m.%Y}: {InterviewOutcome(outcome).label.lower()}",
        text=_outcome_journal_text(interview),
        kind=JournalKind.INTERVIEW,
        interview=interview,
    )
    common: dict[str, Any] = {
        "municipality_id": case.municipality_id,
        "citizen_id": case.citizen_id,
        "case_id": case.pk,
    }
    if outcome == InterviewOutcome.HELD:
        publish(
            InterviewHeld(
                **common,
                occurred_at=now,
                interview_id=interview.pk,
                held_on=timezone.localtime(interview.scheduled_at).date(),
                form=held_form,
                target_group=case.target_group,
            )
        )
    if outcome == InterviewOutcome.NO_SHOW:
        publish(
            InterviewMissed(**common, occurred_at=now, interview_id=interview.pk, scheduled_at=interview.scheduled_at)
        )
    if employment_start is not None:
        publish(EmploymentStarted(**common, occurred_at=now, start_date=employment_start, employer=employer))
    if availability != Availability.UNCHANGED:
        available = availability == Availability.AVAILABLE
        if available != case.available and availability_from is not None:
            case.available = available
            case.save(update_fields=["available"])
            publish(
                AvailabilityChanged(
                    **common,
                    occurred_at=now,
                    available=available,
                    effective_from=availability_from,
                    reason=availability_reason,
                )
            )
    record(
        acting_user,
        AuditAction.UPDATE,
        obj=interview,
        municipality=case.municipality,
        detail={"outcome": outcome, "employment_start": bool(employment_start), "availability": availability},
    )
    _discard_draft(acting_user, outcome_draft_key(interview))
    return interview


# --- Plans and offers -------------------------------------------------------------------------------


@transaction.atomic
def do_save_plan(*, acting_user: User | None, citizen: Citizen, goals: str, agreements: str) -> PlanVersion:
    """Save the plan as a new version; earlier versions stay as they were."""
    if acting_user is not None and acting_user.municipality != citizen.municipality:
        raise ValidationError("Borgeren hører ikke til din kommune.")
    goals = check_text("goals", goals, label="mål", required=True)
    agreements = check_text("agreements", agreements, label="aftaler")
    # Lock the citizen so that two saves cannot take the same version number.
    Citizen.objects.select_for_update().filter(pk=citizen.pk).exists()
    latest = PlanVersion.objects.filter(citizen=citizen).aggregate(v=Max("version"))["v"] or 0
    plan = PlanVersion.objects.create(
        municipality=citizen.municipality,
        citizen=citizen,
        version=latest + 1,
        goals=goals,
        agreements=agreements,
        author=acting_user,
        author_name=acting_user.display_name if acting_user else "system",
    )
    record(
        acting_user, AuditAction.CREATE, obj=plan, municipality=citizen.municipality, detail={"version": plan.version}
    )
    return plan


@transaction.atomic
def do_add_offer(
    *,
    acting_user: User | None,
    case: Case,
    kind: str,
    provider: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    status: str = OfferStatus.PLANNED,
) -> Offer:
    _same_municipality(acting_user, case)
    _check_open(case)
    if kind not in OfferKind.values:
        raise ValidationError({"kind": "Vælg et tilbud."})
    if status not in OfferStatus.values:
        raise ValidationError({"status": "Vælg en status."})
    provider = check_text("provider", provider, label="virksomhed eller udbyder", required=True)[:200]
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "Slutdatoen ligger før startdatoen."})
    bounds.check_date("starts_on", starts_on, _("Startdatoen"))
    bounds.check_date("ends_on", ends_on, _("Slutdatoen"))
    _check_within_case(case, "starts_on", starts_on, "Startdatoen")
    _check_within_case(case, "ends_on", ends_on, "Slutdatoen")
    offer = Offer.objects.create(
        municipality=case.municipality,
        case=case,
        kind=kind,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        created_by=acting_user,
    )
    if status == OfferStatus.ACTIVE:
        _publish_offer_started(offer)
    record(
        acting_user,
        AuditAction.CREATE,
        obj=offer,
        municipality=case.municipality,
        detail={"kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return offer


def _publish_offer_started(offer: Offer) -> None:
    publish(
        OfferStarted(
            municipality_id=offer.municipality_id,
            citizen_id=offer.case.citizen_id,
            case_id=offer.case_id,
            occurred_at=timezone.now(),
            offer_id=offer.pk,
            kind=offer.kind,
            starts_on=offer.starts_on,
            ends_on=offer.ends_on,
        )
    )


@transaction.atomic
def do_change_offer_status(*, acting_user: User | None, offer: Offer, status: str) -> Offer:
    offer = Offer.objects.select_for_update().select_related("case").get(pk=offer.pk)
    _same_municipality(acting_user, offer.case)
    if status not in OfferStatus.values:
        raise ValidationError({"status": "Vælg en status."})
    before = offer.status
    offer.status = status
    offer.save(update_fields=["status"])
    if before == OfferStatus.PLANNED and status == OfferStatus.ACTIVE:
        _publish_offer_started(offer)
    record(acting_user, AuditAction.UPDATE, obj=offer, detail={"status": [before, status]})
    return offer


# --- Assignment, closing with a reason, reopening (the team's day) -----------------------------


def _caseworker_of(municipality: Any, caseworker: User) -> User:
    if (
        not caseworker.is_active
        or caseworker.role not in ("caseworker", "team_lead")
        or caseworker.municipality != municipality
    ):
        raise ValidationError({"caseworker": "Vælg en sagsbehandler i kommunen."})
    return caseworker


@transaction.atomic
def do_assign_cases(*, acting_user: User, case_ids: Sequence[Any], caseworker: User) -> list[Case]:
    """Give one or many cases to a caseworker (the team lead's work); one audit record per case.

    All or nothing: a case of another municipality, or an id that does not
    exist, refuses the whole assignment and changes nothing.
    """
    from jobcenter.tenancy.access import require_permission, working_municipality
    from jobcenter.tenancy.roles import Permission

    require_permission(acting_user, Permission.CASES_ASSIGN)
    municipality = working_municipality(acting_user)
    ids = list(dict.fromkeys(str(case_id) for case_id in case_ids))
    if not ids:
        raise ValidationError({"cases": "Vælg mindst én sag."})
    _caseworker_of(municipality, caseworker)
    try:
        cases = list(Case.objects.select_for_update().filter(pk__in=ids, municipality=municipality).order_by("id"))
    except (ValueError, ValidationError):
        cases = []
    if len(cases) != len(ids):
        raise ValidationError({"cases": "En eller flere af de valgte sager findes ikke. Intet er ændret."})
    for case in cases:
        previous = case.caseworker_id
        if previous == caseworker.pk:
            continue
        case.caseworker = caseworker
        case.save(update_fields=["caseworker"])
        record(
            acting_user,
            AuditAction.UPDATE,
            obj=case,
            municipality=municipality,
            detail={"caseworker": str(caseworker.pk), "previous_caseworker": str(previous) if previous else None},
        )
    return cases


@transaction.atomic
def do_close_case_with_reason(*, acting_user: User | None, case: Case, closed_on: datetime.date, reason: str) -> Case:
    """Close the case and write why in the journal, in one transaction. A closed case can be reopened."""
    reason = check_text("reason", reason, label="en begrundelse for at lukke sagen", required=True)
    case = do_close_case(acting_user=acting_user, case=case, closed_on=closed_on)
    _write_entry(
        acting_user=acting_user,
        case=case,
        title=f"Sagen er lukket pr. {_date_da(closed_on)}",
        text=f"Begrundelse: {reason}",
    )
    return case


@transaction.atomic
def do_reopen_case(*, acting_user: User | None, case: Case, reason: str) -> Case:
    """Open a closed case again, with the reason in the journal; the closing stays in the journal and the audit log."""
    reason = check_text("reason", reason, label="en begrundelse for at genåbne sagen", required=True)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _same_municipality(acting_user, case)
    if case.status == CaseStatus.OPEN:
        raise ValidationError("Sagen er allerede åben.")
    if Case.objects.filter(citizen=case.citizen_id, target_group=case.target_group, status=CaseStatus.OPEN).exists():
        raise ValidationError(
            "Borgeren har allerede en åben sag i denne målgruppe. Arbejd videre i den, eller luk den først."
        )
    closed_on = case.closed_on
    case.status = CaseStatus.OPEN
    case.closed_on = None
    case.save(update_fields=["status", "closed_on"])
    record(
        acting_user,
        AuditAction.UPDATE,
        obj=case,
        detail={"reopened": True, "was_closed_on": closed_on.isoformat() if closed_on else None},
    )
    _write_entry(acting_user=acting_user, case=case, title="Sagen er genåbnet", text=f"Begrundelse: {reason}")
    return case
