"""National services behind small interfaces: one package per service.

Each service has ``interface.py`` (the types and the protocol callers code
against), ``fake.py`` (the implementation the demo and the tests use) and
``client.py`` (the HTTP client for the real service). A Django setting names
the implementation; ``docs/integrations.md`` lists the settings.

This module holds the two helpers every service shares: picking the
implementation from a setting, and one JSON POST over HTTP with its failures
sorted into "the service answered no" and "the service could not be reached".
"""

from __future__ import annotations

import importlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


class IntegrationError(Exception):
    """Base of every error an integration raises on purpose.

    ``message`` is Danish, fit to show a caseworker, and never holds a CPR
    number (it could end up on a page or in a log line). Each subclass sets
    ``default_message``; a raise may give a more precise one.
    """

    default_message = "Den nationale tjeneste kunne ikke bruges lige nu."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


def is_fake(dotted_path: str) -> bool:
    """A fake (``integrations/<x>/fake.py``, or the local fake servers) stands in for a national service."""
    return ".fake." in dotted_path or dotted_path.split(".")[-2:-1] == ["fake_server"]


def fake_refused_message(setting_name: str) -> str:
    return (
        f"{setting_name} names a fake national service, and JOBCENTER_ALLOW_FAKE_SERVICES is off "
        "(as it is in production). Name the real client, or set JOBCENTER_ALLOW_FAKE_SERVICES=true "
        "for a training or staging installation."
    )


def load_implementation(setting_name: str, default: str) -> Any:
    """Build the implementation named by a Django setting (a dotted path).

    The path names a class or a factory function that takes no arguments,
    e.g. ``"jobcenter.integrations.cpr.fake.FakeCprClient"``. Django is
    imported here, not at module level, so the interfaces and fakes stay
    importable (and testable) without a configured Django.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    dotted_path = getattr(settings, setting_name, default) or default
    module_path, _, attribute = dotted_path.rpartition(".")
    if not module_path:
        raise ValueError(f"{setting_name} must be a dotted path such as 'package.module.Class', got {dotted_path!r}")
    if is_fake(dotted_path) and not getattr(settings, "JOBCENTER_ALLOW_FAKE_SERVICES", True):
        raise ImproperlyConfigured(fake_refused_message(setting_name))
    factory = getattr(importlib.import_module(module_path), attribute)
    return factory()


def http_base_url_and_timeout(prefix: str, default_timeout_seconds: float) -> tuple[str, float]:
    """The settings ``<prefix>_BASE_URL`` (required) and ``<prefix>_TIMEOUT_SECONDS`` for an HTTP client."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    base_url = getattr(settings, f"{prefix}_BASE_URL", "")
    if not base_url:
        raise ImproperlyConfigured(f"{prefix}_BASE_URL must be set to use this HTTP client.")
    return base_url, float(getattr(settings, f"{prefix}_TIMEOUT_SECONDS", default_timeout_seconds))


@dataclass(frozen=True)
class HttpAnswer:
    """What came back from one request: the status and the decoded JSON body (or None)."""

    status: int
    body: Any


class ServiceUnreachable(Exception):
    """The request did not get an answer: refused, timed out, or the reply was not JSON.

    Internal to the HTTP clients, which turn it into their service's own
    "unavailable" error with a Danish message. Its text never holds the request body.
    """


def post_json(
    url: str, payload: dict[str, Any], *, timeout: float, headers: dict[str, str] | None = None
) -> HttpAnswer:
    """POST a JSON body and return the status and JSON answer, for 2xx and 4xx/5xx alike.

    Personal data (a CPR number) goes in the body, never in the URL, so it
    stays out of proxy and server access logs.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError("Only http(s) URLs may be used for national services.")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise ServiceUnreachable(type(error).__name__) from None
    if not raw:
        return HttpAnswer(status=status, body=None)
    try:
        return HttpAnswer(status=status, body=json.loads(raw))
    except ValueError:
        if status >= 500:
            return HttpAnswer(status=status, body=None)
        raise ServiceUnreachable("the answer was not JSON") from None
