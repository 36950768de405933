"""The CPR register as callers see it: a person, their address and dated relations.

Callers (the citizens and cases apps) code against :class:`CprClient` and
these frozen dataclasses only; which implementation answers is a setting
(``JOBCENTER_CPR_CLIENT``, see ``docs/integrations.md``).

Every error subclasses :class:`CprError` and carries a Danish ``message``
fit to show a caseworker. No message ever contains the CPR number: it
would otherwise end up on a page or in a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumValidationError

from jobcenter.integrations import IntegrationError


@dataclass(frozen=True)
class Address:
    """The person's registered address (folkeregisteradresse)."""

    street: str  # street name, house number, floor and door, as one line
    postcode: str
    city: str


class RelationKind(StrEnum):
    SPOUSE = "spouse"
    COHABITANT = "cohabitant"
    CHILD_IN_CUSTODY = "child_in_custody"


@dataclass(frozen=True)
class CprRelation:
    """A dated relation to another person in the register."""

    kind: RelationKind
    cpr: str
    valid_from: date
    valid_to: date | None  # inclusive; None = still valid

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class CprPerson:
    cpr: str
    first_name: str
    last_name: str
    birth_date: date
    address: Address | None  # None: no known address (e.g. emigrated or without fixed abode)
    relations: tuple[CprRelation, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CprError(IntegrationError):
    """Base of every error a CPR client raises on purpose. ``message`` is Danish and has no CPR number."""

    default_message = "CPR-opslaget kunne ikke gennemføres."


class InvalidCprNumber(CprError, ValueError):
    """The caller passed something that is not a valid CPR number: the caller's mistake, not the register's."""

    default_message = "Ugyldigt CPR-nummer. Skriv 10 cifre, fx 010190-1234, med en gyldig fødselsdato."


class CprPersonNotFound(CprError):
    """The register has no person with this (valid) number."""

    default_message = "Der findes ingen person med dette CPR-nummer i CPR-registret."


class CprServiceUnavailable(CprError):
    """The register could not be reached or did not answer in time. Try again later; local work goes on."""

    default_message = "CPR-registret svarer ikke lige nu. Prøv igen om lidt."


class CprClient(Protocol):
    """Looks a person up in the CPR register."""

    def lookup(self, cpr: str) -> CprPerson:
        """The person with this CPR number (10 digits; a dash is allowed).

        Raises :class:`InvalidCprNumber` for a malformed number,
        :class:`CprPersonNotFound` when the register has no such person and
        :class:`CprServiceUnavailable` when the register cannot be reached.
        """
        ...


def valid_cpr_or_error(raw: str) -> str:
    """The ten digits of a valid CPR number, or :class:`InvalidCprNumber`.

    The same check as ``jobcenter.citizens.cpr.normalise_cpr`` (format and
    birth date, no modulus 11, as stdnum does by default), without Django.
    """
    try:
        return str(stdnum_cpr.validate(raw or ""))
    except StdnumValidationError:
        raise InvalidCprNumber() from None
