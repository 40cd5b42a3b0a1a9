"""The workbook to enter a new plan from its text (``plantrack plan-template``); ``plantrack import`` reads it.

Sheet 规划 (one field a row: the plan, its period and previous plan, the region, the stored
document), sheet 目标 (one target a row, prefilled with the indicators of the region's current plan
as a head start) and a sheet explaining every field and column. Headers and help come from the
catalogue of the chosen language; the column ids in brackets are what the import reads.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..data.files import write_atomic
from ..data.params import default_plan
from ..data.planimport import PLAN_FIELDS, PLAN_SHEET, TARGET_COLUMNS, TARGETS_SHEET
from ..data.tables import PlanData
from ..data.vocabulary import ATTRIBUTES, DIRECTIONS, MEASURES, TARGET_KINDS
from .template import put_text
from .words import words

HELP_SHEET = "说明"
LISTS_SHEET = "lists"
EXTRA_ROWS = 60  # empty rows with the drop-down lists, for the plan's other targets
WIDTHS = {"name_as_written": 30, "quote": 60, "locator": 18, "note": 24, "target_text": 14}
PREFILLED = ("indicator_id", "name_as_written", "unit_as_written", "attribute")


def label(column: str, lang: str) -> str:
    """A header: the column's name in ``lang`` with its id, 目标年份（target_year）."""
    return f"{words(lang)(f'plan_column.{column}')}（{column}）"


def plan_defaults(data: PlanData, region: str, plan: str) -> dict[str, str]:
    """The plan sheet's values known before the text is read: a plan of plans.csv, or the one after the current."""
    out = dict.fromkeys(PLAN_FIELDS, "")
    out.update(region_id=region, plan_id=plan)
    row = data.lookup.plans.get(plan)
    if row is not None:
        for key in ("name_zh", "name_en", "start_year", "end_year", "previous_plan"):
            v = row.get(key)
            out[key] = "" if v is None or v != v else str(v)
        return out
    current = default_plan(data, region)
    start, end = (int(data.lookup.plans[current][k]) for k in ("start_year", "end_year"))  # type: ignore[call-overload]
    out.update(previous_plan=current, start_year=str(end + 1), end_year=str(end + 1 + end - start))
    return out


def write_plan_template(
    data: PlanData, region: str, plan: str, path: str | Path, lang: str = "zh"
) -> tuple[Path, int]:
    """Write the plan workbook for ``region``'s plan ``plan`` to ``path``; the path and the rows prefilled."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    w = words(lang)
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    for i, text in enumerate((w("plan_template.field"), w("plan_template.value"), w("plan_template.help")), 1):
        put_text(ws.cell(row=1, column=i), text)
        ws.cell(row=1, column=i).font, ws.cell(row=1, column=i).fill = bold, head_fill
    for n, (key, value) in enumerate(plan_defaults(data, region, plan).items(), start=2):
        put_text(ws.cell(row=n, column=1), label(key, lang))
        put_text(ws.cell(row=n, column=2), value or None)
        put_text(ws.cell(row=n, column=3), w(f"plan_help.{key}"))
    for letter, width in (("A", 30), ("B", 36), ("C", 90)):
        ws.column_dimensions[letter].width = width

    ts = wb.create_sheet(TARGETS_SHEET)
    col = {c: i for i, c in enumerate(TARGET_COLUMNS, start=1)}
    for c, i in col.items():
        cell = ts.cell(row=1, column=i)
        put_text(cell, label(c, lang))
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ts.column_dimensions[get_column_letter(i)].width = WIDTHS.get(c, 14)
    current = default_plan(data, region)
    rows = data.lookup.plan_targets.get((region, current), [])
    for n, r in enumerate(rows, start=2):
        for c in PREFILLED:
            v = r.get(c)
            put_text(ts.cell(row=n, column=col[c]), None if v is None or v != v or v == "" else str(v))
    last = len(rows) + 1 + EXTRA_ROWS
    ts.freeze_panes = "B2"

    lists = wb.create_sheet(LISTS_SHEET)
    ids = sorted(data.indicators["indicator_id"])
    for i, v in enumerate(ids, start=1):
        put_text(lists.cell(row=i, column=1), v)
    lists.sheet_state = "hidden"
    choices = {
        "attribute": f'"{",".join(ATTRIBUTES)}"', "target_kind": f'"{",".join(TARGET_KINDS[:5])}"',
        "new_measure": f'"{",".join(MEASURES)}"', "new_direction": f'"{",".join(DIRECTIONS)}"',
    }
    for c, formula in choices.items():
        v = DataValidation(type="list", formula1=formula, allow_blank=True)
        v.prompt, v.showInputMessage = w(f"plan_help.{c}"), True
        v.add(f"{get_column_letter(col[c])}2:{get_column_letter(col[c])}{last}")
        ts.add_data_validation(v)
    hint = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!$A$1:$A${len(ids)}", allow_blank=True,
                          showErrorMessage=False)
    hint.prompt, hint.showInputMessage = w("plan_help.indicator_id"), True
    hint.add(f"A2:A{last}")
    ts.add_data_validation(hint)

    hs = wb.create_sheet(HELP_SHEET)
    for n, c in enumerate(TARGET_COLUMNS, start=1):
        put_text(hs.cell(row=n, column=1), label(c, lang))
        put_text(hs.cell(row=n, column=2), w(f"plan_help.{c}"))
    put_text(hs.cell(row=len(TARGET_COLUMNS) + 2, column=2), w("plan_template.steps"))
    hs.column_dimensions["A"].width, hs.column_dimensions["B"].width = 30, 100

    buf = io.BytesIO()
    wb.save(buf)
    out = Path(path).expanduser()
    write_atomic(out, buf.getvalue())
    return out, len(rows)
