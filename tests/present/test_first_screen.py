"""The first screen of a report with nothing judged names the data that would judge it, by where it is published;
a report with some targets unknown says where most of the missing numbers appear. Fixture dataset."""

from __future__ import annotations

import re
from html import unescape

import pytest

from plantrack import load
from plantrack.present.context import context
from plantrack.present.sections.first import summary
from plantrack.present.words import words
from tests.fixture import build

AS_OF = 2026
#: a district with three targets and no number of its own, and a reviewed channel for two of its indicators
DISTRICT = {
    "regions.csv": [["town", "镇", "Town", "district", "city"]],
    "targets.csv": [
        ["town", "p14", "stock_a", "甲存量", "件", "", "", "", "", "2025", "30", "30", "30", "point", "", "",
         "doc", "表", "甲存量 30", "", ""],
        ["town", "p14", "centres", "中心", "家", "", "", "", "", "2025", "5", "5", "5", "point", "", "",
         "doc", "表", "中心 5", "", ""],
        ["town", "p14", "share_c", "丙比重", "%", "", "", "", "", "2025", "8", "8", "8", "point", "", "",
         "doc", "表", "丙比重 8", "", ""],
    ],
}  # fmt: skip


def _text(markup: object) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", str(markup)))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory):
    return load(build(tmp_path_factory.mktemp("district"), DISTRICT))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_judged_the_first_screen_lists_the_data_to_request(district, lang: str) -> None:
    ctx = context("town", lang, data=district, as_of=AS_OF)
    assert set(ctx.projection["verdict"]) <= {"not_projectable", "not_quantifiable", "no_target"}
    w = words(lang)
    html = str(summary(ctx))
    shown = _text(html)
    assert w("summary.ask_heading") in shown
    assert w("summary.risk_none") not in shown and w("summary.met_none") not in shown, "two empty lists"
    items = [_text(li) for li in re.findall(r"<li>(.*?)</li>", html.split('class="ask"')[1], re.S)]
    by_channel = {code: next((i for i in items if w(f"published_short.{code}")[1:] in i), "") for code in
                  ("cnipa_statistics", "designation_lists", "unknown")}
    assert w.name(district.indicator("stock_a")) in by_channel["cnipa_statistics"]
    assert w.name(district.indicator("centres")) in by_channel["designation_lists"]
    assert w.name(district.indicator("share_c")) in by_channel["unknown"]
    assert items[-1] == by_channel["unknown"], "the channel not yet reviewed comes last"


