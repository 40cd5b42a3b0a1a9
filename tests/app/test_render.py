"""Rendered reports: every region in Chinese and English, self-contained, complete, deterministic, in one language.

The bundled data are rendered once per language (``reports`` fixture) and checked for invariants,
not counts: the first screen's counts equal the engine's ``group_tally``, every target appears,
section numbers run without gaps, Chinese pages carry no English prose and English pages no
Chinese outside the plans' own wording.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.projection import group_tally, project_region
from plantrack.app.cli import main
from plantrack.app.render import render
from plantrack.data import PlanData
from plantrack.data.schema import TABLES
from plantrack.present.context import ReportParameters
from plantrack.present.words import languages

pytestmark = pytest.mark.filterwarnings("error:.*Glyph.*missing")

AS_OF = 2026  # a fixed assessment year: the pages do not change with the clock
LANGUAGES = languages()  # every language with a catalogue
VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "base", "wbr", "source"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ZH_NUMERALS = "一二三四五六七八九十"
#: ASCII words a Chinese page may show: abbreviations in indicator names, the tool's name, R of the method
ZH_ALLOWED = {"GDP", "PCT", "IPC", "plantrack"}
COLUMN_NAMES = {c for t in TABLES.values() for c in t.columns if "_" in c}


class _Text(HTMLParser):
    """Visible text of a page; with ``own_language``, quotes, citations and text in another language are left out.

    Quotes (``<q>``) and titles of sources (``<cite>``) are reproduced verbatim from the documents.
    """

    def __init__(self, own_language: bool) -> None:
        super().__init__()
        self.own_language, self.stack, self.parts = own_language, [], []
        self.page_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = (dict(attrs).get("lang") or "")[:2]
        if tag == "html":
            self.page_lang = lang
        quoted = tag in ("q", "cite") or (tag != "html" and lang and lang != self.page_lang)
        other = self.own_language and quoted
        self.stack.append((tag, tag in ("style", "script", "title") or bool(other)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not any(hidden for _, hidden in self.stack):
            self.parts.append(data)


def visible_text(html: str, own_language: bool = True) -> str:
    """The text a reader sees; by default only the text in the page's own language (quotes left out)."""
    parser = _Text(own_language)
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    for lang in LANGUAGES:
        result = render(None, ReportParameters.of(lang, as_of=AS_OF), out_dir=out, progress=False)
        assert not result.failed, result.failed
    return out


def _regions(data: PlanData) -> list[str]:
    return sorted(set(data.targets["region_id"]))


def _pages(reports: Path, lang: str) -> list[Path]:
    return sorted(p for p in reports.glob(f"*.{lang}.html") if not p.name.startswith("index."))


def test_every_region_is_rendered_in_both_languages(reports: Path, data: PlanData) -> None:
    for lang in LANGUAGES:
        assert [p.name.split(".")[0] for p in _pages(reports, lang)] == _regions(data)


