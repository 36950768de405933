"""A NemKonto that writes the file under var/nemkonto (JOBCENTER_NEMKONTO_OUTBOX)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from django.conf import settings


class FakePaymentService:
    def outbox(self) -> Path:
        path = Path(settings.JOBCENTER_NEMKONTO_OUTBOX)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def submit(self, file_name: str, source: Path) -> str:
        target = self.outbox() / file_name
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if target.exists():
            if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                raise ValueError(f"{file_name} was handed over before with other content")
            return f"fake-nemkonto:{digest[:16]}"  # the same file again: no second payment
        partial = target.with_suffix(".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)
        return f"fake-nemkonto:{digest[:16]}"
