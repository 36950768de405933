"""Every write to municipalities, users and API tokens."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.models import (
    AdministratorRequest,
    AdministratorRequestStatus,
    ApiToken,
    Municipality,
    User,
    hash_api_token,
)
from jobcenter.tenancy.queries import manages
from jobcenter.tenancy.roles import Permission, Role

MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "municipalities.csv"


@transaction.atomic
def do_load_municipalities(path: Path = MUNICIPALITIES_CSV) -> tuple[int, int]:
    """Create or rename the municipalities in the official list. Returns (created, updated)."""
    created = updated = 0
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        code, name = row["code"].strip(), row["name"].strip()
        municipality = Municipality(code=code, name=name)
        municipality.full_clean(validate_unique=False)
        existing = Municipality.objects.filter(code=code).first()
        if existing is None:
            municipality.save()
            created += 1
        elif existing.name != name:
            existing.name = name
            existing.save(update_fields=["name"])
            updated += 1
    if created or updated:
        record(
            None,
            AuditAction.UPDATE,
            object_type="tenancy.municipality",
            detail={"created": created, "updated": updated},
        )
    return created, updated


def _validate_municipalities(role: Role, municipalities: list[Municipality]) -> None:
    if not municipalities:
        raise ValidationError({"municipalities": "En bruger skal arbejde i mindst én kommune."})
    if not role.spans_municipalities and len(municipalities) != 1:
        raise ValidationError({"municipalities": f"Rollen {role.label} arbejder i præcis én kommune."})


@transaction.atomic
def do_create_user(
    *,
    acting_user: User | None,
    username: str,
    role: Role,
    municipalities: Iterable[Municipality],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    role = Role(role)
    municipality_list = list(municipalities)
    _validate_municipalities(role, municipality_list)
    user = User(username=username, role=role.value, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.municipalities.set(municipality_list)
    record(
        acting_user,
        AuditAction.CREATE,
        obj=user,
        municipality=municipality_list[0] if len(municipality_list) == 1 else None,
        detail={"role": role.value, "municipalities": [m.code for m in municipality_list]},
    )
    return user


@transaction.atomic
def do_issue_api_token(*, acting_user: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for a system integration. The raw token is returned once and never stored."""
    raw = "jc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], key_hash=hash_api_token(raw))
    record(
        acting_user,
        AuditAction.CREATE,
        obj=token,
        municipality=user.municipality,
        detail={"for_user": str(user.pk), "name": name},
    )
    return token, raw


# --- The administrator's pages (issue 14): users, roles, API tokens ---------------------


