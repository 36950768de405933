"""NemKonto: the payment file goes here; the service pays each citizen's NemKonto."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class PaymentService(Protocol):
    def submit(self, file_name: str, source: Path) -> str:
        """Hand over a validated pain.001 file. Idempotent per file name: handing the
        same file over again is not a second payment. Returns the service's receipt."""
        ...
