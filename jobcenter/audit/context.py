"""Where a piece of work comes from: the route of a request, or a command or task.

Set once at the edge (middleware, management command, task) so that every
audit record written below it names its route without passing it around.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkContext:
    route: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


_current: ContextVar[WorkContext | None] = ContextVar("jobcenter_work_context", default=None)


def current_context() -> WorkContext:
    return _current.get() or WorkContext(route="ukendt")


@contextmanager
def work_context(route: str, request_id: str | None = None) -> Iterator[WorkContext]:
    context = WorkContext(route=route, request_id=request_id or uuid.uuid4().hex)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
