"""What was paid: the payments app's answer to benefits (entitlement.PaidLedger), registered at start.

Benefits never imports payments; the consequence preview and the marking of paid months for
recalculation ask this ledger through `jobcenter.benefits.entitlement.paid_ledger()`.
"""

from __future__ import annotations

import datetime
import uuid

from jobcenter.payments.compute import paid_for_months
from jobcenter.payments.models import BINDING_STATUSES, Payment, PaymentRunLine


class PaymentsLedger:
    def booked(self, grant_months: set[tuple[uuid.UUID, datetime.date]]) -> dict[tuple[uuid.UUID, datetime.date], int]:
        return paid_for_months(grant_months)

    def paid_months(
        self, grant_id: uuid.UUID, first: datetime.date, last: datetime.date | None, *, bound: bool = True
    ) -> list[datetime.date]:
        paid = Payment.objects.filter(grant_id=grant_id, month__gte=first)
        lines = PaymentRunLine.objects.filter(
            grant_id=grant_id, run__status__in=BINDING_STATUSES, run__month__gte=first
        )
        if last is not None:
            paid = paid.filter(month__lte=last)
            lines = lines.filter(run__month__lte=last)
        months = set(paid.values_list("month", flat=True))
        if bound:
            months |= set(lines.values_list("run__month", flat=True))
        return sorted(months)
