"""A Digital Post stand-in for the demo and the tests.

Class-level state, shared by every instance:

- ``FakeDigitalPostClient.delivered()``: the letters delivered, in order (each once);
- ``FakeDigitalPostClient.register_not_connected(cpr)``: this citizen is not
  connected (exempt from Digital Post);
- ``FakeDigitalPostClient.set_unavailable(True)``: Digital Post is down;
- ``FakeDigitalPostClient.reset()``: empty outbox, everyone connected, service up.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import ClassVar

from jobcenter.integrations.cpr.interface import valid_cpr_or_error
from jobcenter.integrations.digital_post.interface import (
    DeliveryReceipt,
    DigitalPostLetter,
    DigitalPostUnavailable,
    RecipientNotConnected,
    checked_letter,
)


class FakeDigitalPostClient:
    """Delivers letters into a class-level outbox; idempotent per ``idempotency_key``."""

    _delivered: ClassVar[list[DigitalPostLetter]] = []
    _receipts: ClassVar[dict[str, DeliveryReceipt]] = {}
    _not_connected: ClassVar[set[str]] = set()
    _unavailable: ClassVar[bool] = False
    # The local HTTP test server calls send() from several threads.
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def send(self, letter: DigitalPostLetter) -> DeliveryReceipt:
        recipient = checked_letter(letter)
        with FakeDigitalPostClient._lock:
            if FakeDigitalPostClient._unavailable:
                raise DigitalPostUnavailable()
            earlier = FakeDigitalPostClient._receipts.get(letter.idempotency_key)
            if earlier is not None:
                return earlier
            if recipient in FakeDigitalPostClient._not_connected:
                raise RecipientNotConnected()
            receipt = DeliveryReceipt(message_id=str(uuid.uuid4()), accepted_at=datetime.now(UTC))
            FakeDigitalPostClient._receipts[letter.idempotency_key] = receipt
            FakeDigitalPostClient._delivered.append(letter)
            return receipt

    @classmethod
    def delivered(cls) -> tuple[DigitalPostLetter, ...]:
        """The letters delivered so far, oldest first."""
        with cls._lock:
            return tuple(cls._delivered)

    @classmethod
    def register_not_connected(cls, cpr: str) -> None:
        cls._not_connected.add(valid_cpr_or_error(cpr))

    @classmethod
    def set_unavailable(cls, unavailable: bool = True) -> None:
        cls._unavailable = unavailable

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls._delivered.clear()
            cls._receipts.clear()
            cls._not_connected.clear()
            cls._unavailable = False
