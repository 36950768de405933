from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


def test_a_caseworker_logs_in_and_sees_the_danish_start_page(client, odense_caseworker):
    response = client.post(
        reverse("web:login"), {"username": "odense-sagsbehandler", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("web:start")
    assert "Velkommen" in page
    assert "Sagsbehandler i Odense Kommune" in page


def test_a_wrong_password_gets_a_clear_danish_message(client, odense_caseworker):
    response = client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})
    assert response.status_code == 200
    assert "Forkert brugernavn eller adgangskode" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_user_even_with_the_right_password(client, odense_caseworker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})
    response = client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": PASSWORD})
    assert response.status_code == 429
    assert "midlertidigt låst" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_so_colleagues_behind_the_same_address_can_still_log_in(
    client, odense_caseworker, odense_benefits_officer
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": "forkert"})
    response = client.post(reverse("web:login"), {"username": "odense-ydelse", "password": PASSWORD})
    assert response.status_code == 302


def test_logging_out_takes_a_post_and_ends_the_session(client_for, odense_caseworker):
    client = client_for(odense_caseworker)
    assert client.get(reverse("web:logout")).status_code == 405
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:start")).status_code == 302


def test_a_form_without_its_csrf_token_is_refused_with_a_danish_page(odense_caseworker):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": PASSWORD})
    assert response.status_code == 403
    assert "Siden var udløbet" in response.content.decode()


def test_session_cookies_are_http_only_and_secure_in_production():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_the_login_page_offers_the_identity_provider_only_when_oidc_is_on(client):
    assert "MitID Erhverv" not in client.get(reverse("web:login")).content.decode()
    with override_settings(OIDC_ENABLED=True):
        assert "MitID Erhverv" in client.get(reverse("web:login")).content.decode()


@override_settings(
    OIDC_ENABLED=True,
    OIDC_RP_CLIENT_ID="jobcenter",
    OIDC_RP_CLIENT_SECRET="hemmelig",
    OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.kommune.example/authorize",
    OIDC_OP_TOKEN_ENDPOINT="https://idp.kommune.example/token",
    OIDC_OP_USER_ENDPOINT="https://idp.kommune.example/userinfo",
    OIDC_OP_JWKS_ENDPOINT="https://idp.kommune.example/jwks",
)
def test_with_oidc_on_the_login_goes_to_the_municipalitys_identity_provider(client, db):
    response = client.get(reverse("web:oidc-authenticate"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.kommune.example/authorize?")
    assert "client_id=jobcenter" in response["Location"]


def test_the_oidc_backend_never_creates_users_and_matches_the_claim_to_a_user_name(odense_caseworker):
    from jobcenter.tenancy.oidc import MunicipalityOIDCBackend

    with override_settings(
        OIDC_OP_TOKEN_ENDPOINT="x",
        OIDC_OP_USER_ENDPOINT="x",
        OIDC_RP_CLIENT_ID="x",
        OIDC_RP_CLIENT_SECRET="x",
        OIDC_OP_JWKS_ENDPOINT="x",
    ):
        backend = MunicipalityOIDCBackend()
        assert list(backend.filter_users_by_claims({"email": "odense-sagsbehandler"})) == [odense_caseworker]
        assert list(backend.filter_users_by_claims({"email": "ukendt"})) == []
        assert backend.create_user({"email": "ny"}) is None
