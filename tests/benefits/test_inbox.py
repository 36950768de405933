"""The benefits officer's inbox: proposals from the jobcentre's events, their consequence,
accepting (decision and letter in one step), rejecting, and sanctions for a missed interview."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.models import AuditEntry
from jobcenter.benefits import actions as benefits_actions_module
from jobcenter.benefits.actions import (
    DecisionRefused,
    do_record_consultation_reply,
    do_record_decision,
    do_start_consultation,
    sanction_deadline,
)
from jobcenter.benefits.consequences import consequence_of
from jobcenter.benefits.handlers import propose_for_availability, propose_sanction_assessment, propose_stop
from jobcenter.benefits.models import Decision, Grant, Proposal, ProposalKind, ProposalStatus, RecalculationMark
from jobcenter.benefits.proposals import do_accept_proposal, do_reject_proposal, do_send_proposal_consultation
from jobcenter.cases.actions import do_open_case, do_record_interview_outcome
from jobcenter.events.dispatcher import dispatch
from jobcenter.events.models import DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.events.registry import EventRejected, handlers_for
from jobcenter.letters.actions import LetterRefused
from jobcenter.letters.models import Letter, LetterKind
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.release import do_release_run
from tests.cases.interviews import summoned_interview
from tests.conftest import TARGET_GROUP
from tests.payments.helpers import FULL_MONTH_2025_ORE, OCTOBER_2025, grant

NOVEMBER_2025 = datetime.date(2025, 11, 1)
DECEMBER_2025 = datetime.date(2025, 12, 1)
EXEMPTION = "Borgeren oplyste selv ved samtalen, at hun er ansat fra den 16. november."


# --- Helpers: the events come from the real case actions -------------------------------


def decision_letters() -> int:
    """Decision letters issued: the grant's own, and one for each decision after it."""
    return Letter.objects.filter(kind=LetterKind.DECISION).count()


@pytest.fixture
def case_2025(odense_citizen, odense_caseworker):
    return do_open_case(
        acting_user=None,
        citizen=odense_citizen,
        target_group_code=TARGET_GROUP,
        opened_on=datetime.date(2025, 9, 1),
        caseworker=odense_caseworker,
    )


def interview_outcome(case, day: datetime.date, outcome: str = "held", **kwargs: Any) -> OutboxEvent | None:
    """Record an interview on `day` and return the event it published (the latest), if any."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    interview = summoned_interview(case, at=when)
    before = set(OutboxEvent.objects.values_list("pk", flat=True))
    do_record_interview_outcome(
        acting_user=None,
        interview=interview,
        outcome=outcome,
        held_form="fremmoede" if outcome == "held" else "",
        **kwargs,
    )
    new = OutboxEvent.objects.exclude(pk__in=before).order_by("created_at")
    return new.last()


def job_started(case, start: datetime.date = datetime.date(2025, 11, 16)) -> OutboxEvent:
    event = interview_outcome(case, datetime.date(2025, 11, 3), employment_start=start, employer="Bageriet ApS")
    assert event is not None and event.event_type == "employment_started"
    return event


def availability(case, available: bool, day: datetime.date, interview_day: datetime.date) -> OutboxEvent | None:
    return interview_outcome(
        case,
        interview_day,
        availability="available" if available else "unavailable",
        availability_from=day,
        availability_reason="Sygemeldt" if not available else "Rask igen",
    )


def missed(case, day: datetime.date = datetime.date(2025, 11, 10)) -> OutboxEvent:
    event = interview_outcome(case, day, outcome="no_show")
    assert event is not None and event.event_type == "interview_missed"
    return event


def released(starter, approver, month):
    run = do_start_trial_run(starter, month)
    do_approve_run(approver, run.pk)
    return do_release_run(starter, run.pk)


def on_day(monkeypatch, today: datetime.date) -> None:
    """Today is `today` for the actions (localdate() without an argument); any other date passes through."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):  # type: ignore[no-untyped-def]
        return today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def stop_proposal(officer, case) -> Proposal:
    grant(officer, case.citizen)
    propose_stop(job_started(case))
    return Proposal.objects.get()


