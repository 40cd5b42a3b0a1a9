"""The report read line by line (issue 24): each section says what it knows, in the reader's words.

Unit tests on the fixture dataset (made-up numbers, extended per case); invariants on the bundled data.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from plantrack import load
from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.review import RESULT_ONLY, review, tally
from plantrack.present.context import context as report_context
from plantrack.present.sections.review import review_section
from plantrack.present.words import words
from tests.fixture import build

AS_OF = 2026
#: a district of the fixture whose finished plan has a completion table of results without targets (Tongzhou's case)
TOWN = {
    "regions.csv": [["town", "镇", "Town", "district", "city"]],
    "targets.csv": [
        ["town", "p13", "stock_a", "甲存量", "件", "", "", "", "", "2020", "", "", "", "missing", "44.3", "44.3件",
         "doc", "完成情况", "甲存量 44.3件", "", ""],
        ["town", "p13", "centres", "中心", "家", "", "", "", "", "2020", "", "", "", "missing", "1", "1家",
         "doc", "完成情况", "中心 1家", "", ""],
        ["town", "p14", "stock_a", "甲存量", "件", "", "2020", "44.3", "44.3", "2025", "60", "60", "60", "point",
         "", "", "doc", "表", "甲存量 44.3 60", "", ""],
    ],
}  # fmt: skip

#: the same, with one target beside the results
TOWN_WITH_A_TARGET = {
    "regions.csv": TOWN["regions.csv"],
    "targets.csv": [
        *TOWN["targets.csv"],
        ["town", "p13", "share_c", "丙比重", "%", "预期性", "", "", "", "2020", "8", "8", "8", "point", "9", "9",
         "doc", "完成情况", "丙比重 8 预期性 9", "", ""],
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def town_data(tmp_path_factory: pytest.TempPathFactory):
    return load(build(tmp_path_factory.mktemp("town"), TOWN))


def _text(markup: object) -> str:
    """Visible text of an HTML fragment, cells separated by ``|``."""
    t = re.sub(r"</t[dh]>", " | ", str(markup))
    return re.sub(r"<[^>]+>", "", t)


# ---------------------------------------------------------------- item 1: results are not targets


def test_results_without_targets_are_not_counted_as_targets(town_data) -> None:
    reviewed = review(town_data, "town", "p13")
    assert set(reviewed["status"]) == {RESULT_ONLY}
    assert int(tally(reviewed).loc["total", "total"]) == 0, "a result reported without a target is no target"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_of_a_results_table_says_so_and_shows_each_value_once(town_data, lang: str) -> None:
    ctx = report_context("town", lang, data=town_data, as_of=AS_OF)
    w = words(lang)
    shown = _text(review_section(ctx))
    assert w("review_reason.no_target_given") not in shown
    assert w("review.results_lead", plan=ctx.plan_name("p13"), n=2) in shown
    # each value once: no "44.3 44.3件"
    assert shown.count("44.3") == 1
    if lang == "en":
        assert "bodies" not in shown and "pieces" not in shown


def test_review_counts_targets_and_lists_results_apart_when_both(tmp_path: Path) -> None:
    data = load(build(tmp_path, TOWN_WITH_A_TARGET))
    t = tally(review(data, "town", "p13"))
    assert int(t.loc["total", "total"]) == 1 and int(t.loc["total", "met"]) == 1
    shown = _text(review_section(report_context("town", "en", data=data, as_of=AS_OF)))
    assert words("en")("review.results_also", n=2) in shown



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chapter_03_reads_the_report_s_review_results_are_not_targets(town_data, lang: str) -> None:
    """The chapter's paragraph counted Tongzhou's 17 results as "17 targets: 0 met, 0 not met" while the report
    said they were results: both now read one reviewed frame, as of the same year."""
    from plantrack.present.sections.review import intro_review, review_tables

    ctx = report_context("town", lang, data=town_data, as_of=AS_OF)
    w = words(lang)
    intro = _text(intro_review(ctx))
    assert w("review.results_lead", plan=ctx.whose_plan("p13"), n=2) in unescape(intro)
    assert w("chapter.review_lead", plan=ctx.whose_plan("p13"), n=2, met=0, not_met=0, na=0) not in unescape(intro)
    review_section(ctx), review_tables(ctx)
    assert list(ctx.cache) == ["reviewed"], "the section and the chapter share one review"


def test_chapter_03_counts_targets_and_names_the_results_apart(tmp_path: Path) -> None:
    from plantrack.present.sections.review import intro_review

    ctx = report_context("town", "en", data=load(build(tmp_path, TOWN_WITH_A_TARGET)), as_of=AS_OF)
    w = words("en")
    intro = unescape(_text(intro_review(ctx)))
    assert w("chapter.review_lead", plan=ctx.whose_plan("p13"), n=1, met=1, not_met=0, na=0) in intro
    assert w("review.results_also", n=2) in intro


# ---------------------------------------------------------------- item 7: a caveat on its row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_completion_that_counts_something_else_is_marked_on_its_row(lang: str) -> None:
    """Bundled data: every finished target whose reading says the completion counts more or other is marked."""
    data = load()
    w = words(lang)
    marked = data.targets[data.targets["reading"].isin(["completion_counts_more", "completion_counts_other"])]
    assert len(marked) >= 2  # the copyright parks counted as 示范单位, the awards with the silver ones
    for region in sorted(set(marked["region_id"])):
        html = unescape(str(review_section(report_context(region, lang, data=data, as_of=AS_OF))))
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
        for t in marked[marked["region_id"] == region].to_dict("records"):
            name = t["name_as_written"]
            row = next(r for r in rows if name in r)
            assert w(f"reading.{t['reading']}") in row, (region, name)
            assert w("review.caveat_mark") in row, (region, name)


def test_the_parks_counted_as_demonstration_units_are_declared() -> None:
    data = load()
    t = data.targets
    parks = t[t["actual_text"].fillna("").str.contains("示范单位")]
    assert len(parks) and set(parks["reading"]) == {"completion_counts_other"}


# ---------------------------------------------------------------- item 2: the distance chart


def test_distance_chart_draws_no_value_from_before_the_period() -> None:
    """A level dated before the plan's first year (the baseline's 2020 value) is not this period's progress."""
    from plantrack.present.charts import distance_rows

    for region in ("china", "jiangsu", "suzhou", "tongzhou", "wujiang"):
        ctx = report_context(region, as_of=AS_OF)
        start = ctx.span[0]
        drawn = distance_rows(ctx.projection, start)
        bars = drawn[drawn["bar"].notna() & (drawn["outcome"] != "final")]
        assert (bars["latest_year"].astype(int) >= start).all(), (region, bars[["indicator_id", "latest_year"]])
    p = report_context("suzhou", as_of=AS_OF).projection
    hv = p[p["indicator_id"] == "hv_invention_patents_per_10k"].iloc[0]
    assert int(hv["latest_year"]) < 2021
    drawn = distance_rows(p, 2021).set_index("indicator_id")
    assert drawn.loc["hv_invention_patents_per_10k", "bar"] != drawn.loc["hv_invention_patents_per_10k", "bar"]


