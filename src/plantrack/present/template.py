"""The workbook a researcher fills in: one row per number the assessment says is missing.

Sheet 待补数据 lists each missing number (region, indicator, year wanted, the plan's wording and
unit) with ids filled in and empty cells for the value and its citation; drop-down lists for
ids, units, tiers and qualifiers. Sheet 填写说明 explains every column and the rules for numbers
from outside the plan documents. ``plantrack import`` reads the filled workbook back.
"""

from __future__ import annotations

import datetime
import io
import math
from pathlib import Path

import pandas as pd

from ..analysis.assumptions import Assumptions
from ..analysis.plans import plan_span
from ..analysis.projection import project_region
from ..analysis.tally import AT_RISK, GROUPS
from ..data.files import write_atomic
from ..data.importer import COLUMNS, INFO_COLUMNS, SHEET, period_start_for, units_for
from ..data.schema import TABLES
from ..data.tables import PlanData
from ..data.values import present
from ..data.vocabulary import TIERS, VALUE_QUALIFIERS, YEAR_RANGE
from . import formats, texts
from .words import Words

HELP_SHEET = "填写说明"
LISTS_SHEET = "lists"
EXTRA_ROWS = 100  # empty rows with the same drop-down lists, for numbers the template did not ask for
WIDTHS = {"name_as_written": 30, "quote": 60, "source_title": 36, "issuer": 24, "source_url": 36, "note": 30}


def header_label(column: str) -> str:
    """A template header: the Chinese name with the column id, 年份（year）.

    The name of a column of observations.csv or sources.csv is its title declared beside the model.
    """
    declared = TABLES["observations"].columns.get(column) or TABLES["sources"].columns.get(column)
    name = texts.TEMPLATE_NAMES.get(column) or (declared.title["zh"] if declared else texts.header(column, "zh"))
    return f"{name}（{column}）"


#: why a row is asked, most decisive first: the groups of the first screen, then the rest
PRIORITIES = ("at_risk", "weak", "pending", "unassessed", "confirm")
WANTED_COLUMNS = [
    "region_id", "indicator_id", "name_as_written", "years_wanted", "indicator_unit", "period_start",
    "why_asked", "would_do", "priority", "reason",
]


def _priority(r: dict[str, object]) -> str:
    """Why an assessed target's missing actuals are asked: the first-screen group its verdict would change."""
    verdict = str(r["verdict"])
    if verdict in AT_RISK:
        return "at_risk"
    if verdict in GROUPS["on_track"] and bool(r["weak"]):
        return "weak"
    if r["outcome"] == "pending":
        return "pending"
    return "confirm"


def _on_path(r: dict[str, object], year: int) -> float | None:
    """The value on the path the target requires in ``year``, when the projection gives one that ends on target."""
    values = [r.get(c) for c in ("latest_value", "required_growth", "latest_year", "target_value", "target_year")]
    if not all(present(v) for v in values) or r.get("measure") == "period_total":
        return None
    latest, growth, since, goal, end = (float(v) for v in values)  # type: ignore[arg-type]

    def path(y: float) -> float:
        return latest * (1 + growth) ** (y - since)

    return path(year) if math.isclose(path(end), goal, rel_tol=1e-6) else None


def _own_years(data: PlanData, region: str, indicator: str, as_of: int) -> list[int]:
    """Years with a value of the target's own series (used, up to the as-of year)."""
    o = data.observations
    rows = o[(o["region_id"] == region) & (o["indicator_id"] == indicator) & (o["use"].fillna("") != "no")]
    return sorted(int(y) for y in rows["year"] if int(y) <= as_of)