# --- Handlers ----------------------------------------------------------------------------


def test_each_event_type_has_its_benefits_handler():
    assert [h.name for h in handlers_for("employment_started")] == ["benefits.stop_proposal"]
    assert [h.name for h in handlers_for("availability_changed")] == ["benefits.availability_proposal"]
    assert [h.name for h in handlers_for("interview_missed")] == ["benefits.sanction_task"]


def test_a_job_start_gives_one_stop_proposal_from_the_start_date(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    propose_stop(event)
    proposal = Proposal.objects.get()
    assert proposal.kind == ProposalKind.STOP
    assert proposal.event == event
    assert proposal.effective_from == datetime.date(2025, 11, 16)
    assert proposal.facts["employer"] == "Bageriet ApS"
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.grant.citizen == case_2025.citizen
    assert AuditEntry.objects.filter(object_type="benefits.proposal", object_id=str(proposal.pk)).exists()


def test_the_dispatcher_brings_a_job_start_from_the_caseworker_to_the_benefits_officers_inbox(
    odense_benefits_officer, case_2025
):
    """The whole path of 2015's hand-carried notice: the caseworker records the job start, the
    outbox's dispatcher delivers the event, the benefits officer finds the stop proposal."""
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    assert not Proposal.objects.exists()  # nothing happens by hand, and nothing before delivery
    dispatch()
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.event, proposal.effective_from) == (
        ProposalKind.STOP,
        event,
        datetime.date(2025, 11, 16),
    )
    assert EventDelivery.objects.get(event=event, handler="benefits.stop_proposal").status == DeliveryStatus.DONE
    dispatch()  # delivered again: still one proposal
    assert Proposal.objects.count() == 1


def test_an_event_delivered_twice_still_gives_one_proposal(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    propose_stop(event)
    propose_stop(event)
    propose_stop(OutboxEvent.objects.get(pk=event.pk))
    assert Proposal.objects.count() == 1


def test_a_job_start_of_a_citizen_without_a_grant_needs_no_proposal(case_2025):
    propose_stop(job_started(case_2025))
    assert not Proposal.objects.exists()


def test_a_job_start_after_the_grant_has_ended_needs_no_proposal(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen, effective_to=datetime.date(2025, 10, 31))
    propose_stop(job_started(case_2025))
    assert not Proposal.objects.exists()


def test_an_unknown_citizen_is_rejected(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    event.payload = {**event.payload, "citizen_id": str(uuid.uuid4())}
    with pytest.raises(EventRejected, match="no citizen"):
        propose_stop(event)
    assert not Proposal.objects.exists()


def test_a_citizen_of_another_municipality_is_rejected(odense_benefits_officer, case_2025, aarhus_citizen):
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    event.payload = {**event.payload, "citizen_id": str(aarhus_citizen.pk)}
    with pytest.raises(EventRejected):
        propose_stop(event)


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": "16-11-2025"},
        {"start_date": None},
        {"employer": 17},
        {"citizen_id": "not an id"},
    ],
)
def test_a_malformed_payload_is_rejected(odense_benefits_officer, case_2025, change):
    grant(odense_benefits_officer, case_2025.citizen)
    event = job_started(case_2025)
    event.payload = {**event.payload, **change}
    with pytest.raises(EventRejected):
        propose_stop(event)
    assert not Proposal.objects.exists()