def test_distance_dots_take_the_verdict_colour_and_labels_are_not_cut() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from plantrack.present.charts import distance_figure, distance_rows
    from plantrack.present.rows import VERDICT_COLOURS

    ctx = report_context("suzhou", "en", as_of=AS_OF)
    fig = distance_figure(ctx.projection, "en", ctx.span[0])
    rows = distance_rows(ctx.projection, ctx.span[0])
    ax = fig.axes[0]
    faces = {to_hex(c) for coll in ax.collections for c in coll.get_facecolors()}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    plt.close(fig)
    for verdict in set(rows.loc[rows["central"].notna(), "verdict"]):
        assert VERDICT_COLOURS[verdict] in faces, verdict
    names = list(rows["name_en"])
    assert all(label.replace("\n", " ") == name for label, name in zip(labels, names, strict=True) if len(name) <= 60)


# ---------------------------------------------------------------- item 8: English wording


def test_english_units_are_words_a_reader_uses() -> None:
    w = words("en")
    assert w.amount(145, "亿元") == "CNY 14.5 bn"
    assert w.amount(20000, "件") == "20,000" and w.amount(1, "家") == "1"
    assert words("zh").amount(145, "亿元") == "145亿元"
    assert w.attribute("预期性") == "indicative"


def test_english_reports_have_no_pieces_bodies_or_hundred_million_yuan(tmp_path: Path) -> None:
    from plantrack.present.report import full_report

    for region in ("suzhou", "tongzhou"):
        text = re.sub(r"<[^>]+>", " ", str(full_report(report_context(region, "en", as_of=AS_OF))))
        assert not re.search(r"\d (pieces|bodies|units)\b", text), region
        assert "100 million yuan" not in text and not re.search(r"\bexpected\b", text), region


