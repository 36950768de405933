"""The operations page's outbox section, the retry button, and the machine-readable metrics."""

import datetime

from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.models import AuditEntry
from jobcenter.events.dispatcher import dispatch
from jobcenter.events.models import DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.tenancy.roles import Role
from tests.payments.helpers import grant


def a_bad_event(municipality):
    OutboxEvent.objects.create(
        municipality=municipality, event_type="no_such_event", payload={}, occurred_at=timezone.now()
    )


def test_the_page_shows_waiting_events_the_oldest_failures_per_integration_and_the_dead_letters(
    make_user, client_for, odense, odense_benefits_officer, odense_citizen, empty_fake_dfdg
):
    operations = make_user(Role.OPERATIONS, odense)
    empty_fake_dfdg.set_unavailable(True)
    grant(odense_benefits_officer, odense_citizen)
    a_bad_event(odense)
    OutboxEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    dispatch()
    page = client_for(operations).get(reverse("web:operations")).content.decode()
    assert "Hændelser der venter" in page
    assert "sekunder gammel" in page
    assert "<td>dfdg</td><td>1</td>" in page
    assert "ukendt hændelsestype" in page
    assert "Prøv igen" in page
    assert "0101901234" not in page


def test_retrying_a_dead_letter_puts_it_back_in_the_queue_and_is_audited(
    make_user, client_for, odense, odense_citizen, odense_benefits_officer, settings, empty_fake_dfdg
):
    settings.JOBCENTER_OUTBOX_MAX_ATTEMPTS = 1
    operations = make_user(Role.OPERATIONS, odense)
    empty_fake_dfdg.set_unavailable(True)
    grant(odense_benefits_officer, odense_citizen)
    dispatch()
    dead = EventDelivery.objects.get(handler="dfdg.grant_decided")
    assert dead.status == DeliveryStatus.DEAD
    empty_fake_dfdg.set_unavailable(False)
    response = client_for(operations).post(reverse("web:operations-retry", args=[dead.pk]))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (DeliveryStatus.PENDING, 0)
    entry = AuditEntry.objects.filter(user=operations, object_id=str(dead.pk)).get()
    assert entry.detail["retry"] == "dead_letter"
    dispatch()
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DONE
    # Retrying one that is no longer dead is refused with a clear message, and nothing changes.
    page = client_for(operations).post(reverse("web:operations-retry", args=[dead.pk]), follow=True)
    assert "ikke på listen over døde breve" in page.content.decode()
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DONE


def test_a_retried_malformed_event_that_is_still_malformed_goes_back_to_the_list(make_user, client_for, odense):
    operations = make_user(Role.OPERATIONS, odense)
    a_bad_event(odense)
    dispatch()
    dead = EventDelivery.objects.get()
    client_for(operations).post(reverse("web:operations-retry", args=[dead.pk]))
    dispatch()
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DEAD
    assert "ukendt hændelsestype" in dead.last_error


def test_operations_of_another_municipality_neither_see_nor_retry_odenses_dead_letters(
    make_user, client_for, odense, aarhus
):
    a_bad_event(odense)
    dispatch()
    dead = EventDelivery.objects.get()
    aarhus_operations = make_user(Role.OPERATIONS, aarhus)
    client = client_for(aarhus_operations)
    assert "ukendt hændelsestype" not in client.get(reverse("web:operations")).content.decode()
    assert client.post(reverse("web:operations-retry", args=[dead.pk])).status_code == 404
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DEAD


def test_an_administrator_sees_the_list_but_has_no_retry_button(make_user, client_for, odense):
    a_bad_event(odense)
    dispatch()
    administrator = make_user(Role.ADMINISTRATOR, odense)
    page = client_for(administrator).get(reverse("web:operations")).content.decode()
    assert "ukendt hændelsestype" in page
    assert "Prøv igen" not in page


def test_the_metrics_are_machine_readable_as_json_and_prometheus_text(make_user, client_for, odense):
    a_bad_event(odense)
    dispatch()
    client = client_for(make_user(Role.OPERATIONS, odense))
    data = client.get(reverse("api:operations-outbox")).json()
    assert data["dead_letters"] == 1
    assert data["failures_per_integration"] == {"intern": 1}
    text = client.get(reverse("api:operations-metrics"))
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert "jobcenter_outbox_dead_letters 1" in body
    assert 'jobcenter_outbox_failures{integration="intern"} 1' in body
    assert "jobcenter_outbox_events_waiting 0" in body
