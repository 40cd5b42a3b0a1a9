"""One number formatter: thousands separators, sensible digits, years as integers, targets as written."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from plantrack.present import formats
from plantrack.present.words import words


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (40000, "40,000"),
        (10000.0, "10,000"),
        (1045.23, "1,045.2"),
        (20.23, "20.23"),
        (6.8, "6.8"),
        (0.0, "0"),
        (None, "—"),
        (math.nan, "—"),
        (pd.NA, "—"),
    ],
)
def test_number(value: object, text: str) -> None:
    assert formats.number(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(50.78, "50.8"), (0.0686, "0.0686"), (434321.7, "434,322"), (7.46, "7.46")]
)
def test_approx(value: float, text: str) -> None:
    assert formats.approx(value) == text


def test_years_percent_growth() -> None:
    assert formats.year(2020.0) == "2020" and formats.year(None) == "—"
    assert formats.percent(0.8082) == "81%" and formats.percent(0.8082, 1) == "80.8%"
    assert words("zh").growth(0.2021, "year") == "+20.2%/年"
    assert words("en").growth(-0.03, "year") == "−3.0%/yr"
    assert words("zh").growth(0.237, "period") == "+23.7%（较上期）"
    assert words("en").growth(0.237, "period") == "+23.7% vs previous period"
    assert words("en").growth(None, "year") == "—"
    assert formats.ratio(1.2345) == "1.23"


@pytest.mark.parametrize(
    ("text", "unit", "shown"),
    [
        ("2", "万件", "2万件"),
        ("45", "万件", "45万件"),
        ("10000", "人次", "10,000人次"),
        ("20000件以上", "件", "20,000件以上"),
        ("超过200", "亿元", "超过200亿元"),
        (">90", "%", ">90%"),
        ("15家以上", "家", "15家以上"),
        ("2-3", "个", "2-3个"),
        (None, "件", "—"),
    ],
)
def test_as_written_keeps_the_unit_and_wan(text: str, unit: str, shown: str) -> None:
    assert formats.as_written(text, unit) == shown


def test_values_in_the_written_unit() -> None:
    assert formats.in_written_unit(430000, "万件", "件") == "43万件"
    assert formats.in_written_unit(20000, "万件", "件") == "2万件"
    assert formats.in_written_unit(5000, "人次", "人次") == "5,000人次"
    assert formats.in_written_unit(12, None, "件") == "12件"
    assert formats.with_unit(20000, "pieces") == "20,000 pieces"
    assert formats.with_unit(200, "100 million yuan") == "200 (100 million yuan)"
    assert formats.with_unit(85, "%") == "85%"


def test_a_target_or_completion_as_written_keeps_its_unit_in_the_table_view() -> None:
    """The review printed 目标值（原文） "9" for 9万件: a text as written gets its unit if it ends with its number."""
    from plantrack.present import listing
    from plantrack.present.words import words

    w = words("zh")
    assert listing.cell(w, {"target_text": "9", "unit_as_written": "万件"}, "target_text") == "9万件"
    assert listing.cell(w, {"actual_text": "3200", "unit_as_written": "亿元"}, "actual_text") == "3,200亿元"
    assert listing.cell(w, {"target_text": "15家以上", "unit_as_written": "家"}, "target_text") == "15家以上"
    assert listing.cell(w, {"target_text": None, "unit_as_written": "家"}, "target_text") == "—"
