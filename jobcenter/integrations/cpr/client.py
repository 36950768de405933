"""HTTP client for the CPR register (a skeleton, not yet the real service).

In production the lookup goes through KOMBIT's Serviceplatformen (the CPR
service "PersonBaseDataExtended"), which needs a municipal agreement, an
OCES/FOCES certificate and the service's SOAP schema. None of those are
available to this project yet, so this client speaks a small JSON stand-in
of our own that carries the fields we need (the "wire format" below). The
mapping of failures is what we rely on and what the contract tests pin down:

- 200: the person;
- 404: :class:`CprPersonNotFound`;
- any other status, a timeout, a refused connection or an unreadable answer:
  :class:`CprServiceUnavailable`.

Replacing the transport with the real Serviceplatformen call changes this
module only; callers and the contract suite stay the same.

Wire format (JSON), request ``POST {base_url}/cpr/lookup`` with
``{"cpr": "0101901234"}`` (the number is in the body, never in the URL),
answer::

    {"cpr": "0101901234", "firstName": "Anne", "lastName": "Jensen",
     "birthDate": "1990-01-01",
     "address": {"street": "Skolevej 4", "postcode": "5000", "city": "Odense C"} | null,
     "relations": [{"kind": "spouse", "cpr": "...", "validFrom": "2015-06-01", "validTo": null}]}
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jobcenter.integrations import ServiceUnreachable, http_base_url_and_timeout, post_json
from jobcenter.integrations.cpr.interface import (
    Address,
    CprPerson,
    CprPersonNotFound,
    CprRelation,
    CprServiceUnavailable,
    RelationKind,
    valid_cpr_or_error,
)

DEFAULT_TIMEOUT_SECONDS = 10.0


def person_to_wire(person: CprPerson) -> dict[str, Any]:
    """A person in the wire format (used by the local fake server in the tests)."""
    return {
        "cpr": person.cpr,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "birthDate": person.birth_date.isoformat(),
        "address": None
        if person.address is None
        else {"street": person.address.street, "postcode": person.address.postcode, "city": person.address.city},
        "relations": [
            {
                "kind": relation.kind.value,
                "cpr": relation.cpr,
                "validFrom": relation.valid_from.isoformat(),
                "validTo": None if relation.valid_to is None else relation.valid_to.isoformat(),
            }
            for relation in person.relations
        ],
    }


def person_from_wire(data: Any) -> CprPerson:
    """Parse the wire format; a missing or malformed field raises ValueError (or KeyError/TypeError)."""
    address = data["address"]
    return CprPerson(
        cpr=str(data["cpr"]),
        first_name=str(data["firstName"]),
        last_name=str(data["lastName"]),
        birth_date=date.fromisoformat(data["birthDate"]),
        address=None
        if address is None
        else Address(street=str(address["street"]), postcode=str(address["postcode"]), city=str(address["city"])),
        relations=tuple(
            CprRelation(
                kind=RelationKind(relation["kind"]),
                cpr=str(relation["cpr"]),
                valid_from=date.fromisoformat(relation["validFrom"]),
                valid_to=None if relation["validTo"] is None else date.fromisoformat(relation["validTo"]),
            )
            for relation in data["relations"]
        ),
    )


class HttpCprClient:
    """Looks persons up over HTTP; see the module docstring for what is and is not real yet."""

    def __init__(self, base_url: str, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.lookup_url = base_url.rstrip("/") + "/cpr/lookup"
        self.timeout_seconds = timeout_seconds

    def lookup(self, cpr: str) -> CprPerson:
        number = valid_cpr_or_error(cpr)
        try:
            answer = post_json(self.lookup_url, {"cpr": number}, timeout=self.timeout_seconds)
        except ServiceUnreachable:
            raise CprServiceUnavailable() from None
        if answer.status == 404:
            raise CprPersonNotFound()
        if answer.status != 200:
            raise CprServiceUnavailable()
        try:
            person = person_from_wire(answer.body)
        except (KeyError, TypeError, ValueError):
            raise CprServiceUnavailable("CPR-registrets svar kunne ikke læses. Prøv igen om lidt.") from None
        if person.cpr != number:
            # An answer about someone else must never be shown as this person.
            raise CprServiceUnavailable("CPR-registrets svar kunne ikke læses. Prøv igen om lidt.")
        return person


def http_cpr_client_from_settings() -> HttpCprClient:
    """Factory for ``JOBCENTER_CPR_CLIENT``: reads ``JOBCENTER_CPR_BASE_URL`` and ``JOBCENTER_CPR_TIMEOUT_SECONDS``."""
    base_url, timeout = http_base_url_and_timeout("JOBCENTER_CPR", DEFAULT_TIMEOUT_SECONDS)
    return HttpCprClient(base_url, timeout_seconds=timeout)
