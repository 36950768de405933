"""Reading parameters: refuse absent values, and describe the values used.

OpenFisca carries a parameter's last value forward in time. This package
never relies on that for a rate: every rate set by the yearly satsregulering
("validity: calendar_year") ends with an explicit ``value: null`` where the
source stops, :func:`check_parameter_validity` enforces that when the
tax-benefit system is built, and :func:`require_ore` raises
:class:`MissingParameterError` when a null value is needed by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode

from jobcenter.rules.errors import MissingParameterError
from jobcenter.rules.money import kroner_to_ore, share_to_basis_points

CALENDAR_YEAR = "calendar_year"
UNTIL_AMENDED = "until_amended"
VALIDITIES = (CALENDAR_YEAR, UNTIL_AMENDED)
SOURCE_KINDS = ("official", "secondary", "derived")


def month_label(period: Any) -> str:
    """'2025-08' for an OpenFisca month period (or its start instant)."""
    start = getattr(period, "start", period)
    return f"{start.year:04d}-{start.month:02d}"


def _lookup(entity: Any, period: Any, path: str) -> Any:
    """The value of parameter ``path`` on the first day of ``period``.

    Read from the parameter tree itself (not OpenFisca's at-instant view,
    which silently drops null values): an unknown name is a programming
    error (KeyError), a null value is an absent rate (None).
    """
    root = entity.simulation.tax_benefit_system.parameters
    start = getattr(period, "start", period)
    return get_parameter(root, path)(str(start))


def _check_needed(value: Any, path: str, period: Any, needed: Any) -> bool:
    """True if the value may be used; raise if it is absent and needed."""
    if value is not None:
        return True
    needed_array = np.asarray(needed, dtype=bool)
    if needed_array.any():
        raise MissingParameterError(
            path,
            month_label(period),
            affected=int(np.count_nonzero(needed_array)),
            person_indices=tuple(int(i) for i in np.flatnonzero(needed_array)[:10]),
        )
    return False


def require_ore(entity: Any, period: Any, path: str, needed: Any) -> int:
    """The rate at ``path`` for the month, in øre.

    ``entity`` is the population the formula runs on (``person``).
    ``needed`` marks the persons whose result depends on the rate. An absent
    (null) rate raises :class:`MissingParameterError` if anyone needs it; if
    nobody does, 0 is returned and must be masked out by the caller.
    """
    value = _lookup(entity, period, path)
    return kroner_to_ore(value) if _check_needed(value, path, period, needed) else 0


def require_basis_points(entity: Any, period: Any, path: str, needed: Any) -> int:
    """A share (0.65) at ``path`` for the month, in basis points (6500)."""
    value = _lookup(entity, period, path)
    return share_to_basis_points(value) if _check_needed(value, path, period, needed) else 0


def require_number(entity: Any, period: Any, path: str, needed: Any) -> Any:
    """A count or flag (hours, children, months, in force) at ``path``."""
    value = _lookup(entity, period, path)
    return value if _check_needed(value, path, period, needed) else 0


# ---------------------------------------------------------------------------
# Describing a value: what a breakdown line cites.


@dataclass(frozen=True)
class ParameterValue:
    """One parameter value as used by a calculation, with its source."""

    name: str
    description: str
    value: float | int | bool | None
    unit: str
    reference: str
    effective_from: str
    valid_until: str | None
    source_kind: str | None
    source_url: str | None
    source_title: str | None
    derived_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "value": self.value,
            "unit": self.unit,
            "reference": self.reference,
            "effective_from": self.effective_from,
            "valid_until": self.valid_until,
            "source_kind": self.source_kind,
            "source_url": self.source_url,
            "source_title": self.source_title,
            "derived_from": self.derived_from,
        }


def get_parameter(root: ParameterNode, name: str) -> Parameter:
    """The parameter leaf called ``name`` (dotted path); KeyError if none."""
    node: Any = root
    for part in name.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            raise KeyError(name)
        node = children[part]
    if not isinstance(node, Parameter):
        raise KeyError(name)
    return node


def describe_value(root: ParameterNode, name: str, on: date) -> ParameterValue:
    """The value of parameter ``name`` in force on ``on``, with its source."""
    parameter = get_parameter(root, name)
    entries = parameter.values_list  # newest first
    chosen = None
    valid_until = None
    for index, entry in enumerate(entries):
        if entry.instant_str <= on.isoformat():
            chosen = entry
            if index > 0:
                next_start = date.fromisoformat(entries[index - 1].instant_str)
                valid_until = (next_start - timedelta(days=1)).isoformat()
            break
    metadata = dict(parameter.metadata)
    value_metadata = dict(chosen.metadata) if chosen is not None else {}
    return ParameterValue(
        name=name,
        description=parameter.description or "",
        value=chosen.value if chosen is not None else None,
        unit=str(metadata.get("unit", "")),
        reference=str(metadata.get("reference", "")),
        effective_from=chosen.instant_str if chosen is not None else "",
        valid_until=valid_until,
        source_kind=value_metadata.get("source_kind"),
        source_url=value_metadata.get("source_url"),
        source_title=value_metadata.get("source_title"),
        derived_from=value_metadata.get("derived_from"),
    )


def iter_parameters(node: ParameterNode) -> list[Parameter]:
    """Every parameter leaf under ``node``."""
    leaves: list[Parameter] = []
    for child in node.children.values():
        if isinstance(child, Parameter):
            leaves.append(child)
        elif isinstance(child, ParameterNode):
            leaves.extend(iter_parameters(child))
    return leaves


def check_parameter_validity(root: ParameterNode) -> list[str]:
    """Problems with the dating of parameter values; empty if none.

    Rules (see docs/rules.md, "Validity of a rate"):
    - every leaf states unit, reference and validity in its metadata;
    - every non-null value states its source_kind (official | secondary |
      derived) and a source title;
    - a ``calendar_year`` value (set by the yearly satsregulering) holds at
      most until 31 December of its year: the next entry (a value or
      ``null``) must start no later than the following 1 January. So no
      yearly rate is ever carried into a year its source does not cover.
    """
    problems: list[str] = []
    for parameter in iter_parameters(root):
        metadata = parameter.metadata
        for key in ("unit", "reference", "validity"):
            if key not in metadata:
                problems.append(f"{parameter.name}: metadata lacks '{key}'")
        validity = metadata.get("validity")
        if validity is not None and validity not in VALIDITIES:
            problems.append(f"{parameter.name}: validity must be one of {VALIDITIES}")
        entries = list(reversed(parameter.values_list))  # oldest first
        for index, entry in enumerate(entries):
            if entry.value is None:
                continue
            kind = entry.metadata.get("source_kind")
            if kind not in SOURCE_KINDS:
                problems.append(f"{parameter.name} from {entry.instant_str}: source_kind must be one of {SOURCE_KINDS}")
            if not entry.metadata.get("source_title") and not entry.metadata.get("source_url"):
                problems.append(f"{parameter.name} from {entry.instant_str}: no source")
            if validity == CALENDAR_YEAR:
                year_end = f"{int(entry.instant_str[:4]) + 1:04d}-01-01"
                following = entries[index + 1] if index + 1 < len(entries) else None
                if following is None or following.instant_str > year_end:
                    problems.append(
                        f"{parameter.name}: the value from {entry.instant_str} is a yearly rate "
                        f"but nothing ends it by {year_end}; add the next year's value or "
                        "'value: null'"
                    )
    return problems
