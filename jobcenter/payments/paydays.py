"""The payment day: the last Danish bank day of the month, or the municipality's own day.

Bank days are weekdays that are not Danish bank holidays. python-holidays'
DK calendar ("public" category) has New Year's Day, Maundy Thursday, Good
Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday,
Christmas Day and Boxing Day (and Store Bededag until 2023). The banks are
also closed on days that are not public holidays; we add them ourselves:

* 5 June, Grundlovsdag (in holidays' "optional" category);
* 24 December, juleaftensdag (optional);
* 31 December, nytårsaftensdag (optional);
* the Friday after Ascension Day (banks close; not in holidays at all).

1 May is in holidays' optional category but is a bank day, so it is not used.
The list is to be checked against Danmarks Nationalbank's calendar of bank
holidays (docs/payments.md, legal and operational assumptions).
"""

from __future__ import annotations

import datetime
from functools import cache

import holidays
from dateutil.easter import easter  # type: ignore[import-untyped]
from django.conf import settings

from jobcenter.benefits.periods import month_end


@cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    public = holidays.country_holidays("DK", years=year)
    days = set(public)
    days |= {datetime.date(year, 6, 5), datetime.date(year, 12, 24), datetime.date(year, 12, 31)}
    ascension = easter(year) + datetime.timedelta(days=39)
    days.add(ascension + datetime.timedelta(days=1))
    return frozenset(days)


def is_bank_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def last_bank_day_on_or_before(day: datetime.date) -> datetime.date:
    while not is_bank_day(day):
        day -= datetime.timedelta(days=1)
    return day


def payment_date(municipality_code: str, month: datetime.date) -> datetime.date:
    """The municipality's configured day (JOBCENTER_PAYMENT_DAYS, moved back to a bank day),
    else the last bank day of the month (LAS § 89: monthly, in arrears)."""
    configured = settings.JOBCENTER_PAYMENT_DAYS.get(municipality_code, "last")
    last = month_end(month)
    if configured == "last":
        return last_bank_day_on_or_before(last)
    day = min(int(configured), last.day)
    return last_bank_day_on_or_before(month.replace(day=day))
