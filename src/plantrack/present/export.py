"""Excel export: targets, assessment, comparison, review, backtest, observations, sources and data gaps.

One language for every header of a workbook (``lang``); ids stay in their own columns so a
sheet can be joined or re-imported. Years without separators, values with thousands
separators, growth and shares as percentages; frozen header row, filters, column widths.
Every text is written as text: a cell never holds a formula.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from ..analysis.backtest import backtest
from ..analysis.comparison import compare, incomparable
from ..analysis.projection import Assumptions, project_region
from ..analysis.review import review, review_plan
from ..data.files import write_atomic
from ..data.schema import TABLES
from ..data.tables import PlanData
from . import labels, texts
from .words import check_lang, words

#: the workbook's sheets, in order; their names are the catalogue's ``sheet.<key>``
SHEETS = (
    "targets", "assessment", "comparison", "incomparable", "review", "backtest", "observations", "sources", "gaps",
)
YEAR_COLUMNS = {
    "year", "baseline_year", "target_year", "latest_year", "latest_period_start", "growth_from_year",
    "growth_to_year", "projection_year", "as_of", "as_of_then", "actual_year", "period_start",
}
PERCENT_COLUMNS = {
    "required_growth", "observed_growth", "assumed_growth", "margin", "error", "completion_ratio", "progress_ratio",
}
RATIO_COLUMNS = {"R", "vs_compared", "vs_national", "factor"}
#: a comparison's ratios: a percentage on rows compared as a share (an absolute amount), else a multiple
RELATION_COLUMNS = {"vs_compared", "vs_national"}
#: sheets holding the data folder's own tables: their headers carry the column id (年份（year）) and import back
DATA_SHEETS = {"targets": "targets", "observations": "observations", "sources": "sources"}
#: a target's text beside its unit as written (9 with 万件), its value in the indicator's unit beside that unit
GAP_COLUMNS = [
    "region_id", "plan", "indicator_id", "name_as_written", "target_year", "target_text", "unit_as_written",
    "target_value", "unit", "reason", "why", "missing_region_id", "missing_indicator_id", "missing_years",
]


def _assessment(data: PlanData, a: Assumptions | None, lang: str) -> pd.DataFrame:
    regions = [r for r in data.region_ids() if r in set(data.targets["region_id"])]
    frame = pd.concat([project_region(data, r, assumptions=a) for r in regions], ignore_index=True)
    records = frame.to_dict("records")
    frame.insert(
        frame.columns.get_loc("verdict") + 1,
        "verdict_words",
        [labels.verdict(r["verdict"], r["R"], r["progress_ratio"], lang) for r in records],
    )
    frame.insert(frame.columns.get_loc("reason") + 1, "why", [labels.why(r, lang) for r in records])
    return frame


def sheets(data: PlanData, assumptions: Assumptions | None = None, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The workbook's tables by sheet key, columns as computed (ids and codes kept)."""
    check_lang(lang)
    targets = data.targets.drop(columns=[c for c in data.targets.columns if c.startswith("_") or c.endswith("_norm")])
    assessed = _assessment(data, assumptions, lang)
    comparison = compare(data, assumptions=assumptions, known=assessed)
    notes = {"note_zh": comparison.pop("note_zh"), "note": comparison["note"]}
    comparison["note"] = words(lang).field(notes, "note")
    reviews = [review(data, r) for r in sorted(set(data.targets["region_id"])) if review_plan(data, r)]
    gaps = assessed[assessed["missing_years"].notna() & (assessed["missing_years"] != "")]
    return {
        "targets": targets.drop(columns=["factor", "unit"], errors="ignore"),
        "assessment": assessed,
        "comparison": comparison,
        "incomparable": incomparable(data),
        "review": pd.concat(reviews, ignore_index=True) if reviews else pd.DataFrame(),
        "backtest": backtest(data, None, assumptions),
        "observations": data.observations.drop(  # the columns of observations.csv: values in their unit as written
            columns=[c for c in data.observations.columns if c.startswith("_") or c.endswith("_norm")
                     or c in ("factor", "unit")]
        ),
        "sources": data.sources.drop(columns=["_line"]),
        "gaps": gaps[GAP_COLUMNS].reset_index(drop=True),
    }


