"""Reading a filled template: the workbook's (or CSV file's) rows as text, keyed by column id.

:func:`read_rows` reads the sheet (headers such as ``年份（year）`` or plain ``year``) and
raises :class:`ImportProblems` naming the file, row and column of what it cannot read.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..reading import EXCEL_CELL_LIMIT

#: the sheet a template's rows are on
SHEET = "待补数据"
#: columns of the template, in order; the first seven are filled in by ``plantrack template``
COLUMNS: tuple[str, ...] = (
    "region_id",
    "indicator_id",
    "name_as_written",
    "years_wanted",
    "indicator_unit",
    "why_asked",
    "would_do",
    "year",
    "value",
    "unit",
    "qualifier",
    "period_start",
    "covers",
    "quote",
    "quote_issue",
    "source_id",
    "source_title",
    "issuer",
    "date",
    "source_url",
    "tier",
    "retrieved",
    "note",
)
#: shown to help the researcher; not imported
INFO_COLUMNS = ("name_as_written", "years_wanted", "indicator_unit", "why_asked", "would_do")
REQUIRED_COLUMNS = ("region_id", "indicator_id", "year", "value", "unit", "quote")
#: a row counts as filled in when any of these holds something
FILLED_COLUMNS = ("year", "value", "quote", "source_id", "source_title", "source_url")
#: a column of observations.csv / sources.csv → the template column its problems are shown in
CSV_COLUMNS = {
    "region_id": "region_id",
    "indicator_id": "indicator_id",
    "year": "year",
    "period_start": "period_start",
    "value": "value",
    "unit_as_written": "unit",
    "value_qualifier": "qualifier",
    "covers": "covers",
    "use": "year",
    "quote": "quote",
    "quote_issue": "quote_issue",
    "source_id": "source_id",
    "locator": "source_title",
    "title": "source_title",
    "issuer": "issuer",
    "date": "date",
    "url": "source_url",
    "raw_file": "source_url",
    "retrieved": "retrieved",
    "tier": "tier",
    "note": "note",
}

#: limits of a file to import (documented in data/README.md): checked before and while reading, never after
MAX_FILE_BYTES = 20_000_000  # the file as sent (.xlsx or .csv)
MAX_UNPACKED_BYTES = 50_000_000  # an .xlsx's parts together, as unpacked
MAX_PACKING_RATIO = 500  # unpacked size / packed size of one part larger than 1 MB
MAX_ROWS = 20_000  # rows below the header
MAX_COLUMNS = 64  # the template has 21
MAX_CELL_CHARS = EXCEL_CELL_LIMIT  # 32,767: the most a spreadsheet cell holds

#: every message about a file's size or shape, in one place
LIMIT_MESSAGES = {
    "file_too_big": "the file has {size:,} bytes: at most {limit:,} bytes can be imported",
    "unpacked_too_big": "the workbook unpacks to {size:,} bytes: at most {limit:,} bytes can be imported",
    "packing_ratio": "the workbook's part {part} unpacks {ratio:,.0f} times its packed size (at most {limit}): "
    "not a workbook a spreadsheet program writes",
    "not_a_workbook": "cannot read the workbook: not an .xlsx file ({error})",
    "too_many_rows": "more than {limit:,} rows below the header: import at most {limit:,} rows at a time",
    "too_many_columns": "a value in column {column:,}: a template has at most {limit} columns",
    "cell_too_long": "the cell holds {size:,} characters: a cell holds at most {limit:,}",
    "csv_cell_too_long": "a cell holds more than {limit:,} characters (the most a spreadsheet cell holds)",
}

_HEADER = re.compile(r"[（(]\s*([a-z_]+)\s*[)）]\s*$")


@dataclass(frozen=True)
class SheetRow:
    """One filled-in row as read: where it is, and its cells as text keyed by column id."""

    sheet: str
    row: int
    cells: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)  # column id → header as written in the file

    def get(self, column: str) -> str:
        """A cell's text, stripped ('' when empty or absent)."""
        return self.cells.get(column, "").strip()

    def label(self, column: str) -> str:
        """The column's header as the file writes it."""
        return self.labels.get(column, column)


