"""The dispatcher: per-handler deliveries, order per citizen, retries with backoff, the dead-letter list."""

import datetime
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from jobcenter.events.actions import publish
from jobcenter.events.dispatcher import backoff, dispatch, max_attempts
from jobcenter.events.models import ROUTING, DeliveryFailure, DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.events.registry import EventRejected, handlers_for, handles
from jobcenter.events.types import AvailabilityChanged, EmploymentStarted

START = datetime.date(2026, 12, 1)


def employment_started(citizen, employer="Bageriet ApS"):
    return EmploymentStarted(
        municipality_id=citizen.municipality_id,
        citizen_id=citizen.pk,
        case_id=uuid.uuid4(),
        occurred_at=timezone.now(),
        start_date=START,
        employer=employer,
    )


def published(*events):
    with transaction.atomic():
        return [publish(event) for event in events]


@pytest.fixture
def seen(test_handlers):
    """A handler of employment_started that remembers the employers it saw, and fails on request."""
    calls: list[str] = []
    failing: dict[str, Exception] = {}

    @handles("employment_started", name="test.remember", integration="testservice")
    def remember(event):
        employer = event.payload["employer"]
        if employer in failing:
            raise failing[employer]
        calls.append(employer)

    test_handlers.append("test.remember")
    return calls, failing


def test_each_handler_gets_a_delivery_and_runs_once_however_often_the_dispatcher_runs(odense_citizen, seen):
    calls, _ = seen
    (event,) = published(employment_started(odense_citizen))
    dispatch()
    dispatch()
    assert calls == ["Bageriet ApS"]
    delivery = EventDelivery.objects.get(event=event, handler="test.remember")
    assert delivery.status == DeliveryStatus.DONE
    assert delivery.attempts == 1
    assert delivery.integration == "testservice"
    event.refresh_from_db()
    assert event.routed_at is not None and event.dispatched_at is not None


def test_the_processed_event_key_is_unique_per_event_and_handler(odense_citizen, seen):
    (event,) = published(employment_started(odense_citizen))
    dispatch()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the database's unique constraint
        EventDelivery.objects.create(
            event=event,
            handler="test.remember",
            municipality=event.municipality,
            event_created_at=event.created_at,
            next_attempt_at=timezone.now(),
        )


def test_a_handlers_database_writes_roll_back_when_it_fails(odense_citizen, test_handlers):
    @handles("availability_changed", name="test.half_written", integration="")
    def half_written(event):
        OutboxEvent.objects.filter(pk=event.pk).update(payload={"written": "by the handler"})
        raise RuntimeError("fails after writing")

    test_handlers.append("test.half_written")
    (event,) = published(
        AvailabilityChanged(
            municipality_id=odense_citizen.municipality_id,
            citizen_id=odense_citizen.pk,
            case_id=uuid.uuid4(),
            occurred_at=timezone.now(),
            available=False,
            effective_from=START,
            reason="Sygdom",
        )
    )
    dispatch()
    event.refresh_from_db()
    assert "written" not in event.payload  # the handler's write rolled back with it
    delivery = EventDelivery.objects.get(event=event, handler="test.half_written")
    assert delivery.status == DeliveryStatus.PENDING
    assert "fails after writing" in delivery.last_error


def test_a_failing_handler_is_retried_with_growing_backoff_and_dead_lettered_after_the_last_attempt(
    odense_citizen, seen, settings
):
    settings.JOBCENTER_OUTBOX_MAX_ATTEMPTS = 3
    calls, failing = seen
    failing["Bageriet ApS"] = RuntimeError("service timed out")
    (event,) = published(employment_started(odense_citizen))
    now = timezone.now()
    dispatch(now=now)
    delivery = EventDelivery.objects.get(event=event, handler="test.remember")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at == now + backoff(1)
    dispatch(now=now + datetime.timedelta(seconds=1))  # not due yet: nothing happens
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    later = now + backoff(1)
    dispatch(now=later)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == later + backoff(2)
    assert backoff(2) == 2 * backoff(1)
    dispatch(now=later + backoff(2))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.attempts == max_attempts() == 3
    assert "service timed out" in delivery.last_error
    assert calls == []
    assert DeliveryFailure.objects.filter(delivery=delivery).count() == 3
    assert DeliveryFailure.objects.filter(delivery=delivery, final=True).count() == 1