def test_a_payload_without_its_fields_is_rejected(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = missed(case_2025)
    event.payload = {"citizen_id": event.payload["citizen_id"]}
    with pytest.raises(EventRejected, match="scheduled_at"):
        propose_sanction_assessment(event)


def test_unavailability_gives_a_pause_proposal(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = availability(case_2025, False, datetime.date(2025, 11, 20), datetime.date(2025, 11, 3))
    propose_for_availability(event)
    propose_for_availability(event)
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.effective_from) == (ProposalKind.PAUSE, datetime.date(2025, 11, 20))
    assert proposal.facts["reason"] == "Sygemeldt"


def test_availability_again_gives_a_resume_proposal_only_when_the_help_is_stopped(odense_benefits_officer, case_2025):
    decision = grant(odense_benefits_officer, case_2025.citizen)
    # Unavailable, then available again while the grant still runs: nothing to resume.
    propose_for_availability(availability(case_2025, False, datetime.date(2025, 11, 20), datetime.date(2025, 11, 3)))
    back = availability(case_2025, True, datetime.date(2025, 11, 27), datetime.date(2025, 11, 4))
    propose_for_availability(back)
    assert list(Proposal.objects.values_list("kind", flat=True)) == [ProposalKind.PAUSE]
    # Once the help is stopped, availability again is a proposal to resume.
    consultation = do_start_consultation(
        odense_benefits_officer,
        decision.grant_id,
        intended_kind="standsning",
        subject="Rådighed",
        sent_on=datetime.date(2025, 11, 5),
        deadline=datetime.date(2025, 11, 10),
    )
    do_record_decision(
        odense_benefits_officer,
        case_2025.citizen.pk,
        kind="standsning",
        effective_from=datetime.date(2025, 11, 20),
        justification="Ikke til rådighed",
        legal_basis="Lov om aktiv socialpolitik § 13.",
        consultation_id=consultation.pk,
    )
    propose_for_availability(back)  # delivered again, now with the help stopped
    resume = Proposal.objects.get(event=back)
    assert (resume.kind, resume.effective_from) == (ProposalKind.RESUME, datetime.date(2025, 11, 27))


def test_a_missed_interview_gives_a_sanction_task_for_the_day(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    event = missed(case_2025)
    propose_sanction_assessment(event)
    propose_sanction_assessment(event)
    task = Proposal.objects.get()
    assert (task.kind, task.effective_from) == (ProposalKind.SANCTION, datetime.date(2025, 11, 10))


def test_a_missed_interview_without_help_on_the_day_gives_no_task(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen, effective_from=DECEMBER_2025)
    propose_sanction_assessment(missed(case_2025))
    assert not Proposal.objects.exists()


def test_handlers_never_change_a_payment(odense_benefits_officer, case_2025):
    decision = grant(odense_benefits_officer, case_2025.citizen)
    propose_stop(job_started(case_2025))
    propose_sanction_assessment(missed(case_2025))
    assert Decision.objects.filter(grant=decision.grant).count() == 1
    assert Grant.objects.get().effective_to is None


# --- The consequence: hand-computed figures ------------------------------------------------
# A single adult in 2025: 13.590,00 kr. a month (tests/payments/helpers.py).


def test_a_stop_mid_month_prorates_the_month_and_corrects_what_was_paid(
    odense_benefits_officer, odense_team_lead, case_2025
):
    grant(odense_benefits_officer, case_2025.citizen)
    released(odense_benefits_officer, odense_team_lead, OCTOBER_2025)
    released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    grant_row = Grant.objects.get()
    consequence = consequence_of(grant_row, kind="standsning", effective_from=datetime.date(2025, 10, 21))
    assert not consequence.refused
    october, november = consequence.months
    # October: 20 of 31 days, 13.590,00 x 20 / 31 = 8.767,741... -> 8.767,74 kr.
    assert (october.month, october.days_before, october.days_after) == (OCTOBER_2025, 31, 20)
    assert october.amount_before_ore == FULL_MONTH_2025_ORE
    assert october.amount_after_ore == 876_774
    assert october.paid_ore == FULL_MONTH_2025_ORE
    assert october.correction_ore == 876_774 - 1_359_000 == -482_226
    # November: no day with help; all that was paid is to be claimed back.
    assert (november.days_after, november.amount_after_ore, november.correction_ore) == (0, 0, -1_359_000)
    assert consequence.total_correction_ore == -1_841_226


def test_a_stop_in_a_month_not_yet_paid_shows_the_new_amount_and_no_correction(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    consequence = consequence_of(Grant.objects.get(), kind="standsning", effective_from=datetime.date(2025, 11, 16))
    (november,) = consequence.months
    # 15 of 30 days: 13.590,00 x 15 / 30 = 6.795,00 kr.
    assert (november.days_after, november.amount_after_ore) == (15, 679_500)
    assert november.paid_ore is None and november.correction_ore is None


def test_a_month_without_known_rates_is_shown_as_not_computable(odense_benefits_officer, case_2025):
    grant(odense_benefits_officer, case_2025.citizen)
    consequence = consequence_of(Grant.objects.get(), kind="standsning", effective_from=datetime.date(2026, 3, 16))
    assert consequence.months == []
    assert "2026-03" in consequence.refused


# --- Accepting and rejecting ---------------------------------------------------------------


def test_accepting_a_stop_records_the_decision_issues_the_letter_and_closes_the_proposal(
    odense_benefits_officer, odense_team_lead, case_2025, django_capture_on_commit_callbacks
):
    grant(odense_benefits_officer, case_2025.citizen)
    released(odense_benefits_officer, odense_team_lead, OCTOBER_2025)
    released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    propose_stop(job_started(case_2025))
    proposal = Proposal.objects.get()
    letters_before = Letter.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        do_accept_proposal(
            odense_benefits_officer,
            proposal.pk,
            justification="Du er begyndt i arbejde.",
            consultation_exemption=EXEMPTION,
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_by == odense_benefits_officer and proposal.decided_at is not None
    decision = proposal.decision
    assert (decision.kind, decision.effective_from) == ("standsning", datetime.date(2025, 11, 16))
    assert decision.consultation is None and decision.consultation_exemption == EXEMPTION
    grant_row = Grant.objects.get()
    assert grant_row.latest_decision == decision
    assert grant_row.effective_to == datetime.date(2025, 11, 15)
    letter = proposal.letter
    assert Letter.objects.count() == letters_before + 1
    assert letter.kind == LetterKind.DECISION and letter.subject_id == str(decision.pk)
    assert letter.pdf[:5] == b"%PDF-"
    assert "standses fra den 16-11-2025" in letter.summary_text
    # Only after the commit: the letter is queued for Digital Post, and the outbox's dispatcher
    # is woken for the decision's event (reported to DFDG).
    assert len(callbacks) == 2 and "wake_dispatcher" in {getattr(c, "__name__", "") for c in callbacks}
    assert OutboxEvent.objects.filter(event_type="grant_decided", payload__decision_id=str(decision.pk)).exists()
    # November was paid in full: the next run recalculates it.
    assert list(RecalculationMark.objects.values_list("month", flat=True)) == [NOVEMBER_2025]
    assert AuditEntry.objects.filter(object_type="benefits.proposal", object_id=str(proposal.pk), action="update")


def test_accepting_a_stop_without_partshoering_or_exemption_is_refused_and_writes_nothing(
    odense_benefits_officer, case_2025
):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    with pytest.raises(DecisionRefused, match="kræver partshøring"):
        do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN and proposal.decision is None
    assert Decision.objects.count() == 1 and decision_letters() == 1  # the grant's own


def test_a_stop_waits_for_the_partshoering_sent_from_the_inbox(odense_benefits_officer, case_2025):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    consultation = do_send_proposal_consultation(
        odense_benefits_officer, proposal.pk, deadline=timezone.localdate() + datetime.timedelta(days=14)
    )
    assert consultation.intended_kind == "standsning" and "jobstart" in consultation.subject
    with pytest.raises(DecisionRefused, match="fristen for borgerens svar"):
        do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job", consultation_id=consultation.pk)
    assert Proposal.objects.get().status == ProposalStatus.OPEN and decision_letters() == 1
    do_record_consultation_reply(
        odense_benefits_officer, consultation.pk, received_on=timezone.localdate(), summary="Borgeren bekræfter jobbet."
    )
    accepted = do_accept_proposal(
        odense_benefits_officer, proposal.pk, justification="Job", consultation_id=consultation.pk
    )
    assert accepted.decision.consultation == consultation and accepted.decision.consultation_exemption == ""


def test_a_letter_that_cannot_be_issued_leaves_no_decision(odense_benefits_officer, case_2025, monkeypatch):
    proposal = stop_proposal(odense_benefits_officer, case_2025)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise LetterRefused("Brevet kan ikke dannes.")

    monkeypatch.setattr(benefits_actions_module, "do_issue_decision_letter", refuse)
    with pytest.raises(DecisionRefused, match="Brevet kan ikke dannes"):
        do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job", consultation_exemption=EXEMPTION)
    assert Decision.objects.count() == 1
    assert Grant.objects.get().effective_to is None
    assert Proposal.objects.get().status == ProposalStatus.OPEN


def test_a_proposal_is_decided_once(odense_benefits_officer, case_2025):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job", consultation_exemption=EXEMPTION)
    with pytest.raises(DecisionRefused, match="allerede behandlet"):
        do_reject_proposal(odense_benefits_officer, proposal.pk, reason="Fejl")
    with pytest.raises(DecisionRefused, match="allerede behandlet"):
        do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job", consultation_exemption=EXEMPTION)
    assert Decision.objects.count() == 2 and decision_letters() == 2


def test_a_stop_of_help_that_has_already_ended_is_refused(odense_benefits_officer, case_2025):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    propose_for_availability(availability(case_2025, False, datetime.date(2025, 11, 5), datetime.date(2025, 11, 4)))
    pause = Proposal.objects.get(kind=ProposalKind.PAUSE)
    do_accept_proposal(odense_benefits_officer, pause.pk, justification="Syg", consultation_exemption="Meldte selv.")
    with pytest.raises(DecisionRefused, match="allerede ophørt den 04-11-2025"):
        do_accept_proposal(odense_benefits_officer, proposal.pk, justification="Job", consultation_exemption=EXEMPTION)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN


def test_rejecting_needs_a_reason(odense_benefits_officer, case_2025):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    with pytest.raises(DecisionRefused, match="Skriv en begrundelse for at afvise forslaget"):
        do_reject_proposal(odense_benefits_officer, proposal.pk, reason="  ")
    assert Proposal.objects.get().status == ProposalStatus.OPEN
    rejected = do_reject_proposal(odense_benefits_officer, proposal.pk, reason="Jobbet er under 10 timer om ugen.")
    assert rejected.status == ProposalStatus.REJECTED
    assert rejected.rejection_reason == "Jobbet er under 10 timer om ugen."
    assert Decision.objects.count() == 1 and decision_letters() == 1  # the grant's own


def test_the_database_refuses_a_decided_proposal_without_its_decider(odense_benefits_officer, case_2025):
    from django.db import IntegrityError, transaction

    proposal = stop_proposal(odense_benefits_officer, case_2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status="rejected", rejection_reason="x")


def test_an_aarhus_officer_cannot_act_on_an_odense_proposal(odense_benefits_officer, case_2025, make_user, aarhus):
    from django.http import Http404

    from jobcenter.tenancy.roles import Role

    proposal = stop_proposal(odense_benefits_officer, case_2025)
    aarhus_officer = make_user(Role.BENEFITS_OFFICER, aarhus, username="aarhus-ydelse")
    with pytest.raises(Http404):
        do_reject_proposal(aarhus_officer, proposal.pk, reason="Nej")


def test_accepting_a_pause_stops_the_help_and_accepting_a_resume_continues_it(odense_benefits_officer, case_2025):
    first = grant(odense_benefits_officer, case_2025.citizen)
    propose_for_availability(availability(case_2025, False, datetime.date(2025, 11, 20), datetime.date(2025, 11, 3)))
    pause = Proposal.objects.get()
    do_accept_proposal(
        odense_benefits_officer,
        pause.pk,
        justification="Sygemeldt",
        consultation_exemption="Borgeren meldte sig selv syg.",
    )
    assert Grant.objects.get().effective_to == datetime.date(2025, 11, 19)
    propose_for_availability(availability(case_2025, True, datetime.date(2025, 12, 1), datetime.date(2025, 11, 4)))
    resume = Proposal.objects.get(kind=ProposalKind.RESUME)
    accepted = do_accept_proposal(odense_benefits_officer, resume.pk, justification="Rask igen")
    assert (accepted.decision.kind, accepted.decision.facts) == ("aendring", first.facts)
    assert Grant.objects.get().effective_to is None
    assert "genoptages" in accepted.letter.summary_text


# --- Sanctions (LAS § 37) ------------------------------------------------------------------


@pytest.fixture
def sanction_task(odense_benefits_officer, odense_team_lead, case_2025):
    """A missed interview on 10 November 2025; October and November 2025 paid in full."""
    grant(odense_benefits_officer, case_2025.citizen)
    released(odense_benefits_officer, odense_team_lead, OCTOBER_2025)
    released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    propose_sanction_assessment(missed(case_2025))
    return Proposal.objects.get()


@pytest.fixture
def consulted(sanction_task, odense_benefits_officer):
    return do_start_consultation(
        odense_benefits_officer,
        sanction_task.grant_id,
        intended_kind="sanktion",
        subject="Udeblivelse 10-11-2025",
        sent_on=datetime.date(2025, 11, 20),
        deadline=datetime.date(2025, 12, 4),
    )


def accept_sanction(officer, task, **kwargs: Any) -> Proposal:
    arguments = {"justification": "Udeblev uden rimelig grund.", "guidance_given": True, **kwargs}
    return do_accept_proposal(officer, task.pk, **arguments)


def test_the_sanction_deadline_is_three_whole_calendar_months_after_the_missed_month():
    assert sanction_deadline(datetime.date(2025, 11, 10)) == datetime.date(2026, 2, 28)
    assert sanction_deadline(datetime.date(2025, 11, 30)) == datetime.date(2026, 2, 28)
    assert sanction_deadline(datetime.date(2025, 12, 1)) == datetime.date(2026, 3, 31)


def test_a_sanction_deducts_the_days_until_contact_and_marks_the_paid_month(
    sanction_task, consulted, odense_benefits_officer, monkeypatch
):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    accepted = accept_sanction(
        odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 11, 13), consultation_id=consulted.pk
    )
    decision = accepted.decision
    # The missed day to the day before contact: 10, 11 and 12 November.
    assert (decision.kind, decision.effective_from, decision.effective_to) == (
        "sanktion",
        datetime.date(2025, 11, 10),
        datetime.date(2025, 11, 12),
    )
    # The grant's own period and latest decision are untouched: a sanction is temporary.
    grant_row = Grant.objects.get()
    assert grant_row.effective_to is None and grant_row.latest_decision.kind == "bevilling"
    # November was paid: the next run takes back 3 of 30 days, 13.590,00 x 3 / 30 = 1.359,00 kr.
    assert list(RecalculationMark.objects.values_list("month", flat=True)) == [NOVEMBER_2025]
    trial = do_start_trial_run(odense_benefits_officer, DECEMBER_2025)
    (line,) = trial.lines.all()
    assert line.regular_ore == FULL_MONTH_2025_ORE
    assert line.correction_ore == 1_223_100 - 1_359_000 == -135_900
    assert "for 3 dag(e), fra den 10-11-2025 til og med den 12-11-2025" in accepted.letter.summary_text


def test_a_sanction_for_the_missed_day_alone_when_contact_was_the_next_day(
    sanction_task, consulted, odense_benefits_officer, monkeypatch
):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    accepted = accept_sanction(
        odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 11, 10), consultation_id=consulted.pk
    )
    assert (accepted.decision.effective_from, accepted.decision.effective_to) == (
        datetime.date(2025, 11, 10),
        datetime.date(2025, 11, 10),
    )


def test_without_contact_yet_the_sanction_runs_to_today(sanction_task, consulted, odense_benefits_officer, monkeypatch):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    accepted = accept_sanction(
        odense_benefits_officer, sanction_task, contact_not_yet=True, consultation_id=consulted.pk
    )
    assert accepted.decision.effective_to == datetime.date(2025, 12, 10)


def test_a_sanction_without_the_written_guidance_is_refused(
    sanction_task, consulted, odense_benefits_officer, monkeypatch
):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    with pytest.raises(DecisionRefused, match="skriftligt være vejledt"):
        accept_sanction(
            odense_benefits_officer,
            sanction_task,
            guidance_given=False,
            contact_on=datetime.date(2025, 11, 13),
            consultation_id=consulted.pk,
        )
    assert not Decision.objects.filter(kind="sanktion").exists() and decision_letters() == 1
    assert Proposal.objects.get().status == ProposalStatus.OPEN


def test_a_sanction_later_than_three_whole_months_is_refused(
    sanction_task, consulted, odense_benefits_officer, monkeypatch
):
    on_day(monkeypatch, datetime.date(2026, 3, 1))
    with pytest.raises(DecisionRefused, match="senest 28-02-2026"):
        accept_sanction(
            odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 11, 13), consultation_id=consulted.pk
        )
    assert not Decision.objects.filter(kind="sanktion").exists()


def test_a_sanction_needs_partshoering_and_cannot_use_the_exemption(
    sanction_task, odense_benefits_officer, monkeypatch
):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    with pytest.raises(DecisionRefused, match="kræver partshøring"):
        accept_sanction(odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 11, 13))
    with pytest.raises(DecisionRefused, match="kan ikke bruges ved en sanktion"):
        accept_sanction(
            odense_benefits_officer,
            sanction_task,
            contact_on=datetime.date(2025, 11, 13),
            consultation_exemption="Borgeren ringede selv.",
        )
    assert not Decision.objects.filter(kind="sanktion").exists()


