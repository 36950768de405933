from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jobcenter.audit.context import WorkContext, _current
from jobcenter.audit.redaction import redact_cpr


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


def has_cpr_number(text: str) -> bool:
    """Whether anything in `text` looks like a CPR number (the same rule as the log filter)."""
    return redact_cpr(text) != text


class CprInUrlMiddleware:
    """Refuses (400) a request whose query string holds something that looks like a CPR number.

    A URL is written to the web server's access log, the browser's history and a
    proxy's log; searches by CPR number are POSTed. A GET such as
    `/borgere/?query=0101901234` is answered with a Danish explanation before any
    view runs (the access log line itself is redacted by jobcenter.audit.logging).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path never holds one (objects are addressed by id; a CPR number there is simply
        # not found); a query string is where a search box's GET would put it.
        if has_cpr_number(unquote_plus(request.META.get("QUERY_STRING", ""))):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        title = _("Et CPR-nummer må ikke stå i en webadresse")
        message = _(
            "Webadresser gemmes i logfiler og i browserens historik. Søg på CPR-nummeret i søgefeltet "
            "på siden Borgere i stedet; der sendes det ikke med i adressen."
        )
        if request.path.startswith("/api/"):
            from jobcenter.api import problem

            return problem(400, str(title), str(message))
        return render(request, "web/error.html", {"title": title, "message": message}, status=400)
