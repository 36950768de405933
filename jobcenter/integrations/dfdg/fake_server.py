"""A local DFDG server for tests and the demo: real HTTP, deduplicating, countable, switchable down.

    server = FakeDfdgServer().start()        # on 127.0.0.1, a free port
    server.base_url                          # give it to HttpDfdgClient
    server.store.unavailable = True          # the national service is down (503)
    len(server.store.accepted)               # reports stored, one per key
    server.store.attempts                    # every request, duplicates included
    server.stop()

``python -m jobcenter.integrations.dfdg.fake_server --port 8790`` runs one
in the foreground for the demo.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jobcenter.integrations.dfdg.client import receipt_to_wire, report_from_wire
from jobcenter.integrations.dfdg.fake import FakeDfdgStore
from jobcenter.integrations.dfdg.interface import DfdgRejected, DfdgUnavailable


class FakeDfdgServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, store: FakeDfdgStore | None = None) -> None:
        self.store = store or FakeDfdgStore()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeDfdgServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        store = self.store

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path != "/reports":
                    self._answer(404, {"error": "no_such_route"})
                    return
                key = self.headers.get("Idempotency-Key", "")
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    report = report_from_wire(json.loads(self.rfile.read(length) or b"null"), key)
                except (ValueError, KeyError, TypeError):
                    self._answer(400, {"error": "malformed_report"})
                    return
                try:
                    receipt = store.receive(report)
                except DfdgUnavailable:
                    self._answer(503, {"error": "unavailable"})
                    return
                except DfdgRejected:
                    self._answer(422, {"error": "rejected"})
                    return
                self._answer(200 if receipt.duplicate else 201, receipt_to_wire(receipt))

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass  # reports hold CPR numbers: never log them

        return Handler


def main() -> None:  # pragma: no cover - manual demo entry point
    parser = argparse.ArgumentParser(description="Kør en lokal, falsk DFDG-tjeneste til demo.")
    parser.add_argument("--port", type=int, default=8790)
    arguments = parser.parse_args()
    server = FakeDfdgServer(port=arguments.port)
    print(f"Falsk DFDG lytter på {server.base_url}/reports")
    server._server.serve_forever()


if __name__ == "__main__":  # pragma: no cover
    main()
