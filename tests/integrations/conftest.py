"""Fixtures for the integration contract suites.

Each contract suite runs against the fake and against the HTTP client. The
HTTP client talks to a local server (``http.server`` in a thread) that
speaks the client's wire format and answers from the fake, so one set of
test controls (``FakeCprClient.register`` ...) shapes both.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jobcenter.integrations.cpr import CprPersonNotFound, CprServiceUnavailable, InvalidCprNumber
from jobcenter.integrations.cpr.client import HttpCprClient, person_to_wire
from jobcenter.integrations.cpr.fake import FakeCprClient
from jobcenter.integrations.digital_post import DigitalPostUnavailable, InvalidLetter, RecipientNotConnected
from jobcenter.integrations.digital_post.client import HttpDigitalPostClient, letter_from_wire, receipt_to_wire
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient

# A route answers (status, JSON body or raw bytes) for a decoded JSON request body.
Route = Callable[[Any], tuple[int, Any]]


@dataclass
class LocalServer:
    """A local HTTP server; ``requests`` records (path, headers) of every request it got."""

    base_url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def reset_fakes() -> Iterator[None]:
    FakeCprClient.reset()
    FakeDigitalPostClient.reset()
    yield
    FakeCprClient.reset()
    FakeDigitalPostClient.reset()


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalServer]]:
    """Start a local server with the given POST routes; stopped after the test."""
    servers: list[ThreadingHTTPServer] = []

    def start(routes: dict[str, Route], *, delay_seconds: float = 0.0) -> LocalServer:
        record: list[tuple[str, dict[str, str]]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                record.append((self.path, dict(self.headers.items())))
                if delay_seconds:
                    time.sleep(delay_seconds)
                route = routes.get(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"null")
                status, body = route(payload) if route else (404, {"error": "no_such_route"})
                raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        return LocalServer(base_url=f"http://{host!s}:{port}", requests=record)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def cpr_lookup_route(payload: Any) -> tuple[int, Any]:
    """The CPR wire format, answered from the fake register."""
    try:
        return 200, person_to_wire(FakeCprClient().lookup(payload["cpr"]))
    except InvalidCprNumber:
        return 400, {"error": "invalid_cpr"}
    except CprPersonNotFound:
        return 404, {"error": "not_found"}
    except CprServiceUnavailable:
        return 503, {"error": "unavailable"}


def digital_post_route(payload: Any) -> tuple[int, Any]:
    """The Digital Post wire format, answered from the fake outbox."""
    try:
        return 201, receipt_to_wire(FakeDigitalPostClient().send(letter_from_wire(payload)))
    except InvalidLetter:
        return 422, {"error": "invalid_letter"}
    except RecipientNotConnected:
        return 422, {"error": "recipient_not_connected"}
    except DigitalPostUnavailable:
        return 503, {"error": "unavailable"}


@pytest.fixture(params=["fake", "http"])
def cpr_client(request: pytest.FixtureRequest, serve: Callable[..., LocalServer]) -> Any:
    if request.param == "fake":
        return FakeCprClient()
    server = serve({"/cpr/lookup": cpr_lookup_route})
    return HttpCprClient(server.base_url, timeout_seconds=5)


@pytest.fixture(params=["fake", "http"])
def digital_post_client(request: pytest.FixtureRequest, serve: Callable[..., LocalServer]) -> Any:
    if request.param == "fake":
        return FakeDigitalPostClient()
    server = serve({"/messages": digital_post_route})
    return HttpDigitalPostClient(server.base_url, timeout_seconds=5)
