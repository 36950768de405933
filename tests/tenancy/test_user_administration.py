"""Issue 14: administrators create users, change roles, deactivate and reactivate them,
issue and revoke API tokens in the pages; a new administrator needs a second administrator."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from jobcenter.audit.models import AuditEntry
from jobcenter.tenancy.actions import do_issue_api_token
from jobcenter.tenancy.models import AdministratorRequest, ApiToken, User
from jobcenter.tenancy.queries import ApiTokenRefused, user_for_api_token
from jobcenter.tenancy.roles import Role
from tests.conftest import PASSWORD

NEW_PASSWORD = "grøn-cykel-under-broen-42"


@pytest.fixture
def odense_admin(make_user, odense):
    return make_user(Role.ADMINISTRATOR, odense, username="odense-admin")


@pytest.fixture
def second_odense_admin(make_user, odense):
    return make_user(Role.ADMINISTRATOR, odense, username="odense-admin-2")


@pytest.fixture
def aarhus_admin(make_user, aarhus):
    return make_user(Role.ADMINISTRATOR, aarhus, username="aarhus-admin")


def _snapshot() -> tuple:
    """Everything the administrator's actions write (signing a test client in records a login; not counted)."""
    return (
        AuditEntry.objects.exclude(action="login").count(),
        sorted(User.objects.values_list("username", "role", "is_active")),
        sorted(ApiToken.objects.values_list("name", "revoked_at")),
        sorted(AdministratorRequest.objects.values_list("user__username", "status")),
    )


