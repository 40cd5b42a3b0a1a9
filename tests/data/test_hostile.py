"""Hostile or unlucky input: ids that name paths, formulas, control characters, mathtext, impossible numbers.

Each is refused by validation with file, line and column, or made harmless where it is written.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from plantrack import DataError, load
from plantrack.app.cli import main
from plantrack.data.entry import Entry, check_entry
from plantrack.data.values import numbers_in, parse_number, parse_value_text
from plantrack.present.words import words
from tests.conftest import read_rows, write_rows


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def _line_of(rows: list[list[str]], **match: str) -> int:
    h = rows[0]
    return next(i for i, r in enumerate(rows[1:], start=2) if all(r[h.index(k)] == v for k, v in match.items()))


# ------------------------------------------------------------------ 3. identifiers and output paths


@pytest.mark.parametrize("bad_id", ["../../etc", "Suzhou", "su zhou", "苏州", "a/b", "..", "x.y"])
def test_ids_outside_the_safe_pattern_are_refused(
    data_copy: Path, capsys: pytest.CaptureFixture[str], bad_id: str
) -> None:
    path = data_copy / "regions.csv"
    rows = read_rows(path)
    line = _line_of(rows, region_id="wujiang")
    rows[line - 1][0] = bad_id
    write_rows(path, rows)
    code, out = run(["validate", "--data", str(data_copy), "--lang", "en"], capsys)
    assert code == 1 and "Traceback" not in out
    assert f"regions.csv line {line}, column region_id" in out and "may use only lower-case letters a-z" in out


def test_a_traversal_id_writes_nothing_outside_out(data_copy: Path, tmp_path: Path, capsys) -> None:
    """A region id ``../../etc`` in every table: render refuses before any kernel starts; no file, no folder."""
    for name in ("regions.csv", "targets.csv", "observations.csv", "proxies.csv"):
        p = data_copy / name
        p.write_text(p.read_text(encoding="utf-8").replace("wujiang", "../../etc"), encoding="utf-8")
    out = tmp_path / "a" / "b" / "out"
    before = set(tmp_path.rglob("*"))
    code, text = run(["render", "--data", str(data_copy), "--out", str(out), "--quiet", "--jobs", "1"], capsys)
    assert code == 1 and "Traceback" not in text
    assert "regions.csv line" in text and "column region_id" in text
    assert set(tmp_path.rglob("*")) == before, "render wrote or created something"


def test_report_paths_stay_inside_out(tmp_path: Path) -> None:
    from plantrack.app.render import report_path

    out = tmp_path / "out"
    out.mkdir()
    assert report_path(out, "suzhou.zh.html") == out.resolve() / "suzhou.zh.html"
    for name in ("../../etc.zh.html", "/etc/passwd.html", "sub/x.zh.html"):
        with pytest.raises(ValueError, match="outside"):
            report_path(out, name)
    (out / "suzhou.zh.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(ValueError, match="outside"):
        report_path(out, "suzhou.zh.html")


# ------------------------------------------------------------------ 4. spreadsheets


FORMULAS = ['=HYPERLINK("http://x.invalid","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=1+1"]


def test_formula_text_is_written_as_text(data_copy: Path, tmp_path: Path) -> None:
    """Text beginning with = + - @ tab or CR reads back from the workbook as that text, never as a formula."""
    import openpyxl

    from plantrack.present.export import export_xlsx

    data = load(data_copy)  # the CSV files refuse such text (tests/test_safety.py): put straight into the tables
    names = data.targets["name_as_written"].astype(object).copy()
    for i, text in enumerate(FORMULAS):
        names.iloc[i] = text
    data.targets["name_as_written"] = names
    data.refresh()
    out = export_xlsx(data, tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(out)
    expected = {f.replace("\r", "\n") for f in FORMULAS}  # XML reads a carriage return back as a line feed
    found = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value in expected:
                    assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                    found.add(cell.value)
    assert found == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("拥有量\x00达27.5件", "control character U+0000"),
        ("拥有量\x1b[31m达", "control character U+001B"),
        ("x" * 32_768, "a spreadsheet cell holds at most 32,767"),
    ],
    ids=["nul", "escape", "too-long"],
)
def test_control_characters_and_huge_cells_are_refused(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, expected: str
) -> None:
    path = data_copy / "observations.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("note")] = value
    write_rows(path, rows)
    code, out = run(["validate", "--data", str(data_copy), "--lang", "en"], capsys)
    assert code == 1 and "observations.csv line 2, column note" in out and expected in out
    book = tmp_path / "book.xlsx"
    code, out = run(["export", "--data", str(data_copy), "--xlsx", str(book)], capsys)
    assert code == 1 and "Traceback" not in out and "observations.csv line 2, column note" in out
    assert not book.exists() and list(tmp_path.glob("*.tmp*")) == []
    kept = load(data_copy, on_error="skip")  # the row is set aside, the export of the rest works
    assert len(kept.observations) == len(rows) - 2  # all but the header and the bad row


def test_concurrent_exports_to_one_path(data, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from plantrack.present.export import export_xlsx

    target = tmp_path / "book.xlsx"
    with ThreadPoolExecutor(3) as pool:
        paths = list(pool.map(lambda _: export_xlsx(data, target), range(3)))
    assert paths == [target] * 3 and [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


# ------------------------------------------------------------------ 5. chart text


@pytest.mark.filterwarnings("error:.*[Gg]lyph")
def test_a_dollar_sign_in_a_name_is_drawn_as_text(data_copy: Path) -> None:
    """matplotlib would read ``$…$`` as mathematics (``$_$`` fails to parse): names are plain text."""
    import plantrack.present.report as rpt
    from plantrack.present.charts import distance_figure, to_png
    from plantrack.present.context import context
    from plantrack.present.sections.path import indicator_chart

    for file, columns in (("indicators.csv", ("name_zh", "name_en")), ("targets.csv", ("name_as_written",))):
        p = data_copy / file
        rows = read_rows(p)
        for r in rows[1:]:
            if "hv_invention_patents_per_10k" in r and (file == "indicators.csv" or r[0] == "suzhou"):
                for c in columns:
                    r[rows[0].index(c)] = "成本 $_$ 与 $x^2$ 及 $"
        write_rows(p, rows)
    ctx = rpt.context("suzhou", data_dir=str(data_copy))
    fig = distance_figure(ctx.projection)
    assert "成本 $_$ 与 $x^2$ 及 $" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert to_png(fig).startswith(b"\x89PNG")
    html = rpt.full_report(ctx)
    assert "成本 $_$ 与 $x^2$ 及 $" in html and html.count("data:image/png") >= 1
    chapter = context("suzhou", data_dir=str(data_copy))
    assert "data:image/png" in indicator_chart(chapter, "hv_invention_patents_per_10k")


# ------------------------------------------------------------------ 6. values


def test_observations_after_this_year_are_refused(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    future = datetime.date.today().year + 1
    path = data_copy / "observations.csv"
    rows = read_rows(path)
    h = rows[0]
    line = next(i for i, r in enumerate(rows[1:], start=2) if r[h.index("period_start")] == "")
    rows[line - 1][h.index("year")] = str(future)
    write_rows(path, rows)
    code, out = run(["validate", "--data", str(data_copy), "--lang", "en"], capsys)
    assert code == 1 and f"observations.csv line {line}, column year: '{future}'" in out
    assert "after the current year" in out
    with pytest.raises(DataError):
        load(data_copy)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8_0", "not 8_0, inf or nan"),
        ("inf", "not 8_0, inf or nan"),
        ("nan", "not 8_0, inf or nan"),
        ("٨٠", "not 8_0, inf or nan"),
        ("eighty", "expected a number"),
    ],
)
def test_numbers_are_plain_digits(
    data_copy: Path, capsys: pytest.CaptureFixture[str], value: str, expected: str, edit_cell
) -> None:
    edit_cell(data_copy / "observations.csv", 3, "value", value)
    code, out = run(["validate", "--data", str(data_copy), "--lang", "en"], capsys)
    assert code == 1 and f"observations.csv line 3, column value: {value!r} — expected a number" in out
    assert expected in out
    assert out.count("observations.csv line 3, column value") == 1, "one problem per cell"


def test_fullwidth_digits_are_the_same_digits_everywhere(data_copy: Path, edit_cell, data) -> None:
    """One rule: ８０ is 80 in a numeric column, a written value, a quote and the entry form."""
    assert parse_number("８０") == 80.0 and parse_number("２７．５") == 27.5
    assert parse_number("8_0") is None and parse_number("٨٠") is None and parse_number("inf") is None
    assert numbers_in("达８０件，增长２．５倍") == {80.0, 2.5} and numbers_in("8_0") == {8.0, 0.0}
    assert parse_value_text("超８０家").low == 80.0 and parse_value_text("٨٠").kind == "qualitative"
    edit_cell(data_copy / "observations.csv", 3, "value", "４０．２５")  # the row's quote says 40.25
    assert load(data_copy).observations.loc[1, "value"] == 40.25
    base = {"quote": "拥有量达２７．５件", "title": "t", "issuer": "i", "date": "2024", "url": "https://example.org/x"}
    base["tier"] = "B"
    ok = Entry("suzhou", "hv_invention_patents_per_10k", "２０２３", "２７．５", "件", **base)
    assert check_entry(data, ok) == {}
    for bad in ("2_7.5", "inf", "٢٧"):
        assert "value" in check_entry(data, Entry("suzhou", "hv_invention_patents_per_10k", "2023", bad, "件", **base))
    later = Entry("suzhou", "hv_invention_patents_per_10k", str(datetime.date.today().year + 1), "27.5", "件", **base)
    assert "尚未到来" in check_entry(data, later, say=words("zh").sayer("entry_check"))["year"]


def test_duplicate_column_names_are_refused(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "regions.csv"
    rows = read_rows(path)
    rows = [[*r, r[1]] for r in rows]  # name_zh twice: the second would silently replace the first
    write_rows(path, rows)
    code, out = run(["validate", "--data", str(data_copy), "--lang", "en"], capsys)
    assert code == 1 and "regions.csv line 1, column name_zh" in out
    assert "column appears more than once in the header (columns 2, 6)" in out
