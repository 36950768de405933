"""A DFDG stand-in: deduplicates by idempotency key and counts what it received.

The same store backs :class:`FakeDfdgClient` (in process, for unit tests
and the demo) and :class:`jobcenter.integrations.dfdg.fake_server.FakeDfdgServer`
(a real local HTTP server, for the outage tests), so "delivered exactly
once" can be checked the same way for both: ``store.accepted`` has one report
per key, ``store.attempts`` counts every request including duplicates.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jobcenter.integrations.dfdg.interface import DfdgReceipt, DfdgReport, DfdgUnavailable, checked_report


@dataclass
class FakeDfdgStore:
    accepted: dict[str, DfdgReport] = field(default_factory=dict)
    receipts: dict[str, DfdgReceipt] = field(default_factory=dict)
    attempts: int = 0
    unavailable: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, report: DfdgReport) -> DfdgReceipt:
        with self.lock:
            self.attempts += 1
            if self.unavailable:
                raise DfdgUnavailable()
            checked_report(report)
            earlier = self.receipts.get(report.idempotency_key)
            if earlier is not None:
                return DfdgReceipt(earlier.report_id, earlier.accepted_at, duplicate=True)
            receipt = DfdgReceipt(report_id=str(uuid.uuid4()), accepted_at=datetime.now(UTC), duplicate=False)
            self.accepted[report.idempotency_key] = report
            self.receipts[report.idempotency_key] = receipt
            return receipt

    def reset(self) -> None:
        with self.lock:
            self.accepted.clear()
            self.receipts.clear()
            self.attempts = 0
            self.unavailable = False


class FakeDfdgClient:
    """In-process DFDG with one class-level store (``FakeDfdgClient.store``)."""

    store = FakeDfdgStore()

    def report(self, report: DfdgReport) -> DfdgReceipt:
        return FakeDfdgClient.store.receive(report)

    @classmethod
    def set_unavailable(cls, unavailable: bool = True) -> None:
        cls.store.unavailable = unavailable

    @classmethod
    def reset(cls) -> None:
        cls.store.reset()
