import datetime
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from jobcenter.events.actions import OutsideTransaction, publish
from jobcenter.events.models import OutboxEvent
from jobcenter.events.types import AvailabilityChanged, EmploymentStarted, InterviewMissed


def employment_started(citizen, case_id=None, employer="Bageriet ApS"):
    return EmploymentStarted(
        municipality_id=citizen.municipality_id,
        citizen_id=citizen.pk,
        case_id=case_id or uuid.uuid4(),
        occurred_at=timezone.now(),
        start_date=datetime.date(2026, 12, 1),
        employer=employer,
    )


def test_an_event_published_in_a_committed_transaction_is_in_the_outbox(odense_citizen):
    with transaction.atomic():
        publish(employment_started(odense_citizen))
    event = OutboxEvent.objects.get()
    assert event.event_type == "employment_started"
    assert event.payload["start_date"] == "2026-12-01"
    assert event.payload["employer"] == "Bageriet ApS"
    assert event.citizen == odense_citizen
    assert event.routed_at is None and event.dispatched_at is None


def test_an_exception_after_publish_rolls_back_the_event_with_the_change(odense_citizen):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(employment_started(odense_citizen))
        raise RuntimeError("the change fails after the event was written")
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_publish_refuses_to_run_outside_a_transaction(odense_citizen):
    with pytest.raises(OutsideTransaction):
        publish(employment_started(odense_citizen))
    assert not OutboxEvent.objects.exists()


def test_a_payload_never_carries_a_cpr_number(odense_citizen):
    with pytest.raises(ValueError, match="never by CPR"), transaction.atomic():
        publish(employment_started(odense_citizen, employer="Firma 010190-1234"))
    assert not OutboxEvent.objects.exists()


def test_the_three_event_types_name_themselves():
    assert InterviewMissed.event_type == "interview_missed"
    assert EmploymentStarted.event_type == "employment_started"
    assert AvailabilityChanged.event_type == "availability_changed"


def test_an_id_whose_hex_digits_look_like_a_cpr_number_is_not_refused(odense_citizen):
    # "0101901234" is a valid CPR number; inside an id it is just hex digits.
    lookalike = uuid.UUID("00000000-0000-4000-8000-a0101901234b")
    with transaction.atomic():
        publish(employment_started(odense_citizen, case_id=lookalike))
    assert OutboxEvent.objects.get().payload["case_id"] == str(lookalike)
