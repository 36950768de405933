"""Every write to municipalities, users and API tokens."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.tenancy.models import ApiToken, Municipality, User, hash_api_token
from jobcenter.tenancy.roles import Role

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


@transaction.atomic
def do_deactivate_user(*, acting_user: User | None, user: User) -> User:
    """Stop a user: no login, no session and no API token works for them from now on."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(acting_user, AuditAction.UPDATE, obj=user, municipality=user.municipality, detail={"is_active": False})
    return user
