"""Digital Post as callers see it: send one letter, get a receipt.

Every citizen aged 15 or more is connected to Digital Post unless exempt;
a letter to someone who is not connected must go by paper instead, which is
why :class:`RecipientNotConnected` is its own error.

Sending is idempotent: the caller gives each letter an ``idempotency_key``
(e.g. the id of the summons it belongs to). Sending the same key again --
after a timeout, a retry from the outbox, a double click -- returns the
first receipt and delivers nothing new, so a citizen never gets a letter twice.
Errors carry a Danish ``message`` without the CPR number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from jobcenter.integrations import IntegrationError
from jobcenter.integrations.cpr.interface import InvalidCprNumber, valid_cpr_or_error


@dataclass(frozen=True)
class DigitalPostLetter:
    recipient_cpr: str
    title: str
    body_text: str
    idempotency_key: str
    pdf: bytes | None = None


@dataclass(frozen=True)
class DeliveryReceipt:
    message_id: str
    accepted_at: datetime  # timezone-aware


class DigitalPostError(IntegrationError):
    """Base of every error a Digital Post client raises on purpose. ``message`` is Danish, without CPR number."""

    default_message = "Brevet kunne ikke sendes med Digital Post."


class InvalidLetter(DigitalPostError, ValueError):
    """The letter itself is incomplete (the caller's mistake); nothing was sent."""

    default_message = "Brevet mangler oplysninger og er ikke sendt."


class DigitalPostUnavailable(DigitalPostError):
    """Digital Post could not be reached; the letter may be sent again later with the same key."""

    default_message = "Digital Post svarer ikke lige nu. Brevet sendes igen senere."


class RecipientNotConnected(DigitalPostError):
    """The recipient is not connected to Digital Post (e.g. exempt); send the letter by paper."""

    default_message = "Modtageren er ikke tilmeldt Digital Post. Brevet skal sendes som papirpost."


class DigitalPostClient(Protocol):
    def send(self, letter: DigitalPostLetter) -> DeliveryReceipt:
        """Deliver the letter once per ``idempotency_key`` and return the receipt.

        Raises :class:`InvalidLetter`, :class:`RecipientNotConnected` or
        :class:`DigitalPostUnavailable`.
        """
        ...


def checked_letter(letter: DigitalPostLetter) -> str:
    """The recipient's compact CPR number, after checking the letter is complete; else :class:`InvalidLetter`."""
    try:
        recipient = valid_cpr_or_error(letter.recipient_cpr)
    except InvalidCprNumber:
        raise InvalidLetter("Modtagerens CPR-nummer er ugyldigt. Brevet er ikke sendt.") from None
    if not letter.title.strip():
        raise InvalidLetter("Brevet mangler en titel. Brevet er ikke sendt.")
    if not letter.body_text.strip() and not letter.pdf:
        raise InvalidLetter("Brevet har hverken tekst eller PDF. Brevet er ikke sendt.")
    if not letter.idempotency_key.strip():
        raise InvalidLetter("Brevet mangler en idempotensnøgle. Brevet er ikke sendt.")
    return recipient
