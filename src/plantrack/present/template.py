"""The workbook a researcher fills in: one row per number the assessment says is missing.

Sheet 待补数据 lists each missing number (region, indicator, year wanted, the plan's wording and
unit) with ids filled in and empty cells for the value and its citation; drop-down lists for
ids, units, tiers and qualifiers. Sheet 填写说明 explains every column and the rules for numbers
from outside the plan documents. ``plantrack import`` reads the filled workbook back.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pandas as pd

from ..analysis.assumptions import Assumptions
from ..analysis.projection import project_region
from ..data.files import write_atomic
from ..data.importer import COLUMNS, INFO_COLUMNS, SHEET, period_start_for, units_for
from ..data.tables import PlanData
from ..data.vocabulary import TIERS, VALUE_QUALIFIERS, YEAR_RANGE
from . import texts

HELP_SHEET = "填写说明"
LISTS_SHEET = "lists"
EXTRA_ROWS = 100  # empty rows with the same drop-down lists, for numbers the template did not ask for
WIDTHS = {"name_as_written": 30, "quote": 60, "source_title": 36, "issuer": 24, "source_url": 36, "note": 30}


def header_label(column: str) -> str:
    """A template header: the Chinese name with the column id, 年份（year）."""
    return f"{texts.TEMPLATE_NAMES.get(column) or texts.header(column, 'zh')}（{column}）"


def missing_numbers(
    data: PlanData, region: str, plan: str | None = None, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    """One row per number the assessment names as missing: region, indicator, year wanted, wording, unit."""
    proj = project_region(data, region, plan, assumptions=assumptions, fragility=False)
    rows = []
    for r in proj.to_dict("records"):
        if not r["missing_years"] or not isinstance(r["missing_years"], str):
            continue
        ind = str(r["missing_indicator_id"])
        reg = str(r["missing_region_id"])
        total = data.indicator(ind)["measure"] == "period_total"
        for y in r["missing_years"].split(";"):
            rows.append(
                {
                    "region_id": reg,
                    "indicator_id": ind,
                    "name_as_written": r["name_as_written"],
                    "years_wanted": y,
                    "indicator_unit": data.indicator(ind)["unit"] or "",
                    "period_start": str(period_start_for(data, reg, int(y))) if total else "",
                    "reason": r["reason"],
                }
            )
    frame = pd.DataFrame(rows, columns=["region_id", "indicator_id", "name_as_written", "years_wanted",
                                        "indicator_unit", "period_start", "reason"])
    return frame.drop_duplicates(["region_id", "indicator_id", "years_wanted"]).reset_index(drop=True)


def put_text(cell: object, value: object) -> None:
    """Put text in a cell as text: a leading = + - @ never becomes a formula."""
    cell.value = value  # type: ignore[attr-defined]
    if isinstance(value, str):
        cell.data_type = "s"  # type: ignore[attr-defined]


def _list_column(ws: object, col: int, title: str, values: list[str]) -> str:
    """Write ``values`` in a column of the lists sheet; the range a drop-down list refers to."""
    from openpyxl.utils import get_column_letter

    put_text(ws.cell(row=1, column=col), title)  # type: ignore[attr-defined]
    for i, v in enumerate(values, start=2):
        put_text(ws.cell(row=i, column=col), v)  # type: ignore[attr-defined]
    letter = get_column_letter(col)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"


def write_template(
    data: PlanData,
    region: str,
    path: str | Path,
    plan: str | None = None,
    assumptions: Assumptions | None = None,
) -> tuple[Path, int]:
    """Write the template for ``region``'s plan to ``path`` (.xlsx); returns the path and the rows asked for."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wanted = missing_numbers(data, region, plan, assumptions)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    col = {c: i for i, c in enumerate(COLUMNS, start=1)}
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    info_fill = PatternFill("solid", fgColor="F2F2F2")
    for c, i in col.items():
        cell = ws.cell(row=1, column=i)
        put_text(cell, header_label(c))
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(c, max(12, len(header_label(c)) * 1.4))
    for n, r in enumerate(wanted.to_dict("records"), start=2):
        for c in ("region_id", "indicator_id", "name_as_written", "years_wanted", "indicator_unit", "period_start"):
            put_text(ws.cell(row=n, column=col[c]), r[c] or None)
        for c in INFO_COLUMNS:
            ws.cell(row=n, column=col[c]).fill = info_fill
    last = len(wanted) + 1 + EXTRA_ROWS
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"

    help_ws = wb.create_sheet(HELP_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    today = datetime.date.today()
    units = sorted({u for i in data.indicators["indicator_id"] for u in units_for(data, str(i)) if u})
    ranges = {
        "region_id": _list_column(lists, 1, "region_id", data.region_ids()),
        "indicator_id": _list_column(lists, 2, "indicator_id", sorted(data.indicators["indicator_id"])),
        "unit": _list_column(lists, 3, "unit", units),
        "source_id": _list_column(lists, 4, "source_id", list(data.sources["source_id"])),
    }
    lists.sheet_state = "hidden"

    def rng(c: str, first: int = 2, end: int = last) -> str:
        letter = get_column_letter(col[c])
        return f"{letter}{first}:{letter}{end}"

    def dv(formula: str, where: str, prompt: str, kind: str = "list", **kw: object) -> None:
        v = DataValidation(type=kind, formula1=formula, allow_blank=True, showErrorMessage=True, **kw)
        v.error, v.errorTitle = prompt, "plantrack"
        v.prompt, v.showInputMessage = prompt, True
        v.add(where)
        ws.add_data_validation(v)

    for c in ("region_id", "indicator_id", "source_id"):
        dv(ranges[c], rng(c), texts.TEMPLATE_HELP[c])
    dv(f'"{",".join(TIERS)}"', rng("tier"), texts.TEMPLATE_HELP["tier"])
    dv(f'"{",".join(VALUE_QUALIFIERS)}"', rng("qualifier"), texts.TEMPLATE_HELP["qualifier"])
    dv(str(YEAR_RANGE[0]), rng("year"), texts.TEMPLATE_HELP["year"], kind="whole", operator="between",
       formula2=str(today.year))
    # each asked-for row offers the units of its own indicator; the empty rows below, every unit
    for n, r in enumerate(wanted.to_dict("records"), start=2):
        own = [u for u in units_for(data, r["indicator_id"]) if u]
        if own:
            dv(f'"{",".join(own)}"', f"{get_column_letter(col['unit'])}{n}", texts.TEMPLATE_HELP["unit"])
    dv(ranges["unit"], rng("unit", len(wanted) + 2), texts.TEMPLATE_HELP["unit"])

    put_text(help_ws.cell(row=1, column=1), "列（列代码）")
    put_text(help_ws.cell(row=1, column=2), "填写说明")
    for cell in help_ws[1]:
        cell.font, cell.fill = bold, head_fill
    for n, c in enumerate(COLUMNS, start=2):
        put_text(help_ws.cell(row=n, column=1), header_label(c))
        put_text(help_ws.cell(row=n, column=2), texts.TEMPLATE_HELP[c])
    start = len(COLUMNS) + 3
    put_text(help_ws.cell(row=start, column=1), "规则（方法说明第8节：规划文件以外的数据）")
    help_ws.cell(row=start, column=1).font = bold
    for i, rule in enumerate(texts.RULES_ZH, start=1):
        put_text(help_ws.cell(row=start + i, column=1), f"{i}.")
        put_text(help_ws.cell(row=start + i, column=2), rule)
    steps = start + len(texts.RULES_ZH) + 2
    put_text(help_ws.cell(row=steps, column=1), "导入")
    help_ws.cell(row=steps, column=1).font = bold
    put_text(
        help_ws.cell(row=steps + 1, column=2),
        "填好后运行 plantrack import 本文件.xlsx：先整体校验，任何一行有误则列出该行且不写入；"
        "全部正确后写入 data/observations.csv 和 data/sources.csv，并显示评估结果的变化。",
    )
    help_ws.column_dimensions["A"].width = 28
    help_ws.column_dimensions["B"].width = 100
    for row in help_ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    buf = io.BytesIO()
    wb.save(buf)
    out = Path(path).expanduser()
    write_atomic(out, buf.getvalue())
    return out, len(wanted)