# ---------------------------------------------------------------- item 3: a source of results is graded


def test_a_source_of_results_without_a_tier_is_a_problem(tmp_path: Path) -> None:
    """An article reporting results (cited by observations, by no target) cannot pass as a plan document."""
    from plantrack.data.tables import read_all

    extra = {
        "sources.csv": [["article", "署名文章", "某局局长", "2023", "fixture.txt", "", "", "", ""]],
        "observations.csv": [
            ["city", "centres", "2023", "", "8", "家", "exact", "", "", "", "stated", "", "", "", "", "article", "一",
             "建设8家中心", ""],
        ],
    }  # fmt: skip
    _, problems = read_all(build(tmp_path / "bad", extra))
    assert any(p.file == "observations.csv" and p.column == "source_id" and "tier" in p.expected for p in problems)
    extra["sources.csv"][0][7] = "C"
    _, problems = read_all(build(tmp_path / "good", extra))
    assert not problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_section_lists_no_source_of_results_as_a_plan_document(lang: str) -> None:
    """Bundled data: a source only observations cite shows its tier, never the plan-document label."""
    from plantrack.present.sections.sources import sources as sources_section

    data = load()
    w = words(lang)
    of_results = set(data.observations["source_id"]) - set(data.targets["source_id"])
    for region in ("suzhou", "tongzhou", "jiangsu"):
        html = unescape(str(sources_section(report_context(region, lang, data=data, as_of=AS_OF))))
        for block in re.split(r"<h3>", html)[1:]:
            title = re.sub(r"<[^>]+>", "", block.split("</h3>")[0])
            sid = data.sources.loc[data.sources["title"].map(lambda t, title=title: str(t) in title), "source_id"]
            if len(sid) and sid.iloc[0] in of_results:
                assert w("tier.none") not in block, (region, title)


def test_target_names_are_as_written_without_elisions() -> None:
    assert not load().targets["name_as_written"].str.contains("…").any()


# ---------------------------------------------------------------- item 10: the command line's language


def test_every_command_writes_the_reports_language_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    from plantrack.app.cli import main

    zh = words("zh")
    assert main(["project", "--region", "suzhou", "--as-of", str(AS_OF)]) == 0
    out = capsys.readouterr().out
    assert zh("cli.as_of", year=AS_OF) in out
    names = load().indicators.set_index("indicator_id")
    p = report_context("suzhou", as_of=AS_OF).projection
    first = p["indicator_id"].iloc[0]
    assert str(names.loc[first, "name_zh"]) in out and f" {first} " not in out, "names, not codes"
    assert main(["project", "--region", "suzhou", "--as-of", str(AS_OF), "--lang", "en"]) == 0
    assert str(names.loc[first, "name_en"]) in capsys.readouterr().out


