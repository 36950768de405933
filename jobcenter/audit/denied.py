"""Denied lookups are audited: probing another municipality's ids leaves a trace.

Every access_* lookup that answers not-found (another municipality's object, or
an id that never existed: the user cannot tell them apart, and neither should a
prober learn which) records the attempt: who, what kind of object, the id, when.

Bounded per user: the first DENIED_RECORDS_PER_MINUTE attempts of a minute are
recorded one by one; after that, only at the 2nd, 4th, 8th … multiple of the
limit, each such record carrying the running count; DeniedAccessCount keeps
the exact number of every minute. 900 probes in a minute write 16 records, not 900.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.http import Http404
from django.utils import timezone

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction, DeniedAccessCount
from jobcenter.audit.redaction import redact_cpr

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User

DENIED_RECORDS_PER_MINUTE = 10


def denied(user: User, model: type[Model], object_id: uuid.UUID | str) -> Http404:
    """Record a denied lookup of `model` with `object_id` and return the not-found to raise.

    `raise denied(user, Citizen, citizen_id) from None` in an access_* function.
    """
    record_denied_access(user, model._meta.label_lower, str(object_id))
    return Http404()


def _bump(user: User, minute: datetime.datetime) -> int:
    """Count one more denied attempt in this minute; the count after it (safe under concurrency)."""
    try:
        with transaction.atomic():
            DeniedAccessCount.objects.get_or_create(
                user=user, minute=minute, defaults={"municipality": user.municipality}
            )
    except IntegrityError:
        pass  # another request created this minute's counter first
    counter = DeniedAccessCount.objects.filter(user=user, minute=minute)
    counter.update(attempts=F("attempts") + 1)
    return counter.values_list("attempts", flat=True).get()


def _this_minute() -> datetime.datetime:
    return timezone.now().replace(second=0, microsecond=0)


def _is_checkpoint(attempts: int) -> bool:
    """The 2nd, 4th, 8th … multiple of the limit: where a record carries the running count."""
    multiple, remainder = divmod(attempts, DENIED_RECORDS_PER_MINUTE)
    return remainder == 0 and multiple >= 2 and multiple & (multiple - 1) == 0


def record_denied_access(user: User, object_type: str, object_id: str) -> None:
    if user is None or not user.is_authenticated:
        return
    object_id = redact_cpr(object_id)[:64]
    with transaction.atomic():
        attempts = _bump(user, _this_minute())
        if attempts <= DENIED_RECORDS_PER_MINUTE:
            detail: dict[str, object] = {"attempt_this_minute": attempts}
        elif _is_checkpoint(attempts):
            detail = {"attempt_this_minute": attempts, "not_recorded_one_by_one": attempts - DENIED_RECORDS_PER_MINUTE}
        else:
            return
        record(user, AuditAction.DENIED, object_type=object_type, object_id=object_id, detail=detail)
