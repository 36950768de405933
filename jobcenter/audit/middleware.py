from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from jobcenter.audit.context import WorkContext, _current


class RequestContextMiddleware:
    """Names the route of each request for the audit records written under it.

    The route is the URL pattern (for example `GET borgere/<uuid:citizen_id>/`),
    not the path the browser sent, so no typed-in value ever reaches the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(WorkContext(route=f"{request.method} (ukendt rute)"))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        match = request.resolver_match
        route = match.route if match is not None else "(ukendt rute)"
        current = _current.get()
        request_id = current.request_id if current else None
        _current.set(
            WorkContext(route=f"{request.method} /{route}", **({"request_id": request_id} if request_id else {}))
        )
        return None
