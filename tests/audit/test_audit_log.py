import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jobcenter.audit.actions import record
from jobcenter.audit.append_only import AppendOnlyError
from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.tenancy.roles import Role


@pytest.fixture
def entry(odense_caseworker):
    return record(odense_caseworker, AuditAction.VIEW, object_type="test.thing", object_id="1")


def test_the_application_cannot_change_an_audit_entry(entry):
    entry.action = AuditAction.CREATE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=AuditAction.CREATE)
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.VIEW


def test_the_application_cannot_delete_an_audit_entry(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET action = 'create' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_itself_refuses_to_change_or_delete_an_audit_entry(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.VIEW


def test_opening_a_citizen_records_who_what_when_and_the_route(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(odense_citizen.pk)).get()
    assert entry.user == odense_caseworker
    assert entry.username == "odense-sagsbehandler"
    assert entry.role == Role.CASEWORKER
    assert entry.municipality.code == "0461"
    assert entry.object_type == "citizens.citizen"
    assert entry.route == "GET /borgere/<uuid:citizen_id>/"
    assert entry.occurred_at is not None


def test_a_search_is_recorded_with_its_hits_but_never_the_cpr_number(client_for, odense_caseworker, odense_citizen):
    client_for(odense_caseworker).post(reverse("citizens:search"), {"query": "010190-1234"})
    entry = AuditEntry.objects.get(action=AuditAction.SEARCH)
    assert entry.detail == {"kind": "cpr", "hits": [str(odense_citizen.pk)]}
    assert "0101901234" not in str(entry.__dict__)


def test_a_failed_login_is_recorded_without_the_password(client, odense_caseworker):
    client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert-kodeord"})
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.username == "odense-sagsbehandler"
    assert "forkert-kodeord" not in str(entry.__dict__)


def test_an_auditor_finds_entries_of_their_own_municipality_only(
    client_for, make_user, odense, aarhus, odense_caseworker, aarhus_caseworker, odense_citizen, aarhus_citizen
):
    client_for(odense_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk]))
    client_for(aarhus_caseworker).get(reverse("citizens:detail", args=[aarhus_citizen.pk]))
    auditor = make_user(Role.AUDITOR, odense)
    response = client_for(auditor).get(reverse("audit:search"), {"action": "view"})
    page = response.content.decode()
    assert "odense-sagsbehandler" in page
    assert "aarhus-sagsbehandler" not in page
    api = client_for(auditor).get(reverse("api:audit-entries"), {"action": "view"}).json()
    assert {row["username"] for row in api} == {"odense-sagsbehandler"}


def test_the_auditors_own_search_is_audited(client_for, make_user, odense):
    auditor = make_user(Role.AUDITOR, odense)
    client_for(auditor).get(reverse("audit:search"), {"username": "ole"})
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH, user=auditor).get()
    assert entry.detail == {"username": "ole"}


def test_an_audit_search_with_dates_in_the_wrong_order_says_so(client_for, make_user, odense):
    auditor = make_user(Role.AUDITOR, odense)
    response = client_for(auditor).get(reverse("audit:search"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "Til-datoen ligger før fra-datoen." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.SEARCH, user=auditor).exists()


def test_a_malformed_audit_api_query_names_the_field(client_for, make_user, odense):
    auditor = make_user(Role.AUDITOR, odense)
    response = client_for(auditor).get(reverse("api:audit-entries"), {"date_from": "i går", "limit": 0})
    assert response.status_code == 422
    fields = {error["felt"] for error in response.json()["errors"]}
    assert {"date_from", "limit"} <= fields
