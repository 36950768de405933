"""NemKonto: `client()` is the implementation JOBCENTER_NEMKONTO_CLIENT names (the fake by default)."""

from __future__ import annotations

from jobcenter.integrations import load_implementation
from jobcenter.integrations.nemkonto.interface import PaymentService

__all__ = ["PaymentService", "client"]


def client() -> PaymentService:
    return load_implementation(  # type: ignore[no-any-return]
        "JOBCENTER_NEMKONTO_CLIENT", "jobcenter.integrations.nemkonto.fake.FakePaymentService"
    )
