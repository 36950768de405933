"""The income register (eIndkomst): a person's income per month."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class MonthlyIncome:
    cpr: str
    month: datetime.date  # the first day of the month
    work_income_ore: int  # A-indkomst from work as LAS deducts it
    work_hours: Decimal  # hours reported with it
    reference: str  # the register's id of the report


class IncomeRegister(Protocol):
    def monthly_income(self, cprs: list[str], month: datetime.date) -> list[MonthlyIncome]:
        """Every report the register holds for these persons and month (the latest last)."""
        ...
