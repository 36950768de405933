"""Work that happens after the transaction: delivering summonses through Digital Post."""

from __future__ import annotations

import logging

from django_tasks import task

from jobcenter.audit.context import work_context

logger = logging.getLogger(__name__)


@task()
def deliver_summons(summons_id: str) -> str:
    """Send one summons. The summons id is the idempotency key: a retry never sends a second letter."""
    from jobcenter.cases.actions import do_record_summons_delivered, do_record_summons_failed
    from jobcenter.cases.models import Summons, SummonsStatus
    from jobcenter.integrations.digital_post import (
        DigitalPostError,
        DigitalPostLetter,
        get_digital_post_client,
    )

    with work_context("task:deliver_summons"):
        summons = Summons.objects.select_related("interview__case__citizen").get(pk=summons_id)
        if summons.status == SummonsStatus.DELIVERED:
            return "already delivered"
        letter = DigitalPostLetter(
            recipient_cpr=summons.interview.case.citizen.cpr,
            title=summons.title,
            body_text=summons.body_text,
            idempotency_key=str(summons.pk),
        )
        try:
            receipt = get_digital_post_client().send(letter)
        except DigitalPostError as error:
            message = getattr(error, "message", "") or "Digital Post kunne ikke aflevere brevet."
            logger.warning("summons %s not delivered: %s", summons_id, type(error).__name__)
            do_record_summons_failed(summons_id=summons_id, message=message)
            return "failed"
        do_record_summons_delivered(
            summons_id=summons_id, message_id=receipt.message_id, accepted_at=receipt.accepted_at
        )
        return "delivered"