def test_events_of_one_citizen_reach_a_handler_in_order_and_others_keep_flowing(odense_citizen, aarhus_citizen, seen):
    calls, failing = seen
    failing["Første"] = RuntimeError("temporarily down")
    published(
        employment_started(odense_citizen, "Første"),
        employment_started(odense_citizen, "Anden"),
        employment_started(aarhus_citizen, "Aarhus-firma"),
    )
    now = timezone.now()
    dispatch(now=now)
    # The first fails and waits for its retry; the second waits behind it; the other citizen is not held up.
    assert calls == ["Aarhus-firma"]
    del failing["Første"]
    dispatch(now=now + backoff(1))
    assert calls == ["Aarhus-firma", "Første", "Anden"]


def test_a_dead_lettered_event_stops_blocking_the_citizens_later_events(odense_citizen, seen):
    calls, failing = seen
    failing["Første"] = EventRejected("Kan aldrig håndteres.")
    published(employment_started(odense_citizen, "Første"), employment_started(odense_citizen, "Anden"))
    dispatch()
    assert calls == ["Anden"]
    dead = EventDelivery.objects.get(status=DeliveryStatus.DEAD)
    assert dead.last_error == "Kan aldrig håndteres."
    assert dead.attempts == 1


def test_a_malformed_event_goes_to_the_dead_letter_list_with_the_reason_and_the_rest_keep_flowing(
    odense, odense_citizen, seen
):
    calls, _ = seen
    unknown = OutboxEvent.objects.create(
        municipality=odense, event_type="no_such_event", payload={}, occurred_at=timezone.now()
    )
    wrong_payload = OutboxEvent.objects.create(
        municipality=odense,
        event_type="employment_started",
        citizen=odense_citizen,
        payload={"citizen_id": str(odense_citizen.pk), "case_id": "not-an-id", "start_date": "2026-12-01"},
        occurred_at=timezone.now(),
    )
    published(employment_started(odense_citizen, "Efter de ugyldige"))
    dispatch()
    assert calls == ["Efter de ugyldige"]
    reasons = dict(
        EventDelivery.objects.filter(status=DeliveryStatus.DEAD, handler=ROUTING).values_list("event_id", "last_error")
    )
    assert "ukendt hændelsestype 'no_such_event'" in reasons[unknown.pk]
    assert "indholdet mangler employer" in reasons[wrong_payload.pk]
    # A malformed event gets no handler deliveries: its handlers never see it.
    assert not EventDelivery.objects.filter(event=wrong_payload, handler="test.remember").exists()


def test_a_payload_value_of_the_wrong_kind_is_malformed(odense, odense_citizen, seen):
    event = OutboxEvent.objects.create(
        municipality=odense,
        event_type="employment_started",
        citizen=odense_citizen,
        payload={
            "citizen_id": str(odense_citizen.pk),
            "case_id": str(uuid.uuid4()),
            "start_date": "first of December",
            "employer": "Bageriet ApS",
        },
        occurred_at=timezone.now(),
    )
    dispatch()
    assert "feltet 'start_date' har en ugyldig værdi" in EventDelivery.objects.get(event=event).last_error
    assert seen[0] == []


def test_an_event_for_an_unknown_citizen_goes_to_the_dead_letter_list(odense, aarhus_citizen, odense_citizen, seen):
    calls, _ = seen
    stranger = OutboxEvent.objects.create(
        municipality=odense,
        event_type="employment_started",
        payload=employment_started(odense_citizen).payload() | {"citizen_id": str(uuid.uuid4())},
        occurred_at=timezone.now(),
    )
    # A citizen who exists, but in another municipality than the event's, is unknown here too.
    other_municipality = OutboxEvent.objects.create(
        municipality=odense,
        event_type="employment_started",
        citizen=aarhus_citizen,
        payload=employment_started(aarhus_citizen).payload(),
        occurred_at=timezone.now(),
    )
    published(employment_started(odense_citizen, "Kendt borger"))
    dispatch()
    assert calls == ["Kendt borger"]
    for event in (stranger, other_municipality):
        delivery = EventDelivery.objects.get(event=event)
        assert delivery.status == DeliveryStatus.DEAD
        assert delivery.last_error == "Hændelsen gælder en borger, der ikke findes i kommunen."


