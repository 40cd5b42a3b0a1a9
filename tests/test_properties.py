"""Property tests of the growth and verdict functions."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from plantrack.analysis.growth import cagr, period_growth, progress_ratio, ratio_r
from plantrack.analysis.verdict import LABELS, decide

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-0.99, max_value=10, allow_nan=False, allow_infinity=False)


@given(
    threshold=positive,
    excess=st.floats(min_value=0, max_value=1e6),
    observed=st.one_of(st.none(), rates),
    required=st.one_of(st.none(), rates),
)
def test_target_already_met_is_achieved_whatever_the_trend(threshold, excess, observed, required) -> None:
    v = decide(
        target_kind="point", threshold=threshold, latest=threshold + excess, observed=observed, required=required
    )
    assert v.category == "achieved"


@given(observed=rates, required=rates.filter(lambda r: abs(r) > 1e-9))
def test_flipping_direction_flips_the_sign_of_r(observed, required) -> None:
    assert ratio_r(observed, required, 1) == -ratio_r(observed, required, -1)


@given(rate=st.floats(min_value=1e-6, max_value=10, allow_nan=False))
def test_r_is_one_when_observed_equals_required(rate) -> None:
    assert ratio_r(rate, rate) == 1.0
    v = decide(target_kind="point", threshold=2.0, latest=1.0, observed=rate, required=rate)
    assert v.category == "on_track" and v.r == 1.0 and v.label_zh == "快于预期"


@given(observed=rates, required=st.floats(min_value=1e-6, max_value=10))
def test_r_orders_the_categories(observed, required) -> None:
    v = decide(target_kind="point", threshold=2.0, latest=1.0, observed=observed, required=required)
    r = observed / required
    expected = (
        "on_track" if r >= 0.95 else "acceleration_needed" if r >= 0.6 else "insufficient" if r >= 0 else "moving_away"
    )
    assert v.category == expected
    assert v.category in LABELS


@given(a=finite, b=finite, years=st.floats(min_value=-5, max_value=30))
def test_growth_functions_never_crash(a, b, years) -> None:
    for value in (cagr(a, b, years), period_growth(a, b), progress_ratio(a, b, a + 1)):
        assert value is None or math.isfinite(value) or math.isinf(value)


@given(a=finite, b=finite)
def test_zero_and_negative_values_are_not_projectable(a, b) -> None:
    if a <= 0 or b <= 0:
        assert cagr(a, b, 5) is None
    v = decide(target_kind="point", threshold=10.0, latest=1.0, observed=cagr(a, b, 5), required=0.1)
    assert v.category in LABELS


@given(y0=positive, y1=positive, years=st.integers(min_value=1, max_value=30))
def test_cagr_recovers_the_end_value(y0, y1, years) -> None:
    g = cagr(y0, y1, years)
    assert math.isclose(y0 * (1 + g) ** years, y1, rel_tol=1e-6)


def test_qualitative_and_missing_targets_stay_in_every_table() -> None:
    assert (
        decide(target_kind="qualitative", threshold=None, latest=1, observed=0.1, required=0.1).category
        == "not_quantifiable"
    )
    assert decide(target_kind="missing", threshold=None, latest=1, observed=0.1, required=0.1).category == "no_target"
