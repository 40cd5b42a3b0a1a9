"""The chapter notebooks' helpers: sentences from the data, formatted tables, sensitivity, the stand-in series."""

from __future__ import annotations

import re

import pytest

from plantrack.analysis.projection import group_tally
from plantrack.present import texts
from plantrack.present.context import ReportContext, context
from plantrack.present.sections.base import count, frame_table
from plantrack.present.sections.comparison import comparison_table
from plantrack.present.sections.path import indicator_chart
from plantrack.present.sections.plan import intro_plan, observation_table, plan_table
from plantrack.present.sections.review import intro_review, review_tables
from plantrack.present.sections.sensitivity import assessment_table, intro_projection, sensitivity, sensitivity_frame


@pytest.fixture(scope="module")
def suzhou() -> ReportContext:
    return context("suzhou", "zh")


def test_opening_sentences_come_from_the_data(suzhou: ReportContext) -> None:
    counts = group_tally(suzhou.projection)
    intro = intro_projection(suzhou)
    assert f"{len(suzhou.projection)} 项目标" in intro
    at_risk = counts["at_risk"][0]
    assert (f"存在风险 {at_risk} 项" in intro) == bool(at_risk)  # a group with no target is not named
    assert "苏州市" in intro_plan(suzhou) and "项目标" in intro_review(suzhou)
    en = intro_projection(context("suzhou", "en"))
    assert (f"at risk {count(at_risk, 'en')}" in en) == bool(at_risk)
    leans = counts["lean"][0]
    assert (f"倾向判断 {leans} 项" in intro) == bool(leans)


@pytest.mark.parametrize("region", ["suzhou", "tongzhou", "jiangsu", "wujiang", "china"])
def test_tables_have_headers_and_formatted_numbers(region: str) -> None:
    ch = context(region, "zh")
    for html in (plan_table(ch), observation_table(ch), comparison_table(ch),
                 review_tables(ch), assessment_table(ch), sensitivity(ch)):
        for head in re.findall(r"<thead><tr>(.*?)</tr></thead>", html):
            assert head.count("<th") >= 2
        assert not re.search(r"\bnan\b|<NA>|\bNone\b|\d\.0</td>|\d[eE][+-]\d", html)
    headers = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", assessment_table(ch))
    assert headers[:2] == [texts.header("name_as_written", "zh"), texts.header("unit", "zh")]


def test_sensitivity_covers_both_readings_and_three_models(suzhou: ReportContext) -> None:
    frame = sensitivity_frame(suzhou)
    combos = [c for c in frame.columns if "/" in c]
    assert len(combos) == 6 and len(frame) == len(suzhou.projection)
    assert list(frame["increase/observed"]) == list(suzhou.projection["verdict"])
    fragile = set(suzhou.projection.loc[suzhou.projection["fragile"].astype(bool), "indicator_id"])
    assert fragile <= set(frame.loc[frame["changes"], "indicator_id"])


def test_chart_shows_the_proxy_series_when_a_proxy_carries_the_verdict(suzhou: ReportContext) -> None:
    row = suzhou.projection.set_index("indicator_id").loc["hv_invention_patents_per_10k"]
    assert row["evidence"] == "proxy"
    html = indicator_chart(suzhou, "hv_invention_patents_per_10k")
    assert html.count("<img") == 2 and "替代指标" in html
    p = suzhou.projection
    own = p[p["evidence"].astype(str).str.startswith("own") & (p["growth_indicator_id"] == p["indicator_id"])]
    if len(own):
        assert indicator_chart(suzhou, own.iloc[0]["indicator_id"]).count("<img") == 1


def test_chapter_tables_are_built_by_the_html_table_helper() -> None:
    """Headers and cells carry their alignment, text is escaped, an empty table says so across every column."""
    import pandas as pd

    html = frame_table(pd.DataFrame({"note": ["a<b & c"], "value": [430000.0]}), ["note", "value"], "en")
    assert '<th style="text-align:left">note</th>' in html
    assert '<td style="text-align:left;white-space:nowrap">a&lt;b &amp; c</td>' in html
    assert '<td style="text-align:right;white-space:nowrap">430,000</td>' in html
    empty = frame_table(pd.DataFrame({"note": []}), ["note", "value"], "zh")
    assert '<td colspan="2">（无）</td>' in empty


def test_chapter_words_come_from_the_catalogue(tmp_path) -> None:
    """Kinds of target, attributes and review statuses in the chapter's language, as the report words them."""
    from plantrack import load
    from plantrack.present.words import words
    from tests.fixture import build

    data = load(build(tmp_path / "fixture"))
    en = context("city", "en", as_of=2024, data=data)
    w = words("en")
    review = review_tables(en)
    assert w.attribute("预期性") in review and "预期性" not in review
    assert w.code("review_status", "not_met") in review and w("table.total") in review
    plan = plan_table(en)
    assert w.code("target_kind", "qualitative") in plan and w.code("target_kind", "point") in intro_plan(en)
    zh = review_tables(context("city", "zh", as_of=2024, data=data))
    assert words("zh").code("review_status", "not_met") in zh and "预期性" in zh


def test_report_sections_and_chapter_parts_are_one_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """One package of parts (``present/sections``), one context type; a topic's report section and its chapter
    paragraph and table compute the comparison once between them."""
    import ast
    import importlib.util
    import json
    from pathlib import Path

    import plantrack.present.sections as sections
    from plantrack.present.sections import comparison as topic

    assert importlib.util.find_spec("plantrack.present.chapters") is None
    for path in sorted(Path(sections.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [c.name for c in tree.body if isinstance(c, ast.ClassDef)], f"{path.name}: a second context type"
        for f in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.args.args):
            first = f.args.args[0]
            if first.arg in ("ctx", "ch"):
                assert ast.unparse(first.annotation) == "ReportContext", f"{path.name}:{f.name}"
    root = Path(__file__).resolve().parents[2] / "notebooks"
    for nb in sorted(root.glob("0*.ipynb")):
        code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        for module in re.findall(r"from (plantrack\.present[\w.]*) import", code):
            assert module == "plantrack.present.context" or module.startswith("plantrack.present.sections."), nb.name

    calls: list[str] = []
    real = topic.compare
    monkeypatch.setattr(topic, "compare", lambda *a, **k: calls.append("compare") or real(*a, **k))
    ctx = context("suzhou", "en")
    topic.comparison(ctx), topic.intro_comparison(ctx), topic.comparison_table(ctx)
    assert calls == ["compare"]
