"""Target groups (målgrupper) as dated data: which groups the law knows on a given day.

The law changes the groups: LAB § 6 has had 13 since 1 January 2020, and the
employment reform replaces them with five (expected 1 January 2027; the date
is not yet confirmed, see ``data/target_groups.yaml`` and
``docs/contact-course.md``). A case stores the group's ``code``; this module
answers what the code means and whether it is valid on a day.

Pure: no Django, no database; the data file is read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "target_groups.yaml"


@dataclass(frozen=True)
class TargetGroup:
    code: str
    name_da: str
    paragraph: str
    source_url: str
    source_kind: str  # official | secondary
    valid_from: date | None  # None: the date it takes effect was not found; never valid until entered
    valid_to: date | None  # inclusive; None = still in force
    expected_from: date | None = None  # announced but unconfirmed start, shown to users, never used as valid_from
    note: str = ""

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from is None:
            return False
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class UnknownTargetGroup(LookupError):
    """The code names no target group, in any version of the law."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.message = f"Ukendt målgruppe: »{code}«. Vælg en af de målgrupper, loven kender."
        super().__init__(self.message)


def _group_from_entry(entry: dict[str, Any]) -> TargetGroup:
    return TargetGroup(
        code=str(entry["code"]),
        name_da=str(entry["name_da"]),
        paragraph=str(entry["paragraph"]),
        source_url=str(entry["source_url"]),
        source_kind=str(entry["source_kind"]),
        valid_from=entry["valid_from"],
        valid_to=entry["valid_to"],
        expected_from=entry.get("expected_from"),
        note=str(entry.get("note") or ""),
    )


@cache
def all_target_groups() -> tuple[TargetGroup, ...]:
    """Every group the data knows, in the order of the law, whether in force or not."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    groups = tuple(_group_from_entry(entry) for entry in data["groups"])
    codes = [group.code for group in groups]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{DATA_FILE}: a target group code appears twice")
    return groups


def target_groups_on(day: date) -> tuple[TargetGroup, ...]:
    """The groups in force on ``day`` (both ends inclusive)."""
    return tuple(group for group in all_target_groups() if group.is_valid_on(day))


def target_group(code: str) -> TargetGroup:
    """The group with this code, or :class:`UnknownTargetGroup` (Danish message)."""
    for group in all_target_groups():
        if group.code == code:
            return group
    raise UnknownTargetGroup(code)


def is_valid_on(code: str, day: date) -> bool:
    """Whether the group is in force on ``day``; an unknown code raises :class:`UnknownTargetGroup`."""
    return target_group(code).is_valid_on(day)
