"""eIndkomst: `client()` is the implementation JOBCENTER_EINDKOMST_CLIENT names (the fake by default)."""

from __future__ import annotations

from jobcenter.integrations import load_implementation
from jobcenter.integrations.eindkomst.interface import IncomeRegister, MonthlyIncome

__all__ = ["IncomeRegister", "MonthlyIncome", "client"]


def client() -> IncomeRegister:
    return load_implementation(  # type: ignore[no-any-return]
        "JOBCENTER_EINDKOMST_CLIENT", "jobcenter.integrations.eindkomst.fake.FakeIncomeRegister"
    )
