"""Money in the rules: integer øre, and the one rounding rule.

All amounts are int64 øre. Rates in the parameter files are in kroner as the
sources print them (11944, 112.50, 28.66) and are converted exactly; a rate
with a fraction of an øre is an error, not something to round.

Rounding happens in exactly one function, :func:`divide_round_half_up`.
Fractions of an øre arise only where the law multiplies an amount by a share
or by hours: the hourly disregard (kr. per hour x hours), the 65 % deduction
of work income, and the dagpenge ceiling (85 % / 100 % of the maximum
dagpenge). Payments are made in whole øre, so such a product is rounded to
the nearest øre, half an øre upwards. Basis: no provision of lov om aktiv
socialpolitik prescribes the rounding of these intermediate amounts (the
satsregulering rounds the *rates* themselves, which arrive here already
rounded); commercial rounding to the smallest unit of the currency is
used. This choice is listed in docs/rules.md for legal review.

Shares (65 %, 85 %) are held as integer basis points (1/10,000) and hours as
hundredths of an hour so that the whole computation is integer arithmetic:
no binary floating-point error can move a result across a rounding edge.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

OreArray = npt.NDArray[np.int64]

BASIS_POINTS_PER_UNIT = 10_000
HUNDREDTHS_PER_HOUR = 100


def divide_round_half_up(numerator: Any, denominator: int) -> OreArray:
    """Divide integer amounts and round to whole øre, halves away from zero.

    This is the only rounding of money in the rules package; see the module
    docstring for the rule and its basis. ``numerator`` is an int64 array (or
    int) already expressed in øre x ``denominator``.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    values = np.asarray(numerator, dtype=np.int64)
    magnitude = (2 * np.abs(values) + denominator) // (2 * denominator)
    return np.where(values < 0, -magnitude, magnitude).astype(np.int64)


def kroner_to_ore(value: float | int | Decimal | str) -> int:
    """Convert a rate in kroner (as printed by the source) to exact øre."""
    ore = Decimal(str(value)) * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{value} kr. is not a whole number of øre")
    return int(ore)


def share_to_basis_points(value: float | int | Decimal | str) -> int:
    """Convert a share (0.65) to exact basis points (6500)."""
    points = Decimal(str(value)) * BASIS_POINTS_PER_UNIT
    if points != points.to_integral_value():
        raise ValueError(f"{value} is not a whole number of basis points")
    return int(points)


def format_kroner(ore: int) -> str:
    """Danish display of an øre amount: 1234567 -> '12.345,67 kr.'."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), 100)
    grouped = f"{kroner:,}".replace(",", ".")
    return f"{sign}{grouped},{rest:02d} kr."
