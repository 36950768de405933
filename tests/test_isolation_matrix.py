"""Every page and API route, visited as every role and as the other municipality.

ROUTES is the registry: a route that exists in the URL configuration but not
here fails `test_every_route_is_in_the_matrix`, so a new page cannot ship
without saying who may open it. Expectations come from ROLE_PERMISSIONS (the
same table as docs/roles.md), not from this file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jobcenter.benefits.actions import do_import_rate_table, do_start_consultation
from jobcenter.letters.models import DeliveryStatus, Letter, LetterDelivery
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Claim, LedgerTransaction, Payment
from jobcenter.tenancy.actions import do_change_user_role, do_deactivate_user, do_issue_api_token
from jobcenter.tenancy.roles import ROLE_PERMISSIONS, Permission, Role
from tests.attachment_samples import PNG
from tests.benefits.rate_table_samples import RATE_TABLE_2026_YAML
from tests.conftest import SINGLE_HOUSEHOLD_2023, SINGLE_HOUSEHOLD_2025
from tests.payments.helpers import grant

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed-in"  # any signed-in user, whatever the role

# A partshøring is sent today (its letter goes now): its deadline lies ahead.
IN_TWO_WEEKS = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()


@dataclass(frozen=True)
class Route:
    name: str
    access: Permission | str
    method: str = "get"
    # Builds the URL from the Odense objects; default: reverse(name).
    url: Callable[[dict[str, Any]], str] | None = None
    # The body, or a function of the Odense objects that builds it.
    body: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] = field(default_factory=dict)
    # An API route that takes a multipart form (files) rather than JSON.
    multipart: bool = False
    api: bool = False
    # The URL names an Odense object: a user of Aarhus must get not-found.
    odense_object: bool = False
    ok_status: int = 200
    # Where a signed-in user is answered differently (the login page sends them on).
    signed_in_status: int | None = None


def _url(name: str, key: str, kwarg: str) -> Callable[[dict[str, Any]], str]:
    return lambda o: reverse(name, kwargs={kwarg: o[key].pk})


def _page(name: str, access: Permission, key: str, kwarg: str, **kwargs: Any) -> Route:
    return Route(name, access, url=_url(name, key, kwarg), odense_object=True, **kwargs)


def _api(name: str, access: Permission, key: str, kwarg: str, **kwargs: Any) -> Route:
    return Route(name, access, url=_url(name, key, kwarg), odense_object=True, api=True, **kwargs)


def _in_days(days: int) -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


CASE_ROUTES = [
    Route("citizens:register", Permission.CITIZENS_EDIT),
    _page("citizens:refresh", Permission.CITIZENS_EDIT, "citizen", "citizen_id", method="post", ok_status=302),
    _page("citizens:show-cpr", Permission.CITIZENS_VIEW, "citizen", "citizen_id", method="post"),
    Route("cases:worklist", Permission.CASES_EDIT),
    Route("cases:team-overview", Permission.CASES_TEAM_OVERVIEW),
    _page("cases:open", Permission.CASES_EDIT, "citizen", "citizen_id"),
    _page("cases:plan", Permission.CASES_VIEW, "citizen", "citizen_id"),
    _page("cases:detail", Permission.CASES_VIEW, "case", "case_id"),
    _page("cases:close", Permission.CASES_EDIT, "case", "case_id"),
    _page(
        "cases:close",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body={"reason": "Flyttet"},
        ok_status=302,
    ),
    _page(
        "cases:reopen", Permission.CASES_EDIT, "case", "case_id", method="post", body={"reason": "Ny"}, ok_status=302
    ),
    Route("cases:assign", Permission.CASES_ASSIGN, method="post", ok_status=302),
    _page("cases:journal-add", Permission.CASES_EDIT, "case", "case_id"),
    _page("cases:journal-draft", Permission.CASES_EDIT, "case", "case_id", method="post", body={"text": "kladde"}),
    _page("cases:journal-correct", Permission.CASES_EDIT, "entry", "entry_id"),
    _page("cases:correction-draft", Permission.CASES_EDIT, "entry", "entry_id", method="post", body={"text": "k"}),
    _page("cases:attachment", Permission.CASES_VIEW, "attachment", "attachment_id"),
    _page("cases:interview-plan", Permission.CASES_EDIT, "case", "case_id"),
    _page("cases:interview-detail", Permission.CASES_VIEW, "interview", "interview_id"),
    _page("cases:interview-summons", Permission.CASES_EDIT, "interview", "interview_id"),
    _page("cases:interview-summons", Permission.CASES_EDIT, "interview", "interview_id", method="post", ok_status=302),
    _page("cases:summons-preview", Permission.CASES_EDIT, "interview", "interview_id"),
    _page("cases:interview-outcome", Permission.CASES_EDIT, "interview", "interview_id"),
    _page(
        "cases:outcome-draft", Permission.CASES_EDIT, "interview", "interview_id", method="post", body={"notes": "k"}
    ),
    _page("cases:offer-add", Permission.CASES_EDIT, "case", "case_id"),
    _page(
        "cases:offer-status",
        Permission.CASES_EDIT,
        "offer",
        "offer_id",
        method="post",
        body={"status": "active"},
        ok_status=302,
    ),
    Route(
        "api:citizens-register",
        Permission.CITIZENS_EDIT,
        method="post",
        body={"cpr": "030390-1235"},
        api=True,
        ok_status=201,
    ),
    _api("api:citizens-refresh", Permission.CITIZENS_EDIT, "citizen", "citizen_id", method="post"),
    Route(
        "api:cases-open",
        Permission.CASES_EDIT,
        method="post",
        body=lambda o: {"citizen_id": str(o["citizen"].pk), "target_group": "lab_dagpenge", "opened_on": _in_days(0)},
        api=True,
        odense_object=True,
        ok_status=201,
    ),
    _api("api:cases-detail", Permission.CASES_VIEW, "case", "case_id"),
    _api(
        "api:cases-journal-add",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body={"title": "Notat", "text": "Tekst"},
        ok_status=201,
    ),
    _api(
        "api:cases-journal-add-files",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body=lambda o: {"title": "Bilag", "text": "CV", "files": [SimpleUploadedFile("cv.png", PNG)]},
        multipart=True,
        ok_status=201,
    ),
    _api("api:cases-journal-draft", Permission.CASES_EDIT, "case", "case_id"),
    _api(
        "api:cases-journal-draft-save",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body={"content": {"text": "kladde"}},
    ),
    _api(
        "api:cases-journal-correct",
        Permission.CASES_EDIT,
        "entry",
        "entry_id",
        method="post",
        body={"title": "Rettelse", "text": "Tekst"},
        ok_status=201,
    ),
    _api(
        "api:cases-interview-plan",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body=lambda o: {"scheduled_at": f"{_in_days(5)}T09:00:00+01:00", "form": "telefon"},
        ok_status=201,
    ),
    _api("api:cases-interview-detail", Permission.CASES_VIEW, "interview", "interview_id"),
    _api(
        "api:cases-interview-summons", Permission.CASES_EDIT, "interview", "interview_id", method="post", ok_status=202
    ),
    _api(
        "api:cases-interview-outcome",
        Permission.CASES_EDIT,
        "interview",
        "interview_id",
        method="post",
        # A cancellation: held and missed are for a summoned interview whose time has come.
        body={"outcome": "cancelled_citizen"},
    ),
    _api(
        "api:cases-offer-add",
        Permission.CASES_EDIT,
        "case",
        "case_id",
        method="post",
        body=lambda o: {
            "kind": "loentilskud",
            "provider": "Firma A/S",
            "starts_on": _in_days(1),
            "ends_on": _in_days(60),
        },
        ok_status=201,
    ),
    _api(
        "api:cases-offer-status", Permission.CASES_EDIT, "offer", "offer_id", method="post", body={"status": "active"}
    ),
    _api("api:cases-plan", Permission.CASES_VIEW, "citizen", "citizen_id"),
    _api(
        "api:cases-plan-save",
        Permission.CASES_EDIT,
        "citizen",
        "citizen_id",
        method="post",
        body={"goals": "Job som SOSU-hjælper"},
        ok_status=201,
    ),
    Route("api:cases-worklist", Permission.CASES_EDIT, api=True),
    Route("api:cases-team-overview", Permission.CASES_TEAM_OVERVIEW, api=True),
]

ROUTES = [
    Route("web:home", PUBLIC, ok_status=302),
    Route("web:login", PUBLIC, signed_in_status=302),
    Route("web:logout", SIGNED_IN, method="post", ok_status=302),
    Route("web:start", SIGNED_IN),
    Route("web:operations", Permission.OPERATIONS_VIEW),
    Route(
        "web:operations-retry",
        Permission.OPERATIONS_RETRY,
        method="post",
        url=lambda o: reverse("web:operations-retry", args=[o["dead_letter"].pk]),
        odense_object=True,
        ok_status=302,
    ),
    Route(
        "web:operations-rerun-task",
        Permission.OPERATIONS_RETRY,
        method="post",
        url=lambda o: reverse("web:operations-rerun-task", args=[o["failed_task"].pk]),
        odense_object=True,
        ok_status=302,
    ),
    Route("api:operations-outbox", Permission.OPERATIONS_VIEW, api=True),
    Route("api:operations-metrics", Permission.OPERATIONS_VIEW, api=True),
    Route("web:oidc-authenticate", PUBLIC, ok_status=404),  # OIDC is off: not-found for everyone
    Route("web:oidc-callback", PUBLIC, ok_status=404),
    Route("web:healthz", PUBLIC),
    Route("web:readyz", PUBLIC),
    Route("set_language", PUBLIC, method="post", body={"language": "en", "next": "/"}, ok_status=302),
    Route("citizens:search", Permission.CITIZENS_VIEW),
    Route(
        "citizens:detail",
        Permission.CITIZENS_VIEW,
        url=lambda o: reverse("citizens:detail", args=[o["citizen"].pk]),
        odense_object=True,
    ),
    Route("audit:search", Permission.AUDIT_VIEW),
    Route("tenancy:users", Permission.USERS_VIEW),
    Route("tenancy:municipalities", Permission.MUNICIPALITIES_VIEW),
    # The administrator's pages (issue 14): Odense staff, a token, a request for the administrator role.
    Route("tenancy:user-create", Permission.USERS_MANAGE),
    _page("tenancy:user", Permission.USERS_MANAGE, "staff", "user_id"),
    _page(
        "tenancy:user-role",
        Permission.USERS_MANAGE,
        "staff",
        "user_id",
        method="post",
        body={"role": "team_lead"},
        ok_status=302,
    ),
    _page("tenancy:user-deactivate", Permission.USERS_MANAGE, "staff", "user_id", method="post", ok_status=302),
    _page(
        "tenancy:user-reactivate", Permission.USERS_MANAGE, "inactive_staff", "user_id", method="post", ok_status=302
    ),
    _page(
        "tenancy:token-issue", Permission.USERS_MANAGE, "staff", "user_id", method="post", body={"name": "Lønsystem"}
    ),
    _page("tenancy:token-revoke", Permission.USERS_MANAGE, "api_token", "token_id", method="post", ok_status=302),
    _page(
        "tenancy:request-approve", Permission.USERS_MANAGE, "admin_request", "request_id", method="post", ok_status=302
    ),
    _page(
        "tenancy:request-reject", Permission.USERS_MANAGE, "admin_request", "request_id", method="post", ok_status=302
    ),
    Route("api:openapi-json", PUBLIC, api=True),
    Route("api:openapi-view", PUBLIC, api=True),
    Route("api:api-root", PUBLIC, api=True, ok_status=404),  # nothing lives at the bare prefix
    Route("api:me", SIGNED_IN, api=True),
    Route("api:municipalities", Permission.MUNICIPALITIES_VIEW, api=True),
    Route("api:citizens-search", Permission.CITIZENS_VIEW, method="post", body={"query": "Odensen"}, api=True),
    Route(
        "api:citizens-detail",
        Permission.CITIZENS_VIEW,
        url=lambda o: reverse("api:citizens-detail", kwargs={"citizen_id": o["citizen"].pk}),
        api=True,
        odense_object=True,
    ),
    Route("api:audit-entries", Permission.AUDIT_VIEW, api=True),
    Route(
        "api:benefits-calculate",
        Permission.BENEFITS_CALCULATE,
        method="post",
        body={"month": "2023-03", "households": [SINGLE_HOUSEHOLD_2023]},
        api=True,
    ),
    Route("benefits:calculate", Permission.BENEFITS_CALCULATE),
    Route("benefits:rate-tables", Permission.RATES_MANAGE),
    Route(
        "benefits:rate-table",
        Permission.RATES_MANAGE,
        url=lambda o: reverse("benefits:rate-table", args=[o["rate_table"].pk]),
    ),
    Route(
        "benefits:rate-table-approve",
        Permission.RATES_MANAGE,
        method="post",
        url=lambda o: reverse("benefits:rate-table-approve", args=[o["rate_table"].pk]),
        ok_status=302,
    ),
    Route(
        "benefits:rate-table-reject",
        Permission.RATES_MANAGE,
        method="post",
        url=lambda o: reverse("benefits:rate-table-reject", args=[o["rate_table"].pk]),
        body={"note": "Forkert år"},
        ok_status=302,
    ),
    Route("letters:paper-queue", Permission.LETTERS_POST),
    Route(
        "letters:citizen",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("letters:citizen", args=[o["citizen"].pk]),
        odense_object=True,
    ),
    Route(
        "letters:detail",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("letters:detail", args=[o["letter"].pk]),
        odense_object=True,
    ),
    Route(
        "letters:pdf",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("letters:pdf", args=[o["letter"].pk]),
        odense_object=True,
    ),
    Route(
        "letters:mark-printed",
        Permission.LETTERS_POST,
        method="post",
        url=lambda o: reverse("letters:mark-printed", args=[o["letter"].pk]),
        odense_object=True,
        ok_status=302,
    ),
    Route("api:letters-paper-queue", Permission.LETTERS_POST, api=True),
    Route(
        "api:letters-citizen",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("api:letters-citizen", kwargs={"citizen_id": o["citizen"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:letters-detail",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("api:letters-detail", kwargs={"letter_id": o["letter"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:letters-pdf",
        Permission.LETTERS_VIEW,
        url=lambda o: reverse("api:letters-pdf", kwargs={"letter_id": o["letter"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:letters-mark-printed",
        Permission.LETTERS_POST,
        method="post",
        url=lambda o: reverse("api:letters-mark-printed", kwargs={"letter_id": o["letter"].pk}),
        api=True,
        odense_object=True,
    ),
    Route("api:benefits-rate-tables", Permission.RATES_MANAGE, api=True),
    Route(
        "api:benefits-rate-tables-import",
        Permission.RATES_MANAGE,
        method="post",
        body={"file_name": "satser-2026.yaml", "content": RATE_TABLE_2026_YAML},
        api=True,
        ok_status=201,
    ),
    Route(
        "api:benefits-rate-table",
        Permission.RATES_MANAGE,
        url=lambda o: reverse("api:benefits-rate-table", kwargs={"import_id": o["rate_table"].pk}),
        api=True,
    ),
    Route(
        "api:benefits-rate-table-approve",
        Permission.RATES_MANAGE,
        method="post",
        url=lambda o: reverse("api:benefits-rate-table-approve", kwargs={"import_id": o["rate_table"].pk}),
        api=True,
    ),
    Route(
        "api:benefits-rate-table-reject",
        Permission.RATES_MANAGE,
        method="post",
        url=lambda o: reverse("api:benefits-rate-table-reject", kwargs={"import_id": o["rate_table"].pk}),
        body={"note": "Forkert år"},
        api=True,
    ),
    *CASE_ROUTES,
    # Grants and payment runs (issue 5)
    Route("benefits:grants", Permission.GRANTS_VIEW),
    Route(
        "benefits:grant",
        Permission.GRANTS_VIEW,
        url=lambda o: reverse("benefits:grant", args=[o["grant"].pk]),
        odense_object=True,
    ),
    Route(
        "benefits:decide",
        Permission.GRANTS_DECIDE,
        url=lambda o: reverse("benefits:decide", args=[o["citizen"].pk]),
        odense_object=True,
    ),
    Route(
        "benefits:consultation-start",
        Permission.GRANTS_DECIDE,
        method="post",
        url=lambda o: reverse("benefits:consultation-start", args=[o["grant"].pk]),
        body={
            "intended_kind": "standsning",
            "subject": "Påtænkt standsning",
            "deadline": IN_TWO_WEEKS,
        },
        odense_object=True,
        ok_status=302,
    ),
    Route(
        "benefits:consultation-reply",
        Permission.GRANTS_DECIDE,
        method="post",
        url=lambda o: reverse("benefits:consultation-reply", args=[o["grant"].pk, o["consultation"].pk]),
        body={"received_on": "2025-11-05", "summary": "Borgeren er enig."},
        odense_object=True,
        ok_status=302,
    ),
    # The benefits officer's inbox (proposals from the jobcentre's events)
    Route("benefits:inbox", Permission.GRANTS_VIEW),
    _page("benefits:proposal", Permission.GRANTS_VIEW, "proposal", "proposal_id"),
    _page("benefits:proposal-letter", Permission.GRANTS_VIEW, "proposal", "proposal_id"),
    _page(
        "benefits:proposal-accept",
        Permission.GRANTS_DECIDE,
        "proposal",
        "proposal_id",
        method="post",
        body={
            "justification": "Borgeren er begyndt i arbejde.",
            "consultation_exemption": "Borgeren oplyste selv jobbet ved samtalen.",
        },
        ok_status=302,
    ),
    _page(
        "benefits:proposal-reject",
        Permission.GRANTS_DECIDE,
        "proposal",
        "proposal_id",
        method="post",
        body={"reason": "Jobbet er under 10 timer om ugen."},
        ok_status=302,
    ),
    _page(
        "benefits:proposal-consultation",
        Permission.GRANTS_DECIDE,
        "proposal",
        "proposal_id",
        method="post",
        body=lambda o: {"deadline": _in_days(14)},
        ok_status=302,
    ),
    Route("payments:runs", Permission.PAYMENTS_VIEW),
    Route("payments:run-start", Permission.PAYMENTS_RUN, method="post", body={"month": "2025-12"}, ok_status=302),
    Route(
        "payments:run",
        Permission.PAYMENTS_VIEW,
        url=lambda o: reverse("payments:run", args=[o["trial_run"].pk]),
        odense_object=True,
    ),
    Route(
        "payments:run-progress",
        Permission.PAYMENTS_VIEW,
        url=lambda o: reverse("payments:run-progress", args=[o["trial_run"].pk]),
        odense_object=True,
    ),
    Route(
        "payments:run-approve",
        Permission.PAYMENTS_APPROVE,
        method="post",
        url=lambda o: reverse("payments:run-approve", args=[o["trial_run"].pk]),
        odense_object=True,
        ok_status=302,
    ),
    Route(
        "payments:run-release",
        Permission.PAYMENTS_RUN,
        url=lambda o: reverse("payments:run-release", args=[o["approved_run"].pk]),
        odense_object=True,
    ),
    Route(
        "payments:run-release",
        Permission.PAYMENTS_RUN,
        method="post",
        url=lambda o: reverse("payments:run-release", args=[o["approved_run"].pk]),
        odense_object=True,
        ok_status=302,
    ),
    Route(
        "payments:statement",
        Permission.PAYMENTS_VIEW,
        url=lambda o: reverse("payments:statement", args=[o["citizen"].pk]),
        odense_object=True,
    ),
    Route(
        "api:payments-grant",
        Permission.GRANTS_VIEW,
        url=lambda o: reverse("api:payments-grant", kwargs={"grant_id": o["grant"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:payments-decisions",
        Permission.GRANTS_DECIDE,
        method="post",
        body=lambda o: {
            "citizen_id": str(o["citizen"].pk),
            "kind": "aendring",
            "effective_from": "2025-11-01",
            "facts": SINGLE_HOUSEHOLD_2025,
            "justification": "Ny adresse",
        },
        api=True,
        odense_object=True,
        ok_status=201,
    ),
    Route(
        "api:payments-runs", Permission.PAYMENTS_RUN, method="post", body={"month": "2025-12"}, api=True, ok_status=201
    ),
    Route(
        "api:payments-run",
        Permission.PAYMENTS_VIEW,
        url=lambda o: reverse("api:payments-run", kwargs={"run_id": o["trial_run"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:payments-run-approve",
        Permission.PAYMENTS_APPROVE,
        method="post",
        url=lambda o: reverse("api:payments-run-approve", kwargs={"run_id": o["trial_run"].pk}),
        api=True,
        odense_object=True,
    ),
    Route(
        "api:payments-run-release",
        Permission.PAYMENTS_RUN,
        method="post",
        url=lambda o: reverse("api:payments-run-release", kwargs={"run_id": o["approved_run"].pk}),
        api=True,
        odense_object=True,
        ok_status=202,
    ),
    Route(
        "api:payments-statement",
        Permission.PAYMENTS_VIEW,
        url=lambda o: reverse("api:payments-statement", kwargs={"citizen_id": o["citizen"].pk}),
        api=True,
        odense_object=True,
    ),
    # Claims (tilbagebetalingskrav)
    Route("payments:claims", Permission.PAYMENTS_VIEW),
    _page("payments:claim", Permission.PAYMENTS_VIEW, "claim", "claim_id"),
    _page(
        "payments:claim-consultation",
        Permission.GRANTS_DECIDE,
        "unconsulted_claim",
        "claim_id",
        method="post",
        body={"subject": "Påtænkt krav", "deadline": IN_TWO_WEEKS},
        ok_status=302,
    ),
    _page(
        "payments:claim-reply",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"received_on": "2025-11-05", "summary": "Borgeren er uenig."},
        ok_status=302,
    ),
    _page(
        "payments:claim-decide",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"justification": "For meget udbetalt", "legal_basis": "Til gennemgang", "offset_per_month": "500,00"},
        ok_status=302,
    ),
    _page(
        "payments:claim-waive",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"reason": "God tro"},
        ok_status=302,
    ),
    Route("api:payments-claims", Permission.PAYMENTS_VIEW, api=True),
    _api("api:payments-claim", Permission.PAYMENTS_VIEW, "claim", "claim_id"),
    _api(
        "api:payments-claim-consultation",
        Permission.GRANTS_DECIDE,
        "unconsulted_claim",
        "claim_id",
        method="post",
        body={"subject": "Påtænkt krav", "deadline": IN_TWO_WEEKS},
    ),
    _api(
        "api:payments-claim-reply",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"received_on": "2025-11-05", "summary": "Borgeren er uenig."},
    ),
    _api(
        "api:payments-claim-decide",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"justification": "For meget udbetalt", "legal_basis": "Til gennemgang", "offset_per_month_ore": 50_000},
    ),
    _api(
        "api:payments-claim-waive",
        Permission.GRANTS_DECIDE,
        "claim",
        "claim_id",
        method="post",
        body={"reason": "God tro"},
    ),
]


def all_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_is_in_the_matrix():
    assert all_route_names() == {route.name for route in ROUTES}


def request(client: Client, route: Route, objects: dict[str, Any]) -> Any:
    url = route.url(objects) if route.url else reverse(route.name)
    body = route.body(objects) if callable(route.body) else route.body
    if route.method == "post":
        if route.api and not route.multipart:
            return client.post(url, body, content_type="application/json")
        return client.post(url, body)
    return client.get(url)


def expected_status(route: Route, role: Role | None) -> int:
    if route.access == PUBLIC:
        if role is not None and route.signed_in_status is not None:
            return route.signed_in_status
        return route.ok_status
    if role is None:
        return 401 if route.api else 302  # pages send you to the login page
    if route.access == SIGNED_IN or route.access in ROLE_PERMISSIONS[role]:
        return route.ok_status
    return 403


def _stop_proposal(case: Any) -> Any:
    from django.utils import timezone

    from jobcenter.benefits.handlers import propose_stop
    from jobcenter.cases.actions import do_record_interview_outcome
    from jobcenter.events.models import OutboxEvent
    from tests.cases.interviews import summoned_interview

    interview = summoned_interview(case)
    do_record_interview_outcome(
        acting_user=None,
        interview=interview,
        outcome="held",
        held_form="fremmoede",
        employment_start=timezone.localdate() + datetime.timedelta(days=5),
        employer="Bageriet ApS",
    )
    propose_stop(OutboxEvent.objects.get(event_type="employment_started"))
    return case.citizen.grant.proposals.get()


@pytest.fixture
def odense_objects(
    odense_citizen, odense_case, odense_interview, odense_journal_entry, odense_offer, make_user, odense, monkeypatch
) -> dict[str, Any]:
    from jobcenter.cases.actions import UploadedFile, do_write_journal_entry

    # The matrix asks who may reach what, in some 1,500 cells; every decision, partshøring and summons
    # below issues its letter, and rendering those PDFs was most of each cell's time. The letters are
    # issued as always, with a stand-in PDF; tests/letters renders and reads the real ones.
    monkeypatch.setattr("jobcenter.letters.actions.render_letter_pdf", lambda template_name, context: MATRIX_PDF)

    with_attachment = do_write_journal_entry(
        acting_user=None, case=odense_case, title="Bilag", text="CV", files=[UploadedFile("cv.png", PNG)]
    )
    # Rate tables are national, not Odense's: imported by another administrator, waiting for a second person.
    importer = make_user(Role.ADMINISTRATOR, odense, username="satser-importoer")
    rate_table = do_import_rate_table(importer, file_name="satser-2026.yaml", content=RATE_TABLE_2026_YAML.encode())
    # Odense staff for the administrator's pages; the importer asked for a second administrator.
    staff = make_user(Role.CASEWORKER, odense, username="personale-sagsbehandler")
    api_token, _raw = do_issue_api_token(acting_user=None, user=staff, name="Lønsystem")
    inactive_staff = do_deactivate_user(importer, make_user(Role.AUDITOR, odense, username="personale-deaktiveret"))
    admin_request = do_change_user_role(
        importer, make_user(Role.TEAM_LEAD, odense, username="kommende-admin"), Role.ADMINISTRATOR
    )
    # A letter waiting for paper post (made directly: rendering a PDF for every matrix cell would be slow).
    letter = Letter.objects.create(
        municipality=odense,
        citizen=odense_citizen,
        kind="other",
        title="Brev til Karen",
        summary_text="Et brev.",
        pdf=b"%PDF-1.7 test",
        sha256="0" * 64,
    )
    LetterDelivery.objects.create(letter=letter, status=DeliveryStatus.NEEDS_PAPER, detail="Ikke tilmeldt")
    # A grant with a consultation; a trial run for October waiting for approval, and an approved one for November,
    # both started (and the second approved) by other persons than the visitors.
    officer = make_user(Role.BENEFITS_OFFICER, odense, username="bevillinger-ydelse")
    lead = make_user(Role.TEAM_LEAD, odense, username="bevillinger-teamleder")
    decision = grant(officer, odense_citizen)
    consultation = do_start_consultation(
        officer,
        decision.grant_id,
        intended_kind="standsning",
        subject="Påtænkt standsning",
        sent_on=datetime.date(2025, 11, 1),
        deadline=datetime.date(2025, 11, 15),
    )
    # A stop proposal in the inbox, from a job start the caseworker recorded at another interview.
    proposal = _stop_proposal(odense_case)
    trial_run = do_start_trial_run(officer, datetime.date(2025, 10, 1))
    approved_run = do_start_trial_run(officer, datetime.date(2025, 11, 1))
    do_approve_run(lead, approved_run.pk)
    # An outbox event of Odense that could not be handled: on the dead-letter list.
    from jobcenter.events.dispatcher import route_events
    from jobcenter.events.models import EventDelivery, OutboxEvent

    OutboxEvent.objects.create(
        municipality=odense, event_type="no_such_event", payload={}, occurred_at=datetime.datetime.now(datetime.UTC)
    )
    route_events()
    dead_letter = EventDelivery.objects.get(event__event_type="no_such_event")
    # A delivery of Odense's letter that failed on the worker: on the operations page's task list.
    from jobcenter.events.background import policy_for, record_failure

    failed_task = record_failure(
        policy_for("jobcenter.letters.tasks.deliver_letter"), [str(letter.pk)], {}, "RuntimeError: afbrudt"
    )
    # Two claims awaiting their decision (made directly, like the letter: a real one takes four released runs;
    # tests/payments/test_claims.py makes them the real way): one consulted with the deadline passed, one not.
    claim, unconsulted_claim = (
        _claim(approved_run, decision.grant, month, consulted=consulted)
        for month, consulted in ((datetime.date(2025, 8, 1), True), (datetime.date(2025, 9, 1), False))
    )
    return {
        "citizen": odense_citizen,
        "case": odense_case,
        "interview": odense_interview,
        "entry": odense_journal_entry,
        "offer": odense_offer,
        "attachment": with_attachment.attachments.get(),
        "rate_table": rate_table,
        "letter": letter,
        "grant": decision.grant,
        "consultation": consultation,
        "proposal": proposal,
        "trial_run": trial_run,
        "approved_run": approved_run,
        "dead_letter": dead_letter,
        "failed_task": failed_task,
        "claim": claim,
        "unconsulted_claim": unconsulted_claim,
        "staff": staff,
        "inactive_staff": inactive_staff,
        "api_token": api_token,
        "admin_request": admin_request,
    }


MATRIX_PDF = b"%PDF-1.7 letter issued in the isolation matrix"


def _claim(run: Any, grant_: Any, month: datetime.date, *, consulted: bool) -> Claim:
    transaction = LedgerTransaction.objects.create(
        municipality=run.municipality, run=run, description="Kontanthjælp", booked_on=month
    )
    payment = Payment.objects.create(
        run=run,
        grant=grant_,
        month=month,
        regular_ore=0,
        correction_ore=-100_000,
        amount_ore=0,
        claim_ore=100_000,
        transaction=transaction,
    )
    from jobcenter.benefits.models import Consultation

    consultation = (
        Consultation.objects.create(
            grant=grant_,
            intended_kind="tilbagebetaling",
            subject="Påtænkt krav",
            sent_on=datetime.date(2025, 10, 1),
            deadline=datetime.date(2025, 10, 15),
        )
        if consulted
        else None
    )
    return Claim.objects.create(
        municipality=run.municipality,
        citizen=grant_.citizen,
        grant=grant_,
        run=run,
        origin_payment=payment,
        amount_ore=100_000,
        consultation=consultation,
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_visitor_who_is_not_signed_in(route, odense_objects):
    response = request(Client(), route, odense_objects)
    assert response.status_code == expected_status(route, None)
    if response.status_code == 302 and route.access not in (PUBLIC,):
        assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_role_in_odense_gets_exactly_what_the_roles_table_grants(
    route, role, make_user, client_for, odense, aarhus, odense_objects
):
    municipalities = [odense, aarhus] if role.spans_municipalities else [odense]
    user = make_user(role, *municipalities)
    response = request(client_for(user), route, odense_objects)
    assert response.status_code == expected_status(route, role), response.content[:300]
    if route.api and response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.odense_object], ids=lambda r: r.name)
@pytest.mark.parametrize("role", [r for r in Role if not r.spans_municipalities], ids=lambda r: r.value)
def test_a_user_of_aarhus_gets_not_found_for_every_odense_object(
    route, role, make_user, client_for, aarhus, odense_objects
):
    user = make_user(role, aarhus)
    response = request(client_for(user), route, odense_objects)
    if isinstance(route.access, Permission) and route.access not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
        # The answer is the same as for an id that never existed.
        assert route.name not in response.content.decode()
        assert "Odensen" not in response.content.decode()
