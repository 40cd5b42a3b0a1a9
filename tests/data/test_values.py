"""Parsing of values as written, and the two readings of 增长N倍."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from plantrack.data.units import WRITTEN_ONLY, compatible, factor, normalise_unit
from plantrack.data.values import derive, numbers_in, parse_value_text, present


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "year"),
    [
        ("32", "point", 32, 32, None),
        ("2-3", "range", 2, 3, None),
        ("3-5个", "range", 3, 5, None),
        (">90", "lower_bound", 90, None, None),
        ("超1200家", "lower_bound", 1200, None, None),
        ("超过200", "lower_bound", 200, None, None),
        ("85分以上", "lower_bound", 85, None, None),
        ("不低于70件", "lower_bound", 70, None, None),
        ("100余家", "lower_bound", 100, None, None),
        ("22.9（2018年）", "point", 22.9, 22.9, 2018),
        ("10（示范单位）", "point", 10, 10, None),
        ("持续增长", "qualitative", None, None, None),
        ("全覆盖", "qualitative", None, None, None),
        ("未统计", "missing", None, None, None),
        ("未开展", "missing", None, None, None),
        ("国家不再统计", "missing", None, None, None),
        ("", "missing", None, None, None),
        ("1.2万家", "point", 1.2, 1.2, None),
    ],
)
def test_parse_value_text(text: str, kind: str, low: float | None, high: float | None, year: int | None) -> None:
    parsed = parse_value_text(text)
    assert (parsed.kind, parsed.low, parsed.high, parsed.year) == (kind, low, high, year)


def test_missing_values_keep_their_reason() -> None:
    assert "未开展" in parse_value_text("未开展").reason
    assert "不再统计" in parse_value_text("国家不再统计").reason


def test_times_readings() -> None:
    # 增长了1.51倍: standard reading ×2.51 → 68.85 / 2.51 = 27.43; the other reading ×1.51 → 45.60
    assert math.isclose(derive("times_increase", 68.85, 1.51), 27.430, rel_tol=1e-4)
    assert math.isclose(derive("times_increase", 68.85, 1.51, "multiple"), 45.596, rel_tol=1e-4)
    # 是…的1.36倍 is a ratio whatever the reading
    assert derive("ratio", 157.88, 1.36) == derive("ratio", 157.88, 1.36)
    assert math.isclose(derive("percent_increase", 5.39, 100.17), 2.6927, rel_tol=1e-4)
    assert math.isclose(derive("pp_increase", 92.66, 0.99), 91.67)


def test_numbers_in() -> None:
    assert numbers_in("新增专利授权40.25万件，较“十二五”增长了7.58%") == {40.25, 7.58}
    assert numbers_in("2-3") == {2.0, 3.0}


@pytest.mark.parametrize(
    ("written", "normalised", "multiplier"),
    [("million yuan", "亿元", 0.01), ("billion yuan", "亿元", 10.0), ("萬件", "件", 1e4), ("piece", "件", 1.0)],
)
def test_units_written_in_english_or_traditional_characters(written: str, normalised: str, multiplier: float) -> None:
    """Units as an English or traditional-character source writes them: accepted, normalised, never offered."""
    assert normalise_unit(written) == (normalised, multiplier)
    assert math.isclose(factor(written), multiplier)
    assert written in WRITTEN_ONLY
    assert compatible(written, normalised) and not compatible(written, "%")


@pytest.mark.parametrize("v", [None, float("nan"), pd.NA, pd.NaT, "", pd.Series([1.0, math.nan], dtype="float32")[1]])
def test_an_empty_cell_of_any_kind_is_no_value(v: object) -> None:
    assert not present(v)


@pytest.mark.parametrize("v", [0, 0.0, "0", "x", -1.5, 2025])
def test_a_value_is_present_even_when_zero(v: object) -> None:
    assert present(v)
