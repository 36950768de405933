"""The HTTP API under /api/v1: one NinjaAPI, routers from each app's api.py.

Two ways in: a signed-in browser session (with CSRF), or a bearer token for a
system integration (jobcenter issue_api_token). Every error is answered as
application/problem+json (RFC 9457) with a Danish message.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from jobcenter.bounds import request_too_big_message, too_many_files_message
from jobcenter.tenancy.models import User
from jobcenter.tenancy.queries import ApiTokenRefused, user_for_api_token

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = user_for_api_token(token, request)
        except ApiTokenRefused as refused:
            raise HttpError(401, refused.detail) from None
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with CSRF checked on unsafe methods (csrf=True)."""

    param_name = "jobcenter_session"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user  # type: ignore[return-value]
        return None


class NulCharacterRefused(ValueError):
    """A NUL character in the request's text: PostgreSQL cannot store it, and no person typed it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _nul_field(value: Any, path: tuple[Any, ...] = ()) -> str | None:
    """The dotted path of the first string (or key) holding a NUL character, or None."""
    if isinstance(value, str):
        return ".".join(str(part) for part in path) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_field(key, (*path, key)) or _nul_field(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_field(item, (*path, index))
            if found is not None:
                return found
    return None


class TextParser(Parser):
    """JSON bodies, query strings and forms, refusing a NUL character in any text (one place for the whole API)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        field = _nul_field(data)
        if field is not None:
            raise NulCharacterRefused(field)  # ninja wraps it in HttpError(400); on_http_error answers it
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        field = _nul_field({key: value for key, value in parsed.items() if isinstance(value, str | list | dict)})
        if field is not None:
            raise ValidationError([{"loc": (field,), "msg": NUL_MESSAGE}])
        return parsed


NUL_MESSAGE = "Teksten indeholder et NUL-tegn (\\u0000), som ikke kan gemmes. Fjern tegnet og send igen."


# What the schema promises a client: every error is a problem+json (RFC 9457) body.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "En fejl som application/problem+json (RFC 9457) med dansk titel og forklaring.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Findes ikke"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Ved 422: hvert felt, der ikke er udfyldt korrekt.",
            "items": {
                "type": "object",
                "properties": {"felt": {"type": "string"}, "fejl": {"type": "string"}},
                "required": ["felt", "fejl"],
            },
        },
    },
    "required": ["type", "title", "status"],
}
# Routes that answer something other than JSON, by path: the Prometheus scrape.
TEXT_RESPONSES = {"/api/v1/operations/metrics": "text/plain; version=0.0.4; charset=utf-8"}
_UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _problem_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The errors an operation can answer, from its shape (not listed route by route)."""
    statuses = [400]  # a CPR number in the address, an unreadable body
    if operation.get("security"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if method in _UNSAFE_METHODS:
        statuses.append(409)
    if "requestBody" in operation:
        statuses.append(413)
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    return statuses


def declare_problem_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem+json error responses to every operation, and the text routes' real content type."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # Ninja keys the responses by int until the document is serialised.
            responses = {str(status): answer for status, answer in operation.get("responses", {}).items()}
            for status in _problem_statuses(path, method, operation):
                responses.setdefault(
                    str(status),
                    {"description": title_for_status(status), "content": {PROBLEM_JSON: {"schema": reference}}},
                )
            if path in TEXT_RESPONSES and "200" in responses:
                responses["200"]["content"] = {TEXT_RESPONSES[path]: {"schema": {"type": "string"}}}
            operation["responses"] = responses
    return schema


class JobcenterApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        return declare_problem_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = JobcenterApi(
    title="Jobcenter API",
    version="1",
    description="Jobcenterets og ydelseskontorets API. Fejl svares som application/problem+json.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=TextParser(),
)


# Where pydantic says an error is: ("body", "payload", "query"). The user needs the field.
_LOCATION_PARTS = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location if part not in _LOCATION_PARTS)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"felt": _field_name(error.get("loc", [])), "fejl": error.get("msg", "")} for error in exc.errors]
    return problem(422, "Ugyldige data", "Et eller flere felter er ikke udfyldt korrekt.", errors=errors)


@api.exception_handler(DjangoValidationError)
def on_domain_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"felt": field, "fejl": " ".join(str(m) for m in messages)} for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"felt": "", "fejl": str(message)} for message in exc.messages]
    return problem(422, "Ugyldige data", " ".join(e["fejl"] for e in errors), errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, "Ikke logget ind", "Log ind, eller send en gyldig API-nøgle som Bearer-token.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, "Ingen adgang", "Din rolle giver ikke adgang til denne handling.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "Findes ikke", "Oplysningen findes ikke, eller du har ikke adgang til den.")


STATUS_TITLES = {
    400: "Forkert forespørgsel",
    401: "Ikke logget ind",
    403: "Ingen adgang",
    404: "Findes ikke",
    405: "Metoden er ikke tilladt",
    409: "Konflikt",
    413: "Forespørgslen er for stor",
    422: "Ugyldige data",
    429: "For mange forespørgsler",
}


def title_for_status(status: int) -> str:
    return STATUS_TITLES.get(status, "Der skete en fejl" if status >= 500 else "Fejl")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, NulCharacterRefused):
        return problem(422, "Ugyldige data", NUL_MESSAGE, errors=[{"felt": cause.field, "fejl": NUL_MESSAGE}])
    if isinstance(cause, ValueError) and exc.status_code == 400:  # the body is not JSON
        return problem(400, title_for_status(400), "Forespørgslens indhold er ikke gyldig JSON.")
    return problem(exc.status_code, title_for_status(exc.status_code), str(exc.message))


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(413, title_for_status(413), request_too_big_message())


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return problem(413, title_for_status(413), too_many_files_message())


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in API")
    return problem(500, "Der skete en fejl", "Systemet kunne ikke gennemføre handlingen. Intet gemt er gået tabt.")


api.add_router("/", "jobcenter.tenancy.api.router")
api.add_router("/citizens", "jobcenter.citizens.api.router")
api.add_router("/audit", "jobcenter.audit.api.router")
api.add_router("/benefits", "jobcenter.benefits.api.router")
api.add_router("/cases", "jobcenter.cases.api.router")
api.add_router("/letters", "jobcenter.letters.api.router")
api.add_router("/payments", "jobcenter.payments.api.router")
api.add_router("/operations", "jobcenter.events.api.router")
