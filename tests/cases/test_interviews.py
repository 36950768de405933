"""Interviews: plan, summon with a letter delivered through Digital Post after commit, record the outcome once."""

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobcenter.cases.actions import do_plan_interview, do_record_interview_outcome, do_send_summons
from jobcenter.cases.models import Interview, JournalEntry, JournalKind, Summons
from jobcenter.events.models import OutboxEvent
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient
from jobcenter.letters.models import DeliveryStatus, Letter, LetterKind
from jobcenter.letters.queries import current_status
from jobcenter.letters.tasks import deliver_letter
from tests.cases.interviews import summoned_interview

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def due_interview(odense_case):
    """An interview Karen was summoned to, held yesterday: its outcome can be recorded."""
    return summoned_interview(odense_case)


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


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_summons_is_a_letter_with_the_time_place_and_the_guidance_about_not_showing_up(
    odense_caseworker, odense_case, django_capture_on_commit_callbacks
):
    when = timezone.localtime().replace(hour=13, minute=15, second=0, microsecond=0) + datetime.timedelta(days=4)
    odense_interview = do_plan_interview(
        acting_user=odense_caseworker, case=odense_case, scheduled_at=when, form="fremmoede", location="Ørbækvej 100"
    )
    with django_capture_on_commit_callbacks(execute=False):
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    letter = summons.letter
    assert letter.kind == LetterKind.SUMMONS
    assert letter.citizen == odense_interview.case.citizen
    # Archived on the case it belongs to.
    assert (letter.subject_type, letter.subject_id) == ("cases.case", str(odense_interview.case_id))
    text = " ".join(pdf_text(bytes(letter.pdf)).split())
    assert f"{when.day}. " in text
    assert "kl. 13.15" in text
    assert "Sted Ørbækvej 100" in text
    # LAS § 37: the written guidance is the precondition for a deduction.
    assert "Hvis du ikke kommer" in text
    assert "lov om aktiv socialpolitik § 37" in text
    assert "0101901234" not in text  # the CPR number is masked on the letter
    assert "§ 37" in letter.summary_text
    assert Letter.objects.filter(subject_id=str(odense_interview.case_id)).count() == 1


