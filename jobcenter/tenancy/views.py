from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.actions import (
    UserChangeRefused,
    do_add_user,
    do_change_user_role,
    do_deactivate_user,
    do_decide_administrator_request,
    do_issue_api_token_for_user,
    do_reactivate_user,
    do_revoke_api_token,
)
from jobcenter.tenancy.forms import ApiTokenForm, RoleForm, UserCreateForm
from jobcenter.tenancy.models import AdministratorRequestStatus, User
from jobcenter.tenancy.queries import (
    access_administrator_request,
    access_managed_token,
    access_managed_user,
    locked_usernames,
    manages,
    municipalities_visible_to,
    pending_administrator_requests,
    users_visible_to,
)
from jobcenter.tenancy.roles import Permission


def _status(person: User, locked: set[str], pending: set[Any]) -> str:
    if person.pk in pending:
        return _("Afventer godkendelse")
    if not person.is_active:
        return _("Deaktiveret")
    if person.username in locked:
        return _("Låst")
    return _("Aktiv")


@login_required
def users(request: HttpRequest) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    people = list(users_visible_to(viewer))
    may_manage = viewer.has_permission(Permission.USERS_MANAGE)
    requests = pending_administrator_requests(viewer) if may_manage else []
    pending = {r.user_id for r in requests if r.is_new_user}
    locked = locked_usernames([p.username for p in people])
    own = {m.pk for m in viewer.municipality_list}
    rows = [
        {
            "person": person,
            # Only the viewer's own municipalities: an Aarhus administrator learns nothing of Odense.
            "municipalities": [m.name for m in person.municipalities.all() if m.pk in own],
            "status": _status(person, locked, pending),
            "manageable": may_manage and manages(viewer, person),
        }
        for person in people
    ]
    context = {"rows": rows, "may_manage": may_manage, "requests": requests}
    return render(request, "tenancy/users.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    require_permission(admin, Permission.USERS_MANAGE)
    refusal: UserChangeRefused | None = None
    form = UserCreateForm(request.POST or None, municipalities=admin.municipality_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, admin_request = do_add_user(
                admin,
                username=data["username"],
                role=data["role"],
                municipalities=data["municipalities"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except UserChangeRefused as refused:
            refusal = refused
        else:
            if admin_request is not None:
                messages.success(
                    request,
                    _(
                        "Brugeren er oprettet som administrator, men er deaktiveret, "
                        "indtil en anden administrator har godkendt det."
                    ),
                )
            else:
                messages.success(request, _("Brugeren %(name)s er oprettet.") % {"name": user.display_name})
            return HttpResponseRedirect(reverse("tenancy:user", args=[user.pk]))
    status = 422 if refusal or form.errors else 200
    return render(request, "tenancy/user_create.html", {"form": form, "refusal": refusal}, status=status)


def _render_user(
    request: HttpRequest,
    person: User,
    *,
    refusal: UserChangeRefused | None = None,
    role_form: RoleForm | None = None,
    token_form: ApiTokenForm | None = None,
    issued: str = "",
) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    requests = list(person.administrator_requests.select_related("requested_by", "decided_by"))
    pending = next((r for r in requests if r.status == AdministratorRequestStatus.PENDING), None)
    context = {
        "person": person,
        "is_self": person.pk == admin.pk,
        "municipalities": person.municipality_list,
        "status": _status(
            person, locked_usernames([person.username]), {person.pk} if pending and pending.is_new_user else set()
        ),
        "pending": pending,
        "may_decide": pending is not None and pending.requested_by_id != admin.pk and person.pk != admin.pk,
        "decided_requests": [r for r in requests if r.status != AdministratorRequestStatus.PENDING],
        "tokens": person.api_tokens.order_by("-created_at"),
        "role_form": role_form or RoleForm(initial={"role": person.role}),
        "token_form": token_form or ApiTokenForm(),
        "refusal": refusal,
        "issued": issued,
    }
    status = 422 if refusal or (role_form and role_form.errors) or (token_form and token_form.errors) else 200
    response = render(request, "tenancy/user_detail.html", context, status=status)
    if issued:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def user_detail(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    return _render_user(request, access_managed_user(request.user, user_id))  # type: ignore[arg-type]


@login_required
@require_POST
def user_role(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    person = access_managed_user(request.user, user_id)  # type: ignore[arg-type]
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render_user(request, person, role_form=form)
    try:
        admin_request = do_change_user_role(request.user, person, form.cleaned_data["role"])  # type: ignore[arg-type]
    except UserChangeRefused as refused:
        return _render_user(request, person, refusal=refused, role_form=form)
    if admin_request is not None:
        messages.success(
            request, _("Anmodningen er sendt. Rollen får virkning, når en anden administrator har godkendt den.")
        )
    else:
        messages.success(request, _("Rollen er ændret."))
    return HttpResponseRedirect(reverse("tenancy:user", args=[person.pk]))


@login_required
@require_POST
def user_active(request: HttpRequest, user_id: uuid.UUID, active: bool) -> HttpResponse:
    person = access_managed_user(request.user, user_id)  # type: ignore[arg-type]
    action = do_reactivate_user if active else do_deactivate_user
    try:
        action(request.user, person)  # type: ignore[arg-type]
    except UserChangeRefused as refused:
        return _render_user(request, person, refusal=refused)
    if active:
        messages.success(request, _("Brugeren er aktiv igen og kan logge ind."))
    else:
        messages.success(
            request, _("Brugeren er deaktiveret. Brugeren kan ikke logge ind, og brugerens nøgler virker ikke.")
        )
    return HttpResponseRedirect(reverse("tenancy:user", args=[person.pk]))


@never_cache
@login_required
@require_POST
def token_issue(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    person = access_managed_user(request.user, user_id)  # type: ignore[arg-type]
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_user(request, person, token_form=form)
    try:
        _token, raw = do_issue_api_token_for_user(request.user, person, form.cleaned_data["name"])  # type: ignore[arg-type]
    except UserChangeRefused as refused:
        return _render_user(request, person, refusal=refused, token_form=form)
    # The token is shown on this answer only; it is stored as its hash and cannot be shown again.
    return _render_user(request, person, issued=raw)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = access_managed_token(request.user, token_id)  # type: ignore[arg-type]
    try:
        do_revoke_api_token(request.user, token)  # type: ignore[arg-type]
    except UserChangeRefused as refused:
        return _render_user(request, token.user, refusal=refused)
    messages.success(request, _("Nøglen %(name)s er tilbagekaldt og virker ikke længere.") % {"name": token.name})
    return HttpResponseRedirect(reverse("tenancy:user", args=[token.user_id]))


@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: uuid.UUID, approve: bool) -> HttpResponse:
    admin_request = access_administrator_request(request.user, request_id)  # type: ignore[arg-type]
    try:
        do_decide_administrator_request(request.user, admin_request, approve=approve)  # type: ignore[arg-type]
    except UserChangeRefused as refused:
        return _render_user(request, admin_request.user, refusal=refused)
    if approve:
        messages.success(request, _("Anmodningen er godkendt. Brugeren er nu administrator."))
    else:
        messages.success(request, _("Anmodningen er afvist. Brugeren har ikke fået administratorrollen."))
    return HttpResponseRedirect(reverse("tenancy:user", args=[admin_request.user_id]))


@login_required
def municipalities(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenancy/municipalities.html",
        {"municipalities": municipalities_visible_to(request.user)},  # type: ignore[arg-type]
    )
