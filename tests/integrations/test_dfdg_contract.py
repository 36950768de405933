"""One contract for DFDG reporting, run against the in-process fake and the HTTP client on a local server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from jobcenter.integrations.dfdg import DfdgRejected, DfdgReport, DfdgUnavailable, ReportKind
from jobcenter.integrations.dfdg.client import HttpDfdgClient
from jobcenter.integrations.dfdg.fake import FakeDfdgClient, FakeDfdgStore
from jobcenter.integrations.dfdg.fake_server import FakeDfdgServer

VALID_CPR = "0101901234"  # passes stdnum's check: a fictitious, well-formed number


def report(key: str = "event-1", **changes: Any) -> DfdgReport:
    values: dict[str, Any] = {
        "kind": ReportKind.INTERVIEW_HELD,
        "municipality_code": "0461",
        "citizen_cpr": VALID_CPR,
        "occurred_on": date(2026, 3, 2),
        "idempotency_key": key,
        "details": {"form": "fremmøde"},
    }
    values.update(changes)
    return DfdgReport(**values)


@pytest.fixture(params=["fake", "http"])
def service(request: pytest.FixtureRequest) -> Iterator[tuple[Any, FakeDfdgStore]]:
    """(client, the store that counts what the service received)."""
    if request.param == "fake":
        FakeDfdgClient.reset()
        yield FakeDfdgClient(), FakeDfdgClient.store
        FakeDfdgClient.reset()
        return
    server = FakeDfdgServer().start()
    yield HttpDfdgClient(server.base_url, timeout_seconds=5), server.store
    server.stop()


def test_a_report_is_accepted_once(service):
    client, store = service
    receipt = client.report(report())
    assert receipt.duplicate is False
    assert receipt.accepted_at.tzinfo is not None
    assert list(store.accepted) == ["event-1"]


def test_the_same_key_twice_is_stored_once_and_says_duplicate(service):
    client, store = service
    first = client.report(report())
    again = client.report(report())
    assert again.duplicate is True
    assert again.report_id == first.report_id
    assert len(store.accepted) == 1
    assert store.attempts == 2


def test_an_outage_is_unavailable_and_nothing_is_stored(service):
    client, store = service
    store.unavailable = True
    with pytest.raises(DfdgUnavailable) as raised:
        client.report(report())
    assert "sendes igen senere" in raised.value.message
    assert store.accepted == {}
    store.unavailable = False
    assert client.report(report()).duplicate is False


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"citizen_cpr": "3201901234"}, "ugyldigt CPR-nummer"),
        ({"municipality_code": "461"}, "ugyldig kommunekode"),
        ({"idempotency_key": " "}, "idempotensnøgle"),
    ],
)
def test_a_malformed_report_is_rejected_without_the_cpr_number_in_the_message(service, changes, words):
    client, store = service
    with pytest.raises(DfdgRejected) as raised:
        client.report(report(**changes))
    assert words in raised.value.message
    assert VALID_CPR not in raised.value.message and "3201901234" not in raised.value.message
    assert store.accepted == {}


def test_the_http_client_reports_an_unreachable_service_as_unavailable():
    server = FakeDfdgServer().start()
    base_url = server.base_url
    server.stop()
    with pytest.raises(DfdgUnavailable):
        HttpDfdgClient(base_url, timeout_seconds=1).report(report())


def test_the_http_client_sends_the_key_as_a_header_and_the_cpr_only_in_the_body():
    server = FakeDfdgServer().start()
    try:
        HttpDfdgClient(server.base_url, timeout_seconds=5).report(report(key="abc-123"))
        stored = server.store.accepted["abc-123"]
        assert stored.citizen_cpr == VALID_CPR
        assert stored.details == {"form": "fremmøde"}
    finally:
        server.stop()


def test_the_client_is_chosen_by_setting(settings):
    from jobcenter.integrations.dfdg import get_dfdg_client

    assert isinstance(get_dfdg_client(), FakeDfdgClient)
    settings.JOBCENTER_DFDG_CLIENT = "jobcenter.integrations.dfdg.client.http_dfdg_client_from_settings"
    settings.JOBCENTER_DFDG_BASE_URL = "http://127.0.0.1:9"
    client = get_dfdg_client()
    assert isinstance(client, HttpDfdgClient)
    assert client.url == "http://127.0.0.1:9/reports"
