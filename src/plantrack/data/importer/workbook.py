"""Importing an exported workbook back: only what was edited is a change; deleted rows delete nothing.

``plantrack export`` writes the data folder's own tables (observations, sources, targets) with the
column id in each header (年份（year）). :func:`read_export` finds those sheets by their columns;
:func:`export_changes` compares each row with the data: a row equal to its stored row is no change,
an observation whose value, unit, quote or source was edited becomes a row to import (replacing the
stored one needs ``--replace``, as for a template), a new observation row is added. Rows missing from
the workbook are left alone. Edited rows of targets and sources, and edited derived observations, are
counted and named but not imported: those are edited in their CSV files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..schema import TABLES, Table
from ..tables import read_all
from ..values import parse_number, present
from .check import key_of
from .sheet import SheetRow, cell_text, column_id

#: the tables an export carries whose rows can be compared with the data
EXPORT_TABLES = ("observations", "sources", "targets")
#: an observations.csv column → the template column it is imported through
AS_TEMPLATE = {
    "region_id": "region_id",
    "indicator_id": "indicator_id",
    "year": "year",
    "period_start": "period_start",
    "value": "value",
    "unit_as_written": "unit",
    "value_qualifier": "qualifier",
    "covers": "covers",
    "quote": "quote",
    "source_id": "source_id",
    "locator": "locator",
    "note": "note",
}


@dataclass
class ExportSheet:
    """One data sheet of an exported workbook: its table, its rows as text by column id, and their row numbers."""

    sheet: str
    table: str
    rows: list[tuple[int, dict[str, str]]]
    labels: dict[str, str]


@dataclass
class ExportDiff:
    """What an exported workbook changes: observation rows to import, and edits that are not imported."""

    rows: list[SheetRow] = field(default_factory=list)
    unchanged: int = 0
    not_imported: list[tuple[str, int, str]] = field(default_factory=list)  # (sheet, row, table file)


def read_export(path: str | Path) -> list[ExportSheet] | None:
    """The data sheets of an exported workbook, or None when ``path`` is not one (a template, a CSV file)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not readable: the template reader says why
        return None
    found = []
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            ids = [column_id(h) for h in header]
            table = next((t for t in EXPORT_TABLES if set(TABLES[t].columns) <= set(ids)), None)
            if table is None:
                continue
            labels = {i: str(h) for i, h in zip(ids, header, strict=True) if i}
            body = []
            for n, values in enumerate(rows, start=2):
                cells = {i: cell_text(v, i).strip() for i, v in zip(ids, values, strict=False) if i}
                if any(cells.values()):
                    body.append((n, cells))
            found.append(ExportSheet(ws.title, table, body, labels))
    finally:
        wb.close()
    return found or None


def _same(cell: str, stored: object, kind: str) -> bool:
    """A cell as text equals a typed stored value (numbers compared as numbers, empty as absent)."""
    if not present(stored) or (isinstance(stored, str) and stored == ""):
        return cell == ""
    if kind in ("float", "int"):
        number = parse_number(cell) if cell else None
        return number is not None and math.isclose(number, float(stored), rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]
    return cell == str(stored).strip()


def _key(table: Table, cells: dict[str, str]) -> tuple[str, ...]:
    return tuple(_text_key(cells.get(c, "")) for c in table.key)


def _text_key(text: str) -> str:
    number = parse_number(text) if text else None
    return str(int(number)) if number is not None and number.is_integer() else text


def _stored_key(table: Table, row: dict[str, object]) -> tuple[str, ...]:
    out = []
    for c in table.key:
        v = row.get(c)
        out.append("" if not present(v) else _text_key(str(int(v)) if isinstance(v, float | int) else str(v)))
    return tuple(out)


def export_changes(data_dir: str | Path, sheets: list[ExportSheet]) -> ExportDiff:
    """Compare each data sheet's rows with the stored rows: the observations to import, the rest counted."""
    tables, _ = read_all(Path(data_dir))
    diff = ExportDiff()
    for sheet in sheets:
        table = TABLES[sheet.table]
        stored: pd.DataFrame = tables[sheet.table]
        by_key = {_stored_key(table, r): r for r in stored.to_dict("records")}
        by_series = {key_of(_as_text(r)): r for r in stored.to_dict("records") if r.get("use") != "no"} \
            if sheet.table == "observations" else {}
        for n, cells in sheet.rows:
            old = by_key.get(_key(table, cells))
            if old is None and sheet.table == "observations":
                old = by_series.get(key_of(cells))
            columns = table.columns.items()
            if old is not None and all(_same(cells.get(c, ""), old.get(c), col.type) for c, col in columns):
                diff.unchanged += 1
                continue
            if sheet.table != "observations" or cells.get("method", "stated") not in ("", "stated"):
                diff.not_imported.append((sheet.sheet, n, table.file))
                continue
            labels = {AS_TEMPLATE[c]: sheet.labels.get(c, c) for c in AS_TEMPLATE}
            diff.rows.append(SheetRow(sheet.sheet, n, {AS_TEMPLATE[c]: cells.get(c, "") for c in AS_TEMPLATE}, labels))
    return diff


def _as_text(row: dict[str, object]) -> dict[str, str]:
    """A typed stored row as text for :func:`key_of` (years as 2024, absent as '')."""
    out = {}
    for c in ("region_id", "indicator_id", "year", "period_start", "series", "covers"):
        v = row.get(c)
        out[c] = "" if not present(v) else _text_key(str(int(v)) if isinstance(v, float | int) else str(v))
    return out
