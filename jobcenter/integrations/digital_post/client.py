"""HTTP client for Digital Post (a skeleton, not yet the real service).

The real sending goes through the national Digital Post (NgDP, "Digital
Post for offentlige afsendere", reached through KOMBIT's Serviceplatformen
or a certified provider), which needs a sender agreement, a certificate and
the MeMo message format. None of those are available to this project yet,
so this client speaks a small JSON stand-in of our own; the contract tests
pin down the behaviour callers rely on:

- 200/201: the receipt; the same ``Idempotency-Key`` returns the first receipt;
- 409 or 422 with ``{"error": "recipient_not_connected"}``: :class:`RecipientNotConnected`;
- 400/422 with ``{"error": "invalid_letter"}``: :class:`InvalidLetter`;
- any other status, a timeout or a refused connection: :class:`DigitalPostUnavailable`.

Wire format: ``POST {base_url}/messages`` with header ``Idempotency-Key`` and
body ``{"recipientCpr", "title", "bodyText", "idempotencyKey", "pdfBase64"}``;
answer ``{"messageId": "...", "acceptedAt": "2026-11-23T09:15:00+00:00"}``.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from jobcenter.integrations import ServiceUnreachable, http_base_url_and_timeout, post_json
from jobcenter.integrations.digital_post.interface import (
    DeliveryReceipt,
    DigitalPostLetter,
    DigitalPostUnavailable,
    InvalidLetter,
    RecipientNotConnected,
    checked_letter,
)

DEFAULT_TIMEOUT_SECONDS = 30.0
UNREADABLE_ANSWER = "Digital Posts svar kunne ikke læses. Brevet sendes igen senere."


def letter_to_wire(letter: DigitalPostLetter) -> dict[str, Any]:
    return {
        "recipientCpr": letter.recipient_cpr,
        "title": letter.title,
        "bodyText": letter.body_text,
        "idempotencyKey": letter.idempotency_key,
        "pdfBase64": None if letter.pdf is None else base64.b64encode(letter.pdf).decode("ascii"),
    }


def letter_from_wire(data: Any) -> DigitalPostLetter:
    pdf = data.get("pdfBase64")
    return DigitalPostLetter(
        recipient_cpr=str(data["recipientCpr"]),
        title=str(data["title"]),
        body_text=str(data["bodyText"]),
        idempotency_key=str(data["idempotencyKey"]),
        pdf=None if pdf is None else base64.b64decode(pdf),
    )


def receipt_to_wire(receipt: DeliveryReceipt) -> dict[str, str]:
    return {"messageId": receipt.message_id, "acceptedAt": receipt.accepted_at.isoformat()}


def receipt_from_wire(data: Any) -> DeliveryReceipt:
    accepted_at = datetime.fromisoformat(data["acceptedAt"])
    if accepted_at.tzinfo is None:
        raise ValueError("acceptedAt must carry a time zone")
    return DeliveryReceipt(message_id=str(data["messageId"]), accepted_at=accepted_at)


class HttpDigitalPostClient:
    """Sends letters over HTTP; see the module docstring for what is and is not real yet."""

    def __init__(self, base_url: str, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.messages_url = base_url.rstrip("/") + "/messages"
        self.timeout_seconds = timeout_seconds

    def send(self, letter: DigitalPostLetter) -> DeliveryReceipt:
        checked_letter(letter)
        try:
            answer = post_json(
                self.messages_url,
                letter_to_wire(letter),
                timeout=self.timeout_seconds,
                headers={"Idempotency-Key": letter.idempotency_key},
            )
        except ServiceUnreachable:
            raise DigitalPostUnavailable() from None
        error = answer.body.get("error") if isinstance(answer.body, dict) else None
        if answer.status in (409, 422) and error == "recipient_not_connected":
            raise RecipientNotConnected()
        if answer.status in (400, 422) and error == "invalid_letter":
            raise InvalidLetter()
        if answer.status not in (200, 201):
            raise DigitalPostUnavailable()
        try:
            return receipt_from_wire(answer.body)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DigitalPostUnavailable(UNREADABLE_ANSWER) from None


def http_digital_post_client_from_settings() -> HttpDigitalPostClient:
    """Factory for ``JOBCENTER_DIGITAL_POST_CLIENT``: reads ``JOBCENTER_DIGITAL_POST_BASE_URL`` and ``..._TIMEOUT_SECONDS``."""
    base_url, timeout = http_base_url_and_timeout("JOBCENTER_DIGITAL_POST", DEFAULT_TIMEOUT_SECONDS)
    return HttpDigitalPostClient(base_url, timeout_seconds=timeout)
