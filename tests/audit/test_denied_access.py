"""Denied lookups leave a trace: an Aarhus caseworker probing Odense's ids is seen by Aarhus' auditor."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.http import Http404
from django.urls import reverse

from jobcenter.audit import denied as denied_module
from jobcenter.audit.denied import DENIED_RECORDS_PER_MINUTE
from jobcenter.audit.models import AuditAction, AuditEntry, DeniedAccessCount
from jobcenter.citizens.queries import access_citizen
from jobcenter.tenancy.roles import Role


@pytest.fixture
def one_minute(monkeypatch):
    """Every probe of the test falls in the same minute, wherever the clock stands."""
    minute = datetime.datetime(2026, 12, 2, 10, 15, tzinfo=datetime.UTC)
    monkeypatch.setattr(denied_module, "_this_minute", lambda: minute)
    return minute


def denied_entries(user):
    return AuditEntry.objects.filter(action=AuditAction.DENIED, user=user)


def test_an_aarhus_caseworker_opening_an_odense_citizen_is_recorded_as_denied(
    client_for, aarhus_caseworker, odense_citizen, aarhus
):
    response = client_for(aarhus_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk]))

    assert response.status_code == 404
    entry = denied_entries(aarhus_caseworker).get()
    assert entry.object_type == "citizens.citizen"
    assert entry.object_id == str(odense_citizen.pk)
    assert entry.municipality == aarhus
    assert entry.username == "aarhus-sagsbehandler"
    assert entry.route == "GET /borgere/<uuid:citizen_id>/"
    assert entry.occurred_at is not None


def test_probes_of_cases_letters_grants_and_runs_through_the_api_are_recorded_with_their_kind(
    client_for, aarhus_caseworker, odense_case
):
    client = client_for(aarhus_caseworker)
    assert client.get(reverse("api:cases-detail", args=[odense_case.pk])).status_code == 404
    missing = uuid.uuid4()
    assert client.get(reverse("letters:pdf", args=[missing])).status_code == 404
    kinds = dict(denied_entries(aarhus_caseworker).values_list("object_type", "object_id"))
    assert kinds == {"cases.case": str(odense_case.pk), "letters.letter": str(missing)}


def test_the_odense_caseworker_opening_her_own_citizen_records_no_denial(client_for, odense_caseworker, odense_citizen):
    assert client_for(odense_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk])).status_code == 200
    assert not denied_entries(odense_caseworker).exists()


def test_many_probes_are_counted_but_recorded_only_up_to_the_limit_and_at_doublings(one_minute, aarhus_caseworker):
    probes = 900
    for _ in range(probes):
        with pytest.raises(Http404):
            access_citizen(aarhus_caseworker, uuid.uuid4())

    entries = list(denied_entries(aarhus_caseworker).order_by("id"))
    # 10 one by one, then at 20, 40, 80, 160, 320 and 640 attempts: 16 records for 900 probes.
    assert len(entries) == DENIED_RECORDS_PER_MINUTE + 6
    assert [e.detail["attempt_this_minute"] for e in entries[DENIED_RECORDS_PER_MINUTE:]] == [
        20,
        40,
        80,
        160,
        320,
        640,
    ]
    assert entries[-1].detail["not_recorded_one_by_one"] == 640 - DENIED_RECORDS_PER_MINUTE
    counter = DeniedAccessCount.objects.get(user=aarhus_caseworker)
    assert counter.attempts == probes
    assert counter.minute == one_minute
    assert counter.municipality == aarhus_caseworker.municipality


def test_the_limit_is_per_user(one_minute, make_user, aarhus, aarhus_caseworker):
    colleague = make_user(Role.CASEWORKER, aarhus, username="aarhus-kollega")
    for _ in range(DENIED_RECORDS_PER_MINUTE + 1):
        with pytest.raises(Http404):
            access_citizen(aarhus_caseworker, uuid.uuid4())
    with pytest.raises(Http404):
        access_citizen(colleague, uuid.uuid4())
    assert denied_entries(aarhus_caseworker).count() == DENIED_RECORDS_PER_MINUTE
    assert denied_entries(colleague).count() == 1


def test_a_new_minute_records_one_by_one_again(monkeypatch, aarhus_caseworker):
    first = datetime.datetime(2026, 12, 2, 10, 15, tzinfo=datetime.UTC)
    monkeypatch.setattr(denied_module, "_this_minute", lambda: first)
    for _ in range(DENIED_RECORDS_PER_MINUTE + 5):
        with pytest.raises(Http404):
            access_citizen(aarhus_caseworker, uuid.uuid4())
    monkeypatch.setattr(denied_module, "_this_minute", lambda: first + datetime.timedelta(minutes=1))
    with pytest.raises(Http404):
        access_citizen(aarhus_caseworker, uuid.uuid4())
    assert denied_entries(aarhus_caseworker).count() == DENIED_RECORDS_PER_MINUTE + 1
    assert sorted(DeniedAccessCount.objects.values_list("attempts", flat=True)) == [1, DENIED_RECORDS_PER_MINUTE + 5]


def test_the_aarhus_auditor_finds_the_denied_attempts_by_their_kind(
    client_for, make_user, aarhus, aarhus_caseworker, odense_citizen
):
    client_for(aarhus_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk]))
    auditor = make_user(Role.AUDITOR, aarhus)

    page = client_for(auditor).get(reverse("audit:search"), {"action": "denied"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nægtet adgang" in text
    assert str(odense_citizen.pk) in text

    api = client_for(auditor).get(reverse("api:audit-entries"), {"action": "denied"}).json()
    assert [(row["username"], row["object_id"]) for row in api] == [("aarhus-sagsbehandler", str(odense_citizen.pk))]


def test_the_odense_auditor_does_not_see_aarhus_staffs_denials(client_for, make_user, odense, aarhus_caseworker):
    with pytest.raises(Http404):
        access_citizen(aarhus_caseworker, uuid.uuid4())
    auditor = make_user(Role.AUDITOR, odense)
    api = client_for(auditor).get(reverse("api:audit-entries"), {"action": "denied"}).json()
    assert api == []
