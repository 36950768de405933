"""Interviews: plan, summon through Digital Post after commit, record the outcome once, publish events."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jobcenter.cases.actions import do_plan_interview, do_record_interview_outcome, do_send_summons
from jobcenter.cases.models import Interview, JournalEntry, JournalKind, Summons, SummonsStatus
from jobcenter.events.models import OutboxEvent
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


def test_a_caseworker_plans_an_interview_from_the_case_page(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        reverse("cases:interview-plan", args=[odense_case.pk]),
        {"date": day.isoformat(), "time": "09:30", "form": "video", "location": "Teams-link"},
    )
    interview = Interview.objects.get(case=odense_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:interview-detail", args=[interview.pk])
    assert timezone.localtime(interview.scheduled_at).date() == day
    assert interview.form == "video"


def test_an_interview_dated_before_the_case_is_refused_with_a_danish_message(
    client_for, odense_caseworker, odense_case
):
    before = odense_case.opened_on - datetime.timedelta(days=1)
    response = client_for(odense_caseworker).post(
        reverse("cases:interview-plan", args=[odense_case.pk]),
        {"date": before.isoformat(), "time": "09:30", "form": "telefon"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("ligger uden for sagen, som løber fra") == 1
    assert 'id="id_date-error"' in page
    assert not Interview.objects.exists()


def test_the_summons_is_delivered_through_digital_post_after_commit(
    odense_caseworker, odense_interview, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    # Nothing leaves the building before the transaction has committed.
    assert FakeDigitalPostClient.delivered() == ()
    assert len(callbacks) == 1
    callbacks[0]()
    summons.refresh_from_db()
    assert summons.status == SummonsStatus.DELIVERED
    assert summons.message_id
    (letter,) = FakeDigitalPostClient.delivered()
    assert letter.idempotency_key == str(summons.pk)
    assert letter.recipient_cpr == odense_interview.case.citizen.cpr
    assert "Indkaldelse til jobsamtale" in letter.title
    assert JournalEntry.objects.filter(kind=JournalKind.SUMMONS, interview=odense_interview).exists()


def test_a_retried_delivery_sends_one_letter(odense_caseworker, odense_interview):
    from jobcenter.cases.tasks import deliver_summons

    summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    deliver_summons.call(str(summons.pk))
    Summons.objects.filter(pk=summons.pk).update(status=SummonsStatus.PENDING)  # as if the first run died late
    deliver_summons.call(str(summons.pk))
    assert len(FakeDigitalPostClient.delivered()) == 1


def test_a_failed_delivery_is_recorded_and_shown_on_the_interview_page(
    client_for, odense_caseworker, odense_interview, immediate_tasks, django_capture_on_commit_callbacks
):
    FakeDigitalPostClient.register_not_connected(odense_interview.case.citizen.cpr)
    with django_capture_on_commit_callbacks(execute=True):
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    summons.refresh_from_db()
    assert summons.status == SummonsStatus.FAILED
    assert summons.last_error
    assert "0101901234" not in summons.last_error
    page = client_for(odense_caseworker).get(reverse("cases:interview-detail", args=[odense_interview.pk]))
    text = page.content.decode()
    assert "Kunne ikke afleveres" in text
    assert summons.last_error in text


def test_recording_a_held_interview_writes_the_journal_and_the_structured_documentation(
    client_for, odense_caseworker, odense_interview
):
    response = client_for(odense_caseworker).post(
        reverse("cases:interview-outcome", args=[odense_interview.pk]),
        {
            "outcome": "held",
            "held_form": "telefon",
            "topics": "Praktik i ældreplejen",
            "agreements": "Karen søger tre job om ugen",
            "next_steps": "Ny samtale om fire uger",
            "notes": "God samtale.",
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get(pk=odense_interview.pk)
    assert interview.outcome == "held"
    assert interview.held_form == "telefon"
    assert interview.recorded_by == odense_caseworker
    entry = JournalEntry.objects.get(kind=JournalKind.INTERVIEW, interview=interview)
    assert "Praktik i ældreplejen" in entry.text
    assert "Karen søger tre job om ugen" in entry.text
    # Only the national report of the held interview; nothing for the benefits side.
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["interview_held"]


def test_an_interview_recorded_twice_is_refused_clearly_and_nothing_changes(odense_caseworker, odense_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="no_show")
    counts = (JournalEntry.objects.count(), OutboxEvent.objects.count())
    with pytest.raises(ValidationError, match="allerede registreret og kan ikke registreres igen"):
        do_record_interview_outcome(
            acting_user=odense_caseworker, interview=odense_interview, outcome="held", held_form="telefon"
        )
    assert Interview.objects.get(pk=odense_interview.pk).outcome == "no_show"
    assert (JournalEntry.objects.count(), OutboxEvent.objects.count()) == counts


def test_the_page_refuses_a_second_recording_too(client_for, odense_caseworker, odense_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="no_show")
    client = client_for(odense_caseworker)
    response = client.post(
        reverse("cases:interview-outcome", args=[odense_interview.pk]), {"outcome": "held", "held_form": "telefon"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "allerede registreret" in page
    assert Interview.objects.get(pk=odense_interview.pk).outcome == "no_show"
    api = client.post(
        reverse("api:cases-interview-outcome", kwargs={"interview_id": odense_interview.pk}),
        {"outcome": "held", "held_form": "telefon"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "allerede registreret" in api.json()["detail"]


def test_a_no_show_publishes_interview_missed_in_the_same_transaction(odense_caseworker, odense_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="no_show")
    event = OutboxEvent.objects.get()
    assert event.event_type == "interview_missed"
    assert event.citizen_id == odense_interview.case.citizen_id
    assert event.payload["interview_id"] == str(odense_interview.pk)
    assert "0101901234" not in str(event.payload)


def test_a_job_start_publishes_employment_started(odense_caseworker, odense_interview):
    start = timezone.localdate() + datetime.timedelta(days=7)
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=odense_interview,
        outcome="held",
        held_form="fremmoede",
        employment_start=start,
        employer="Odense Plejecenter",
    )
    event = OutboxEvent.objects.exclude(event_type="interview_held").get()
    assert event.event_type == "employment_started"
    assert event.payload["start_date"] == start.isoformat()
    assert event.payload["employer"] == "Odense Plejecenter"


def test_a_change_in_availability_publishes_availability_changed_and_updates_the_case(
    odense_caseworker, odense_interview
):
    day = timezone.localdate()
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=odense_interview,
        outcome="held",
        held_form="telefon",
        availability="unavailable",
        availability_from=day,
        availability_reason="Sygdom",
    )
    event = OutboxEvent.objects.exclude(event_type="interview_held").get()
    assert event.event_type == "availability_changed"
    assert event.payload["available"] is False
    assert event.payload["reason"] == "Sygdom"
    odense_interview.case.refresh_from_db()
    assert odense_interview.case.available is False


def test_availability_unchanged_in_substance_publishes_nothing(odense_caseworker, odense_interview):
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=odense_interview,
        outcome="held",
        held_form="telefon",
        availability="available",
        availability_from=timezone.localdate(),
    )
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["interview_held"]


def test_a_job_start_before_the_case_is_refused_and_nothing_is_written(odense_caseworker, odense_interview):
    before = odense_interview.case.opened_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="ligger uden for sagen"):
        do_record_interview_outcome(
            acting_user=odense_caseworker,
            interview=odense_interview,
            outcome="held",
            held_form="telefon",
            employment_start=before,
            employer="Firma",
        )
    assert Interview.objects.get(pk=odense_interview.pk).outcome == ""
    assert not OutboxEvent.objects.exists()
    assert not JournalEntry.objects.filter(kind=JournalKind.INTERVIEW).exists()


def test_if_the_journal_entry_fails_the_outcome_and_the_event_roll_back(
    odense_caseworker, odense_interview, monkeypatch
):
    from jobcenter.cases import actions

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_write_entry", broken)
    with pytest.raises(RuntimeError):
        do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="no_show")
    assert Interview.objects.get(pk=odense_interview.pk).outcome == ""
    assert not OutboxEvent.objects.exists()


def test_an_aarhus_caseworker_cannot_record_an_odense_interview(client_for, aarhus_caseworker, odense_interview):
    response = client_for(aarhus_caseworker).post(
        reverse("cases:interview-outcome", args=[odense_interview.pk]), {"outcome": "no_show"}
    )
    assert response.status_code == 404
    assert Interview.objects.get(pk=odense_interview.pk).outcome == ""


def test_planning_in_a_closed_case_is_refused(odense_caseworker, odense_case):
    from jobcenter.cases.actions import do_close_case

    do_close_case(acting_user=odense_caseworker, case=odense_case, closed_on=timezone.localdate())
    odense_case.refresh_from_db()
    with pytest.raises(ValidationError, match="Sagen er lukket"):
        do_plan_interview(acting_user=odense_caseworker, case=odense_case, scheduled_at=timezone.now(), form="telefon")
