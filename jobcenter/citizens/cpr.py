"""CPR numbers: validated with python-stdnum, shown masked, never put in a URL or log."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumValidationError


def normalise_cpr(raw: str) -> str:
    """The ten digits of a valid CPR number, or a ValidationError in plain Danish.

    Since 2007 not every CPR number passes the old modulus-11 check, so only the
    format and the birth date are checked, as stdnum does by default.
    """
    value = stdnum_cpr.compact(raw or "")
    try:
        stdnum_cpr.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            "Ugyldigt CPR-nummer. Skriv 10 cifre, fx 010190-1234, med en gyldig fødselsdato.",
            code="invalid_cpr",
        ) from None
    return value


def looks_like_cpr(raw: str) -> bool:
    compact = stdnum_cpr.compact(raw or "")
    return len(compact) == 10 and compact.isdigit()


def birth_date_from_cpr(cpr: str) -> datetime.date:
    return stdnum_cpr.get_birth_date(cpr)


def masked_cpr(cpr: str) -> str:
    """Birth date part only, as shown in lists: 010190-****."""
    return f"{cpr[:6]}-****"


def formatted_cpr(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"
