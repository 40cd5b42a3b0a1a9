"""A new plan from its text: reading a filled plan-template workbook, checking it whole, writing it.

The workbook (``plantrack plan-template``) has two sheets:

* :data:`PLAN_SHEET`, one field a row (:data:`PLAN_FIELDS`): the plan (id, names, period, the plan
  before it), the region, and the stored document: a source already in sources.csv, or a new one
  whose text file the researcher has put under ``data/raw/`` (``raw_file``);
* :data:`TARGETS_SHEET`, one target a row (:data:`TARGET_COLUMNS`): an indicator id of
  indicators.csv, or a new indicator with its names, unit, measure and direction; the wording, unit,
  attribute, baseline and target as written, kind of target, locator and the verbatim quote; and
  an optional ``draft`` (a value for the outlook, never stored).

:func:`check_plan` turns the rows into rows of plans.csv, sources.csv, indicators.csv and
targets.csv, places them in a copy of the data folder and validates it exactly as the bundled
data are validated (each quote in the stored text, each number in its quote, units, ids, target
text against its parsed form, duplicates); every problem is named by sheet, row and column.
:func:`import_plan` writes only when there is none, under the folder's lock, each file atomically
(through :mod:`plantrack.data.edit`, which validates again with the rows in place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .edit import Edit, Invalid, editing, validate_with
from .importer.check import parse_number
from .importer.run import in_folder
from .importer.sheet import ImportProblems, RowProblem, cell_text, column_id, open_workbook, sheet_rows
from .problems import Problem
from .schema import TABLES
from .tables import PlanData, load
from .units import factor
from .values import parse_value_text

PLAN_SHEET = "规划"
TARGETS_SHEET = "目标"
#: the plan sheet's fields, one a row, in order
PLAN_FIELDS: tuple[str, ...] = (
    "region_id", "plan_id", "name_zh", "name_en", "start_year", "end_year", "previous_plan", "plan_note",
    "source_id", "source_title", "issuer", "date", "raw_file", "url", "retrieved", "tier",
)
REQUIRED_PLAN_FIELDS = ("region_id", "plan_id", "source_id")
#: the targets sheet's columns, in order
TARGET_COLUMNS: tuple[str, ...] = (
    "indicator_id", "new_name_zh", "new_name_en", "new_unit", "new_measure", "new_direction", "name_as_written",
    "unit_as_written", "attribute", "baseline_year", "baseline_value", "baseline_text", "target_year",
    "target_text", "target_kind", "locator", "quote", "note", "reading", "draft",
)
NEW_INDICATOR = ("new_name_zh", "new_name_en", "new_unit", "new_measure", "new_direction")
#: a target row counts as filled in when any of these holds something
FILLED = ("target_text", "quote", "target_year")
#: a column of a CSV file → the sheet column its problems are shown in
TARGET_CSV = {
    "target_low": "target_text", "target_high": "target_text", "region_id": "indicator_id", "plan": "indicator_id",
    "region_id+plan+indicator_id": "indicator_id", "source_id": "quote",
}
INDICATOR_CSV = {
    "indicator_id": "indicator_id", "name_zh": "new_name_zh", "name_en": "new_name_en", "unit": "new_unit",
    "measure": "new_measure", "direction": "new_direction", "indicator_id+": "indicator_id",
}
PLAN_CSV = {"plan_id": "plan_id", "note": "plan_note", "start_year": "start_year", "end_year": "end_year"}
SOURCE_CSV = {"title": "source_title", "note": "source_id"}
_ID = re.compile(r"^[a-z0-9_]+$")
_DUPLICATE = re.compile(r"^duplicate row: the same key is already on line (\d+)")


@dataclass
class PlanRows:
    """What a plan workbook holds: the plan sheet's fields and the filled target rows (with their sheet rows)."""

    fields: dict[str, str]
    field_rows: dict[str, int]  # field → its row on the plan sheet
    targets: list[dict[str, str]]
    target_rows: list[int]
    labels: dict[str, str] = field(default_factory=dict)  # column id → header as written


@dataclass
class PlanChecked:
    """The rows to add to each table (as text) and every problem found."""

    rows: dict[str, list[dict[str, str]]]  # table → new rows
    problems: list[RowProblem]
    origin: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)  # (table, i) → (sheet, row)


@dataclass
class PlanImported:
    """The result of :func:`import_plan`: what was checked and, when all was good, the files written."""

    checked: PlanChecked
    written: list[Path]