def test_report_is_self_contained(reports: Path) -> None:
    html = (reports / "suzhou.zh.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    for pattern in (r"""src=["']?https?:""", r"""<link[^>]+href=["']?https?:""", r"url\(\s*['\"]?https?:", r"@import"):
        assert not re.search(pattern, html, re.I), pattern
    assert "<input" not in html and "jp-InputArea" not in html, "code cells must not be exported"
    assert "injected-parameters" not in html and "region: str" not in html
    assert 'src="data:image/png;base64,' in html and "@font-face" in html
    assert "@page { size: A4" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_nan_none_or_doubled_words(reports: Path, lang: str) -> None:
    for page in _pages(reports, lang):
        html = page.read_text(encoding="utf-8")
        everything, own = visible_text(html, own_language=False), visible_text(html)
        assert not re.search(r"\bnan\b", everything, re.I), page.name
        assert not re.search(r"\b(None|NaT)\b", everything), page.name
        for bad in ("年年", r"\{\w*\}", "。。", "；；"):  # a catalogue sentence filled wrongly
            assert not re.search(bad, own), (page.name, bad)


def test_chinese_pages_have_no_english_prose_and_no_file_or_column_names(reports: Path) -> None:
    for page in [*_pages(reports, "zh"), reports / "index.html"]:
        text = re.sub(r"https?://\S+", "", visible_text(page.read_text(encoding="utf-8")))
        words = set(re.findall(r"[A-Za-z][A-Za-z_.]+", text)) - ZH_ALLOWED
        assert words == set(), f"{page.name}: {sorted(words)[:20]}"
        assert not re.search(r"\.(csv|txt|py|ipynb|toml)\b", text), page.name


def test_english_pages_have_no_chinese_outside_the_plans_wording(reports: Path) -> None:
    for page in [*_pages(reports, "en"), reports / "index.en.html"]:
        html = page.read_text(encoding="utf-8")
        text = visible_text(html)
        found = sorted({m.group(0) for m in re.finditer(r".{0,12}" + CJK.pattern + r"+.{0,12}", text)})
        assert found == [], f"{page.name}: {found[:10]}"
        text = re.sub(r"https?://\S+", "", text)
        names = {w for w in re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text)} & COLUMN_NAMES
        assert names == set(), f"{page.name}: {sorted(names)}"
        assert not re.search(r"\.(csv|txt|py|ipynb|toml)\b", text), page.name


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", unescape(h)).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_section_numbers_are_consecutive(reports: Path, lang: str) -> None:
    for page in _pages(reports, lang):
        headings = _headings(page.read_text(encoding="utf-8"))
        numbered = [h for h in headings if not h.startswith(("附录", "Appendix"))]
        if lang == "zh":
            found = [h.split("、", 1)[0] for h in numbered]
            assert found == list(ZH_NUMERALS[: len(found)]), (page.name, headings)
        else:
            found = [h.split(".", 1)[0] for h in numbered]
            assert found == [str(i) for i in range(1, len(found) + 1)], (page.name, headings)
        assert len(numbered) >= 6 and headings[-1].startswith(("附录", "Appendix")), (page.name, headings)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_target_is_shown(reports: Path, data: PlanData, lang: str) -> None:
    for region in _regions(data):
        html = unescape((reports / f"{region}.{lang}.html").read_text(encoding="utf-8"))
        projection = project_region(data, region, assumptions=Assumptions(as_of=AS_OF), fragility=False)
        missing = [n for n in projection["name_as_written"] if n not in html]
        assert missing == [], (region, missing)


def _counts(html: str) -> dict[str, tuple[int, int]]:
    boxes = re.findall(r'<div class="count" data-group="(\w+)" data-weak="(\d+)"[^>]*><b>(\d+)</b>', html)
    return {g: (int(n), int(weak)) for g, weak, n in boxes}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_screen_counts_equal_the_engine(reports: Path, data: PlanData, lang: str) -> None:
    for region in _regions(data):
        html = (reports / f"{region}.{lang}.html").read_text(encoding="utf-8")
        expected = group_tally(project_region(data, region, assumptions=Assumptions(as_of=AS_OF)))
        assert _counts(html) == expected, region
        first = html.split("<h2", 2)[1]
        assert f"{AS_OF}" in html.split("</header>", 1)[0], "the heading names the as-of year"
        assert "data-group" in first


def test_index_is_built_from_the_analysis(reports: Path, data: PlanData) -> None:
    index = (reports / "index.html").read_text(encoding="utf-8")
    for region in _regions(data):
        tally = group_tally(project_region(data, region, assumptions=Assumptions(as_of=AS_OF)))
        row = re.search(rf"<tr><td><a href='{region}\.zh\.html'>.*?</tr>", index, re.S)
        assert row, region
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]
        assert cells[2] == str(AS_OF)
        for i, (n, weak) in enumerate(tally.values()):
            assert cells[4 + i].startswith(str(n)), (region, cells)
            assert (f"{weak}项证据较弱" in cells[4 + i]) == bool(weak), (region, cells)
    assert "suzhou.en.html" in (reports / "index.en.html").read_text(encoding="utf-8")


def test_same_data_and_as_of_give_the_same_bytes(reports: Path, tmp_path: Path) -> None:
    again = render(["suzhou"], ReportParameters.of(as_of=AS_OF), out_dir=tmp_path, jobs=1, progress=False)
    assert not again.failed
    assert (tmp_path / "suzhou.zh.html").read_bytes() == (reports / "suzhou.zh.html").read_bytes()


