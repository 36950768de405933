import uuid

import pytest
from django.db import DatabaseError
from django.urls import reverse

from jobcenter.web import health


def test_healthz_says_the_process_is_alive(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_task_queue(client, db):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["task_queue"]["ok"]


def test_readyz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def broken_database():
        raise DatabaseError("forbindelsen er væk")

    monkeypatch.setattr(health, "_ping_database", broken_database)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "DatabaseError"}


def test_the_interface_is_danish_even_for_an_english_browser(client, db):
    response = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "da"
    assert "Brugernavn" in response.content.decode()


def test_a_user_can_switch_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("web:login")).content.decode()
    assert "User name" in page
    assert 'lang="en"' in page


def test_the_english_catalogue_translates_every_message():
    import polib

    from jobcenter.web.i18n import LOCALE_DIR

    catalogue = polib.pofile(str(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()


@pytest.mark.parametrize(
    "path",
    ["/findes-ikke/", "/borgere/ikke-et-id/", f"/borgere/{uuid.uuid4()}/", "/borgere/0101901234/"],
)
def test_unknown_pages_and_ids_answer_a_danish_not_found_without_detail(client_for, odense_caseworker, path):
    response = client_for(odense_caseworker).get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Siden findes ikke" in page
    assert "0101901234" not in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/findes-ikke", None),
        ("get", f"/api/v1/citizens/{uuid.uuid4()}", None),
        ("get", "/api/v1/citizens/ikke-et-id", None),
        ("post", "/api/v1/citizens/search", "{ikke json"),
        ("post", "/api/v1/citizens/search", '{"query": ""}'),
        ("post", "/api/v1/citizens/search", '{"query": "x", "ekstra": 1}'),
        ("post", "/api/v1/citizens/search", "[]"),
        ("get", "/api/v1/audit/entries?limit=abc", None),
        ("put", "/api/v1/me", "{}"),
    ],
)
def test_malformed_api_requests_get_problem_json_never_a_500(client_for, odense_caseworker, method, path, body):
    client = client_for(odense_caseworker)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(path, **kwargs)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json", response.content
    assert response.json()["title"]


def test_malformed_form_posts_change_nothing_and_never_answer_500(client_for, odense_caseworker):
    client = client_for(odense_caseworker)
    for data in [{}, {"query": ""}, {"query": "x" * 500}, {"query": "a"}]:
        response = client.post(reverse("citizens:search"), data)
        assert response.status_code == 200
        assert "form-error-message" in response.content.decode()


def test_an_api_token_signs_a_system_integration_in(client, odense_caseworker):
    from jobcenter.tenancy.actions import do_issue_api_token

    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Integration")
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "odense-sagsbehandler"


def test_a_wrong_api_token_gets_401_in_danish(client, db):
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer jc_forkert")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Ikke logget ind"


def test_a_session_post_to_the_api_needs_the_csrf_token(odense_caseworker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(odense_caseworker)
    response = client.post(reverse("api:citizens-search"), {"query": "Jensen"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_the_openapi_document_describes_the_api(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Jobcenter API"
    assert "/api/v1/citizens/search" in spec["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr" not in docs.content.decode()
