"""A token acts as its user, so it stops when the user is stopped."""

import pytest
from django.conf import settings
from django.urls import reverse

from jobcenter.tenancy.actions import do_deactivate_user, do_issue_api_token
from jobcenter.tenancy.roles import Role


@pytest.fixture
def odense_administrator(make_user, odense):
    return make_user(Role.ADMINISTRATOR, odense, username="odense-administrator-tokens")


def _me(client, raw):
    return client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_of_an_active_user_who_is_not_locked_out_works(client, odense_caseworker):
    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Lønsystem")
    assert _me(client, raw).status_code == 200


def test_a_locked_out_users_token_is_refused_with_a_danish_problem(client, odense_caseworker):
    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Lønsystem")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})

    response = _me(client, raw)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Ikke logget ind"
    assert "spærret efter for mange mislykkede login" in problem["detail"]


def test_a_colleagues_lockout_does_not_stop_another_users_token(client, odense_caseworker, odense_benefits_officer):
    _, raw = do_issue_api_token(acting_user=None, user=odense_benefits_officer, name="Lønsystem")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})
    assert _me(client, raw).status_code == 200


def test_a_deactivated_users_token_is_refused_with_a_danish_problem(client, odense_caseworker, odense_administrator):
    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Lønsystem")
    do_deactivate_user(odense_administrator, odense_caseworker)

    response = _me(client, raw)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Ikke logget ind"
    assert response.json()["detail"] == "Brugeren bag API-nøglen er deaktiveret. Kontakt en administrator."


def test_deactivating_a_user_is_in_the_audit_log(odense_caseworker, odense_administrator):
    from jobcenter.audit.models import AuditAction, AuditEntry

    do_deactivate_user(odense_administrator, odense_caseworker)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(odense_caseworker.pk))
    assert entry.detail == {"active": False}
    assert entry.user == odense_administrator
    assert entry.municipality == odense_caseworker.municipality
