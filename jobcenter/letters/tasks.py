"""Delivering letters through Digital Post, on the worker, after the letter's transaction committed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jobcenter.audit.context import work_context
from jobcenter.events.background import background_task
from jobcenter.integrations.digital_post import (
    DigitalPostLetter,
    DigitalPostUnavailable,
    InvalidLetter,
    RecipientNotConnected,
    get_digital_post_client,
)
from jobcenter.letters.actions import record_delivery
from jobcenter.letters.models import DeliveryStatus, Letter
from jobcenter.letters.queries import current_status

# Digital Post down: try again after 1, 2, 4 ... minutes, at most an hour apart;
# after this many attempts (about a working day) the letter goes to paper post
# instead of waiting longer for a service that does not answer.
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)

FINISHED = frozenset({DeliveryStatus.SENT, DeliveryStatus.NEEDS_PAPER, DeliveryStatus.PRINTED})


def backoff(attempt: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempt - 1)), MAX_BACKOFF)


def _describe(letter_id: str) -> tuple[str, Any]:
    letter = Letter.objects.only("title", "municipality_id").get(pk=letter_id)
    return f"Afsendelse af brevet »{letter.title}« med Digital Post", letter.municipality_id


@background_task(describe=_describe)
def deliver_letter(letter_id: str) -> str:
    """Send one letter; safe to run twice (Digital Post deduplicates by the letter's id, and we stop once sent)."""
    with work_context("task:deliver_letter"):
        return _deliver(letter_id)


def _deliver(letter_id: str) -> str:
    letter = Letter.objects.select_related("citizen", "municipality").get(pk=letter_id)
    status = current_status(letter)
    if status in FINISHED:
        return str(status)
    attempt = letter.deliveries.filter(status=DeliveryStatus.RETRYING).count() + 1
    try:
        receipt = get_digital_post_client().send(
            DigitalPostLetter(
                recipient_cpr=letter.citizen.cpr,
                title=letter.title,
                body_text=letter.summary_text,
                idempotency_key=str(letter.pk),
                pdf=bytes(letter.pdf),
            )
        )
    except RecipientNotConnected as error:
        record_delivery(letter, DeliveryStatus.NEEDS_PAPER, attempt=attempt, detail=error.message)
        return DeliveryStatus.NEEDS_PAPER
    except InvalidLetter as error:
        # Digital Post cannot take it (e.g. no valid recipient); a person prints and posts it instead.
        record_delivery(letter, DeliveryStatus.NEEDS_PAPER, attempt=attempt, detail=error.message)
        return DeliveryStatus.NEEDS_PAPER
    except DigitalPostUnavailable as error:
        if attempt >= MAX_ATTEMPTS:
            record_delivery(
                letter,
                DeliveryStatus.NEEDS_PAPER,
                attempt=attempt,
                detail=f"Digital Post svarede ikke efter {attempt} forsøg. {error.message}",
            )
            return DeliveryStatus.NEEDS_PAPER
        record_delivery(letter, DeliveryStatus.RETRYING, attempt=attempt, detail=error.message)
        deliver_letter.using(run_after=timezone.now() + backoff(attempt)).enqueue(str(letter.pk))
        return DeliveryStatus.RETRYING
    record_delivery(letter, DeliveryStatus.SENT, attempt=attempt, message_id=receipt.message_id)
    return DeliveryStatus.SENT
