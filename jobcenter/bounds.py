"""Input bounds: how far back and ahead a typed date may lie, and what an oversized request is told.

A date field accepts any calendar date, from 0001-01-01 to 9999-12-31. Most of
those are typing errors, and some are worse than errors: a consultation "sent"
and "due" on 0001-01-01 satisfies the consultation-first rule at once, and an
interview in year 9999 is a deadline nobody will ever meet. Forms, API schemas
and actions all ask this module, so a date means the same everywhere
(docs/architecture.md, "Input bounds").

The bounds are the system's, not the law's: DOMAIN.md names no earliest date
for a case record. No record this system holds or converts is older than
2000, and nothing it plans reaches further than a few years ahead.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# No case, decision, consultation or audit record the system holds is older.
EARLIEST_DATE = datetime.date(2000, 1, 1)
# An offer, a decision's period, a deadline: planned at most this many years ahead.
YEARS_AHEAD = 5
# A job interview is summoned for the coming weeks; a year ahead is already generous.
INTERVIEW_DAYS_AHEAD = 366
# A payment run is for a month that has come or is about to (the next one's trial run).
RUN_MONTHS_AHEAD = 2


def today() -> datetime.date:
    return timezone.localdate()


def years_ahead(years: int, *, start: datetime.date | None = None) -> datetime.date:
    start = start or today()
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year that has none
        return start.replace(year=start.year + years, day=28)


def latest_date() -> datetime.date:
    return years_ahead(YEARS_AHEAD)


def latest_interview_date() -> datetime.date:
    return today() + datetime.timedelta(days=INTERVIEW_DAYS_AHEAD)


def date_da(day: datetime.date) -> str:
    """The date as the page shows it: "2. december 2026" (in the user's language)."""
    return str(formats.date_format(day, "DATE_FORMAT"))


def implausible_date(
    day: datetime.date,
    label: str,
    *,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> str | None:
    """A Danish message when `day` lies outside [earliest, latest], else None.

    `label` is what the user calls the field ("Startdatoen", "Svarfristen").
    """
    earliest = earliest or EARLIEST_DATE
    latest = latest or latest_date()
    if earliest <= day <= latest:
        return None
    return _("%(label)s (%(day)s) er ikke en mulig dato her. Skriv en dato fra %(earliest)s til %(latest)s.") % {
        "label": label,
        "day": date_da(day),
        "earliest": date_da(earliest),
        "latest": date_da(latest),
    }


def check_date(
    field: str,
    day: datetime.date | None,
    label: str,
    *,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> None:
    """Raise a ValidationError on `field` when `day` is not a plausible date (None passes)."""
    if day is None:
        return
    message = implausible_date(day, label, earliest=earliest, latest=latest)
    if message:
        raise ValidationError({field: message})


def check_order(field: str, first: datetime.date | None, then: datetime.date | None, message: str) -> None:
    """Raise a ValidationError on `field` when `then` lies before `first` (None passes)."""
    if first is not None and then is not None and then < first:
        raise ValidationError({field: message})


def schema_date(
    day: datetime.date | None,
    label: str,
    *,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> datetime.date | None:
    """For an API schema's field_validator: the date, or a pydantic error carrying the Danish message."""
    from pydantic_core import PydanticCustomError

    message = implausible_date(day, label, earliest=earliest, latest=latest) if day is not None else None
    if message:
        # The message is the template; braces would be read as placeholders.
        raise PydanticCustomError("implausible_date", message.replace("{", "(").replace("}", ")"))
    return day


# --- Request sizes ----------------------------------------------------------------------------
# A form or JSON body is held in memory while it is read: Django refuses one larger than
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and more than DATA_UPLOAD_MAX_NUMBER_FILES files.
# Files are not part of that limit; jobcenter.cases.attachments streams and caps them.


def request_too_big_message() -> str:
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    return _(
        "Forespørgslen er for stor: højst %(size)s tekst og data ad gangen (bilag tæller ikke med). Intet er gemt."
    ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}


def too_many_files_message() -> str:
    from jobcenter.cases.attachments import MAX_FILES_PER_ENTRY

    return _("Der er sendt for mange filer på én gang. Et notat kan have højst %(count)s bilag. Intet er gemt.") % {
        "count": MAX_FILES_PER_ENTRY
    }
