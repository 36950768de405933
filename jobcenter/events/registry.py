"""Which handlers act on which events: the contract between the outbox and the apps that react to it.

An app that reacts to events keeps its handlers in `<app>/handlers.py` and marks
each with `@handles(event_type, name=...)`; `EventsConfig.ready()` imports every
app's `handlers` module, so registering is just defining the function.

The dispatcher (events/dispatcher.py) calls a handler with the `OutboxEvent`
inside a database transaction, and records the handler's name against the
event in the same transaction (the processed-event key). So a handler that only
writes to the database takes effect exactly once, however often the event is
delivered. A handler that calls a national service must make the call
idempotent itself: `idempotency_key(event, handler)` is the key to send.

A handler signals what went wrong by what it raises:

* `EventRejected(reason)`: the event can never be handled (malformed payload,
  unknown citizen); it goes to the dead-letter list at once, with the reason;
* any other exception: a temporary fault; the dispatcher retries with backoff
  and dead-letters the event after its last attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobcenter.events.models import OutboxEvent

HandlerFunction = Callable[["OutboxEvent"], None]


class EventRejected(Exception):
    """The event cannot be handled, now or later; the reason is shown on the dead-letter list."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Handler:
    # Stable and unique: stored with every processed event, so renaming a handler re-runs it.
    name: str
    event_type: str
    function: HandlerFunction
    # The integration the handler talks to ("dfdg"), for failures per integration; "" when local only.
    integration: str = ""


_HANDLERS: dict[str, Handler] = {}


def handles(event_type: str, *, name: str, integration: str = "") -> Callable[[HandlerFunction], HandlerFunction]:
    """Register the decorated function as the handler `name` of `event_type`."""

    def register(function: HandlerFunction) -> HandlerFunction:
        existing = _HANDLERS.get(name)
        if existing is not None and existing.function is not function:
            raise ValueError(f"two event handlers are named {name!r}")
        _HANDLERS[name] = Handler(name=name, event_type=event_type, function=function, integration=integration)
        return function

    return register


def handlers_for(event_type: str) -> list[Handler]:
    """The handlers of an event type, in a stable order (by name)."""
    return sorted((h for h in _HANDLERS.values() if h.event_type == event_type), key=lambda h: h.name)


def idempotency_key(event: OutboxEvent, handler: Handler) -> str:
    """The same event and handler always give the same key; a national service deduplicates by it."""
    return f"{event.pk}:{handler.name}"
