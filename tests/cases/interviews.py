"""An interview whose time has come, for the tests that record what happened at it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobcenter.cases.actions import do_plan_interview, do_send_summons
from jobcenter.cases.models import Case, Interview


def summoned_interview(case: Case, *, at: datetime.datetime | None = None, form: str = "fremmoede") -> Interview:
    """An interview the citizen was summoned to, at `at` (default: yesterday at 10.00).

    Held and missed can only be recorded for such an interview (cases.actions).
    """
    when = at or timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    interview = do_plan_interview(acting_user=None, case=case, scheduled_at=when, form=form)
    do_send_summons(acting_user=None, interview=interview)
    return interview