class UserChangeRefused(Exception):
    """The change to a user or an API token was refused; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _check_manages(acting_user: User, user: User) -> None:
    require_permission(acting_user, Permission.USERS_MANAGE)
    if not manages(acting_user, user):
        raise Http404


def _locked_user(acting_user: User, user: User) -> User:
    """The user, read again under a row lock so that two administrators cannot change it at once."""
    _check_manages(acting_user, user)
    return User.objects.select_for_update().get(pk=user.pk)


def _has_pending_administrator_request(user: User) -> bool:
    return AdministratorRequest.objects.filter(user=user, status=AdministratorRequestStatus.PENDING).exists()


def _awaits_administrator_approval(user: User) -> bool:
    """An administrator created in the pages whose role no second administrator has approved."""
    requests = AdministratorRequest.objects.filter(user=user)
    return (
        user.role == Role.ADMINISTRATOR
        and requests.filter(is_new_user=True).exists()
        and not requests.filter(status=AdministratorRequestStatus.APPROVED).exists()
    )


def _problems(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _request_administrator_role(acting_user: User, user: User, *, is_new_user: bool) -> AdministratorRequest:
    request = AdministratorRequest.objects.create(
        user=user,
        is_new_user=is_new_user,
        previous_role="" if is_new_user else user.role,
        requested_by=acting_user,
    )
    record(
        acting_user,
        AuditAction.CREATE,
        obj=request,
        municipality=user.municipality,
        detail={"for_user": str(user.pk), "role": Role.ADMINISTRATOR.value, "new_user": is_new_user},
    )
    return request


def do_add_user(
    acting_user: User,
    *,
    username: str,
    role: Role,
    municipalities: Iterable[Municipality],
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> tuple[User, AdministratorRequest | None]:
    """An administrator creates a user in their own municipalities.

    Without a password the user can only sign in through the municipality's
    identity provider. A new administrator is created deactivated, with a
    request that a second administrator must approve.
    """
    require_permission(acting_user, Permission.USERS_MANAGE)
    role = Role(role)
    municipality_list = list(municipalities)
    own = {m.pk for m in acting_user.municipality_list}
    if any(m.pk not in own for m in municipality_list):
        raise UserChangeRefused(_("Du kan kun oprette brugere i de kommuner, du selv arbejder for."))
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise UserChangeRefused(_("Brugernavnet %(username)s er allerede i brug.") % {"username": username})
    if password:
        try:
            validate_password(password, User(username=username, first_name=first_name, last_name=last_name))
        except ValidationError as error:
            raise UserChangeRefused(_("Adgangskoden kan ikke bruges."), _problems(error)) from None
    with transaction.atomic():
        try:
            user = do_create_user(
                acting_user=acting_user,
                username=username,
                role=role,
                municipalities=municipality_list,
                password=password or None,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email.strip(),
            )
        except ValidationError as error:
            raise UserChangeRefused(_("Brugeren blev ikke oprettet."), _problems(error)) from None
        request = None
        if role == Role.ADMINISTRATOR:
            # The four-eyes rule: no one makes an administrator alone.
            user.is_active = False
            user.save(update_fields=["is_active"])
            request = _request_administrator_role(acting_user, user, is_new_user=True)
    return user, request


@transaction.atomic
def do_change_user_role(acting_user: User, user: User, role: Role) -> AdministratorRequest | None:
    """Give a user another role. The administrator role only becomes a request for a second administrator."""
    user = _locked_user(acting_user, user)
    role = Role(role)
    if user.pk == acting_user.pk:
        raise UserChangeRefused(_("Du kan ikke ændre din egen rolle. Bed en anden administrator om det."))
    if _has_pending_administrator_request(user):
        raise UserChangeRefused(
            _("Der venter en anmodning om administratorrollen for brugeren. Den skal godkendes eller afvises først.")
        )
    if user.role == role:
        raise UserChangeRefused(_("Brugeren har allerede rollen %(role)s.") % {"role": role.label})
    try:
        _validate_municipalities(role, user.municipality_list)
    except ValidationError as error:
        raise UserChangeRefused(_("Rollen blev ikke ændret."), _problems(error)) from None
    if role == Role.ADMINISTRATOR:
        return _request_administrator_role(acting_user, user, is_new_user=False)
    previous = user.role
    user.role = role.value
    user.save(update_fields=["role"])
    record(
        acting_user,
        AuditAction.UPDATE,
        obj=user,
        municipality=user.municipality,
        detail={"role": role.value, "previous_role": previous},
    )
    return None


@transaction.atomic
def do_deactivate_user(acting_user: User, user: User) -> User:
    """Stop a user from signing in (and their API tokens from working). Users are never deleted."""
    user = _locked_user(acting_user, user)
    if user.pk == acting_user.pk:
        raise UserChangeRefused(_("Du kan ikke deaktivere dig selv."))
    if not user.is_active:
        raise UserChangeRefused(_("Brugeren er allerede deaktiveret."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(acting_user, AuditAction.UPDATE, obj=user, municipality=user.municipality, detail={"active": False})
    return user


@transaction.atomic
def do_reactivate_user(acting_user: User, user: User) -> User:
    user = _locked_user(acting_user, user)
    if user.is_active:
        raise UserChangeRefused(_("Brugeren er allerede aktiv."))
    if _awaits_administrator_approval(user):
        raise UserChangeRefused(
            _(
                "Brugeren er ikke godkendt som administrator. "
                "En anden administrator skal godkende anmodningen, eller brugeren skal have en anden rolle."
            )
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(acting_user, AuditAction.UPDATE, obj=user, municipality=user.municipality, detail={"active": True})
    return user


def do_issue_api_token_for_user(acting_user: User, user: User, name: str) -> tuple[ApiToken, str]:
    """An administrator issues a token for a user they manage; the token is shown once."""
    _check_manages(acting_user, user)
    name = name.strip()
    if not name:
        raise UserChangeRefused(_("Giv nøglen et navn, så den kan kendes igen, fx systemets navn."))
    if len(name) > 100:
        raise UserChangeRefused(_("Nøglens navn må højst være 100 tegn."))
    if not user.is_active:
        raise UserChangeRefused(_("Brugeren er deaktiveret. En nøgle til en deaktiveret bruger virker ikke."))
    return do_issue_api_token(acting_user=acting_user, user=user, name=name)


@transaction.atomic
def do_revoke_api_token(acting_user: User, token: ApiToken) -> ApiToken:
    """Stop a token from working, for good. The token stays, so the audit log can still name it."""
    _check_manages(acting_user, token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise UserChangeRefused(_("Nøglen er allerede tilbagekaldt."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        acting_user,
        AuditAction.UPDATE,
        obj=token,
        municipality=token.user.municipality,
        detail={"for_user": str(token.user_id), "name": token.name, "revoked": True},
    )
    return token


@transaction.atomic
def do_decide_administrator_request(
    acting_user: User, request: AdministratorRequest, *, approve: bool
) -> AdministratorRequest:
    """A second administrator approves (the role takes effect) or rejects a request for the administrator role."""
    _check_manages(acting_user, request.user)
    request = AdministratorRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AdministratorRequestStatus.PENDING:
        raise UserChangeRefused(
            _("Anmodningen er allerede behandlet (%(status)s).") % {"status": request.get_status_display()}
        )
    if request.requested_by_id == acting_user.pk:
        raise UserChangeRefused(
            _(
                "Du kan ikke selv godkende eller afvise en anmodning, du har lavet. En anden administrator skal gøre det."
            )
        )
    if request.user_id == acting_user.pk:
        raise UserChangeRefused(_("Du kan ikke godkende eller afvise en anmodning om dig selv."))
    request.status = AdministratorRequestStatus.APPROVED if approve else AdministratorRequestStatus.REJECTED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    user = User.objects.select_for_update().get(pk=request.user_id)
    record(
        acting_user,
        AuditAction.UPDATE,
        obj=request,
        municipality=user.municipality,
        detail={"for_user": str(user.pk), "decision": request.status},
    )
    if approve:
        user.role = Role.ADMINISTRATOR.value
        fields = ["role"]
        if request.is_new_user:
            user.is_active = True
            fields.append("is_active")
        user.save(update_fields=fields)
        record(
            acting_user,
            AuditAction.UPDATE,
            obj=user,
            municipality=user.municipality,
            detail={"role": user.role, "previous_role": request.previous_role, "approved_request": str(request.pk)},
        )
    return request