def test_with_some_judged_the_unknown_line_names_the_usual_channels(tmp_path) -> None:
    """The fixture's city has judged and unknown targets: the first screen keeps its lists and, in the one line on
    the unknown ones, says where most of the missing numbers appear (reviewed channels only)."""
    reviewed = {"published.csv": [["share_c", "statistical_bulletin", "", "the bulletin gives the share"]]}
    for data, expected in ((load(build(tmp_path / "a")), False), (load(build(tmp_path / "b", reviewed)), True)):
        ctx = context("city", "en", data=data, as_of=AS_OF)
        w = words("en")
        assert "share_c" in set(ctx.projection.loc[ctx.projection["verdict"] == "not_projectable", "indicator_id"])
        shown = _text(summary(ctx))
        assert w("summary.ask_heading") not in shown and w("summary.risk_heading") in shown
        part = w("summary.channel_part", what=w("published_short.statistical_bulletin"), n=1)
        assert (w("summary.unknown_channels", parts=part) in shown) == expected
        assert w("published_short.unknown") not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_record_without_a_judged_category_says_where_its_band_puts_the_actual(lang: str) -> None:
    """A verdict by its band says both ends clear the target; a lean whose band straddles it says so; with no
    band the category record is unknown."""
    from plantrack.present import rows

    w = words(lang)
    row = {"evidence": "benchmark", "method_hindcasts": 40, "method_judged": 0, "method_confirmed": 0,
           "target_value": 100.0, "unit": "件", "unit_as_written": "件", "name_en": "x"}
    clears = {**row, "band_clears": True, "band_low": 120.0, "band_high": 180.0}
    straddles = {**row, "band_clears": False, "band_low": 80.0, "band_high": 130.0, "lean_reason": "straddles"}
    assert rows.record_text(w, clears) == w("summary.record_band", n=40, low=rows.value(w, clears, 120.0, True),
                                            high=rows.value(w, clears, 180.0, True))
    assert rows.record_text(w, straddles) == w("summary.record_straddles", n=40,
                                               low=rows.value(w, straddles, 80.0, True),
                                               high=rows.value(w, straddles, 130.0, True))
    assert rows.record_text(w, row) == w("summary.record_unjudged", n=40)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_after_the_target_year_the_missing_outcome_is_named_as_what_decides(lang: str) -> None:
    """METHOD §7: once the target year has passed its value decides by itself; the earlier value a projection would
    start from is named apart. Before the target year both are simply needed."""
    from plantrack.present import rows

    w = words(lang)
    row = {"reason": "no_value", "missing_years": "2020;2023", "target_year": 2023, "measure": "period_total",
           "indicator_id": "x", "missing_indicator_id": "x"}
    span = (2021, 2023)
    after = rows.reason(w, {**row, "as_of": 2026}, span)
    total = {**row, "missing_years": "2023"}
    assert after == w("reason.no_value_after", outcome=rows.missing_years(w, total, span),
                      earlier=rows.missing_years(w, {**row, "missing_years": "2020"}, span))
    assert rows.missing_years(w, total, span) == w("report.period_total", start=2021, end=2023)
    before = rows.reason(w, {**row, "as_of": 2023}, span)
    assert before == w("reason.no_value", years=rows.missing_years(w, row, span))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lean_says_why_it_is_only_a_lean(lang: str) -> None:
    """One sentence for every lean said "not validated by hindcast" beside a method hindcast 40 times."""
    from plantrack.analysis.hindcast import MIN_HINDCASTS, MIN_SERIES
    from plantrack.present import rows

    w = words(lang)
    row = {"verdict": "on_track", "R": 1.2, "method_hindcasts": 40, "method_judged": 0, "method_confirmed": 0}

    def said(key: str) -> str:
        return w(f"summary.lean_item_{key}", verdict=w.verdict("on_track", 1.2, None), min_n=MIN_HINDCASTS,
                 min_series=MIN_SERIES)

    for reason in ("thin", "poor", "straddles", "series"):  # the analysis says why (hindcast.shortfall)
        assert rows.lean_text(w, {**row, "lean_reason": reason}) == said(reason)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_total_without_an_annual_flow_names_this_period_s_total_as_what_decides(lang: str) -> None:
    """'2016—2020年累计和2021—2025年累计的年度数值' asked again for the baseline shown beside it, and for annual
    values of totals: with no annual flow declared, this period's total decides."""
    from plantrack.present import rows

    w = words(lang)
    row = {"reason": "no_growth_total", "missing_years": "2025", "indicator_id": "t", "missing_indicator_id": "t",
           "measure": "period_total", "ambition": 1.2, "target_year": 2025, "as_of": 2026}
    span = (2021, 2025)
    said = rows.reason(w, row, span)
    assert said == w("reason.no_growth_total_total", ambition=w("summary.times", value="1.2"),
                     years=w("report.period_total", start=2021, end=2025), latest="")
    flow = {**row, "missing_years": "2021;2022", "missing_indicator_id": "annual_t"}  # the annual flow decides
    assert rows.reason(w, flow, span) == w("reason.no_growth_total", ambition=w("summary.times", value="1.2"),
                                           years=rows.missing_years(w, flow, span), latest="")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_pending_review_row_already_above_its_target_is_not_called_a_projection(lang: str) -> None:
    """China's review said '目标年份实际值尚未公布，按预测: 提前达标' for actual values already above target."""
    from plantrack.present.sections.review import review_section

    w = words(lang)
    ctx = context("china", lang, as_of=AS_OF)
    held = ctx.projection
    above = held[(held["verdict"] == "above_target") & (held["outcome"] == "pending")]
    html = unescape(str(review_section(ctx)))
    if above.empty or ctx.reviewed_plan != ctx.plan:
        pytest.skip("the bundled data hold no reviewed target above its target early (2025 values came in)")
    assert w("review_reason.actual_not_published_above") in html
    assert f"{w('review_reason.actual_not_published')}: {w.verdict('above_target')}" not in html


def test_the_english_review_shows_its_targets(tmp_path) -> None:
    """The review reset each target's parsed bounds, so every English target cell read '—' (or '—–—')."""
    from plantrack.present.sections.review import review_section

    data = load(build(tmp_path / "f"))
    ctx = context("city", "en", data=data, as_of=2026)
    assert ctx.reviewed_plan == "p13"
    rows_html = re.findall(r"<tr[^>]*>(.*?)</tr>", str(review_section(ctx)), re.S)
    centres = next(r for r in rows_html if "Centres" in r)
    cells = [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", centres, re.S)]
    assert "100" in cells[2] and "—" not in cells[2], cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_total_s_required_growth_is_per_period_without_evidence(tmp_path, lang: str) -> None:
    """A total with no evidence has no growth_per (NaN, which Python reads as true): '+25.0%/年' for 5,000 over the
    previous 4,000 said a year what is the whole period."""
    from plantrack.present.sections.targets import target_table

    data = load(build(tmp_path / "f"))
    ctx = context("city", lang, data=data, as_of=2026)
    total = ctx.projection.set_index("indicator_id").loc["total_d"]
    w = words(lang)
    assert total["measure"] == "period_total" and total["required_growth"] == pytest.approx(0.25)
    html = unescape(str(target_table(ctx)))
    assert w.growth(0.25, "period") in html and w.growth(0.25, "year") not in html