def is_plan_workbook(path: str | Path) -> bool:
    """True for a workbook with the plan sheet (a plan-template), False for anything else."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # not a workbook this reader knows: the ordinary import says why
        return False
    try:
        return PLAN_SHEET in wb.sheetnames
    finally:
        wb.close()


def _table(path: Path, ws: object) -> list[list[object]]:
    table = sheet_rows(path, ws)  # within the import's limits on rows and columns
    while table and not any(cell_text(v, "").strip() for v in table[-1]):
        table.pop()
    return table


def read_plan(path: str | Path) -> PlanRows:
    """The plan sheet's fields and the filled target rows; :class:`ImportProblems` naming what cannot be read.

    The workbook is opened as an import's data sheet is, within the same limits (size, unpacked size, rows).
    """
    path = Path(path)
    wb = open_workbook(path)
    try:
        missing = [s for s in (PLAN_SHEET, TARGETS_SHEET) if s not in wb.sheetnames]
        if missing:
            raise ImportProblems([RowProblem(path.name, 0, "", "", f"the sheet {s} is missing", "sheet_missing",
                                             (("sheet", s),)) for s in missing])
        plan_table, target_table = _table(path, wb[PLAN_SHEET]), _table(path, wb[TARGETS_SHEET])
    finally:
        wb.close()
    problems: list[RowProblem] = []
    fields: dict[str, str] = {}
    field_rows: dict[str, int] = {}
    for n, row in enumerate(plan_table[1:], start=2):
        key = column_id(row[0] if row else None)
        if not key:
            continue
        if key not in PLAN_FIELDS:
            fields_ = ", ".join(PLAN_FIELDS)
            problems.append(RowProblem(PLAN_SHEET, n, "", key, f"unknown field (fields are: {fields_})",
                                       "plan_field_unknown", (("fields", fields_),)))
            continue
        fields[key] = cell_text(row[1] if len(row) > 1 else None, key).strip()
        field_rows[key] = n
    header = target_table[0] if target_table else []
    ids = [column_id(h) for h in header]
    labels = {i: str(h).strip() for i, h in zip(ids, header, strict=True) if i}
    for i, h in zip(ids, header, strict=True):
        if i and i not in TARGET_COLUMNS:
            columns = ", ".join(TARGET_COLUMNS)
            problems.append(RowProblem(TARGETS_SHEET, 1, str(h), "", f"unknown column (columns are: {columns})",
                                       "column_unknown", (("columns", columns),)))
    for c in ("indicator_id", "target_year", "target_text", "quote"):
        if c not in ids:
            problems.append(RowProblem(TARGETS_SHEET, 1, c, "", "required column is missing", "sheet_column_missing"))
    if problems:
        raise ImportProblems(problems)
    targets, rows = [], []
    for n, values in enumerate(target_table[1:], start=2):
        cells = {i: cell_text(v, i).strip() for i, v in zip(ids, values, strict=False) if i}
        if any(cells.get(c) for c in FILLED):
            targets.append(cells)
            rows.append(n)
    return PlanRows(fields, field_rows, targets, rows, labels)


def read_drafts(path: str | Path) -> dict[str, float]:
    """The draft column of a plan workbook: indicator → draft value in the indicator's catalogue unit."""
    plan = read_plan(path)
    out: dict[str, float] = {}
    for cells, n in zip(plan.targets, plan.target_rows, strict=True):
        text = cells.get("draft", "")
        if not text:
            continue
        value = parse_number(text)
        scale = factor(cells.get("unit_as_written", ""))
        if value is None or scale != scale:
            raise ImportProblems([RowProblem(TARGETS_SHEET, n, "draft", text,
                                             "a number in the unit of unit_as_written", "plan_draft_number")])
        out[cells.get("indicator_id", "")] = value * scale
    return out