@dataclass(frozen=True, order=True)
class RowProblem:
    """One thing wrong with an imported row (``row`` 0: the whole file or the dataset).

    ``expected`` says it in English; ``code`` and ``params``, when set, name the catalogue entry
    (``problem.<code>``) that says it, with the fix, in the workbook's language.
    """

    sheet: str
    row: int
    column: str
    value: str
    expected: str
    code: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" if self.row else self.sheet
        col = f", column {self.column}" if self.column else ""
        val = f": {self.value!r}" if self.value else ""
        return f"{where}{col}{val} — {self.expected}"


class ImportProblems(ValueError):
    """The file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def column_id(header: object) -> str:
    """The column id in a header: ``年份（year）`` → ``year``; ``year`` → ``year``."""
    text = "" if header is None else str(header).strip()
    m = _HEADER.search(text)
    return m.group(1) if m else text


def cell_text(v: object, column: str) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime.datetime | datetime.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else format(v, ".15g")
    return str(v)


def _too_long(sheet: str, table: list[list[object]]) -> list[RowProblem]:
    """Every cell longer than :data:`MAX_CELL_CHARS`, named by row and column (header as written)."""
    header = table[0]
    out = []
    for n, values in enumerate(table, start=1):
        for i, v in enumerate(values):
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                column = str(header[i]).strip() if i < len(header) and header[i] is not None else f"#{i + 1}"
                values: dict[str, object] = {"size": len(v), "limit": MAX_CELL_CHARS}
                message = LIMIT_MESSAGES["cell_too_long"].format(**values)
                out.append(RowProblem(sheet, n, column, v[:40], message, "limit_cell_too_long", _limit_params(values)))
    return out




def _shape(sheet: str, table: list[list[object]]) -> tuple[list[SheetRow], list[RowProblem], int]:
    problems: list[RowProblem] = []
    if not table:
        empty = RowProblem(sheet, 0, "", "", "the sheet is empty: expected a header row and rows", "sheet_empty")
        return [], [empty], 0
    problems = _too_long(sheet, table)
    if problems:
        return [], problems, 0
    header = table[0]
    ids = [column_id(h) for h in header]
    labels = {i: str(h).strip() for i, h in zip(ids, header, strict=True) if i}
    for i, h in zip(ids, header, strict=True):
        if i and i not in COLUMNS:
            problems.append(
                RowProblem(sheet, 1, str(h), "", f"unknown column (columns are: {', '.join(COLUMNS)})",
                           "column_unknown", (("columns", ", ".join(COLUMNS)),))
            )
    for c in REQUIRED_COLUMNS:
        if c not in ids:
            problems.append(RowProblem(sheet, 1, c, "", "required column is missing", "sheet_column_missing"))
    seen: set[str] = set()
    for i in ids:
        if i and i in seen:
            problems.append(RowProblem(sheet, 1, labels[i], "", "the column appears twice", "sheet_column_twice"))
        seen.add(i)
    if problems:
        return [], problems, 0
    rows, ignored = [], 0
    for n, values in enumerate(table[1:], start=2):
        cells = {i: cell_text(v, i) for i, v in zip(ids, values, strict=False) if i}
        if not any(cells.get(c, "").strip() for c in FILLED_COLUMNS):
            if any(str(v).strip() for v in cells.values()):
                ignored += 1
            continue
        rows.append(SheetRow(sheet, n, cells, labels))
    return rows, problems, ignored


def _limit_params(values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """A limit message's values as its catalogue entry shows them: numbers with thousands separators."""

    def shown(v: object) -> str:
        if isinstance(v, float):
            return f"{v:,.0f}"
        return f"{v:,}" if isinstance(v, int) else str(v)

    return tuple((k, shown(v)) for k, v in values.items())


def _refuse(name: str, key: str, row: int = 0, **values: object) -> ImportProblems:
    message = LIMIT_MESSAGES[key].format(**values)
    return ImportProblems([RowProblem(name, row, "", "", message, f"limit_{key}", _limit_params(values))])


