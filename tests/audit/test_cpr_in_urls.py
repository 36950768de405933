"""A CPR number never reaches a log line through a URL, and a URL holding one is refused."""

from __future__ import annotations

import io
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

from jobcenter.audit.logging import RedactCprFilter

CPR = "0101901234"


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """What the web server's access log handler (django.server) writes, as configured by LOGGING."""
    handler = next(each for each in logging.getLogger("django.server").handlers if each.get_name() == "django.server")
    assert isinstance(handler, logging.StreamHandler)
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield captured
    if previous is not None:
        handler.setStream(previous)


def _get_through_runserver(path: str) -> int:
    """One GET through Django's own development server, whose request handler writes the access log."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=30) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    finally:
        thread.join(timeout=30)
        server.server_close()
    return status


@pytest.mark.django_db(transaction=True)
def test_the_web_servers_access_log_never_carries_a_cpr_number(access_log):
    status = _get_through_runserver(f"/borgere/?query={CPR}")
    line = access_log.getvalue()
    assert "GET /borgere/?query=" in line
    assert CPR not in line
    assert "[CPR]" in line
    assert status == 400


def test_every_log_handler_redacts_even_one_configured_outside_logging_settings():
    stream = io.StringIO()
    outsider = logging.getLogger("gunicorn.access.test")
    handler = logging.StreamHandler(stream)
    outsider.addHandler(handler)
    outsider.propagate = False
    try:
        from jobcenter.audit.logging import redact_every_handler

        redact_every_handler()
        outsider.warning('"GET /borgere/?cpr=%s HTTP/1.1" 200', "010190-1234")
    finally:
        outsider.removeHandler(handler)
    assert "010190-1234" not in stream.getvalue()
    assert any(isinstance(existing, RedactCprFilter) for existing in handler.filters)
    assert all(
        any(isinstance(existing, RedactCprFilter) for existing in each.filters)
        for each in logging.getLogger().handlers + logging.getLogger("django.server").handlers
    )


def test_a_page_address_with_a_cpr_number_is_refused_in_danish(client_for, odense_caseworker, odense_citizen):
    client = client_for(odense_caseworker)
    for address in (f"/borgere/?query={CPR}", "/borgere/?query=010190-1234", "/borgere/?q=010190%2D1234"):
        response = client.get(address)
        assert response.status_code == 400
        text = response.content.decode()
        assert "Et CPR-nummer må ikke stå i en webadresse" in text
        assert "søgefeltet" in text
        assert CPR not in text and "010190-1234" not in text


def test_an_api_address_with_a_cpr_number_is_refused_as_problem_json(client_for, odense_caseworker):
    response = client_for(odense_caseworker).get(f"/api/v1/citizens/search?cpr={CPR}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Et CPR-nummer må ikke stå i en webadresse"
    assert CPR not in response.content.decode()


def test_an_object_id_in_an_address_is_not_taken_for_a_cpr_number(client_for, odense_caseworker, odense_citizen):
    # The id's last group holds ten digits in a row; it is an id, not a CPR number.
    response = client_for(odense_caseworker).get(
        f"/borgere/{odense_citizen.pk}/?fra=636916d3-0528-4e07-9bac-5671427661f3"
    )
    assert response.status_code == 200
