"""Months, days and the decision version in force on a day: plain date arithmetic."""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jobcenter import bounds


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: datetime.date) -> datetime.date:
    return (month_end(day) + datetime.timedelta(days=1)).replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return (month_start(day) - datetime.timedelta(days=1)).replace(day=1)


def parse_month(text: str) -> datetime.date:
    """'2026-03' -> 2026-03-01; ValueError with a Danish message otherwise.

    The month must also be one a payment can be for: from January 2000 to
    two months ahead (jobcenter.bounds); '1549-04' or '9999-12' is a typing error.
    """
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", text.strip()):
            raise ValueError(text)
        month = datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(
            _("Måneden skal skrives ÅÅÅÅ-MM, fx 2026-03, ikke '%(text)s'.") % {"text": text[:20]}
        ) from None
    latest = month_start(bounds.today())
    for _month in range(bounds.RUN_MONTHS_AHEAD):
        latest = next_month(latest)
    if not bounds.EARLIEST_DATE <= month <= latest:
        raise ValueError(
            _("Måneden %(month)s kan ikke bruges. Skriv en måned fra %(earliest)s til %(latest)s.")
            % {"month": f"{month:%Y-%m}", "earliest": f"{bounds.EARLIEST_DATE:%Y-%m}", "latest": f"{latest:%Y-%m}"}
        )
    return month


@functools.lru_cache(maxsize=64)
def _month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of `month`; cached, because a payment run asks once per grant."""
    return month_start(month), month_end(month)


@dataclass(frozen=True)
class Version:
    """What a decision version says about the period it governs."""

    version: int
    kind: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    facts: Any


@dataclass(frozen=True)
class Segment:
    """Days of a month governed by one version that grants help."""

    version: Version
    days: int


def segments_in_month(versions: Sequence[Version], month: datetime.date) -> list[Segment]:
    """The versions in force in `month`, with their days.

    A version takes effect from its `effective_from` and supersedes every
    earlier version (by version number) from that day. On a day, the version
    in force is the highest-numbered one that has taken effect; it grants help
    on that day if it is not a stop and the day is within its `effective_to`.

    A sanction (LAS § 37) is the exception: it supersedes nothing. It removes
    the help on the days of its own period (`effective_from` to `effective_to`,
    inclusive) and leaves every day outside it to the other versions.
    """
    first, last = _month_bounds(month)
    if len(versions) == 1:  # the common case, without walking the days
        only = versions[0]
        start = max(first, only.effective_from)
        end = min(last, only.effective_to or last)
        days = (end - start).days + 1
        return [Segment(only, days)] if only.kind not in ("standsning", "sanktion") and days > 0 else []
    ordered = sorted((v for v in versions if v.kind != "sanktion"), key=lambda v: v.version)
    sanctioned = [
        (v.effective_from, v.effective_to or v.effective_from)
        for v in versions
        if v.kind == "sanktion" and v.effective_from <= last and (v.effective_to or v.effective_from) >= first
    ]
    days_by_version: dict[int, int] = {}
    day = first
    while day <= last:
        in_force = None
        for version in ordered:
            if version.effective_from <= day:
                in_force = version
        if (
            in_force is not None
            and in_force.kind != "standsning"
            and (in_force.effective_to is None or day <= in_force.effective_to)
            and not any(start <= day <= end for start, end in sanctioned)
        ):
            days_by_version[in_force.version] = days_by_version.get(in_force.version, 0) + 1
        day += datetime.timedelta(days=1)
    by_number = {version.version: version for version in ordered}
    return [Segment(by_number[number], days) for number, days in sorted(days_by_version.items())]
