from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission
from jobcenter.web.forms import LoginForm
from jobcenter.web.health import readiness
from jobcenter.web.navigation import menu_for


def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:start" if request.user.is_authenticated else "web:login")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


START_ROWS = 5  # the caseworker's earliest deadlines shown on the start page


def start_panels(user: User) -> dict[str, Any]:
    """What each role's start page shows of its own work, each part read through the app's own queries.

    Chosen by permission, like the menu: a team lead sees the team's and their
    own work, a benefits officer the inbox and the runs, operations the alarms.
    """
    from django.utils import timezone

    today = timezone.localdate()
    panels: dict[str, Any] = {}
    if user.has_permission(Permission.CASES_EDIT):
        from jobcenter.cases.queries import worklist

        mine = worklist(user, today=today)
        panels["my_deadlines"] = {"counts": mine.counts, "total": mine.total, "rows": mine.rows[:START_ROWS]}
    if user.has_permission(Permission.CASES_TEAM_OVERVIEW):
        from jobcenter.cases.queries import caseload

        load = caseload(user, today=today)
        panels["team"] = {
            "open": sum(row.open for row in load),
            "overdue": sum(row.overdue for row in load),
            "unassigned": next((row.open for row in load if row.caseworker is None), 0),
        }
    if user.has_permission(Permission.GRANTS_DECIDE):
        from jobcenter.benefits.queries import open_proposal_counts

        panels["inbox"] = {"open": sum(open_proposal_counts(user).values())}
    if user.has_permission(Permission.PAYMENTS_APPROVE):
        from jobcenter.payments.models import RunStatus
        from jobcenter.payments.queries import runs_of_municipality

        trials = [run for run in runs_of_municipality(user) if run.status == RunStatus.TRIAL]
        panels["runs"] = {
            "to_approve": [run for run in trials if run.started_by_id != user.pk],
            "own": [run for run in trials if run.started_by_id == user.pk],
        }
    if user.has_permission(Permission.CASES_TEAM_OVERVIEW) or user.has_permission(Permission.OPERATIONS_VIEW):
        # The operations page's own numbers (no personal data), scoped to the user's municipalities.
        from jobcenter.events.queries import outbox_metrics

        metrics = outbox_metrics(user)
        panels["alarms"] = {
            "dead_letters": metrics.dead_letters,
            "failures": metrics.failures_per_integration,
            "window_hours": metrics.window_hours,
            "may_open": user.has_permission(Permission.OPERATIONS_VIEW),
        }
    if user.has_permission(Permission.RATES_MANAGE):
        from jobcenter.benefits.models import RateTableStatus
        from jobcenter.benefits.queries import rate_table_imports

        panels["rates"] = {"pending": rate_table_imports(user).filter(status=RateTableStatus.PENDING).count()}
    return panels


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    panels = start_panels(user)
    # Roles without a queue of their own (the auditor, support) get the pages they work from.
    shortcuts = [] if panels else [item for item in menu_for(user) if item.url_name != "web:start"]
    return render(request, "web/start.html", {"panels": panels, "shortcuts": shortcuts, "role": user.role_enum})


@login_required
def operations(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.OPERATIONS_VIEW)  # type: ignore[arg-type]
    from jobcenter.events.background import problems
    from jobcenter.events.queries import dead_letters, outbox_metrics

    user = request.user
    return render(
        request,
        "web/operations.html",
        {
            "checks": readiness(),
            "outbox": outbox_metrics(user),  # type: ignore[arg-type]
            "dead_letters": dead_letters(user),  # type: ignore[arg-type]
            "task_problems": problems(user.municipalities.all()),  # type: ignore[union-attr]
            "may_retry": user.has_permission(Permission.OPERATIONS_RETRY),  # type: ignore[union-attr]
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive. Says nothing about the database on purpose."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(check.ok for check in checks if check.blocks)
    # "degraded": serving, but background work failed or stopped and waits for a person.
    status = "unavailable" if not ready else "ok" if all(check.ok for check in checks) else "degraded"
    body = {
        "status": status,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "web/locked_out.html", status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {
            "title": _("Siden var udløbet"),
            "message": _(
                "Formularen var for gammel eller blev sendt fra et andet sted. Gå tilbage, genindlæs siden og prøv igen."
            ),
        },
        status=403,
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from jobcenter.api import problem

        return problem(404, "Findes ikke", "Oplysningen findes ikke, eller du har ikke adgang til den.")
    return render(
        request,
        "web/error.html",
        {
            "title": _("Siden findes ikke"),
            "message": _("Siden eller oplysningen findes ikke, eller du har ikke adgang til den."),
        },
        status=404,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": _("Ingen adgang"), "message": _("Din rolle giver ikke adgang til denne side.")},
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    from jobcenter.bounds import request_too_big_message, too_many_files_message

    # Django answers a body over its limits with 400; the user needs to know it was the size.
    if isinstance(exception, RequestDataTooBig | TooManyFilesSent):
        message = request_too_big_message() if isinstance(exception, RequestDataTooBig) else too_many_files_message()
        if _is_api(request):
            from jobcenter.api import problem

            return problem(413, "Forespørgslen er for stor", message)
        return render(
            request, "web/error.html", {"title": _("Forespørgslen er for stor"), "message": message}, status=413
        )
    return render(
        request,
        "web/error.html",
        {"title": _("Forkert forespørgsel"), "message": _("Forespørgslen kunne ikke forstås.")},
        status=400,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        from jobcenter.api import problem

        return problem(500, "Der skete en fejl", "Systemet kunne ikke gennemføre handlingen. Intet gemt er gået tabt.")
    # No template context processors here: the error may come from them.
    return render(
        request,
        "web/error_500.html",
        status=500,
    )


def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    """Start a login at the municipality's identity provider. Not-found while OIDC is off."""
    if not settings.OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return OIDCAuthenticationCallbackView.as_view()(request)
