"""The appeal guidance (klagevejledning) in force on a day: dated data with its source."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "appeal_guidance.yaml"


@dataclass(frozen=True)
class AppealGuidance:
    valid_from: date
    reference: str
    source_url: str
    source_title: str
    source_kind: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(self.text.split())]


@functools.cache
def _all() -> tuple[AppealGuidance, ...]:
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(sorted((AppealGuidance(**entry) for entry in entries), key=lambda g: g.valid_from))


def appeal_guidance_on(day: date) -> AppealGuidance:
    """The guidance in force on `day`; a letter dated before the first entry is a programming error."""
    in_force = [guidance for guidance in _all() if guidance.valid_from <= day]
    if not in_force:
        raise LookupError(f"no appeal guidance is in force on {day.isoformat()}")
    return in_force[-1]
