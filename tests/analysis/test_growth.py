"""Growth arithmetic: compound annual growth, period-over-period growth, progress ratio."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from plantrack.analysis.growth import cagr, compound, period_growth, progress_ratio

positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)


def test_cagr_doubling_over_five_years() -> None:
    assert cagr(10, 20, 5) == pytest.approx(2 ** 0.2 - 1)


@pytest.mark.parametrize(("y0", "y1", "years"), [(0, 5, 5), (5, 0, 5), (-1, 5, 5), (5, 10, 0)])
def test_cagr_undefined_without_positive_values_and_time(y0: float, y1: float, years: float) -> None:
    assert cagr(y0, y1, years) is None


@given(positive, positive, st.integers(min_value=1, max_value=30))
def test_compounding_the_cagr_returns_the_end_value(y0: float, y1: float, years: int) -> None:
    assume(1e-3 <= y1 / y0 <= 1e3)  # plan indicators change by far less than a thousandfold
    rate = cagr(y0, y1, years)
    assert rate is not None and math.isclose(compound(y0, rate, years), y1, rel_tol=1e-9)


def test_period_growth_and_progress_ratio() -> None:
    assert period_growth(400, 500) == pytest.approx(0.25)
    assert period_growth(0, 500) is None
    assert progress_ratio(25, 20, 30) == pytest.approx(0.5)
    assert progress_ratio(25, 30, 30) is None