def test_a_handler_that_raises_goes_to_the_dead_letter_list_and_the_other_handlers_still_run(
    odense_citizen, test_handlers, settings
):
    settings.JOBCENTER_OUTBOX_MAX_ATTEMPTS = 1
    ran = []

    @handles("employment_started", name="test.broken")
    def broken(event):
        raise KeyError("kaput")

    @handles("employment_started", name="test.working")
    def working(event):
        ran.append(event.pk)

    test_handlers.extend(["test.broken", "test.working"])
    (event,) = published(employment_started(odense_citizen))
    dispatch()
    assert ran == [event.pk]
    broken_delivery = EventDelivery.objects.get(event=event, handler="test.broken")
    assert broken_delivery.status == DeliveryStatus.DEAD
    assert broken_delivery.last_error == "KeyError: 'kaput'"
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_a_reason_never_shows_a_cpr_number(odense_citizen, test_handlers, settings):
    settings.JOBCENTER_OUTBOX_MAX_ATTEMPTS = 1

    @handles("employment_started", name="test.leaky")
    def leaky(event):
        raise ValueError("borger 0101901234 findes ikke")

    test_handlers.append("test.leaky")
    published(employment_started(odense_citizen))
    dispatch()
    delivery = EventDelivery.objects.get(handler="test.leaky")
    assert "0101901234" not in delivery.last_error
    assert "[CPR]" in delivery.last_error


def test_publish_wakes_the_dispatcher_after_commit_once(django_capture_on_commit_callbacks, odense_citizen):
    from django_tasks_db.models import DBTaskResult

    from jobcenter.events.tasks import TASK_PATH

    with django_capture_on_commit_callbacks(execute=True):
        published(employment_started(odense_citizen), employment_started(odense_citizen, "Anden"))
    with django_capture_on_commit_callbacks(execute=True):
        published(employment_started(odense_citizen, "Tredje"))
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1


def test_the_task_delivers_and_enqueues_the_next_sweep_while_work_waits(odense_citizen, seen):
    from django_tasks_db.models import DBTaskResult

    from jobcenter.events.tasks import TASK_PATH, dispatch_events

    calls, failing = seen
    failing["Første"] = RuntimeError("down")
    published(employment_started(odense_citizen, "Første"))
    result = dispatch_events.call()
    assert result["failed"] == 1
    follow_up = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert follow_up.run_after > timezone.now()
    del failing["Første"]
    EventDelivery.objects.update(next_attempt_at=timezone.now())
    assert dispatch_events.call()["delivered"] == 1
    assert calls == ["Første"]


def test_the_command_dispatches_by_hand_and_shows_the_queue(odense, odense_citizen, seen):
    from io import StringIO

    from django.core.management import call_command

    calls, _ = seen
    published(employment_started(odense_citizen))
    OutboxEvent.objects.create(municipality=odense, event_type="no_such_event", payload={}, occurred_at=timezone.now())
    out = StringIO()
    call_command("events", "dispatch", stdout=out)
    # This test's handler and every app's handler of the event type (the benefits inbox's stop proposal).
    assert f"leveret: {len(handlers_for('employment_started'))}" in out.getvalue()
    assert "ugyldige: 1" in out.getvalue()
    assert calls == ["Bageriet ApS"]
    out = StringIO()
    call_command("events", "status", stdout=out)
    assert "Hændelser der venter: 0" in out.getvalue()
    assert "Døde breve: 1" in out.getvalue()
    out = StringIO()
    call_command("events", "dispatch", "--enqueue", stdout=out)
    call_command("events", "dispatch", "--enqueue", stdout=out)
    assert out.getvalue().splitlines() == ["Afsender lagt i kø.", "Der ligger allerede en afsender i kø."]
