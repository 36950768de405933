"""The outage test: DFDG down while 1,000 events are produced, the worker stopped in the middle of
delivering; afterwards every event is delivered exactly once, none lost, and local work never stopped.

DFDG is the local fake HTTP server (FakeDfdgServer) behind the real HTTP client; it deduplicates by
idempotency key and counts every request.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections import defaultdict

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jobcenter.cases.actions import do_open_case, do_record_interview_outcome
from jobcenter.events.actions import publish
from jobcenter.events.dispatcher import dispatch
from jobcenter.events.models import DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.events.types import InterviewHeld
from jobcenter.integrations.dfdg.fake_server import FakeDfdgServer
from tests.cases.interviews import summoned_interview
from tests.conftest import TARGET_GROUP
from tests.payments.helpers import citizens, grant

EVENTS = 1_000
CITIZENS = 20


class WorkerKilled(BaseException):
    """Stands for the worker process being stopped (not an error a handler could catch)."""


@pytest.fixture
def dfdg_server(settings):
    server = FakeDfdgServer().start()
    settings.JOBCENTER_DFDG_CLIENT = "jobcenter.integrations.dfdg.client.http_dfdg_client_from_settings"
    settings.JOBCENTER_DFDG_BASE_URL = server.base_url
    settings.JOBCENTER_DFDG_TIMEOUT_SECONDS = 5
    yield server
    server.stop()


def held(citizen, number: int) -> InterviewHeld:
    return InterviewHeld(
        municipality_id=citizen.municipality_id,
        citizen_id=citizen.pk,
        case_id=uuid.uuid4(),
        occurred_at=timezone.now(),
        interview_id=uuid.uuid4(),
        held_on=datetime.date(2026, 11, 1) + datetime.timedelta(days=number % 20),
        form="fremmoede",
        target_group=TARGET_GROUP,
    )


def a_caseworker_records_a_held_interview(caseworker, citizen) -> None:
    case = do_open_case(
        acting_user=caseworker,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=30),
        caseworker=caseworker,
    )
    interview = summoned_interview(case, at=timezone.now() - datetime.timedelta(days=1))
    do_record_interview_outcome(acting_user=caseworker, interview=interview, outcome="held", held_form="fremmoede")


def expected_keys() -> set[str]:
    return {f"{event_id}:{handler}" for event_id, handler in EventDelivery.objects.values_list("event_id", "handler")}


@pytest.mark.django_db(transaction=True)
def test_dfdg_down_and_the_worker_stopped_mid_delivery_still_delivers_every_event_exactly_once(
    dfdg_server, odense, odense_caseworker, odense_benefits_officer
):
    store = dfdg_server.store
    store.unavailable = True
    people = citizens(odense, CITIZENS)

    # During the outage: real actions (grant decisions, a caseworker's interview) and the bulk published directly.
    for person in people:
        grant(odense_benefits_officer, person)
    a_caseworker_records_a_held_interview(odense_caseworker, people[0])
    bulk = EVENTS - OutboxEvent.objects.count()
    with transaction.atomic():
        for number in range(bulk):
            publish(held(people[number % CITIZENS], number))
    assert OutboxEvent.objects.count() == EVENTS

    start = timezone.now()
    during = dispatch(now=start)  # the worker runs while DFDG is down: every first attempt fails
    assert during.delivered == 0 and during.failed > 0
    assert store.accepted == {}
    # Local work goes on during the outage.
    a_caseworker_records_a_held_interview(odense_caseworker, people[1])
    assert OutboxEvent.objects.count() == EVENTS + 1

    # DFDG is back; the worker is killed after the 400th report was accepted but before its commit.
    store.unavailable = False
    later = start + datetime.timedelta(hours=2)
    delivered = 0

    def kill_at_400(delivery):
        nonlocal delivered
        delivered += 1
        if delivered == 400:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        dispatch(now=later, after_handler=kill_at_400)
    assert 0 < len(store.accepted) < EVENTS + 1
    assert EventDelivery.objects.filter(status=DeliveryStatus.PENDING).exists()

    # The worker starts again.
    dispatch(now=later + datetime.timedelta(minutes=1))

    keys = expected_keys()
    assert len(keys) == EVENTS + 1
    assert set(store.accepted) == keys  # none lost, nothing extra
    # Every request DFDG saw: the refused ones during the outage, one per report, and the interrupted one again.
    assert store.attempts == during.failed + len(keys) + 1
    assert not EventDelivery.objects.exclude(status=DeliveryStatus.DONE).exists()
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()

    # Each citizen's events reached DFDG in the order they happened.
    order = {
        f"{event_id}:{handler}": (created, event_id)
        for event_id, handler, created in EventDelivery.objects.values_list("event_id", "handler", "event_created_at")
    }
    received: dict[str, list[tuple]] = defaultdict(list)
    for key, report in store.accepted.items():
        received[report.citizen_cpr].append(order[key])
    assert len(received) == CITIZENS
    assert all(sequence == sorted(sequence) for sequence in received.values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two workers at once need PostgreSQL's row locks")
def test_two_workers_at_once_deliver_every_event_once_and_in_order(dfdg_server, odense):
    from django.db import connections

    store = dfdg_server.store
    people = citizens(odense, 10)
    with transaction.atomic():
        for number in range(300):
            publish(held(people[number % 10], number))
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            dispatch()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    dispatch()  # whatever one worker skipped while the other held it
    assert errors == []
    assert set(store.accepted) == expected_keys()
    assert len(store.accepted) == 300
    assert not EventDelivery.objects.exclude(status=DeliveryStatus.DONE).exists()
    order = {
        f"{event_id}:{handler}": (created, event_id)
        for event_id, handler, created in EventDelivery.objects.values_list("event_id", "handler", "event_created_at")
    }
    received: dict[str, list[tuple]] = defaultdict(list)
    for key, report in store.accepted.items():
        received[report.citizen_cpr].append(order[key])
    assert all(sequence == sorted(sequence) for sequence in received.values())
