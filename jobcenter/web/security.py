"""Security headers and method checks on every response (docs/architecture.md, "Security headers").

Django 5.2 has no Content-Security-Policy of its own; this is the small
middleware that sets it, beside `Cache-Control: no-store` for anything that
shows personal data and a 405 for methods the system does not speak.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

# No inline script, no inline style, nothing from another origin. Templates keep
# their script and style in static files (jobcenter/web/static/web/).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# A PDF shown in the browser (a letter) opens in the browser's own viewer, which an
# `object-src 'none'` would block; it still runs no script and is framed by no one.
PDF_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def policy_for(response: HttpResponse) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return PDF_CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY


# The methods HTTP clients of this system use; TRACE, CONNECT and any other are refused.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# What a page (not the API) takes: pages are read with GET and changed with a form's POST.
PAGE_METHODS = ["GET", "HEAD", "POST"]

# Paths that show no personal data to anyone and may be cached: static files and the probes.
_CACHEABLE_PREFIXES = ("/static/",)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy on every response; `Cache-Control: no-store`
    on every response to a signed-in user or an API client (pages, API answers,
    attachment and letter downloads), so no personal data stays in a browser's
    or a proxy's cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in KNOWN_METHODS and not request.path.startswith("/api/"):
            # The API's router answers an unknown method itself, with the route's own Allow.
            response: HttpResponse = HttpResponseNotAllowed(PAGE_METHODS)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(response))
        if self._shows_personal_data(request):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response

    @staticmethod
    def _shows_personal_data(request: HttpRequest) -> bool:
        if request.path.startswith(_CACHEABLE_PREFIXES):
            return False
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return signed_in or request.path.startswith("/api/") or "HTTP_AUTHORIZATION" in request.META
