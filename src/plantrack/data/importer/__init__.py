"""Importing newer statistics from a filled template (Excel or CSV), checked like every other row.

A researcher fills one row per number: region and indicator ids (prefilled by ``plantrack
template``), the year, the value in the unit the source writes, the sentence it comes from and
its source — a row of ``sources.csv`` or a new citation (title, issuer, date, address, tier).

* :mod:`.sheet` reads the workbook: :func:`read_rows` (headers such as ``年份（year）`` or plain ``year``);
* :mod:`.check` checks one row alone, :mod:`.build` turns good rows into rows of the CSV files;
* :mod:`.run` checks the whole import: :func:`check_rows` checks every row, then the whole dataset
  with the rows in place, and names each bad row with its sheet, row, column, value and what was
  expected; :func:`import_rows` checks and writes (``skip_bad`` writes the good rows and lists the bad ones);
* :mod:`.workbook` reads an exported workbook back: only edited or new observation rows are changes;
* :mod:`.place` holds :func:`write_rows`, the one function that writes to the data folder: under a
  lock on the folder it re-reads the files, refuses to overwrite a value unless asked, validates the
  whole dataset, then replaces each file atomically (a new source's quoted text first, as its
  retrieved text under ``raw/web/``, so the provenance check holds for imported rows too).
"""

from __future__ import annotations

from .build import stored_text
from .check import key_of, parse_number, period_start_for, units_for
from .place import WriteConflict, Written, write_rows
from .run import Checked, Imported, check_rows, import_rows
from .sheet import (
    COLUMNS,
    CSV_COLUMNS,
    FILLED_COLUMNS,
    INFO_COLUMNS,
    REQUIRED_COLUMNS,
    SHEET,
    ImportProblems,
    RowProblem,
    SheetRow,
    column_id,
    read_rows,
)
from .workbook import ExportDiff, export_changes, read_export

__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "FILLED_COLUMNS",
    "INFO_COLUMNS",
    "REQUIRED_COLUMNS",
    "SHEET",
    "Checked",
    "ExportDiff",
    "ImportProblems",
    "Imported",
    "RowProblem",
    "SheetRow",
    "WriteConflict",
    "Written",
    "check_rows",
    "column_id",
    "export_changes",
    "import_rows",
    "key_of",
    "parse_number",
    "period_start_for",
    "read_export",
    "read_rows",
    "stored_text",
    "units_for",
    "write_rows",
]
