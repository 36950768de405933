"""What only the HTTP CPR client can meet: slow, broken and odd answers; and picking the client from settings."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured

from jobcenter.integrations.cpr import CprServiceUnavailable, get_cpr_client
from jobcenter.integrations.cpr.client import HttpCprClient, http_cpr_client_from_settings, person_to_wire
from jobcenter.integrations.cpr.fake import FakeCprClient, synthetic_person

ANNE = "0101901234"


def test_a_register_that_does_not_answer_in_time_is_unavailable(serve):
    server = serve({"/cpr/lookup": lambda payload: (200, person_to_wire(synthetic_person(ANNE)))}, delay_seconds=1.0)

    with pytest.raises(CprServiceUnavailable):
        HttpCprClient(server.base_url, timeout_seconds=0.2).lookup(ANNE)


def test_a_register_that_refuses_the_connection_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]

    with pytest.raises(CprServiceUnavailable):
        HttpCprClient(f"http://127.0.0.1:{free_port}", timeout_seconds=1).lookup(ANNE)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"error": "boom"}),
        (502, b"<html>Bad gateway</html>"),
        (200, {"cpr": ANNE}),  # fields missing
        (200, b"not json"),
    ],
)
def test_an_error_status_or_an_unreadable_answer_is_unavailable(serve, status, body):
    server = serve({"/cpr/lookup": lambda payload: (status, body)})

    with pytest.raises(CprServiceUnavailable) as raised:
        HttpCprClient(server.base_url).lookup(ANNE)

    assert ANNE not in str(raised.value)


def test_an_answer_about_someone_else_is_never_shown_as_the_person_asked_for(serve):
    server = serve({"/cpr/lookup": lambda payload: (200, person_to_wire(synthetic_person("0202851235")))})

    with pytest.raises(CprServiceUnavailable):
        HttpCprClient(server.base_url).lookup(ANNE)


def test_the_number_travels_in_the_body_never_in_the_url(serve):
    seen = []
    server = serve(
        {"/cpr/lookup": lambda payload: (seen.append(payload), (200, person_to_wire(synthetic_person(ANNE))))[1]}
    )

    HttpCprClient(server.base_url + "/").lookup("010190-1234")

    assert seen == [{"cpr": ANNE}]
    assert [path for path, _ in server.requests] == ["/cpr/lookup"]


def test_the_fake_register_is_the_default(settings):
    del settings.JOBCENTER_CPR_CLIENT

    assert isinstance(get_cpr_client(), FakeCprClient)


def test_the_setting_picks_the_http_client_with_its_url_and_timeout(settings):
    settings.JOBCENTER_CPR_CLIENT = "jobcenter.integrations.cpr.client.http_cpr_client_from_settings"
    settings.JOBCENTER_CPR_BASE_URL = "https://cpr.example.invalid/api"
    settings.JOBCENTER_CPR_TIMEOUT_SECONDS = "3.5"

    client = get_cpr_client()

    assert isinstance(client, HttpCprClient)
    assert client.lookup_url == "https://cpr.example.invalid/api/cpr/lookup"
    assert client.timeout_seconds == 3.5


def test_the_http_client_without_a_url_is_a_configuration_error(settings):
    settings.JOBCENTER_CPR_BASE_URL = ""

    with pytest.raises(ImproperlyConfigured):
        http_cpr_client_from_settings()


def test_only_http_urls_are_used():
    with pytest.raises(ValueError, match="http"):
        HttpCprClient("file:///etc").lookup(ANNE)