def test_a_sanction_needs_the_contact_date_or_not_yet(sanction_task, consulted, odense_benefits_officer, monkeypatch):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    with pytest.raises(DecisionRefused, match="Ikke endnu"):
        accept_sanction(odense_benefits_officer, sanction_task, consultation_id=consulted.pk)
    with pytest.raises(DecisionRefused, match="før den udeblevne samtale"):
        accept_sanction(
            odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 11, 9), consultation_id=consulted.pk
        )


def test_a_sanction_cannot_be_recorded_as_an_ordinary_decision(sanction_task, odense_benefits_officer):
    with pytest.raises(DecisionRefused, match="indbakken"):
        do_record_decision(
            odense_benefits_officer,
            sanction_task.citizen_id,
            kind="sanktion",
            effective_from=datetime.date(2025, 11, 10),
            effective_to=datetime.date(2025, 11, 10),
            justification="Udeblev",
        )


# --- The pages -------------------------------------------------------------------------------


def test_the_inbox_shows_counts_facts_and_the_computed_consequence(odense_benefits_officer, case_2025, client_for):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    page = client_for(odense_benefits_officer).get(reverse("benefits:inbox"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Standsning ved jobstart: 1" in text
    assert "Bageriet ApS" in text and "16-11-2025" in text
    assert "6.795,00" in text  # November after the stop: 15 of 30 days
    detail = client_for(odense_benefits_officer).get(reverse("benefits:proposal", args=[proposal.pk]))
    assert detail.status_code == 200 and "6.795,00" in detail.content.decode()
    preview = client_for(odense_benefits_officer).get(reverse("benefits:proposal-letter", args=[proposal.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview.content[:5] == b"%PDF-"
    assert decision_letters() == 1  # the grant's own: a preview is not a letter


def test_rejecting_on_the_page_without_a_reason_shows_the_danish_error(odense_benefits_officer, case_2025, client_for):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    page = client_for(odense_benefits_officer).post(reverse("benefits:proposal-reject", args=[proposal.pk]), {})
    assert page.status_code == 422
    assert "Skriv en begrundelse for at afvise forslaget" in page.content.decode()
    assert Proposal.objects.get().status == ProposalStatus.OPEN


def test_accepting_on_the_page_shows_the_exemption_with_the_decision(odense_benefits_officer, case_2025, client_for):
    proposal = stop_proposal(odense_benefits_officer, case_2025)
    client = client_for(odense_benefits_officer)
    answer = client.post(
        reverse("benefits:proposal-accept", args=[proposal.pk]),
        {"justification": "Du er begyndt i arbejde.", "consultation_exemption": EXEMPTION},
    )
    assert answer.status_code == 302
    page = client.get(reverse("benefits:proposal", args=[proposal.pk])).content.decode()
    assert "Accepteret" in page and EXEMPTION in page and "Afgørelse: Din kontanthjælp standses" in page
    # Once decided, the letter link leads to the letter that was issued, not to a preview.
    letter = client.get(reverse("benefits:proposal-letter", args=[proposal.pk]))
    assert letter.status_code == 302
    assert letter["Location"] == reverse("letters:detail", args=[Proposal.objects.get().letter_id])


def test_sending_partshoering_without_a_valid_deadline_is_refused_on_the_page(
    odense_benefits_officer, case_2025, client_for
):
    from jobcenter.benefits.models import Consultation

    proposal = stop_proposal(odense_benefits_officer, case_2025)
    page = client_for(odense_benefits_officer).post(
        reverse("benefits:proposal-consultation", args=[proposal.pk]), {"deadline": "i morgen"}
    )
    assert page.status_code == 422 and "Skriv en gyldig svarfrist." in page.content.decode()
    assert not Consultation.objects.exists()


def test_a_resume_needs_no_partshoering(odense_benefits_officer, case_2025):
    from jobcenter.benefits.models import Consultation

    grant(odense_benefits_officer, case_2025.citizen)
    propose_for_availability(availability(case_2025, False, datetime.date(2025, 11, 20), datetime.date(2025, 11, 3)))
    do_accept_proposal(
        odense_benefits_officer,
        Proposal.objects.get().pk,
        justification="Syg",
        consultation_exemption="Meldte sig selv syg.",
    )
    propose_for_availability(availability(case_2025, True, datetime.date(2025, 12, 1), datetime.date(2025, 11, 4)))
    resume = Proposal.objects.get(kind=ProposalKind.RESUME)
    with pytest.raises(DecisionRefused, match="kræver ikke partshøring"):
        do_send_proposal_consultation(
            odense_benefits_officer, resume.pk, deadline=timezone.localdate() + datetime.timedelta(days=14)
        )
    assert not Consultation.objects.exists()


def test_a_contact_date_in_the_future_is_refused(sanction_task, consulted, odense_benefits_officer, monkeypatch):
    on_day(monkeypatch, datetime.date(2025, 12, 10))
    with pytest.raises(DecisionRefused, match="i fremtiden"):
        accept_sanction(
            odense_benefits_officer, sanction_task, contact_on=datetime.date(2025, 12, 11), consultation_id=consulted.pk
        )
    assert not Decision.objects.filter(kind="sanktion").exists()
