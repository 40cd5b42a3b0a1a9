"""Reading one curated CSV file: encoding, header, ragged rows, ids and cells a spreadsheet would misread.

Every problem is collected with file, line and column; the rows are returned as strings
(an empty cell is ``None``) with a ``_line`` column, for the schema checks to type.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd

from .problems import Problem, coded
from .schema import Table
from .values import ascii_digits, parse_number

ID_PATTERN = re.compile(r"[a-z0-9_]+")
#: control characters a cell may not hold (tab, line feed and carriage return may appear in text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: a cell :func:`check_cell` may find something in: a control character, or a formula's first character
_SUSPECT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|^[=+\-@\t\r]")
EXCEL_CELL_LIMIT = 32_767  # characters in one spreadsheet cell
#: a cell a spreadsheet would read as a formula starts with one of these (OWASP's CSV injection list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: what a formula needs to call anything (a function, DDE's cmd|'...'!A0, a reference), ASCII only
_FORMULA_CALL = re.compile(r"[(|!@]")
FORMULA_MESSAGE = (
    "begins with {start}: a spreadsheet opening this CSV file would run it as a formula; "
    "begin the text with the words before it (a quote may start earlier in the sentence)"
)


def formula_like(cell: str) -> bool:
    """True for a cell a spreadsheet would evaluate: ``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``, ``@SUM(…)``.

    Such cells are refused (never stored with a quote mark added: a quote must stay word for
    word). Not refused: a plain number (``-26``, ``+5``), and a sign followed by a digit in a
    text with nothing a formula needs to call anything (``-26亿元``: at worst shown as an error).
    """
    if not cell or not cell.startswith(FORMULA_START):
        return False
    if parse_number(cell) is not None:
        return False
    signed_number_text = cell[0] in "+-" and cell[1:2].isascii() and cell[1:2].isdigit()
    return not (signed_number_text and not _FORMULA_CALL.search(cell))


def csv_error_text(err: csv.Error) -> str:
    """A CSV reading error as one line: a cell beyond the csv module's field limit is named as a cell too long."""
    if "field limit" in str(err):
        return (
            f"a cell holds more than {csv.field_size_limit():,} characters: a spreadsheet cell holds at most "
            f"{EXCEL_CELL_LIMIT:,}"
        )
    return f"malformed CSV: {err}"


def csv_error_problem(file: str, line: int, err: csv.Error) -> Problem:
    """:func:`csv_error_text` as a problem with its catalogue entry."""
    if "field limit" in str(err):
        return coded(file, line, "", "", csv_error_text(err), "csv_cell_too_long",
                     n=f"{csv.field_size_limit():,}", limit=f"{EXCEL_CELL_LIMIT:,}")
    return coded(file, line, "", "", csv_error_text(err), "csv_malformed", error=err)


def check_cell(file: str, line: int, column: str, cell: str, is_id: bool) -> list[Problem]:
    """What no cell may hold: control characters, over 32,767 characters, a formula, an id outside ``[a-z0-9_]+``."""
    problems = []
    m = _CONTROL.search(cell)
    if m:
        char, position = f"U+{ord(m.group()):04X}", m.start() + 1
        problems.append(
            coded(file, line, column, cell[:60], f"control character {char} at position {position}: remove it",
                  "cell_control", char=char, position=position)
        )
    if len(cell) > EXCEL_CELL_LIMIT:
        problems.append(
            coded(file, line, column, cell[:60],
                  f"{len(cell):,} characters: a spreadsheet cell holds at most {EXCEL_CELL_LIMIT:,}",
                  "cell_too_long", n=f"{len(cell):,}", limit=f"{EXCEL_CELL_LIMIT:,}")
        )
    if formula_like(cell):
        start = repr(cell[0])
        problems.append(coded(file, line, column, cell[:60], FORMULA_MESSAGE.format(start=start), "cell_formula",
                              start=start))
    if is_id and cell.strip() and not ID_PATTERN.fullmatch(cell.strip()):
        problems.append(
            coded(file, line, column, cell[:60],
                  "an id may use only lower-case letters a-z, digits 0-9 and _ (ids become file names)", "id_invalid")
        )
    return problems


def read_table(path: Path, table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV as strings (empty cell → None) plus a ``_line`` column; never raises."""
    name = path.name
    empty = pd.DataFrame(columns=[*table.columns, "_line"])
    if not path.exists():
        if table.optional_file:
            return empty, []
        return empty, [coded(name, 0, "", "", f"file is missing from {path.parent}", "file_missing",
                             folder=path.parent)]
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        return empty, [coded(name, 0, "", "", "file is empty: expected a header row and data rows", "file_empty")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        bad = data[err.start : err.start + 4].hex(" ")
        return empty, [
            coded(name, line, "", f"bytes {bad}",
                  "not UTF-8 text (GBK/ANSI?): in Excel use Save As → 'CSV UTF-8 (Comma delimited)'", "not_utf8")
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        return empty, [coded(name, 1, "", "", f"cannot read the header row: {err}", "header_unreadable", error=err)]
    header = [h.lstrip("\ufeff") for h in header]
    for h in header:
        if h != h.strip():
            problems.append(coded(name, 1, h.strip(), h, "column name has stray whitespace", "header_whitespace"))
    header = [h.strip() for h in header]
    for h in sorted({h for h in header if header.count(h) > 1}):
        places = ", ".join(str(i + 1) for i, x in enumerate(header) if x == h)
        problems.append(coded(name, 1, h, "", f"column appears more than once in the header (columns {places})",
                              "header_repeated", places=places))
    if len(set(header)) != len(header):
        return empty, problems
    expected = list(table.columns)
    missing = [c for c in expected if c not in header and c not in table.optional_columns]
    unknown = [c for c in header if c not in table.columns]
    columns = ", ".join(expected)
    for c in missing:
        problems.append(coded(name, 1, c, "", f"required column is missing (columns are: {columns})",
                              "column_missing", columns=columns))
    for c in unknown:
        problems.append(coded(name, 1, c, "", f"unknown column (columns are: {columns})", "column_unknown",
                              columns=columns))
    if missing:
        return empty, problems
    records: list[dict[str, object]] = []
    ids = table.id_columns
    last_line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(csv_error_problem(name, reader.line_num, err))
            break
        line = last_line + 1
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                coded(name, line, "", ",".join(row)[:60], f"row has {len(row)} fields but the header has "
                      f"{len(header)} (a value containing a comma must be in double quotes)", "row_fields",
                      n=len(row), header=len(header))
            )
            continue
        rec: dict[str, object] = {"_line": line}
        for col, cell in zip(header, row, strict=True):
            if col not in table.columns:
                continue
            if cell != cell.strip():
                problems.append(coded(name, line, col, cell, "stray whitespace at the start or end of the value",
                                      "value_whitespace"))
            if col in ids or len(cell) > EXCEL_CELL_LIMIT or _SUSPECT.search(cell):  # else check_cell finds nothing
                problems += check_cell(name, line, col, cell, col in ids)
            value = cell.strip()
            if table.columns[col].type != "str":
                value = ascii_digits(value)  # ８０ is 80 everywhere a number is read
            rec[col] = value or None
        records.append(rec)
    df = pd.DataFrame.from_records(records, columns=[*expected, "_line"])
    return df.astype(object), problems
