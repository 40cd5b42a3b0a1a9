"""The reports as they print on A4 (issue 24, item 9): no table cell wraps beyond three lines.

Reports of the fixture dataset (plus a target with a long name and a total over the period that
cannot be judged, the cases that wrapped to five lines and more) are rendered in both languages
and opened in headless Chromium with print media emulated; every table cell's lines are counted on
the width of the page its section prints on (:mod:`tests.browser.printed`: portrait for page 1,
landscape for the rest, as the report's ``@page`` rules say). A failure names the report, section,
table, row and the cell's text. The bundled reports are measured with ``scripts/print_check.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack.app.render import render
from plantrack.present.context import ReportParameters
from plantrack.present.page import page as report_page
from tests.browser.printed import MOST_LINES, content_width, measure
from tests.browser.test_browser import Tab
from tests.fixture import build

pytestmark = pytest.mark.browser

AS_OF = 2024
#: made-up rows: an indicator with long names, a total over the plan period with no value yet (a long reason)
LONG = {
    "indicators.csv": [
        ["training_g", "培训知识产权管理和执法人员、企业高管、知识产权师等各类人员",
         "IP training of officials, executives, lawyers and IP staff of firms (person-times)", "件", "period_total",
         "higher", "", ""],
    ],
    "targets.csv": [
        ["city", "p14", "training_g", "培训知识产权管理和执法人员、企业高管、知识产权师等各类人员", "件", "预期性", "",
         "", "", "2025", "65000", "65000", "65000", "point", "", "", "doc", "二",
         "培训知识产权管理和执法人员、企业高管、知识产权师等各类人员65000", "", ""],
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def fixture_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = build(tmp_path_factory.mktemp("print-data"), LONG)
    out = tmp_path_factory.mktemp("print-reports")
    for lang in ("zh", "en"):
        result = render(None, ReportParameters.of(lang, as_of=AS_OF), out_dir=out, data_dir=str(data), progress=False)
        assert not result.failed, result.failed
    return out


def test_no_printed_cell_wraps_beyond_three_lines(fixture_reports: Path, tab: Tab) -> None:
    pages = sorted(p for p in fixture_reports.glob("*.*.html") if not p.name.startswith("index."))
    assert len(pages) >= 4, pages
    over, wide, measured = [], [], 0
    for html in pages:
        printed = measure(tab.page, html.as_uri())
        measured += len(printed.cells)
        over += [f"{html.name}: {cell}" for cell in printed.over()]
        wide += [f"{html.name}: {t}" for t in printed.too_wide]
        assert {c.page for c in printed.cells} >= {"wide"}, "the tables print on the landscape pages"
        if html.name.startswith("city."):
            names = {c.row_name for c in printed.cells if c.table == "targets"}
            assert any(n.startswith(("IP training", "培训")) for n in names), names
    assert measured > 100
    assert not over, f"cells over {MOST_LINES} lines when printed:\n" + "\n".join(over)
    assert not wide, "tables wider than their printed page:\n" + "\n".join(wide)
    tab.assert_quiet()


def test_the_measurement_finds_a_cell_that_wraps(tmp_path: Path, tab: Tab) -> None:
    """The count is of rendered lines: a long text in a narrow column is caught and named; short cells are not."""
    long = " ".join(["projection"] * 30)
    cells = f"<td>short</td><td style='width:30mm'>{long}</td><td>one<br>two<br>three</td>"
    body = (
        "<section class='targets'><h2>T</h2><table class='targets'><thead><tr><th>a</th><th>b</th><th>c</th></tr>"
        f"</thead><tbody><tr><td>first</td><td>x</td><td>y</td></tr><tr>{cells}</tr></tbody></table></section>"
    )
    path = tmp_path / "page.html"
    path.write_text(report_page(body, "t", "en"), encoding="utf-8")
    printed = measure(tab.page, path.as_uri())
    over = printed.over()
    assert [(c.row, c.column, c.row_name) for c in over] == [(2, "b", "short")], [str(c) for c in printed.cells]
    assert over[0].lines > MOST_LINES and over[0].page == "wide"
    by_text = {c.text: c.lines for c in printed.cells}
    assert by_text["short"] == 1 and by_text["one two three"] == 3


def test_page_widths_follow_the_page_rules() -> None:
    """A4 portrait with 12 mm side margins is 186 mm wide (703 px); landscape 273 mm (1032 px)."""
    assert content_width({"size": "A4", "left": "12mm", "right": "12mm"}) == 703
    assert content_width({"size": "A4 landscape"}, {"size": "A4", "left": "12mm", "right": "12mm"}) == 1032


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_index_fits_a_laptop_screen(tmp_path: Path, tab: Tab, lang: str) -> None:
    """The English index of the bundled data ran off the right edge at 1280 px (its long plan names and headers kept
    on one line), cutting the most pressing target's name: the table fits the page, on screen and on portrait A4."""
    result = render(None, ReportParameters.of(lang), out_dir=tmp_path, progress=False)
    assert not result.failed, result.failed
    index = tmp_path / ("index.html" if lang == "zh" else f"index.{lang}.html")
    for width, media in ((1280, "screen"), (703, "print")):  # A4 portrait within 12 mm margins: 703 px
        tab.page.set_viewport_size({"width": width, "height": 900})
        tab.page.emulate_media(media=media)
        tab.page.goto(index.as_uri())
        overflow = tab.page.evaluate(
            "() => { const t = document.querySelector('table'); const r = t.getBoundingClientRect();"
            " return [r.right, document.documentElement.clientWidth, t.rows.length]; }"
        )
        right, viewport, rows = overflow
        assert rows >= 2 and right <= viewport, (width, media, overflow)
    tab.assert_quiet()
