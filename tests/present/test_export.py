"""The exported workbook: sheets, one language per workbook, number formats, filters, and no formulas."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from plantrack.app.cli import main
from plantrack.data.importer import column_id
from plantrack.data.tables import PlanData
from plantrack.present.export import PERCENT_COLUMNS, SHEETS, YEAR_COLUMNS, id_header
from plantrack.present.texts import header
from plantrack.present.words import words

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = folder / f"plantrack.{lang}.xlsx"
        assert main(["export", "--xlsx", str(out[lang]), "--lang", lang]) == 0
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_headers_and_layout(workbooks: dict[str, Path], lang: str) -> None:
    wb = openpyxl.load_workbook(workbooks[lang])
    name = {key: words(lang)(f"sheet.{key}") for key in SHEETS}
    assert wb.sheetnames == list(name.values())
    for ws in wb.worksheets:
        heads = [c.value for c in ws[1]]
        assert all(heads), ws.title
        if lang == "en":
            assert not any(CJK.search(h) for h in heads), (ws.title, heads)
        else:
            assert all(CJK.search(h) or h == "R 值" for h in heads), (ws.title, heads)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all((ws.column_dimensions[c.column_letter].width or 0) >= 8 for c in ws[1])
    # ids kept, so sheets can be joined or re-imported; sources carry tier and address
    for key in ("assessment", "gaps"):
        heads = [c.value for c in wb[name[key]][1]]
        assert header("region_id", lang) in heads and header("indicator_id", lang) in heads
    # the data sheets carry the column ids as the template does (年份（year）), so they import back
    heads = [c.value for c in wb[name["observations"]][1]]
    assert id_header("region_id", lang) in heads and id_header("indicator_id", lang) in heads
    source_heads = [c.value for c in wb[name["sources"]][1]]
    assert {id_header(c, lang, "sources") for c in ("source_id", "tier", "url")} <= set(source_heads)


def test_number_formats(workbooks: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(workbooks["en"])
    by_header = {header(c, "en"): c for c in YEAR_COLUMNS | PERCENT_COLUMNS}
    seen = {"year": 0, "percent": 0, "thousands": 0}
    for ws in wb.worksheets:
        heads = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for h, cell in zip(heads, row, strict=True):
                if not isinstance(cell.value, int | float) or isinstance(cell.value, bool):
                    continue
                col = by_header.get(h) or column_id(h)
                if col in YEAR_COLUMNS:
                    assert cell.number_format == "0", (ws.title, h)
                    seen["year"] += 1
                elif col in PERCENT_COLUMNS:
                    assert cell.number_format == "0.0%", (ws.title, h)
                    seen["percent"] += 1
                elif abs(cell.value) >= 1000:
                    assert cell.number_format.startswith("#,##0"), (ws.title, h, cell.number_format)
                    seen["thousands"] += 1
                assert cell.number_format != "General", (ws.title, h, cell.value)
    assert all(n > 10 for n in seen.values()), seen


def test_no_cell_is_a_formula(data: PlanData, tmp_path: Path) -> None:
    """Text from the data that begins with = stays text (checked in the file itself, not only via openpyxl).

    The CSV files refuse such text (tests/test_safety.py), so it is put straight into the tables here.
    """
    from plantrack.present.export import export_xlsx

    data = copy.deepcopy(data)
    data.sources.loc[data.sources.index[0], "note"] = '=HYPERLINK("http://example.org","x")'
    data.targets.loc[data.targets.index[0], "note"] = "+1+2"
    data.refresh()
    out = export_xlsx(data, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(out)
    formulas = [
        (ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    notes = [c.value for row in wb["来源"].iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://example.org","x")' in notes
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name


def _analysis(data) -> dict[str, object]:
    """Each sheet's numbers as the analysis computes them, independently of the export module."""
    import pandas as pd

    from plantrack.analysis.backtest import backtest
    from plantrack.analysis.comparison import compare
    from plantrack.analysis.projection import project_region
    from plantrack.analysis.review import review, review_plan

    regions = [r for r in data.region_ids() if r in set(data.targets["region_id"])]
    assessed = pd.concat([project_region(data, r) for r in regions], ignore_index=True)
    reviews = [review(data, r) for r in sorted(set(data.targets["region_id"])) if review_plan(data, r)]
    gaps = assessed[assessed["missing_years"].notna() & (assessed["missing_years"] != "")].reset_index(drop=True)
    return {
        "targets": data.targets, "assessment": assessed, "comparison": compare(data), "review": pd.concat(reviews),
        "backtest": backtest(data), "observations": data.observations, "gaps": gaps,
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_numeric_cell_is_the_analysis_number(workbooks: dict[str, Path], lang: str, data) -> None:
    """Each number of each sheet equals the analysis' value, in the unit the sheet states beside it."""
    import math

    from plantrack.present.export import sheets

    frames = sheets(data, lang=lang)
    truth = _analysis(data)
    wb = openpyxl.load_workbook(workbooks[lang], read_only=True)
    checked = 0
    for key, frame in frames.items():
        rows = list(wb[words(lang)(f"sheet.{key}")].iter_rows(values_only=True))
        columns = [str(c) for c in frame.columns]
        numeric = [c for c in columns if c not in YEAR_COLUMNS]
        # a number is in the indicator's unit (a unit column) or in its unit as written (a unit_as_written column)
        if key in ("targets", "observations", "review"):
            assert "unit_as_written" in columns and "unit" not in columns, key
        elif key in ("assessment", "comparison", "backtest", "gaps"):
            assert "unit" in columns, key
        if key not in truth:
            continue
        expected = truth[key].reset_index(drop=True)
        assert len(rows) - 1 == len(expected), key
        for n, row in enumerate(rows[1:]):
            for c, cell in zip(columns, row, strict=True):
                if c not in numeric or isinstance(cell, bool) or not isinstance(cell, int | float):
                    continue
                want = expected.at[n, c]
                assert want is not None and not (isinstance(want, float) and math.isnan(want)), (key, n, c, cell)
                assert math.isclose(float(cell), float(want), rel_tol=1e-12, abs_tol=1e-12), (key, n, c, cell, want)
                checked += 1
    assert checked > 1000
    # targets in the indicator's unit where the plan writes 万: 9 with 万件 is 90 000 件 (never "9 件")
    gaps, targets = frames["gaps"], data.targets
    merged = gaps.merge(targets[["region_id", "plan", "indicator_id", "factor", "target_low_norm"]],
                        on=["region_id", "plan", "indicator_id"])
    scaled = merged[merged["factor"] != 1]
    assert not scaled.empty
    assert (scaled["target_value"] == scaled["target_low_norm"]).all()
    assert (scaled["unit_as_written"] != scaled["unit"]).all()
