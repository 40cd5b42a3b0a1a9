"""The chapter notebooks' helpers: sentences from the data, formatted tables, sensitivity, the stand-in series."""

from __future__ import annotations

import re

import pytest

from plantrack.analysis.projection import group_tally
from plantrack.present import chapters, texts


@pytest.fixture(scope="module")
def suzhou() -> chapters.Chapter:
    return chapters.chapter("suzhou", "zh")


def test_opening_sentences_come_from_the_data(suzhou: chapters.Chapter) -> None:
    counts = group_tally(suzhou.projection)
    intro = chapters.intro_projection(suzhou)
    assert f"{len(suzhou.projection)} 项目标" in intro
    at_risk = counts["at_risk"][0]
    assert (f"存在风险 {at_risk} 项" in intro) == bool(at_risk)  # a group with no target is not named
    assert "苏州市" in chapters.intro_plan(suzhou) and "项目标" in chapters.intro_review(suzhou)
    en = chapters.intro_projection(chapters.chapter("suzhou", "en"))
    assert (f"at risk {chapters.count(at_risk, 'en')}" in en) == bool(at_risk)
    leans = counts["lean"][0]
    assert (f"倾向判断 {leans} 项" in intro) == bool(leans)


@pytest.mark.parametrize("region", ["suzhou", "tongzhou", "jiangsu", "wujiang", "china"])
def test_tables_have_headers_and_formatted_numbers(region: str) -> None:
    ch = chapters.chapter(region, "zh")
    for html in (chapters.plan_table(ch), chapters.observation_table(ch), chapters.comparison_table(ch),
                 chapters.review_tables(ch), chapters.assessment_table(ch), chapters.sensitivity(ch)):
        for head in re.findall(r"<thead><tr>(.*?)</tr></thead>", html):
            assert head.count("<th") >= 2
        assert not re.search(r"\bnan\b|<NA>|\bNone\b|\d\.0</td>|\d[eE][+-]\d", html)
    headers = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", chapters.assessment_table(ch))
    assert headers[:2] == [texts.header("name_as_written", "zh"), texts.header("unit", "zh")]


def test_sensitivity_covers_both_readings_and_three_models(suzhou: chapters.Chapter) -> None:
    frame = chapters.sensitivity_frame(suzhou)
    combos = [c for c in frame.columns if "/" in c]
    assert len(combos) == 6 and len(frame) == len(suzhou.projection)
    assert list(frame["increase/observed"]) == list(suzhou.projection["verdict"])
    fragile = set(suzhou.projection.loc[suzhou.projection["fragile"].astype(bool), "indicator_id"])
    assert fragile <= set(frame.loc[frame["changes"], "indicator_id"])


def test_chart_shows_the_proxy_series_when_a_proxy_carries_the_verdict(suzhou: chapters.Chapter) -> None:
    row = suzhou.projection.set_index("indicator_id").loc["hv_invention_patents_per_10k"]
    assert row["evidence"] == "proxy"
    html = chapters.indicator_chart(suzhou, "hv_invention_patents_per_10k")
    assert html.count("<img") == 2 and "替代指标" in html
    p = suzhou.projection
    own = p[p["evidence"].astype(str).str.startswith("own") & (p["growth_indicator_id"] == p["indicator_id"])]
    if len(own):
        assert chapters.indicator_chart(suzhou, own.iloc[0]["indicator_id"]).count("<img") == 1


def test_chapter_tables_are_built_by_the_html_table_helper() -> None:
    """Headers and cells carry their alignment, text is escaped, an empty table says so across every column."""
    import pandas as pd

    html = chapters.table(pd.DataFrame({"note": ["a<b & c"], "value": [430000.0]}), ["note", "value"], "en")
    assert '<th style="text-align:left">note</th>' in html
    assert '<td style="text-align:left;white-space:nowrap">a&lt;b &amp; c</td>' in html
    assert '<td style="text-align:right;white-space:nowrap">430,000</td>' in html
    empty = chapters.table(pd.DataFrame({"note": []}), ["note", "value"], "zh")
    assert '<td colspan="2">（无）</td>' in empty


def test_chapter_words_come_from_the_catalogue(tmp_path) -> None:
    """Kinds of target, attributes and review statuses in the chapter's language, as the report words them."""
    from plantrack import load
    from plantrack.present.words import words
    from tests.fixture import build

    data = load(build(tmp_path / "fixture"))
    en = chapters.chapter("city", "en", as_of=2024, data=data)
    w = words("en")
    review = chapters.review_tables(en)
    assert w.attribute("预期性") in review and "预期性" not in review
    assert w.code("review_status", "not_met") in review and w("table.total") in review
    plan = chapters.plan_table(en)
    assert w.code("target_kind", "qualitative") in plan and w.code("target_kind", "point") in chapters.intro_plan(en)
    zh = chapters.review_tables(chapters.chapter("city", "zh", as_of=2024, data=data))
    assert words("zh").code("review_status", "not_met") in zh and "预期性" in zh