def _check_packed(path: Path) -> None:
    """Refuse a workbook whose parts unpack too big, before any XML of it is read.

    The sizes are those the zip directory declares; Python's ``zipfile`` (which openpyxl
    reads through) stops a part at its declared size and fails its checksum if it holds more.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _refuse(path.name, "not_a_workbook", error=err) from None
    total = 0
    for part in parts:
        total += part.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _refuse(path.name, "unpacked_too_big", size=sum(p.file_size for p in parts), limit=MAX_UNPACKED_BYTES)
        if part.file_size > 1_000_000 and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1):
            ratio = part.file_size / max(part.compress_size, 1)
            raise _refuse(path.name, "packing_ratio", part=part.filename, ratio=ratio, limit=MAX_PACKING_RATIO)


def _bounded(name: str, rows: Iterable[Iterable[object]]) -> list[list[object]]:
    """The rows as lists, trailing empty cells dropped; refused past :data:`MAX_ROWS` or :data:`MAX_COLUMNS`.

    Rows past the limit are read only to see that they are empty (a stale formatting of
    empty rows is no reason to refuse), so a sheet's size never decides the memory used.
    """
    table: list[list[object]] = []
    for n, row in enumerate(rows, start=1):
        cells = list(row)
        while cells and _blank(cells[-1]):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise _refuse(name, "too_many_columns", row=n, column=len(cells), limit=MAX_COLUMNS)
        if n > MAX_ROWS + 1:
            if cells:
                raise _refuse(name, "too_many_rows", limit=MAX_ROWS)
            continue
        table.append(cells)
    return table


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _unreadable(path: Path, err: Exception) -> ImportProblems:
    return ImportProblems([RowProblem(path.name, 0, "", "", f"cannot read the workbook: {err}", "workbook_unreadable",
                                      (("error", str(err)),))])


def open_workbook(path: Path) -> Any:
    """A workbook opened read-only (streamed), after the limits on its size and unpacked size; a corrupt or
    foreign file is one message. Every workbook an import reads is opened here (a data sheet, a plan)."""
    import openpyxl

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path.name, "file_too_big", size=size, limit=MAX_FILE_BYTES)
    _check_packed(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # a corrupt or foreign file: one message
        raise _unreadable(path, err) from err


def sheet_rows(path: Path, ws: Any) -> list[list[object]]:
    """A worksheet's rows, every row the file holds whatever it declares, within the row and column limits."""
    ws.reset_dimensions()  # a stale <dimension> (other tools write them) would cut rows off, or pad to XFD1048576
    try:
        return _bounded(path.name, ws.iter_rows(values_only=True))
    except ImportProblems:
        raise
    except Exception as err:  # malformed XML inside the package
        raise _unreadable(path, err) from err


def _workbook_rows(path: Path) -> tuple[str, list[list[object]]]:
    """The sheet's name and rows: streamed (read-only mode), every row the file holds whatever it declares."""
    wb = open_workbook(path)
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return ws.title, sheet_rows(path, ws)
    finally:
        wb.close()


def _csv_rows(path: Path, text: str) -> Iterator[list[str]]:
    """The rows of a CSV text; a cell beyond the csv module's field limit is one message naming the cell limit."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if "field limit" in str(err):
                raise _refuse(path.name, "csv_cell_too_long", row=reader.line_num, limit=MAX_CELL_CHARS) from None
            raise ImportProblems([RowProblem(path.name, reader.line_num, "", "", f"malformed CSV: {err}",
                                             "csv_malformed", (("error", str(err)),))]) from None
        yield row


def read_rows(path: str | Path) -> tuple[list[SheetRow], int]:
    """The filled-in rows of a template workbook (sheet 待补数据, else the first) or a CSV file.

    Returns the rows and how many template rows were left empty; raises :class:`ImportProblems`.
    A file larger than the limits above (bytes, unpacked bytes, rows, columns, characters
    in a cell) is refused with one message before its rows are kept in memory.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportProblems([RowProblem(path.name, 0, "", "", f"file not found: {path}", "import_file_missing",
                                         (("path", str(path)),))])
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise ImportProblems([RowProblem(path.name, 0, "", "", "expected an .xlsx workbook or a .csv file",
                                         "import_file_kind")])
    if suffix in (".xlsx", ".xlsm"):
        sheet, table = _workbook_rows(path)  # its size checked where it is opened
    else:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(path.name, "file_too_big", size=size, limit=MAX_FILE_BYTES)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImportProblems(
                [RowProblem(path.name, 0, "", "", "not UTF-8 text: in Excel use Save As → 'CSV UTF-8'", "not_utf8")]
            ) from err
        table = _bounded(path.name, _csv_rows(path, text))
        sheet = path.name
    while table and not any(cell_text(v, "").strip() for v in table[-1]):
        table.pop()
    rows, problems, ignored = _shape(sheet, table)
    if problems:
        raise ImportProblems(problems)
    return rows, ignored