def _can_log_in(username: str, password: str) -> bool:
    response = Client().post(reverse("web:login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("web:start")


def _refused(response, message: str) -> None:
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body, body
    assert "Intet er ændret." in body


def _new_user_form(odense, **changes):
    return {
        "first_name": "Nina",
        "last_name": "Nielsen",
        "username": "nina",
        "email": "nina@odense.dk",
        "role": "caseworker",
        "municipalities": [str(odense.pk)],
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        **changes,
    }


# --- The list --------------------------------------------------------------------------


def test_an_administrator_sees_the_users_of_their_municipality_with_danish_roles_status_and_last_login(
    client_for, odense_admin, odense_caseworker, odense_benefits_officer, aarhus_caseworker
):
    odense_benefits_officer.is_active = False
    odense_benefits_officer.save()
    assert _can_log_in("odense-sagsbehandler", PASSWORD)
    response = client_for(odense_admin).get(reverse("tenancy:users"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sagsbehandler" in body and "Ydelsesmedarbejder" in body
    assert "caseworker" not in body and "benefits_officer" not in body
    assert "Deaktiveret" in body
    assert "Aldrig" in body  # the benefits officer never logged in
    assert re.search(r"\d+\. december 2026", body) or re.search(r"\d+\. \w+ \d{4} \d\d\.\d\d", body)
    assert "aarhus-sagsbehandler" not in body
    assert reverse("tenancy:user", args=[odense_caseworker.pk]) in body
    assert reverse("tenancy:user-create") in body


def test_a_user_locked_out_after_failed_logins_is_shown_as_locked(
    client_for, odense_admin, odense_caseworker, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})
    body = client_for(odense_admin).get(reverse("tenancy:users")).content.decode()
    row = body[body.index("odense-sagsbehandler") :][:400]
    assert "Låst" in row


def test_an_administrator_of_aarhus_sees_nothing_of_odense(client_for, aarhus_admin, odense_caseworker, odense_admin):
    body = client_for(aarhus_admin).get(reverse("tenancy:users")).content.decode()
    assert "odense-sagsbehandler" not in body
    assert "odense-admin" not in body
    assert "Odense" not in body


def test_a_team_lead_sees_the_list_but_cannot_manage(client_for, odense_team_lead, odense_caseworker):
    client = client_for(odense_team_lead)
    body = client.get(reverse("tenancy:users")).content.decode()
    assert "odense-sagsbehandler" in body
    assert reverse("tenancy:user-create") not in body
    assert reverse("tenancy:user", args=[odense_caseworker.pk]) not in body
    assert client.get(reverse("tenancy:user", args=[odense_caseworker.pk])).status_code == 403
    assert client.get(reverse("tenancy:user-create")).status_code == 403


# --- Creating users --------------------------------------------------------------------


def test_an_administrator_creates_a_caseworker_who_can_log_in_and_it_is_audited(client_for, odense_admin, odense):
    response = client_for(odense_admin).post(reverse("tenancy:user-create"), _new_user_form(odense))
    nina = User.objects.get(username="nina")
    assert response.status_code == 302
    assert response["Location"] == reverse("tenancy:user", args=[nina.pk])
    assert nina.role == Role.CASEWORKER and nina.is_active
    assert nina.municipality == odense
    assert nina.get_full_name() == "Nina Nielsen"
    assert _can_log_in("nina", NEW_PASSWORD)
    entry = AuditEntry.objects.get(object_id=str(nina.pk), action="create")
    assert entry.user == odense_admin
    assert entry.municipality == odense


def test_a_user_created_without_a_password_can_only_log_in_through_the_identity_provider(
    client_for, odense_admin, odense
):
    form = _new_user_form(odense, password="", password_again="")
    assert client_for(odense_admin).post(reverse("tenancy:user-create"), form).status_code == 302
    assert not User.objects.get(username="nina").has_usable_password()


def test_a_username_already_in_use_is_refused_and_nothing_is_written(
    client_for, odense_admin, odense, odense_caseworker
):
    before = _snapshot()
    form = _new_user_form(odense, username="Odense-Sagsbehandler")
    response = client_for(odense_admin).post(reverse("tenancy:user-create"), form)
    _refused(response, "Brugernavnet Odense-Sagsbehandler er allerede i brug.")
    assert _snapshot() == before


def test_a_weak_password_is_refused_and_nothing_is_written(client_for, odense_admin, odense):
    before = _snapshot()
    form = _new_user_form(odense, password="12345678", password_again="12345678")
    response = client_for(odense_admin).post(reverse("tenancy:user-create"), form)
    _refused(response, "Adgangskoden kan ikke bruges.")
    assert _snapshot() == before


def test_two_different_passwords_are_refused_and_nothing_is_written(client_for, odense_admin, odense):
    before = _snapshot()
    form = _new_user_form(odense, password_again=NEW_PASSWORD + "x")
    response = client_for(odense_admin).post(reverse("tenancy:user-create"), form)
    assert response.status_code == 422
    assert "De to adgangskoder er ikke ens." in response.content.decode()
    assert _snapshot() == before


def test_a_caseworker_in_two_municipalities_is_refused(make_user, client_for, odense, aarhus):
    admin = make_user(Role.ADMINISTRATOR, odense, aarhus, username="admin-begge")
    before = _snapshot()
    form = _new_user_form(odense, municipalities=[str(odense.pk), str(aarhus.pk)])
    response = client_for(admin).post(reverse("tenancy:user-create"), form)
    _refused(response, "Rollen Sagsbehandler arbejder i præcis én kommune.")
    assert _snapshot() == before


def test_an_administrator_of_aarhus_cannot_create_a_user_in_odense(client_for, aarhus_admin, odense):
    before = _snapshot()
    response = client_for(aarhus_admin).post(reverse("tenancy:user-create"), _new_user_form(odense))
    assert response.status_code == 422
    assert "Du kan kun oprette brugere i de kommuner, du selv arbejder for." in response.content.decode()
    assert "Odense" not in response.content.decode()
    assert _snapshot() == before


# --- Changing roles --------------------------------------------------------------------


def test_an_administrator_changes_a_caseworkers_role_and_it_is_audited(client_for, odense_admin, odense_caseworker):
    url = reverse("tenancy:user-role", args=[odense_caseworker.pk])
    response = client_for(odense_admin).post(url, {"role": "team_lead"})
    assert response.status_code == 302
    odense_caseworker.refresh_from_db()
    assert odense_caseworker.role == Role.TEAM_LEAD
    entry = AuditEntry.objects.filter(object_id=str(odense_caseworker.pk), action="update").get()
    assert entry.detail == {"role": "team_lead", "previous_role": "caseworker"}
    assert entry.user == odense_admin


def test_an_administrator_cannot_change_their_own_role(client_for, odense_admin):
    before = _snapshot()
    response = client_for(odense_admin).post(reverse("tenancy:user-role", args=[odense_admin.pk]), {"role": "auditor"})
    _refused(response, "Du kan ikke ændre din egen rolle.")
    assert _snapshot() == before


def test_giving_a_user_the_role_they_already_have_is_refused(client_for, odense_admin, odense_caseworker):
    before = _snapshot()
    url = reverse("tenancy:user-role", args=[odense_caseworker.pk])
    response = client_for(odense_admin).post(url, {"role": "caseworker"})
    _refused(response, "Brugeren har allerede rollen Sagsbehandler.")
    assert _snapshot() == before


def test_a_role_that_is_not_a_role_is_refused(client_for, odense_admin, odense_caseworker):
    before = _snapshot()
    url = reverse("tenancy:user-role", args=[odense_caseworker.pk])
    response = client_for(odense_admin).post(url, {"role": "superuser"})
    assert response.status_code == 422
    assert "Vælg en af rollerne på listen." in response.content.decode()
    assert _snapshot() == before


def test_a_spanning_user_cannot_become_a_single_municipality_role(make_user, client_for, odense, aarhus):
    admin = make_user(Role.ADMINISTRATOR, odense, aarhus, username="admin-begge")
    operations = make_user(Role.OPERATIONS, odense, aarhus)
    before = _snapshot()
    response = client_for(admin).post(reverse("tenancy:user-role", args=[operations.pk]), {"role": "caseworker"})
    _refused(response, "Rollen Sagsbehandler arbejder i præcis én kommune.")
    assert _snapshot() == before


# --- The administrator role needs a second administrator ------------------------------


def test_the_administrator_role_is_only_requested_until_a_second_administrator_approves_it(
    client_for, odense_admin, second_odense_admin, odense_caseworker
):
    url = reverse("tenancy:user-role", args=[odense_caseworker.pk])
    assert client_for(odense_admin).post(url, {"role": "administrator"}).status_code == 302
    odense_caseworker.refresh_from_db()
    assert odense_caseworker.role == Role.CASEWORKER  # not yet
    request = AdministratorRequest.objects.get(user=odense_caseworker)
    assert request.status == "pending" and request.requested_by == odense_admin

    response = client_for(second_odense_admin).post(reverse("tenancy:request-approve", args=[request.pk]))
    assert response.status_code == 302
    odense_caseworker.refresh_from_db()
    request.refresh_from_db()
    assert odense_caseworker.role == Role.ADMINISTRATOR
    assert request.status == "approved" and request.decided_by == second_odense_admin
    assert AuditEntry.objects.filter(object_id=str(request.pk), user=second_odense_admin, action="update").exists()


def test_an_administrator_cannot_approve_their_own_request(client_for, odense_admin, odense_caseworker):
    client = client_for(odense_admin)
    client.post(reverse("tenancy:user-role", args=[odense_caseworker.pk]), {"role": "administrator"})
    request = AdministratorRequest.objects.get()
    before = _snapshot()
    for name in ("tenancy:request-approve", "tenancy:request-reject"):
        response = client.post(reverse(name, args=[request.pk]))
        _refused(response, "Du kan ikke selv godkende eller afvise en anmodning, du har lavet.")
    assert _snapshot() == before
    page = client.get(reverse("tenancy:user", args=[odense_caseworker.pk])).content.decode()
    assert "En anden administrator skal godkende eller afvise anmodningen." in page


def test_the_database_refuses_a_request_decided_by_its_requester(odense_admin, odense_caseworker):
    request = AdministratorRequest.objects.create(user=odense_caseworker, requested_by=odense_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministratorRequest.objects.filter(pk=request.pk).update(decided_by=odense_admin, status="approved")


def test_a_rejected_request_leaves_the_role_as_it_was(client_for, odense_admin, second_odense_admin, odense_caseworker):
    client_for(odense_admin).post(reverse("tenancy:user-role", args=[odense_caseworker.pk]), {"role": "administrator"})
    request = AdministratorRequest.objects.get()
    client_for(second_odense_admin).post(reverse("tenancy:request-reject", args=[request.pk]))
    odense_caseworker.refresh_from_db()
    request.refresh_from_db()
    assert odense_caseworker.role == Role.CASEWORKER
    assert request.status == "rejected"


def test_a_decided_request_cannot_be_decided_again(client_for, odense_admin, second_odense_admin, odense_caseworker):
    client_for(odense_admin).post(reverse("tenancy:user-role", args=[odense_caseworker.pk]), {"role": "administrator"})
    request = AdministratorRequest.objects.get()
    client = client_for(second_odense_admin)
    client.post(reverse("tenancy:request-reject", args=[request.pk]))
    before = _snapshot()
    _refused(client.post(reverse("tenancy:request-approve", args=[request.pk])), "Anmodningen er allerede behandlet")
    assert _snapshot() == before


def test_the_role_cannot_change_while_a_request_waits(client_for, odense_admin, second_odense_admin, odense_caseworker):
    client_for(odense_admin).post(reverse("tenancy:user-role", args=[odense_caseworker.pk]), {"role": "administrator"})
    before = _snapshot()
    url = reverse("tenancy:user-role", args=[odense_caseworker.pk])
    response = client_for(second_odense_admin).post(url, {"role": "auditor"})
    _refused(response, "Der venter en anmodning om administratorrollen for brugeren.")
    assert _snapshot() == before


def test_a_new_administrator_is_created_deactivated_until_a_second_administrator_approves(
    client_for, odense_admin, second_odense_admin, odense
):
    form = _new_user_form(odense, username="ny-admin", role="administrator")
    assert client_for(odense_admin).post(reverse("tenancy:user-create"), form).status_code == 302
    new_admin = User.objects.get(username="ny-admin")
    assert not new_admin.is_active
    assert not _can_log_in("ny-admin", NEW_PASSWORD)
    page = client_for(odense_admin).get(reverse("tenancy:users")).content.decode()
    assert "Afventer godkendelse" in page

    request = AdministratorRequest.objects.get(user=new_admin)
    client_for(second_odense_admin).post(reverse("tenancy:request-approve", args=[request.pk]))
    new_admin.refresh_from_db()
    assert new_admin.is_active and new_admin.role == Role.ADMINISTRATOR
    assert _can_log_in("ny-admin", NEW_PASSWORD)


def test_a_new_administrator_cannot_be_let_in_by_reactivating_them(
    client_for, odense_admin, second_odense_admin, odense
):
    form = _new_user_form(odense, username="ny-admin", role="administrator")
    client_for(odense_admin).post(reverse("tenancy:user-create"), form)
    new_admin = User.objects.get(username="ny-admin")
    before = _snapshot()
    response = client_for(odense_admin).post(reverse("tenancy:user-reactivate", args=[new_admin.pk]))
    _refused(response, "Brugeren er ikke godkendt som administrator.")
    assert _snapshot() == before
    # Rejected: still not without another role first.
    request = AdministratorRequest.objects.get(user=new_admin)
    client_for(second_odense_admin).post(reverse("tenancy:request-reject", args=[request.pk]))
    response = client_for(second_odense_admin).post(reverse("tenancy:user-reactivate", args=[new_admin.pk]))
    _refused(response, "Brugeren er ikke godkendt som administrator.")
    client_for(second_odense_admin).post(reverse("tenancy:user-role", args=[new_admin.pk]), {"role": "auditor"})
    client_for(second_odense_admin).post(reverse("tenancy:user-reactivate", args=[new_admin.pk]))
    new_admin.refresh_from_db()
    assert new_admin.is_active and new_admin.role == Role.AUDITOR


# --- Deactivating and reactivating -----------------------------------------------------


def test_a_deactivated_user_cannot_log_in_loses_the_session_and_their_tokens_stop(
    client_for, odense_admin, odense_caseworker
):
    _token, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Integration")
    caseworker_session = client_for(odense_caseworker)
    assert caseworker_session.get(reverse("web:start")).status_code == 200

    response = client_for(odense_admin).post(reverse("tenancy:user-deactivate", args=[odense_caseworker.pk]))
    assert response.status_code == 302
    odense_caseworker.refresh_from_db()
    assert not odense_caseworker.is_active
    assert User.objects.filter(pk=odense_caseworker.pk).exists()  # never deleted
    assert not _can_log_in("odense-sagsbehandler", PASSWORD)
    assert caseworker_session.get(reverse("web:start")).status_code == 302
    with pytest.raises(ApiTokenRefused, match="deaktiveret"):
        user_for_api_token(raw)
    entry = AuditEntry.objects.get(object_id=str(odense_caseworker.pk), action="update")
    assert entry.detail == {"active": False} and entry.user == odense_admin

    client_for(odense_admin).post(reverse("tenancy:user-reactivate", args=[odense_caseworker.pk]))
    odense_caseworker.refresh_from_db()
    assert odense_caseworker.is_active
    assert _can_log_in("odense-sagsbehandler", PASSWORD)
    assert AuditEntry.objects.filter(object_id=str(odense_caseworker.pk), detail={"active": True}).exists()


def test_an_administrator_cannot_deactivate_themselves(client_for, odense_admin):
    before = _snapshot()
    client = client_for(odense_admin)
    response = client.post(reverse("tenancy:user-deactivate", args=[odense_admin.pk]))
    _refused(response, "Du kan ikke deaktivere dig selv.")
    assert _snapshot() == before


def test_deactivating_a_deactivated_user_is_refused(client_for, odense_admin, odense_caseworker):
    client = client_for(odense_admin)
    client.post(reverse("tenancy:user-deactivate", args=[odense_caseworker.pk]))
    before = _snapshot()
    _refused(client.post(reverse("tenancy:user-deactivate", args=[odense_caseworker.pk])), "allerede deaktiveret")
    _refused(client.post(reverse("tenancy:user-reactivate", args=[odense_admin.pk])), "Brugeren er allerede aktiv.")
    assert _snapshot() == before


# --- API tokens ------------------------------------------------------------------------


def test_an_issued_token_is_shown_once_works_and_is_audited(client_for, odense_admin, odense_caseworker):
    client = client_for(odense_admin)
    response = client.post(reverse("tenancy:token-issue", args=[odense_caseworker.pk]), {"name": "Lønsystem"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r"jc_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    assert user_for_api_token(raw) == odense_caseworker
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["username"] == "odense-sagsbehandler"
    # Shown once: the user's page never shows it again.
    assert raw not in client.get(reverse("tenancy:user", args=[odense_caseworker.pk])).content.decode()
    token = ApiToken.objects.get()
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="create", user=odense_admin).exists()


def test_a_revoked_token_stops_working_and_revoking_again_is_refused(client_for, odense_admin, odense_caseworker):
    token, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Lønsystem")
    client = client_for(odense_admin)
    assert client.post(reverse("tenancy:token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_api_token(raw) is None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="update", user=odense_admin).exists()
    before = _snapshot()
    _refused(client.post(reverse("tenancy:token-revoke", args=[token.pk])), "Nøglen er allerede tilbagekaldt.")
    assert _snapshot() == before


def test_a_token_without_a_name_is_refused(client_for, odense_admin, odense_caseworker):
    before = _snapshot()
    url = reverse("tenancy:token-issue", args=[odense_caseworker.pk])
    response = client_for(odense_admin).post(url, {"name": "   "})
    assert response.status_code == 422
    assert "Giv nøglen et navn" in response.content.decode()
    assert _snapshot() == before


def test_a_token_for_a_deactivated_user_is_refused(client_for, odense_admin, odense_caseworker):
    client = client_for(odense_admin)
    client.post(reverse("tenancy:user-deactivate", args=[odense_caseworker.pk]))
    before = _snapshot()
    response = client.post(reverse("tenancy:token-issue", args=[odense_caseworker.pk]), {"name": "Lønsystem"})
    _refused(response, "Brugeren er deaktiveret.")
    assert _snapshot() == before


# --- Another municipality, another role ------------------------------------------------


def test_an_administrator_of_aarhus_gets_not_found_for_everything_of_odense(
    client_for, aarhus_admin, odense_admin, odense_caseworker
):
    token, _raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Lønsystem")
    request = AdministratorRequest.objects.create(user=odense_caseworker, requested_by=odense_admin)
    client = client_for(aarhus_admin)
    before = _snapshot()
    pk = odense_caseworker.pk
    assert client.get(reverse("tenancy:user", args=[pk])).status_code == 404
    for url, body in (
        (reverse("tenancy:user-role", args=[pk]), {"role": "auditor"}),
        (reverse("tenancy:user-deactivate", args=[pk]), {}),
        (reverse("tenancy:user-reactivate", args=[pk]), {}),
        (reverse("tenancy:token-issue", args=[pk]), {"name": "x"}),
        (reverse("tenancy:token-revoke", args=[token.pk]), {}),
        (reverse("tenancy:request-approve", args=[request.pk]), {}),
        (reverse("tenancy:request-reject", args=[request.pk]), {}),
    ):
        response = client.post(url, body)
        assert response.status_code == 404, url
        assert "odense" not in response.content.decode().lower()
    assert _snapshot() == before


def test_an_administrator_of_aarhus_sees_a_shared_operations_user_but_cannot_change_it(
    make_user, client_for, aarhus_admin, odense, aarhus
):
    operations = make_user(Role.OPERATIONS, odense, aarhus, username="drift-begge")
    client = client_for(aarhus_admin)
    body = client.get(reverse("tenancy:users")).content.decode()
    assert "drift-begge" in body and "Odense" not in body
    assert client.get(reverse("tenancy:user", args=[operations.pk])).status_code == 404


def test_a_caseworker_may_not_manage_users(client_for, odense_caseworker, odense_benefits_officer):
    client = client_for(odense_caseworker)
    before = _snapshot()
    assert client.get(reverse("tenancy:users")).status_code == 403
    url = reverse("tenancy:user-deactivate", args=[odense_benefits_officer.pk])
    assert client.post(url).status_code == 403
    assert _snapshot() == before


def test_the_action_itself_refuses_a_user_in_a_municipality_the_administrator_does_not_work_for(aarhus_admin, odense):
    from jobcenter.tenancy.actions import UserChangeRefused, do_add_user

    before = _snapshot()
    with pytest.raises(UserChangeRefused, match="kun oprette brugere i de kommuner, du selv arbejder for"):
        do_add_user(aarhus_admin, username="nina", role=Role.CASEWORKER, municipalities=[odense])
    assert _snapshot() == before


def test_the_request_for_a_new_administrator_is_audited_with_who_asked(client_for, odense_admin, odense):
    form = _new_user_form(odense, username="ny-admin", role="administrator")
    client_for(odense_admin).post(reverse("tenancy:user-create"), form)
    request = AdministratorRequest.objects.get()
    entry = AuditEntry.objects.get(object_type="tenancy.administratorrequest", object_id=str(request.pk))
    assert entry.user == odense_admin and entry.action == "create"
    assert entry.detail["new_user"] is True


def test_a_user_without_a_municipality_is_refused_and_nothing_is_written(make_user, client_for, odense, aarhus):
    admin = make_user(Role.ADMINISTRATOR, odense, aarhus, username="admin-begge")
    before = _snapshot()
    response = client_for(admin).post(reverse("tenancy:user-create"), _new_user_form(odense, municipalities=[]))
    assert response.status_code == 422
    assert "Vælg den kommune, brugeren arbejder i." in response.content.decode()
    assert _snapshot() == before


def test_nobody_decides_a_request_about_themselves(odense_admin, odense_caseworker):
    from jobcenter.tenancy.actions import UserChangeRefused, do_decide_administrator_request

    request = AdministratorRequest.objects.create(user=odense_caseworker, requested_by=odense_admin)
    # Made an administrator meanwhile outside the pages (the command line), the user cannot approve it.
    User.objects.filter(pk=odense_caseworker.pk).update(role=Role.ADMINISTRATOR)
    odense_caseworker.refresh_from_db()
    before = _snapshot()
    with pytest.raises(UserChangeRefused, match="en anmodning om dig selv"):
        do_decide_administrator_request(odense_caseworker, request, approve=True)
    assert _snapshot() == before


def test_the_administrators_pages_speak_english_when_the_user_chooses_it(client_for, odense_admin, odense_caseworker):
    client = client_for(odense_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("tenancy:user", args=[odense_caseworker.pk])).content.decode()
    assert "Deactivate the user" in body and "Keys for system integrations" in body
    assert "Caseworker" in body
    body = client.get(reverse("tenancy:user-create")).content.decode()
    assert "Initial password" in body and "Only operations and administrators" in body