def test_validate_explains_targets_without_a_value(capsys: pytest.CaptureFixture[str]) -> None:
    from plantrack.app.cli import main

    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    if load().targets["target_kind"].eq("missing").any():
        assert words("zh")("cli.kind_missing") in out


# ---------------------------------------------------------------- item 4: the comparison table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_gives_no_growth_needed_without_a_baseline(lang: str) -> None:
    """Growth needed runs from the baseline shown; a row with no baseline ("—") shows none."""
    from plantrack.present.sections.comparison import comparison

    for region in ("jiangsu", "tongzhou", "suzhou"):
        html = str(comparison(report_context(region, lang, as_of=AS_OF)))
        body = html.split("<tbody>", 1)[-1]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            if len(cells) >= 5 and cells[2] == "—":
                assert cells[4] == "—", (region, cells[:5])


#: an absolute count (people) and a count per 10 000 people, targeted by the nation and the city (made-up numbers)
COUNTS = {
    "indicators.csv": [
        ["people_g", "戊人才", "Talent G", "人", "stock", "higher", "", "", "", "", "", "", "", ""],
        ["per_10k_h", "每万人口己拥有量", "H per 10 000 people", "件", "stock", "higher", "", "", "", "", "", "", "",
         "relative"],
    ],
    "targets.csv": [
        ["land", "p14", "people_g", "戊人才", "人", "", "", "", "", "2025", "40000", "40000", "40000", "point", "", "",
         "doc", "纲要", "戊人才40000人", "", ""],
        ["city", "p14", "people_g", "戊人才", "人", "", "", "", "", "2025", "400", "400", "400", "point", "", "",
         "doc", "二", "戊人才400人", "", ""],
        ["land", "p14", "per_10k_h", "每万人口己拥有量", "件", "", "", "", "", "2025", "10", "10", "10", "point", "",
         "", "doc", "纲要", "每万人口己拥有量10件", "", ""],
        ["city", "p14", "per_10k_h", "每万人口己拥有量", "件", "", "", "", "", "2025", "13", "13", "13", "point", "",
         "", "doc", "二", "每万人口己拥有量13件", "", ""],
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def counts_data(tmp_path_factory: pytest.TempPathFactory):
    return load(build(tmp_path_factory.mktemp("counts"), COUNTS))


def test_an_absolute_count_is_compared_as_a_share_and_a_count_per_head_as_a_multiple(counts_data) -> None:
    from plantrack.analysis.comparison import compare

    table = compare(counts_data, assumptions=Assumptions(as_of=AS_OF)).set_index(["indicator_id", "region_id"])
    people, per_head = table.loc[("people_g", "city")], table.loc[("per_10k_h", "city")]
    assert (people["compared_as"], people["vs_national"]) == ("share", pytest.approx(0.01))
    assert (per_head["compared_as"], per_head["vs_national"]) == ("multiple", pytest.approx(1.3))
    assert table.loc[("stock_a", "city"), "compared_as"] == "share"  # a stock in 件 is an amount too
    assert table.loc[("share_c", "city"), "compared_as"] == "multiple"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_and_command_line_say_a_share_of_the_target_not_a_tiny_multiple(counts_data, lang: str) -> None:
    """500人 against the nation's 40 000 was "国的0.01倍": now "占国目标的1.0%"; 13 per 10 000 stays "1.30倍"."""
    from plantrack.present import formats, listing
    from plantrack.present.sections.comparison import comparison

    w = words(lang)
    ctx = report_context("city", lang, data=counts_data, as_of=AS_OF)
    nation = counts_data.region_name("land", lang)
    shown = unescape(_text(comparison(ctx)))
    share = w("comparison.share", other=nation, value=formats.percent(0.01, 1))
    multiple = w("comparison.multiple", other=nation, value=formats.ratio(1.3))
    assert share in shown and multiple in shown
    assert w("comparison.multiple", other=nation, value=formats.ratio(0.01)) not in shown, "a count as 0.01×"
    from plantrack.analysis.comparison import compare

    # the command line and the chapters' table read the same cell
    rows_ = compare(counts_data, assumptions=Assumptions(as_of=AS_OF)).to_dict("records")
    cells = {r["indicator_id"]: listing.cell(w, r, "vs_national") for r in rows_ if r["region_id"] == "city"}
    assert cells["people_g"] == w("cli.share", value=formats.percent(0.01, 1))
    assert cells["per_10k_h"] == w("cli.times", value=formats.ratio(1.3))


def test_the_workbook_shows_a_share_as_a_percentage(counts_data, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from plantrack.present.export import export_xlsx

    path = export_xlsx(counts_data, tmp_path / "out.xlsx", Assumptions(as_of=AS_OF), lang="en")
    sheet = load_workbook(path)[words("en")("sheet.comparison")]
    head = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(head)}
    as_col = next(i for n, i in col.items() if "compared as" in str(n))
    vs_col = next(i for n, i in col.items() if str(n) == texts_header("vs_national", "en"))
    formats_ = {row[as_col].value: row[vs_col].number_format for row in sheet.iter_rows(min_row=2) if row[vs_col].value}
    assert formats_["share"].endswith("%") and not formats_["multiple"].endswith("%")


def texts_header(column: str, lang: str) -> str:
    from plantrack.present import texts

    return texts.header(column, lang)


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (["pct_x", "庚率", "X rate", "%", "rate", "higher", "", "", "", "", "", "", "", "absolute"], "magnitude_unit"),
        (["per_y", "万人辛拥有量", "Y per 10 000", "件", "stock", "higher", "", "", "", "", "", "", "", ""],
         "magnitude_per_head"),
        (["total_z", "新增壬", "New Z", "件", "period_total", "higher", "", "", "", "", "", "", "", "relative"],
         "magnitude_total"),
    ],
)  # fmt: skip
def test_a_magnitude_that_does_not_fit_is_a_problem(tmp_path: Path, row: list[str], code: str) -> None:
    from plantrack.data.tables import read_all

    _, problems = read_all(build(tmp_path, {"indicators.csv": [row]}))
    assert [p.code for p in problems if p.column == "magnitude"] == [code]


