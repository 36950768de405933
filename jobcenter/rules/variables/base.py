"""Shared pieces for variables: the money type and small helpers."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.variables import Variable


class _Money(Variable):
    """An amount of money in integer øre (int64), never a float.

    OpenFisca's own ``int`` is int32 and its ``float`` is float32; money
    needs neither, so every money variable overrides the dtype to int64.
    """

    value_type = int
    unit = "øre"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # OpenFisca reads a variable's attributes from its own class body
        # only, so each money variable gets them set here.
        super().__init_subclass__(**kwargs)
        cls.value_type = int
        cls.unit = "øre"

    def __init__(self, baseline_variable: Any = None) -> None:
        super().__init__(baseline_variable)
        self.dtype = np.int64


def family_position(person: Any) -> Any:
    """0 for the first adult of a family, 1 for the second."""
    return person.simulation.populations["family"].members_position


def as_ore(array: Any) -> Any:
    return np.asarray(array).astype(np.int64)