def test_the_summons_is_delivered_through_digital_post_after_commit(
    odense_caseworker, odense_interview, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    # Nothing leaves the building before the transaction has committed.
    assert FakeDigitalPostClient.delivered() == ()
    assert current_status(summons.letter) == DeliveryStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    assert current_status(summons.letter) == DeliveryStatus.SENT
    assert summons.letter.deliveries.get(status=DeliveryStatus.SENT).message_id
    (sent,) = FakeDigitalPostClient.delivered()
    assert sent.idempotency_key == str(summons.letter_id)
    assert sent.pdf == bytes(summons.letter.pdf)
    assert sent.recipient_cpr == odense_interview.case.citizen.cpr
    assert "Indkaldelse til jobsamtale" in sent.title
    assert JournalEntry.objects.filter(kind=JournalKind.SUMMONS, interview=odense_interview).exists()


def test_a_retried_delivery_sends_one_letter(odense_caseworker, odense_interview):
    summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    deliver_letter.call(str(summons.letter_id))
    deliver_letter.call(str(summons.letter_id))
    assert len(FakeDigitalPostClient.delivered()) == 1


def test_a_rolled_back_summons_leaves_no_letter_and_sends_nothing(
    odense_caseworker, odense_interview, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
        raise RuntimeError("the caller failed after the summons was made")
    assert callbacks == []
    assert not Summons.objects.exists()
    assert not Letter.objects.exists()


def test_a_recorded_interview_cannot_be_summoned_to_and_no_letter_is_made(odense_caseworker, odense_interview):
    Interview.objects.filter(pk=odense_interview.pk).update(outcome="held")
    with pytest.raises(ValidationError, match="allerede holdt"):
        do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    assert not Letter.objects.exists()
    assert not Summons.objects.exists()


def test_a_citizen_without_digital_post_gets_the_summons_on_paper_and_the_pages_say_so(
    client_for, odense_caseworker, odense_interview, immediate_tasks, django_capture_on_commit_callbacks
):
    FakeDigitalPostClient.register_not_connected(odense_interview.case.citizen.cpr)
    with django_capture_on_commit_callbacks(execute=True):
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    assert current_status(summons.letter) == DeliveryStatus.NEEDS_PAPER
    client = client_for(odense_caseworker)
    page = client.get(reverse("cases:interview-detail", args=[odense_interview.pk])).content.decode()
    assert "Skal sendes som papirpost" in page
    assert reverse("letters:detail", args=[summons.letter_id]) in page
    assert "0101901234" not in page
    case_page = client.get(reverse("cases:detail", args=[odense_interview.case_id])).content.decode()
    assert "Skal sendes som papirpost" in case_page


def test_the_pages_show_a_summons_waiting_for_digital_post_and_then_sent(
    client_for, odense_caseworker, odense_interview, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        summons = do_send_summons(acting_user=odense_caseworker, interview=odense_interview)
    client = client_for(odense_caseworker)
    url = reverse("cases:interview-detail", args=[odense_interview.pk])
    assert "Venter på afsendelse" in client.get(url).content.decode()
    FakeDigitalPostClient.set_unavailable(True)
    deliver_letter.call(str(summons.letter_id))
    assert "Digital Post svarede ikke; prøves igen" in client.get(url).content.decode()
    FakeDigitalPostClient.set_unavailable(False)
    deliver_letter.call(str(summons.letter_id))
    assert "Sendt med Digital Post" in client.get(url).content.decode()
    api = client.get(reverse("api:cases-interview-detail", args=[odense_interview.pk])).json()
    assert api["summons_status"] == ["sent"]


def test_the_api_summons_returns_its_letter_queued(client_for, odense_caseworker, odense_interview):
    response = client_for(odense_caseworker).post(reverse("api:cases-interview-summons", args=[odense_interview.pk]))
    assert response.status_code == 202
    body = response.json()
    summons = Summons.objects.get()
    assert body["letter_id"] == str(summons.letter_id)
    assert body["status"] == "queued"
    assert "status" not in {field.name for field in Summons._meta.get_fields()}


def test_recording_a_held_interview_writes_the_journal_and_the_structured_documentation(
    client_for, odense_caseworker, due_interview
):
    response = client_for(odense_caseworker).post(
        reverse("cases:interview-outcome", args=[due_interview.pk]),
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
    interview = Interview.objects.get(pk=due_interview.pk)
    assert interview.outcome == "held"
    assert interview.held_form == "telefon"
    assert interview.recorded_by == odense_caseworker
    entry = JournalEntry.objects.get(kind=JournalKind.INTERVIEW, interview=interview)
    assert "Praktik i ældreplejen" in entry.text
    assert "Karen søger tre job om ugen" in entry.text
    # Only the national report of the held interview; nothing for the benefits side.
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["interview_held"]


def test_an_interview_recorded_twice_is_refused_clearly_and_nothing_changes(odense_caseworker, due_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=due_interview, outcome="no_show")
    counts = (JournalEntry.objects.count(), OutboxEvent.objects.count())
    with pytest.raises(ValidationError, match="allerede registreret og kan ikke registreres igen"):
        do_record_interview_outcome(
            acting_user=odense_caseworker, interview=due_interview, outcome="held", held_form="telefon"
        )
    assert Interview.objects.get(pk=due_interview.pk).outcome == "no_show"
    assert (JournalEntry.objects.count(), OutboxEvent.objects.count()) == counts


def test_the_page_refuses_a_second_recording_too(client_for, odense_caseworker, due_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=due_interview, outcome="no_show")
    client = client_for(odense_caseworker)
    response = client.post(
        reverse("cases:interview-outcome", args=[due_interview.pk]), {"outcome": "held", "held_form": "telefon"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "allerede registreret" in page
    assert Interview.objects.get(pk=due_interview.pk).outcome == "no_show"
    api = client.post(
        reverse("api:cases-interview-outcome", kwargs={"interview_id": due_interview.pk}),
        {"outcome": "held", "held_form": "telefon"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "allerede registreret" in api.json()["detail"]


def test_a_no_show_publishes_interview_missed_in_the_same_transaction(odense_caseworker, due_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=due_interview, outcome="no_show")
    event = OutboxEvent.objects.get()
    assert event.event_type == "interview_missed"
    assert event.citizen_id == due_interview.case.citizen_id
    assert event.payload["interview_id"] == str(due_interview.pk)
    assert "0101901234" not in str(event.payload)


def test_a_job_start_publishes_employment_started(odense_caseworker, due_interview):
    start = timezone.localdate() + datetime.timedelta(days=7)
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=due_interview,
        outcome="held",
        held_form="fremmoede",
        employment_start=start,
        employer="Odense Plejecenter",
    )
    event = OutboxEvent.objects.exclude(event_type="interview_held").get()
    assert event.event_type == "employment_started"
    assert event.payload["start_date"] == start.isoformat()
    assert event.payload["employer"] == "Odense Plejecenter"


def test_a_change_in_availability_publishes_availability_changed_and_updates_the_case(odense_caseworker, due_interview):
    day = timezone.localdate()
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=due_interview,
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
    due_interview.case.refresh_from_db()
    assert due_interview.case.available is False


def test_availability_unchanged_in_substance_publishes_nothing(odense_caseworker, due_interview):
    do_record_interview_outcome(
        acting_user=odense_caseworker,
        interview=due_interview,
        outcome="held",
        held_form="telefon",
        availability="available",
        availability_from=timezone.localdate(),
    )
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["interview_held"]


def test_a_job_start_before_the_case_is_refused_and_nothing_is_written(odense_caseworker, due_interview):
    before = due_interview.case.opened_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="ligger uden for sagen"):
        do_record_interview_outcome(
            acting_user=odense_caseworker,
            interview=due_interview,
            outcome="held",
            held_form="telefon",
            employment_start=before,
            employer="Firma",
        )
    assert Interview.objects.get(pk=due_interview.pk).outcome == ""
    assert not OutboxEvent.objects.exists()
    assert not JournalEntry.objects.filter(kind=JournalKind.INTERVIEW).exists()


def test_if_the_journal_entry_fails_the_outcome_and_the_event_roll_back(odense_caseworker, due_interview, monkeypatch):
    from jobcenter.cases import actions

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_write_entry", broken)
    with pytest.raises(RuntimeError):
        do_record_interview_outcome(acting_user=odense_caseworker, interview=due_interview, outcome="no_show")
    assert Interview.objects.get(pk=due_interview.pk).outcome == ""
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
