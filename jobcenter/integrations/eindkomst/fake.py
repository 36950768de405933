"""An in-memory income register the demo and the tests feed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from jobcenter.integrations.eindkomst.interface import MonthlyIncome


class FakeIncomeRegister:
    """Shared by every instance in the process, so a test can feed what the run will read."""

    reports: ClassVar[list[MonthlyIncome]] = []

    @classmethod
    def feed(cls, cpr: str, month: datetime.date, work_income_ore: int, work_hours: Decimal | str = "0") -> None:
        reference = f"fake-{len(cls.reports) + 1}"
        cls.reports.append(MonthlyIncome(cpr, month.replace(day=1), work_income_ore, Decimal(work_hours), reference))

    @classmethod
    def reset(cls) -> None:
        cls.reports.clear()

    def monthly_income(self, cprs: list[str], month: datetime.date) -> list[MonthlyIncome]:
        wanted = set(cprs)
        return [r for r in self.reports if r.cpr in wanted and r.month == month.replace(day=1)]