def test_bundled_comparison_shows_no_absolute_count_as_a_multiple() -> None:
    """Invariant: every indicator counted in people, firms, patents or yuan and not per head is compared as a share."""
    from plantrack.analysis.comparison import compare
    from plantrack.data.crosschecks import PER_HEAD_WORDS
    from plantrack.data.units import UNITS
    from plantrack.present import listing

    data = load()
    zh = words("zh")
    table = compare(data, assumptions=Assumptions(as_of=AS_OF))
    assert not table.empty
    for r in table.to_dict("records"):
        info = data.indicator(r["indicator_id"])
        unit = UNITS[str(info["unit"] or "")]
        per_head = any(word in str(info["name_zh"]).replace("万人次", "") for word in PER_HEAD_WORDS)
        expected = "share" if unit.magnitude == "absolute" and not per_head else "multiple"
        assert r["compared_as"] == expected, (r["indicator_id"], r["region_id"])
        for column in ("vs_compared", "vs_national"):
            if r[column] is not None and r[column] == r[column] and expected == "share":
                assert "倍" not in listing.cell(zh, r, column), (r["indicator_id"], r["region_id"])


# ---------------------------------------------------------------- item 6: where a figure is published, as data


def test_where_published_is_declared_data_with_a_source_or_a_reason(tmp_path: Path) -> None:
    from plantrack.data.tables import read_all

    folder = build(tmp_path / "good")
    (folder / "published.csv").write_text("indicator_id,channel,source_id,reason\nstock_a,cnipa_statistics,,why\n")
    tables, problems = read_all(folder)
    assert not problems and list(tables["published"]["channel"]) == ["cnipa_statistics"]
    for line, column in (("stock_a,cnipa_statistics,,", "reason"), ("stock_a,rumour,,why", "channel"),
                         ("no_such,cnipa_statistics,,why", "indicator_id")):  # fmt: skip
        (folder / "published.csv").write_text(f"indicator_id,channel,source_id,reason\n{line}\n")
        _, problems = read_all(folder)
        assert [p.column for p in problems if p.file == "published.csv"] == [column], line
    # a folder without published.csv loads: the file is optional
    (folder / "published.csv").unlink()
    tables, problems = read_all(folder)
    assert not problems and tables["published"].empty


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_gap_appendix_names_the_declared_channel(lang: str) -> None:
    """Bundled data: every missing number's channel is the one published.csv declares, none is guessed."""
    from plantrack.present.sections.gaps import gaps

    data = load()
    w = words(lang)
    declared = dict(zip(data.published["indicator_id"], data.published["channel"], strict=True))
    for region in ("china", "jiangsu", "suzhou", "tongzhou", "wujiang"):
        ctx = report_context(region, lang, data=data, as_of=AS_OF)
        html = unescape(str(gaps(ctx)))
        assert w("published.unknown") not in html, region
        for r in ctx.projection.to_dict("records"):
            missing = r.get("missing_indicator_id")
            ind = missing if isinstance(missing, str) and missing else r["indicator_id"]
            if r.get("reason") in ("no_value", "no_growth") and ind in declared:
                assert w(f"published.{declared[ind]}") in html, (region, ind)
    # the channels the issue found wrong
    assert declared["ip_service_revenue"] == "ip_service_survey"
    assert declared["patent_precheck_examiners"] == declared["patent_precheck_ipc_coverage"] == "protection_centre"


