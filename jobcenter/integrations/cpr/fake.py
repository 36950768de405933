"""A synthetic CPR register for the demo and the tests.

Any valid CPR number is a person: the birth date comes from the number, and
the name and address are picked deterministically from the number (the same
number always gives the same person). The names are common Danish names and
the streets are ordinary Danish street names combined with made-up house
numbers: the people do not exist.

Tests shape the register through class-level state, shared by every
instance (``get_cpr_client()`` builds a new instance per call):

- ``FakeCprClient.register(person)``: this number answers with this person
  (with relations, another name, no address ...);
- ``FakeCprClient.register_missing(cpr)``: this number is not in the register;
- ``FakeCprClient.set_unavailable(True)``: the register is down;
- ``FakeCprClient.reset()``: back to the purely synthetic register.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import ClassVar

from stdnum.dk import cpr as stdnum_cpr

from jobcenter.integrations.cpr.interface import (
    Address,
    CprPerson,
    CprPersonNotFound,
    CprServiceUnavailable,
    valid_cpr_or_error,
)

# In a CPR number an odd last digit is a man, an even one a woman.
MALE_FIRST_NAMES = ("Anders", "Mads", "Jens", "Lars", "Søren", "Niels", "Mikkel", "Rasmus", "Henrik", "Frederik")
FEMALE_FIRST_NAMES = ("Anne", "Mette", "Kirsten", "Hanne", "Lene", "Camilla", "Sofie", "Ida", "Louise", "Maja")
LAST_NAMES = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen")  # fmt: skip
STREETS = ("Egevænget", "Skolevej", "Kirkebakken", "Møllegade", "Birkealle", "Engvej", "Stationsvej", "Søndergade", "Bøgevej", "Vestergade")  # fmt: skip
TOWNS = (("5000", "Odense C"), ("8000", "Aarhus C"), ("9000", "Aalborg"), ("6700", "Esbjerg"), ("7100", "Vejle"), ("4000", "Roskilde"))  # fmt: skip


def _pick(options: Sequence[str] | Sequence[tuple[str, str]], digest: bytes, position: int) -> object:
    return options[digest[position] % len(options)]


def synthetic_person(cpr: str) -> CprPerson:
    """The person the synthetic register holds for a valid, compact CPR number."""
    digest = hashlib.sha256(cpr.encode("ascii")).digest()
    first_names = MALE_FIRST_NAMES if int(cpr[-1]) % 2 else FEMALE_FIRST_NAMES
    postcode, city = TOWNS[digest[3] % len(TOWNS)]
    return CprPerson(
        cpr=cpr,
        first_name=str(_pick(first_names, digest, 0)),
        last_name=str(_pick(LAST_NAMES, digest, 1)),
        birth_date=stdnum_cpr.get_birth_date(cpr),
        address=Address(street=f"{_pick(STREETS, digest, 2)} {1 + digest[4] % 120}", postcode=postcode, city=city),
        relations=(),
    )


class FakeCprClient:
    """Deterministic synthetic CPR register; see the module docstring for the test controls."""

    _registered: ClassVar[dict[str, CprPerson]] = {}
    _missing: ClassVar[set[str]] = set()
    _unavailable: ClassVar[bool] = False

    def lookup(self, cpr: str) -> CprPerson:
        number = valid_cpr_or_error(cpr)
        if FakeCprClient._unavailable:
            raise CprServiceUnavailable()
        if number in FakeCprClient._missing:
            raise CprPersonNotFound()
        return FakeCprClient._registered.get(number) or synthetic_person(number)

    @classmethod
    def register(cls, person: CprPerson) -> None:
        """From now on, ``lookup(person.cpr)`` answers with this person."""
        number = valid_cpr_or_error(person.cpr)
        cls._missing.discard(number)
        cls._registered[number] = person

    @classmethod
    def register_missing(cls, cpr: str) -> None:
        """From now on, this (valid) number is not in the register."""
        number = valid_cpr_or_error(cpr)
        cls._registered.pop(number, None)
        cls._missing.add(number)

    @classmethod
    def set_unavailable(cls, unavailable: bool = True) -> None:
        """Simulate the register being down (every lookup raises CprServiceUnavailable)."""
        cls._unavailable = unavailable

    @classmethod
    def reset(cls) -> None:
        """Forget every registered person and missing number; the register is up again."""
        cls._registered.clear()
        cls._missing.clear()
        cls._unavailable = False
