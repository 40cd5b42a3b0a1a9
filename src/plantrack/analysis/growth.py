"""Growth arithmetic: compound annual growth, period-over-period growth, scenario projections."""

from __future__ import annotations

import math


def cagr(y0: float, y1: float, years: float) -> float | None:
    """Compound annual growth rate from ``y0`` to ``y1`` over ``years``; None when undefined.

    Undefined when ``years <= 0`` or the two values are not both positive (METHOD.md:
    all values of one sign).
    """
    if years <= 0 or y0 is None or y1 is None or y0 <= 0 or y1 <= 0:
        return None
    try:
        return math.exp((math.log(y1) - math.log(y0)) / years) - 1.0
    except OverflowError:
        return None


def period_growth(previous_total: float, current_total: float) -> float | None:
    """Growth of a total over one plan period against the previous period's total."""
    if previous_total is None or current_total is None or previous_total <= 0 or current_total < 0:
        return None
    try:
        return current_total / previous_total - 1.0
    except OverflowError:
        return None


def compound(value: float, rate: float, years: float) -> float:
    """``value`` grown at ``rate`` a year for ``years`` years."""
    return value * (1.0 + rate) ** years




def progress_ratio(projected: float, baseline: float, target: float) -> float | None:
    """UNSD progress-chart ratio (ŷT − y0) / (yT − y0); None when the target equals the baseline."""
    if projected is None or baseline is None or target is None or target == baseline:
        return None
    return (projected - baseline) / (target - baseline)