# ---------------------------------------------------------------- item 5: sources as leadership reads them


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_address_outside_the_sources_appendix_and_copies_are_marked(lang: str) -> None:
    from plantrack.present.report import full_report

    data = load()
    w = words(lang)
    copies = data.sources[data.sources["tier"] == "C"]
    for region in ("china", "jiangsu", "suzhou", "tongzhou", "wujiang"):
        page = unescape(str(full_report(report_context(region, lang, data=data, as_of=AS_OF))))
        parts = re.split(r"(?=<section class=[\"'])", page.replace("<section class='", '<section class="'))
        for part in parts:
            if not part.startswith('<section class="sources'):
                assert not re.search(r"https?://", part), (region, part[:60])
        appendix = next(p for p in parts if p.startswith('<section class="sources'))
        assert w("report.appendix", title=w("section.sources")) in appendix
        for s in copies.to_dict("records"):
            if s["url"] and s["url"] in appendix:
                copy_line = w("sources.copy_at", date=s["retrieved"], url=s["url"])
                assert copy_line in appendix, (region, s["source_id"])


#: the city's 2015 point of stock A, from a bulletin (tier A): its quote garbled in the copy, or clean (made-up numbers)
GARBLED_QUOTE = "甲存量發(fā)明2015年10件"
CLEAN_QUOTE = "甲存量2015年10件"


