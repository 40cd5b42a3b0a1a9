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
from dataclasses import dataclass, field
from pathlib import Path

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


def _cell_text(v: object, column: str) -> str:
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


#: a workbook cell as the text an import reads (whole numbers without a decimal point, dates as YYYY-MM-DD)
cell_text = _cell_text


def _shape(sheet: str, table: list[list[object]]) -> tuple[list[SheetRow], list[RowProblem], int]:
    problems: list[RowProblem] = []
    if not table:
        return [], [RowProblem(sheet, 0, "", "", "the sheet is empty: expected a header row and rows")], 0
    header = table[0]
    ids = [column_id(h) for h in header]
    labels = {i: str(h).strip() for i, h in zip(ids, header, strict=True) if i}
    for i, h in zip(ids, header, strict=True):
        if i and i not in COLUMNS:
            problems.append(
                RowProblem(sheet, 1, str(h), "", f"unknown column (columns are: {', '.join(COLUMNS)})")
            )
    for c in REQUIRED_COLUMNS:
        if c not in ids:
            problems.append(RowProblem(sheet, 1, c, "", "required column is missing"))
    seen: set[str] = set()
    for i in ids:
        if i and i in seen:
            problems.append(RowProblem(sheet, 1, labels[i], "", "the column appears twice"))
        seen.add(i)
    if problems:
        return [], problems, 0
    rows, ignored = [], 0
    for n, values in enumerate(table[1:], start=2):
        cells = {i: _cell_text(v, i) for i, v in zip(ids, values, strict=False) if i}
        if not any(cells.get(c, "").strip() for c in FILLED_COLUMNS):
            if any(str(v).strip() for v in cells.values()):
                ignored += 1
            continue
        rows.append(SheetRow(sheet, n, cells, labels))
    return rows, problems, ignored


def read_rows(path: str | Path) -> tuple[list[SheetRow], int]:
    """The filled-in rows of a template workbook (sheet 待补数据, else the first) or a CSV file.

    Returns the rows and how many template rows were left empty; raises :class:`ImportProblems`.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportProblems([RowProblem(path.name, 0, "", "", f"file not found: {path}")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # a corrupt or foreign file: one message
            raise ImportProblems([RowProblem(path.name, 0, "", "", f"cannot read the workbook: {err}")]) from err
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        table = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        sheet = ws.title
    elif suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImportProblems(
                [RowProblem(path.name, 0, "", "", "not UTF-8 text: in Excel use Save As → 'CSV UTF-8'")]
            ) from err
        table = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
        sheet = path.name
    else:
        raise ImportProblems([RowProblem(path.name, 0, "", "", "expected an .xlsx workbook or a .csv file")])
    while table and not any(_cell_text(v, "") .strip() for v in table[-1]):
        table.pop()
    rows, problems, ignored = _shape(sheet, table)
    if problems:
        raise ImportProblems(problems)
    return rows, ignored