def test_review_is_titled_with_the_finished_plan(reports: Path) -> None:
    headings = _headings((reports / "suzhou.zh.html").read_text(encoding="utf-8"))
    assert "五、“十三五”规划完成情况" in headings
    assert "5. 13th Five-Year Plan: completion" in _headings((reports / "suzhou.en.html").read_text(encoding="utf-8"))


def test_report_size(reports: Path) -> None:
    assert max(p.stat().st_size for p in reports.glob("*.html")) < 1.5e6


def test_data_text_is_escaped(data_copy: Path) -> None:
    from tests.conftest import read_rows, write_rows

    path = data_copy / "targets.csv"
    rows = read_rows(path)
    col = rows[0].index("name_as_written")
    for r in rows[1:]:
        if r[0] == "tongzhou" and r[1] == "14th" and r[2] == "ip_service_employees":
            r[col] = "从业人员<script>alert(1)</script> & more"
    write_rows(path, rows)
    import plantrack.present.report as rpt

    html = rpt.full_report(rpt.context("tongzhou", data_dir=str(data_copy), as_of=AS_OF))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "mars"], "unknown region 'mars'; valid values: {regions}"),  # those with targets
        (["--lang", "fr"], "unknown lang 'fr'; valid values: zh, en"),
        (["--target-year", "2019"], "target year 2019 is before the baseline or plan start"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--as-of", "1999"], "as_of must be a year from 2000"),
    ],
)
def test_bad_parameters_write_nothing(
    args: list[str], message: str, data: PlanData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["render", "--out", str(out), "--quiet", *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message.format(regions=", ".join(sorted(data.lookup.region_plans))) in err[0]
    assert not out.exists()


def test_failed_region_leaves_no_html(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_code_cell('region = "x"', metadata={"tags": ["parameters"]}),
        new_code_cell("raise RuntimeError('boom')"),
    ]
    nbformat.write(nb, broken)
    result = render(["wujiang"], out_dir=tmp_path / "out", jobs=1, progress=False, notebook=broken)
    assert "wujiang" in result.failed and "boom" in result.failed["wujiang"]
    assert not list((tmp_path / "out").glob("*.html"))


def test_charts_have_every_glyph() -> None:
    import plantrack.present.report as rpt
    from plantrack.present.context import context
    from plantrack.present.sections.path import indicator_chart

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for region in ("suzhou", "tongzhou"):
            ctx = rpt.context(region, as_of=AS_OF)
            assert "data:image/png" in rpt.distance_chart(ctx)
            ch = context(region, as_of=AS_OF)
            assert "data:image/png" in indicator_chart(ch, ch.projection["indicator_id"].iloc[0])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_report_in_headless_chromium_offline(reports: Path, tmp_path: Path) -> None:
    shot = tmp_path / "suzhou.png"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,1800",
        f"--screenshot={shot}",
        (reports / "suzhou.zh.html").as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 50_000, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console
    failed = [line for line in proc.stderr.splitlines() if "ERR_" in line and "net::" in line]
    assert not failed, f"the report tried to load something: {failed}"


def test_distance_chart_compares_only_this_period() -> None:
    """A total over the plan period projected from the previous period's total has no bar, only a projection."""
    import plantrack.present.report as rpt
    from plantrack.analysis.methods import this_period
    from plantrack.present.charts import distance_rows

    p = rpt.context("suzhou", as_of=AS_OF).projection
    drawn = distance_rows(p).set_index("indicator_id")
    judged = p["projection_central"].notna()
    previous = p[(p["measure"] == "period_total") & judged & ~p["evidence"].isin(this_period())]
    assert len(previous) and all(drawn.loc[i, "bar"] != drawn.loc[i, "bar"] for i in previous["indicator_id"])
    assert all(drawn.loc[i, "central"] == drawn.loc[i, "central"] for i in previous["indicator_id"])


def test_chart_legend_names_verdicts_weak_evidence_and_projection() -> None:
    import matplotlib.pyplot as plt

    import plantrack.present.report as rpt
    from plantrack.present.charts import distance_figure

    fig = distance_figure(rpt.context("suzhou", as_of=AS_OF).projection)
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)
    assert "证据较弱（浅色斜线柱、浅色点）" in names and "预测（点为中值，线为区间）" in names and "已实现" in names
    assert "有望实现" in names and "符合预期" not in names, "the legend names the on-track group, not one of its labels"
    assert distance_figure(rpt.context("wujiang", as_of=AS_OF).projection) is None


def test_sections_send_html_and_a_one_line_label(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    import plantrack.present.report as rpt

    sent: list[dict] = []
    monkeypatch.setattr(IPython.display, "publish_display_data", lambda data, **kw: sent.append(data))
    section = rpt.distance_chart(rpt.context("suzhou", as_of=AS_OF))
    section._ipython_display_()
    assert sent == [{"text/html": str(section), "text/plain": "[HTML] 三、距离目标"}]


def test_comparison_names_each_unit_once() -> None:
    import plantrack.present.report as rpt

    html = rpt.comparison(rpt.context("suzhou", as_of=AS_OF))
    assert "知识产权保护社会满意度（分）" in html and "（分）（分）" not in html and "（）" not in html


def test_english_comparison_uses_english_names() -> None:
    import plantrack.present.report as rpt

    html = rpt.comparison(rpt.context("suzhou", lang="en", as_of=AS_OF))
    assert "1.10× Jiangsu" in html and "Value added of copyright industries, share of GDP (%)" in html
    assert "江苏省" not in html and "中国" not in html


def test_render_command_skips_the_iri_grammars(tmp_path: Path) -> None:
    """jsonschema's rfc3987-syntax import costs ~1 s per `plantrack render`; the command blocks it and still works."""
    import sys

    code = (
        "import sys; from plantrack.app.cli import main; "
        f"code = main(['render', '--region', 'china', '--quiet', '--out', {str(tmp_path)!r}]); "
        "print(code, sys.modules.get('rfc3987_syntax', 'absent'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.split()[-2:] == ["0", "None"], out.stdout + out.stderr
    assert (tmp_path / "china.zh.html").is_file()


def test_index_from_the_pages_own_records_is_the_batch_index(reports: Path, tmp_path: Path) -> None:
    """Issue 25 row 11: the index rebuilt from what each page recorded is byte for byte the batch's index."""
    import shutil

    from plantrack.app.index import write_index

    for lang, name in (("zh", "index.html"), ("en", "index.en.html")):
        folder = tmp_path / lang
        folder.mkdir()
        for page in reports.glob(f"*.{lang}.html"):
            if not page.name.startswith("index"):
                shutil.copy(page, folder / page.name)
        rebuilt = write_index(folder, ReportParameters.of(lang, as_of=AS_OF), None, entries={})
        assert rebuilt.read_bytes() == (reports / name).read_bytes()


def test_a_lean_is_drawn_in_the_lean_colour_not_its_verdict(tmp_path: Path) -> None:
    """The distance chart drew leans as on track while the first screen listed them as leans (fixture: the city's
    benchmark row is a lean)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from plantrack import load
    from plantrack.analysis.tally import row_group
    from plantrack.present.charts import distance_figure, distance_rows
    from plantrack.present.context import context
    from plantrack.present.rows import LEAN_COLOUR, VERDICT_COLOURS
    from plantrack.present.words import words
    from tests.fixture import build

    data = load(build(tmp_path / "fixture"))
    ctx = context("city", "zh", data=data, as_of=2025)
    drawn = distance_rows(ctx.projection, ctx.span[0])
    leans = [r for r in drawn.to_dict("records") if row_group(r) == "lean"]
    assert leans, "the fixture's chart has a lean"
    fig = distance_figure(ctx.projection, "zh", ctx.span[0])
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    faces = {to_hex(p.get_facecolor()[:3]) for p in fig.axes[0].patches}
    dots = {to_hex(c[:3]) for coll in fig.axes[0].collections for c in coll.get_facecolors()}
    plt.close(fig)
    assert words("zh")("group.lean") in names
    assert LEAN_COLOUR in faces | dots
    if not any(row_group(r) == "on_track" for r in drawn.to_dict("records")):
        assert VERDICT_COLOURS["on_track"] not in faces | dots
