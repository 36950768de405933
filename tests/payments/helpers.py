"""Shared helpers for the grants and payments tests."""

from __future__ import annotations

import datetime
from typing import Any

from jobcenter.benefits.actions import do_record_decision
from jobcenter.benefits.models import Decision
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.citizens.models import Citizen
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import PaymentRun
from jobcenter.tenancy.models import Municipality, User
from tests.conftest import SINGLE_HOUSEHOLD_2025

OCTOBER_2025 = datetime.date(2025, 10, 1)
# A single adult of 45 in 2025: forhøjet sats 12.498 kr. + tillæg for enlige 1.092 kr. (LAS §§ 17-18).
FULL_MONTH_2025_ORE = 1_359_000


def facts(**adult: Any) -> dict[str, Any]:
    return {**SINGLE_HOUSEHOLD_2025, "adults": [{**SINGLE_HOUSEHOLD_2025["adults"][0], **adult}]}


def grant(
    officer: User,
    citizen: Citizen,
    *,
    effective_from: datetime.date = OCTOBER_2025,
    effective_to: datetime.date | None = None,
    has_nemkonto: bool = True,
    **adult: Any,
) -> Decision:
    return do_record_decision(
        officer,
        citizen.pk,
        kind="bevilling",
        effective_from=effective_from,
        effective_to=effective_to,
        facts=facts(**adult),
        justification="Opfylder betingelserne for kontanthjælp (LAS § 11).",
        has_nemkonto=has_nemkonto,
    )


def citizens(municipality: Municipality, count: int) -> list[Citizen]:
    made = []
    for number in range(count):
        day = 1 + number % 28
        month = 1 + (number // 28) % 12
        cpr = f"{day:02d}{month:02d}80{number % 4}{number:03d}"[:10]
        made.append(
            do_register_citizen(
                acting_user=None, municipality=municipality, cpr=cpr, first_name=f"Borger{number}", last_name="Testesen"
            )
        )
    return made


def approved_run(starter: User, approver: User, people: list[Citizen]) -> PaymentRun:
    """A grant for each person, October 2025's trial started by `starter` and approved by `approver`."""
    for person in people:
        grant(starter, person)
    run = do_start_trial_run(starter, OCTOBER_2025)
    return do_approve_run(approver, run.pk)
