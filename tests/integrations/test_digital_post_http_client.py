"""What only the HTTP Digital Post client can meet, and picking the client from settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jobcenter.integrations.digital_post import DigitalPostLetter, DigitalPostUnavailable, get_digital_post_client
from jobcenter.integrations.digital_post.client import (
    HttpDigitalPostClient,
    http_digital_post_client_from_settings,
)
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient

LETTER = DigitalPostLetter(
    recipient_cpr="0101901234", title="Indkaldelse", body_text="Mød op.", idempotency_key="summons-1"
)
RECEIPT = {"messageId": "m-1", "acceptedAt": "2026-11-23T09:15:00+00:00"}


def test_the_idempotency_key_is_sent_as_a_header_too(serve):
    server = serve({"/messages": lambda payload: (201, RECEIPT)})

    HttpDigitalPostClient(server.base_url).send(LETTER)

    ((path, headers),) = server.requests
    assert path == "/messages"
    assert headers["Idempotency-Key"] == "summons-1"


def test_a_service_that_does_not_answer_in_time_is_unavailable(serve):
    server = serve({"/messages": lambda payload: (201, RECEIPT)}, delay_seconds=1.0)

    with pytest.raises(DigitalPostUnavailable):
        HttpDigitalPostClient(server.base_url, timeout_seconds=0.2).send(LETTER)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"error": "boom"}),
        (422, {"error": "something_else"}),
        (201, {"messageId": "m-1", "acceptedAt": "2026-11-23T09:15:00"}),  # no time zone
        (201, {"messageId": "m-1"}),
        (201, ["not", "an", "object"]),
    ],
)
def test_an_error_status_or_an_unreadable_receipt_is_unavailable(serve, status, body):
    server = serve({"/messages": lambda payload: (status, body)})

    with pytest.raises(DigitalPostUnavailable):
        HttpDigitalPostClient(server.base_url).send(LETTER)


def test_the_fake_is_the_default(settings):
    del settings.JOBCENTER_DIGITAL_POST_CLIENT

    assert isinstance(get_digital_post_client(), FakeDigitalPostClient)


def test_the_setting_picks_the_http_client(settings):
    settings.JOBCENTER_DIGITAL_POST_CLIENT = (
        "jobcenter.integrations.digital_post.client.http_digital_post_client_from_settings"
    )
    settings.JOBCENTER_DIGITAL_POST_BASE_URL = "https://post.example.invalid"
    settings.JOBCENTER_DIGITAL_POST_TIMEOUT_SECONDS = 12

    client = get_digital_post_client()

    assert isinstance(client, HttpDigitalPostClient)
    assert client.messages_url == "https://post.example.invalid/messages"
    assert client.timeout_seconds == 12.0


def test_the_http_client_without_a_url_is_a_configuration_error(settings):
    settings.JOBCENTER_DIGITAL_POST_BASE_URL = ""

    with pytest.raises(ImproperlyConfigured):
        http_digital_post_client_from_settings()