def _number_format(column: str, v: float, share: bool = False) -> str:
    if column in YEAR_COLUMNS:
        return "0"
    if column in PERCENT_COLUMNS or (share and column in RELATION_COLUMNS):
        return "0.0%"
    if column in RATIO_COLUMNS:
        return "0.00"
    if float(v).is_integer():
        return "#,##0"
    if abs(v) >= 100:
        return "#,##0.0"
    if abs(v) >= 1:
        return "#,##0.00"
    return "0.0000"


def _value(v: object) -> object:
    """A cell value openpyxl can store: None for absent, plain Python numbers, text otherwise."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return None if isinstance(v, float) and math.isnan(v) else v
    if hasattr(v, "item"):  # numpy scalars
        return _value(v.item())  # type: ignore[union-attr]
    return str(v)


def _width(v: object) -> int:
    s = "" if v is None else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


#: first characters that make a spreadsheet read a typed cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def id_header(column: str, lang: str, table: str = "observations") -> str:
    """A data sheet's header: the column's title in ``lang`` (declared beside its model) with its id.

    年份（year） in Chinese, ``year (year)`` in English; a column added on loading (``target_strict``) is
    named as the other sheets name it.
    """
    col = TABLES[table].columns.get(column)
    name = col.title.get(lang, column) if col is not None else texts.header(column, lang)  # a column added on loading
    if name == column:
        return column
    return words(lang)("data_sheet.header", name=name, id=column)


def write_sheet(ws: object, frame: pd.DataFrame, lang: str, table: str = "") -> None:
    """One table on a worksheet: headers in ``lang`` (a data ``table``'s with ids), formats, header row, filter."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    columns = [str(c) for c in frame.columns]
    widths = []
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)  # type: ignore[attr-defined]
        cell.value = id_header(c, lang, table) if table else texts.header(c, lang)
        cell.data_type = "s"
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(_width(cell.value))
    shares = frame["compared_as"].eq("share").tolist() if "compared_as" in frame.columns else [False] * len(frame)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, (c, raw) in enumerate(zip(columns, row, strict=True), start=1):
            v = _value(raw)
            if v is None:
                continue
            cell = ws.cell(row=i, column=j)  # type: ignore[attr-defined]
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # text stays text, even when it begins with = + - @
                # and stays text when edited: Excel and LibreOffice re-read a cell typed as = + - @ tab CR
                cell.quotePrefix = v.startswith(FORMULA_START)
            elif not isinstance(v, bool):
                cell.number_format = _number_format(c, float(v), shares[i - 2])
            if i <= 60:
                shown = texts.year(v) if c in YEAR_COLUMNS and not isinstance(v, str | bool) else v
                widths[j - 1] = max(widths[j - 1], _width(shown if not isinstance(v, float) else f"{v:,.2f}"))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(8, w + 2), 60)  # type: ignore[attr-defined]
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(frame) + 1)}"  # type: ignore[attr-defined]


def export_xlsx(
    data: PlanData, path: str | Path, assumptions: Assumptions | None = None, lang: str = "zh"
) -> Path:
    """Write one workbook with a sheet per table (see :data:`SHEETS`); headers in ``lang``."""
    from openpyxl import Workbook

    tables = sheets(data, assumptions, lang)
    wb = Workbook()
    wb.remove(wb.active)
    for key, frame in tables.items():
        ws = wb.create_sheet(words(lang)(f"sheet.{key}"))
        write_sheet(ws, frame, lang, DATA_SHEETS.get(key, ""))
    buf = io.BytesIO()
    wb.save(buf)
    out = Path(path).expanduser()
    write_atomic(out, buf.getvalue())
    return out
