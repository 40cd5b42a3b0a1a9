"""Outside sources: stored retrieved text, tier, quotes and numbers checked; part-year values and conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack import load
from plantrack.data.tables import read_all
from tests.fixture import build

WEB_SOURCE = ["bulletin", "2024年统计公报", "测试统计局", "2025-03-01", "web/bulletin.txt", "https://example.org/b",
              "2026-11-22", "A", ""]
WEB_TEXT = "url: https://example.org/b\nretrieved: 2026-11-22\n---\n年末全省甲存量35件。1-9月新增丁120件。\n"


def _obs(value: str, quote: str, covers: str = "", use: str = "", year: str = "2024") -> list[str]:
    return ["prov", "stock_a", year, "", value, "件", "exact", "", covers, use, "stated", "", "", "", "", "bulletin",
            "公报", quote, ""]


def _problems(tmp_path: Path, sources: list[list[str]], observations: list[list[str]], text: str | None = WEB_TEXT):
    folder = build(tmp_path, {"sources.csv": sources, "observations.csv": observations})
    if text is not None:
        (folder / "raw" / "web").mkdir(exist_ok=True)
        (folder / "raw" / "web" / "bulletin.txt").write_text(text, encoding="utf-8")
    return [(p.file, p.column, p.expected) for p in read_all(folder)[1]]


def test_a_valid_outside_value_is_used(tmp_path: Path) -> None:
    assert _problems(tmp_path, [WEB_SOURCE], [_obs("35", "年末全省甲存量35件")]) == []
    data = load(tmp_path)
    assert data.sources.set_index("source_id").loc["bulletin", "tier"] == "A"


def test_an_address_without_stored_text_is_an_error(tmp_path: Path) -> None:
    no_file = [*WEB_SOURCE[:4], "", *WEB_SOURCE[5:]]
    problems = _problems(tmp_path, [no_file], [], text=None)
    assert any(c == "raw_file" and "no stored text" in e for _, c, e in problems)


def test_stored_file_must_exist(tmp_path: Path) -> None:
    problems = _problems(tmp_path, [WEB_SOURCE], [], text=None)
    assert any(c == "raw_file" and "no such file" in e for _, c, e in problems)


def test_quote_must_be_in_the_stored_text(tmp_path: Path) -> None:
    problems = _problems(tmp_path, [WEB_SOURCE], [_obs("36", "年末全省甲存量36件")])
    assert any(c == "quote" and "not found verbatim" in e for _, c, e in problems)


def test_number_must_be_in_the_quote(tmp_path: Path) -> None:
    problems = _problems(tmp_path, [WEB_SOURCE], [_obs("34", "年末全省甲存量35件")])
    assert ("observations.csv", "value", "this number does not appear in the quote") in problems


@pytest.mark.parametrize(("tier", "expected"), [("", "tier (A, B or C)"), ("D", "expected one of A, B, C")])
def test_tier_is_required_and_one_of_abc(tmp_path: Path, tier: str, expected: str) -> None:
    source = [*WEB_SOURCE[:7], tier, ""]
    problems = _problems(tmp_path, [source], [])
    assert any(c == "tier" and expected in e for _, c, e in problems)


def test_part_year_value_stored_as_a_full_year_is_an_error(tmp_path: Path) -> None:
    part = ["prov", "total_d", "2024", "2021", "120", "件", "exact", "", "", "", "stated", "", "", "", "", "bulletin",
            "公报", "1-9月新增丁120件", ""]
    problems = _problems(tmp_path, [WEB_SOURCE], [part])
    assert any(c == "covers" and "part of a year" in e for _, c, e in problems)
    part[8] = "2024-01..2024-09"
    assert _problems(tmp_path / "ok", [WEB_SOURCE], [part]) == []


def test_part_year_values_are_no_points_of_growth(tmp_path: Path) -> None:
    _problems(tmp_path, [WEB_SOURCE], [_obs("35", "年末全省甲存量35件", covers="2024-01..2024-12")])
    data = load(tmp_path)
    assert ("prov", "stock_a") not in data.lookup.observations or all(
        r["covers"] for r in data.lookup.observations[("prov", "stock_a")]
    )
    from plantrack.analysis.series import point_records

    assert point_records(data, "prov", "stock_a") == []


def test_conflicting_values_need_one_marked_unused(tmp_path: Path) -> None:
    text = WEB_TEXT + "另据报道，年末全省甲存量约36件。\n"
    both = [_obs("35", "年末全省甲存量35件"), _obs("36", "年末全省甲存量约36件")]
    both[1][15] = "bulletin2"
    second = ["bulletin2", "报道", "测试报社", "2025-03-02", "web/bulletin.txt", "https://example.org/c", "2026-11-22",
              "B", ""]
    problems = _problems(tmp_path, [WEB_SOURCE, second], both, text=text)
    assert any(c == "use" and "same series and year" in e for _, c, e in problems)
    both[1][9] = "no"
    assert _problems(tmp_path / "ok", [WEB_SOURCE, second], both, text=text) == []