def _number_text(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else format(v, ".15g")


def _plan_rows(data: PlanData, plan: PlanRows, bad: list[RowProblem]) -> tuple[list[dict], list[dict]]:
    """The new row of plans.csv and of sources.csv (none when the plan or source is already there)."""
    f = plan.fields

    def problem(key: str, expected: str, code: str, /, **params: object) -> None:
        said = tuple((k, str(v)) for k, v in params.items())
        bad.append(RowProblem(PLAN_SHEET, plan.field_rows.get(key, 0), key, f.get(key, ""), expected, code, said))

    for key in REQUIRED_PLAN_FIELDS:
        if not f.get(key):
            problem(key, "required", "schema_required")
    region, plan_id = f.get("region_id", ""), f.get("plan_id", "")
    if region and region not in data.lookup.regions:
        ids = ", ".join(data.region_ids())
        problem("region_id", f"a region id of regions.csv: {ids}", "region_unknown", ids=ids)
    if plan_id and not _ID.match(plan_id):
        problem("plan_id", "an id of a-z, 0-9 and _ only (e.g. 15th)", "plan_id_invalid")
    plans: list[dict] = []
    existing = data.lookup.plans.get(plan_id)
    if existing is not None:
        for key in ("start_year", "end_year", "previous_plan"):
            stored = existing.get(key)
            stored_text = "" if stored is None or stored != stored else str(stored)
            if f.get(key) and f[key] != stored_text:
                problem(key, f"plans.csv already holds plan {plan_id} with {key} {stored_text or '(empty)'}",
                        "plan_stored", plan=plan_id, key=key, stored=stored_text or "—")
    elif plan_id:
        plans.append({
            "plan_id": plan_id, "name_zh": f.get("name_zh", ""), "name_en": f.get("name_en", ""),
            "start_year": f.get("start_year", ""), "end_year": f.get("end_year", ""),
            "previous_plan": f.get("previous_plan", ""), "note": f.get("plan_note", ""),
        })
    sources: list[dict] = []
    sid = f.get("source_id", "")
    if sid and sid not in set(data.sources["source_id"]):
        raw = f.get("raw_file", "")
        folder = (data.data_dir / "raw").resolve()
        if not raw:
            problem("raw_file", "the file name of the plan's text, stored under data/raw/", "plan_raw_missing")
        elif ".." in Path(raw).parts or Path(raw).is_absolute() or folder not in (folder / raw).resolve().parents:
            problem("raw_file", "a file name inside data/raw/ (no absolute path, no ..)", "plan_raw_outside")
        sources.append({
            "source_id": sid, "title": f.get("source_title", ""), "issuer": f.get("issuer", ""),
            "date": f.get("date", ""), "raw_file": raw, "url": f.get("url", ""), "retrieved": f.get("retrieved", ""),
            "tier": f.get("tier", ""), "note": f"added with plan {plan_id}" if plan_id else "",
        })
    return plans, sources


def _target_row(f: dict[str, str], cells: dict[str, str]) -> dict[str, str]:
    """A row of targets.csv from a sheet row: parsed target bounds and kind from the text as written."""
    parsed = parse_value_text(cells.get("target_text", ""))
    baseline_text = cells.get("baseline_text", "")
    baseline_value = cells.get("baseline_value", "")
    if not baseline_value and baseline_text:
        b = parse_value_text(baseline_text)
        if b.kind in ("point", "lower_bound", "upper_bound"):
            baseline_value = _number_text(b.threshold)
    return {
        "region_id": f.get("region_id", ""), "plan": f.get("plan_id", ""),
        "indicator_id": cells.get("indicator_id", ""),
        "name_as_written": cells.get("name_as_written", ""), "unit_as_written": cells.get("unit_as_written", ""),
        "attribute": cells.get("attribute", ""), "baseline_year": cells.get("baseline_year", ""),
        "baseline_value": baseline_value, "baseline_text": baseline_text,
        "target_year": cells.get("target_year", ""), "target_text": cells.get("target_text", ""),
        "target_low": _number_text(parsed.low), "target_high": _number_text(parsed.high),
        "target_kind": cells.get("target_kind", "") or parsed.kind, "actual_value": "", "actual_text": "",
        "source_id": f.get("source_id", ""), "locator": cells.get("locator", ""), "quote": cells.get("quote", ""),
        "note": cells.get("note", ""), "reading": cells.get("reading", ""),
    }


def check_plan(data_dir: str | Path, plan: PlanRows) -> PlanChecked:
    """Check a plan workbook's rows with the whole dataset (nothing is written); every problem by sheet and row."""
    folder = Path(data_dir).expanduser().resolve()
    data = load(folder, on_error="skip")
    if data.problems:
        return PlanChecked({}, [in_folder(p) for p in data.problems])
    problems: list[RowProblem] = []
    plans, sources = _plan_rows(data, plan, problems)
    rows: dict[str, list[dict[str, str]]] = {"plans": plans, "sources": sources, "indicators": [], "targets": []}
    origin: dict[tuple[str, int], tuple[str, int]] = {}
    for table in ("plans", "sources"):
        for i in range(len(rows[table])):
            origin[(table, i)] = (PLAN_SHEET, 0)
    if not plan.targets:
        problems.append(RowProblem(TARGETS_SHEET, 0, "", "", "no target rows are filled in", "plan_no_targets"))
    new_indicators: dict[str, int] = {}
    for cells, n in zip(plan.targets, plan.target_rows, strict=True):
        indicator = cells.get("indicator_id", "")
        if indicator and indicator not in data.lookup.indicators and indicator not in new_indicators:
            given = [c for c in NEW_INDICATOR if cells.get(c)]
            if not given:
                problems.append(RowProblem(
                    TARGETS_SHEET, n, plan.labels.get("indicator_id", "indicator_id"), indicator,
                    "unknown indicator: an id of indicators.csv, or a new id with new_name_zh, new_name_en, new_unit, "
                    "new_measure and new_direction filled in", "plan_indicator_unknown",
                ))
            else:
                origin[("indicators", len(rows["indicators"]))] = (TARGETS_SHEET, n)
                new_indicators[indicator] = n
                rows["indicators"].append({
                    "indicator_id": indicator, "name_zh": cells.get("new_name_zh", ""),
                    "name_en": cells.get("new_name_en", ""), "unit": cells.get("new_unit", ""),
                    "measure": cells.get("new_measure", ""), "direction": cells.get("new_direction", ""),
                    "not_comparable_with": "", "note": f"added with plan {plan.fields.get('plan_id', '')}",
                })
        origin[("targets", len(rows["targets"]))] = (TARGETS_SHEET, n)
        rows["targets"].append(_target_row(plan.fields, cells))
    # the rows not already found wrong, placed in a copy of the folder and validated as the bundled data are
    flagged = {p.row for p in problems if p.sheet == TARGETS_SHEET}
    placed = {**rows, "targets": [r for i, r in enumerate(rows["targets"]) if origin[("targets", i)][1] not in flagged]}
    kept = [i for i in range(len(rows["targets"])) if origin[("targets", i)][1] not in flagged]
    placed_origin = {k: v for k, v in origin.items() if k[0] != "targets"}
    placed_origin |= {("targets", j): origin[("targets", i)] for j, i in enumerate(kept)}
    files, lines = _placed(Edit(folder), placed)
    texts = {f.path.name: f.text() for f in files}
    problems += _mapped(validate_with(folder, texts), lines, placed_origin, plan)
    return PlanChecked(rows, sorted(set(problems)), origin)


def _placed(edit: Edit, rows: dict[str, list[dict[str, str]]]) -> tuple[list, dict[tuple[str, int], tuple[str, int]]]:
    """Append the rows to the tables of ``edit``; the changed files and, per (file, line), the (table, i) placed."""
    lines: dict[tuple[str, int], tuple[str, int]] = {}
    files = []
    for table in ("plans", "sources", "indicators", "targets"):
        if not rows.get(table):
            continue
        csv_file = edit.table(table)
        for i, r in enumerate(rows[table]):
            lines[(TABLES[table].file, csv_file.append(r))] = (table, i)
        files.append(csv_file)
    return files, lines


def _mapped(
    problems: list[Problem], lines: dict[tuple[str, int], tuple[str, int]],
    origin: dict[tuple[str, int], tuple[str, int]], plan: PlanRows,
) -> list[RowProblem]:
    """Problems of the placed copy, named by the sheet row (and column) they come from."""
    out = []
    for p in problems:
        placed = lines.get((p.file, p.line))
        if placed is None:  # a problem of a stored row caused by the new ones (or of the stored data)
            out.append(in_folder(p))
            continue
        table, i = placed
        sheet, row = origin[(table, i)]
        same = _DUPLICATE.match(p.expected)
        if same and (p.file, int(same.group(1))) in lines:  # the first of the two is a row of this workbook too
            first = origin[lines[(p.file, int(same.group(1)))]]
            p = Problem(p.file, p.line, p.column, p.value, f"duplicate: the same key as {first[0]} row {first[1]}",
                        "plan_duplicate", (("sheet", str(first[0])), ("row", str(first[1]))))
        elif same:
            p = Problem(p.file, p.line, p.column, p.value, f"already in {p.file} (line {same.group(1)})",
                        "plan_already_stored", (("stored", p.file), ("line", same.group(1))))
        if sheet == PLAN_SHEET:
            names = PLAN_CSV if table == "plans" else SOURCE_CSV
            key = names.get(p.column, p.column)
            out.append(RowProblem(sheet, plan.field_rows.get(key, 0), key, p.value, p.expected, p.code, p.params))
        else:
            names = INDICATOR_CSV if table == "indicators" else TARGET_CSV
            col = names.get(p.column, p.column)
            out.append(RowProblem(sheet, row, plan.labels.get(col, col), p.value, p.expected, p.code, p.params))
    return out


def import_plan(data_dir: str | Path, plan: PlanRows) -> PlanImported:
    """Check the plan's rows and, when there is no problem, write them under the folder's lock, atomically."""
    checked = check_plan(data_dir, plan)
    if checked.problems:
        return PlanImported(checked, [])
    with editing(data_dir) as edit:
        again = check_plan(edit.folder, plan)  # the files as they are now, read under the lock
        if again.problems:
            return PlanImported(again, [])
        _placed(edit, again.rows)
        try:
            written = edit.commit()
        except Invalid as err:  # cannot happen after the check above unless the folder changed meanwhile
            found = [in_folder(p) for p in err.problems]
            return PlanImported(PlanChecked(again.rows, found), [])
    return PlanImported(again, written)