def _asked_rows(
    data: PlanData, r: dict[str, object], as_of: int, every_year: bool, words: Words
) -> list[dict[str, object]]:
    """The actuals of one assessed target the template asks for, each with why and what the assessment does."""
    region, indicator = str(r["region_id"]), str(r["indicator_id"])
    start, _ = plan_span(data, str(r["plan"]))
    end = min(int(r["target_year"]), as_of)  # type: ignore[call-overload]
    have = _own_years(data, region, indicator, as_of)
    first = start if every_year else max([start, *(y + 1 for y in have)])
    priority = _priority(r)
    unit = str(data.indicator(indicator)["unit"] or "")
    out = []
    for y in range(first, end + 1):
        if not every_year and y in have:
            continue
        if priority == "pending" or (y == int(r["target_year"]) and r["outcome"] == "pending"):  # type: ignore[call-overload]
            why = words("template_ask.pending", year=y)
        elif priority == "confirm":
            why = words("template_ask.confirm", verdict=words.code("verdict", r["verdict"]))
        else:
            why = words(f"template_ask.{priority}", evidence=words.code("evidence", r["evidence"]))
        if y == int(r["target_year"]):  # type: ignore[call-overload]
            does = words("template_ask.final", target=formats.number(r["target_value"]), unit=unit)
        else:
            on_path = _on_path(r, y)
            does = words("template_ask.replaces", evidence=words.code("evidence", r["evidence"]))
            if on_path is not None:
                does += words("template_ask.on_path", year=y, value=formats.number(on_path), unit=unit)
        out.append(_wanted(data, region, indicator, r["name_as_written"], y, why, does, priority, ""))
    return out


def _wanted(
    data: PlanData, region: str, indicator: str, name: object, year: int, why: str, does: str, priority: str,
    reason: object,
) -> dict[str, object]:
    total = data.indicator(indicator)["measure"] == "period_total"
    return {
        "region_id": region,
        "indicator_id": indicator,
        "name_as_written": name,
        "years_wanted": str(year),
        "indicator_unit": data.indicator(indicator)["unit"] or "",
        "period_start": str(period_start_for(data, region, year)) if total else "",
        "why_asked": why,
        "would_do": does,
        "priority": priority,
        "reason": reason,
    }


def missing_numbers(
    data: PlanData,
    region: str,
    plan: str | None = None,
    assumptions: Assumptions | None = None,
    every_year: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """One row per number that decides: the missing actuals of assessed targets, then those of unassessed ones.

    Ordered by what an actual would change on the first screen: targets at risk, on track on weak
    evidence, with the outcome pending, the numbers an unassessed target needs, then the rest. Each row
    says why it is asked and what the assessment would do with it. ``every_year``: every year of every
    assessed target's plan up to the as-of year, also those already stored.
    """
    a = assumptions or Assumptions()
    as_of = a.year
    words = Words(lang)
    proj = project_region(data, region, plan, assumptions=a, fragility=False)
    rows: list[dict[str, object]] = []
    for r in proj.to_dict("records"):
        if isinstance(r["missing_years"], str) and r["missing_years"]:
            ind, reg = str(r["missing_indicator_id"]), str(r["missing_region_id"])
            why = words("template_ask.unassessed")
            for y in r["missing_years"].split(";"):
                rows.append(_wanted(data, reg, ind, r["name_as_written"], int(y), why,
                                    words("template_ask.assessable"), "unassessed", r["reason"]))
        elif r["verdict"] not in GROUPS["unknown"] and present(r.get("target_value")):
            rows += _asked_rows(data, r, as_of, every_year, words)
    frame = pd.DataFrame(rows, columns=WANTED_COLUMNS)
    frame["_rank"] = frame["priority"].map(PRIORITIES.index)
    frame = frame.sort_values(["_rank"], kind="stable").drop(columns="_rank")
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
    every_year: bool = False,
) -> tuple[Path, int]:
    """Write the template for ``region``'s plan to ``path`` (.xlsx); returns the path and the rows asked for.

    Rows come in the order of :func:`missing_numbers` (most decisive first); ``every_year`` asks for
    every year of every assessed target.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wanted = missing_numbers(data, region, plan, assumptions, every_year)
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
        for c in ("region_id", "indicator_id", *INFO_COLUMNS, "period_start"):
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