def _with_quote_issue(tmp_path: Path, issue: str, note: str = "garbled copy", quote: str = GARBLED_QUOTE) -> Path:
    """The fixture with the city's 2015 point of stock A from a tier-A bulletin whose quote has ``issue``."""
    extra = {
        "sources.csv": [["bulletin", "统计公报", "统计局", "2016", "fixture.txt", "", "", "A", ""]],
        "observations.csv": [
            ["city", "stock_a", "2015", "", "10", "件", "exact", "", "", "", "stated", "", "", "", "", "bulletin", "一",
             quote, note, issue],
        ],
    }  # fmt: skip
    folder = build(tmp_path, extra)
    # the fixture's own 2015 point (same year, same value) leaves: the bulletin's is the one the series uses
    obs = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in obs if "甲存量从10件增加到20件" not in line]
    (folder / "observations.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def test_quote_tier_is_one_below_the_sources_when_the_quote_has_an_issue() -> None:
    from plantrack.data.provenance import quote_tier

    assert [quote_tier(t, ["garbled"]) for t in ("A", "B", "C")] == ["B", "C", "C"]
    assert [quote_tier(t, []) for t in ("A", "B", "C")] == ["A", "B", "C"]
    assert quote_tier(None, ["garbled"]) is None  # a plan document has no tier


@pytest.mark.parametrize(
    ("issue", "note", "code"),
    [("", "", "quote_garbled"), ("garbled", "", "quote_issue_note"), ("garbled;mangled", "x", "quote_issue_unknown")],
)
def test_a_garbled_quote_is_declared_with_a_known_code_and_a_note(tmp_path: Path, issue: str, note: str, code: str):
    from plantrack.data.tables import read_all

    _, problems = read_all(_with_quote_issue(tmp_path / "bad", issue, note))
    assert code in [p.code for p in problems if p.file == "observations.csv"]
    _, problems = read_all(_with_quote_issue(tmp_path / "good", "garbled", "pinyin residues in the copy"))
    assert not problems


def test_a_quote_issue_makes_the_row_resting_on_it_weak(tmp_path: Path) -> None:
    from plantrack.analysis.projection import project_region

    def row(issue: str):
        quote = GARBLED_QUOTE if issue else CLEAN_QUOTE
        data = load(_with_quote_issue(tmp_path / (issue or "none"), issue, "pinyin residues" if issue else "", quote))
        frame = project_region(data, "city", "p14", assumptions=Assumptions(as_of=2023))
        return frame.set_index("indicator_id").loc["stock_a"]

    clean, garbled = row(""), row("garbled")
    assert clean["evidence"] == garbled["evidence"] == "own_2", "the same points, the same growth"
    assert not clean["weak"] and not clean["quote_issue"]
    assert garbled["weak"] and garbled["quote_issue"] == "garbled"
    assert garbled["verdict"] == clean["verdict"], "the grade is lowered, the verdict stays"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_says_why_on_the_row_and_beside_the_quote(tmp_path: Path, lang: str) -> None:
    from plantrack.present.sections.sources import sources as sources_section
    from plantrack.present.sections.targets import target_table

    w = words(lang)
    note = "says 有效 where the indicator counts grants"
    data = load(_with_quote_issue(tmp_path, "wording_differs", note, CLEAN_QUOTE))
    ctx = report_context("city", lang, data=data, as_of=2023)
    issues = w.quote_issues("wording_differs")
    trs = re.findall(r"<tr[^>]*>.*?</tr>", str(target_table(ctx)), re.S)
    at = next(i for i, tr in enumerate(trs) if "Stock A" in tr or "甲存量" in tr)
    row = unescape("".join(trs[at : at + 2]))  # the row and the line under it (what its numbers rest on)
    assert w("quote_issue.row", issues=issues) in row
    assert w.evidence("own_2", True) in row, "the evidence marked weak"
    appendix = unescape(str(sources_section(ctx)))
    lowered = w("sources.quote_lowered", issues=issues, tier="B") + w("sources.quote_weak")
    assert lowered in appendix, "the bulletin is tier A: this quote is graded B"
    from plantrack.present.sections.first import summary

    items = [unescape(li) for li in re.findall(r"<li>(.*?)</li>", str(summary(ctx)), re.S)]
    listed = [li for li in items if "Stock A" in li or "甲存量" in li]
    assert listed, "the first screen lists the target (a lean in the fixture)"
    assert w("quote_issue.row", issues=issues) in listed[0], "and says there too that its quote is flawed"


def test_bundled_garbled_quotes_are_declared_and_said() -> None:
    """Invariant: every quote that looks garbled declares it; the sources appendix says so beside it."""
    from plantrack.data.provenance import GARBLED, quote_issues
    from plantrack.present.sections.sources import sources as sources_section

    data = load()
    obs = data.observations
    looks = obs[obs["quote"].map(lambda q: bool(GARBLED.search(str(q))))]
    assert all("garbled" in quote_issues(v) for v in looks["quote_issue"])
    zh = words("zh")
    for region in sorted(set(looks["region_id"]) & set(data.targets["region_id"])):
        appendix = unescape(str(sources_section(report_context(region, "zh", data=data, as_of=AS_OF))))
        assert zh.code("quote_issue", "garbled") in appendix, region


def test_english_locators_have_no_chinese() -> None:
    from plantrack.present.sections.sources import sources as sources_section

    for region in ("suzhou", "tongzhou", "jiangsu"):
        html = str(sources_section(report_context(region, "en", as_of=AS_OF)))
        for loc in re.findall(r"<span class='loc'>(.*?)</span>", html):
            assert not re.search(r"[\u3400-\u9fff]", loc), (region, loc)


def test_english_target_column_has_no_chinese() -> None:
    from plantrack.present.sections.targets import target_table

    for region in ("china", "jiangsu", "suzhou", "tongzhou", "wujiang"):
        html = re.sub(r'title="[^"]*"', "", str(target_table(report_context(region, "en", as_of=AS_OF))))
        targets = re.findall(r'<td class="target">(.*?)</td>', html.split("<tbody>", 1)[-1], re.S)
        assert len(targets) == html.count("<tr class=\"v-") - html.count(" notes\">"), region
        for target in targets:
            assert not re.search(r"[\u3400-\u9fff]", re.sub(r"<[^>]+>", "", target)), (region, target)


# ---------------------------------------------------------------- item 9: print


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None, reason="needs chromium and pdftotext")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_printed_page_one_is_the_first_screen_and_the_table_is_landscape(tmp_path: Path, lang: str) -> None:
    from plantrack.app.render import render
    from plantrack.present.context import ReportParameters

    result = render(["suzhou"], ReportParameters.of(lang, as_of=AS_OF), out_dir=tmp_path, progress=False)
    assert not result.failed, result.failed
    pdf = tmp_path / "suzhou.pdf"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
           f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (tmp_path / f"suzhou.{lang}.html").as_uri()]  # fmt: skip
    subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    assert pdf.is_file()
    ctx = report_context("suzhou", lang, as_of=AS_OF)

    def page(n: int) -> str:
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True)
        return out.stdout

    first, second = page(1), page(2)
    assert ctx.heading("summary") in first and ctx.heading("targets") not in first
    assert second.lstrip().startswith(ctx.heading("targets"))
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "2", str(pdf)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    (w1, h1), (w2, h2) = ((float(a), float(b)) for a, b in sizes)
    assert w1 < h1 and w2 > h2, "page 1 portrait, the table's pages landscape"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_projections_range_is_written_like_the_projection(lang: str) -> None:
    """Bundled data: the range under a projection has its unit and scale (66.1万件: 54.5万件–66.1万件, not 545,485)."""
    from plantrack.present.sections.targets import target_table

    w = words(lang)
    projected, band = w("table.projected_value", value="(.+?)"), w("table.band", low="(.+?)", high="(.+?)")
    shape = re.compile(r"\d[\d,.]*")
    seen = 0
    for region in ("china", "jiangsu", "suzhou", "tongzhou", "wujiang"):
        html = unescape(str(target_table(report_context(region, lang, as_of=AS_OF))))
        for cell in re.findall(r'<td class="result">(.*?)</td>', html, re.S):
            found = re.search(f"^{projected}<br>.*{band}</span>$", cell)
            if found:
                seen += 1
                central, low, high = (shape.sub("#", g) for g in found.groups())
                assert central == low == high, (region, cell)
    assert seen >= 5
