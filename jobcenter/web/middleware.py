from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class DanishFirstLocaleMiddleware:
    """Danish unless the user has chosen otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show an English browser English pages; staff in a Danish municipality
    expect Danish, so only the user's own choice (the language cookie) counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiErrorsAsProblemJsonMiddleware:
    """Every error under /api/ is answered as problem+json, including the few
    that the API framework answers itself (a method the route does not take)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and response.get("Content-Type") != "application/problem+json"
        ):
            from jobcenter.api import problem, title_for_status

            answer = problem(response.status_code, title_for_status(response.status_code))
            if response.has_header("Allow"):  # a 405 names the methods the route takes (RFC 9110)
                answer["Allow"] = response["Allow"]
            return answer
        return response
