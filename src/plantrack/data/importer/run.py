"""An import as a whole: every row checked alone, then the dataset with the good rows in place; then written.

* :func:`check_rows` checks every row, then the whole dataset with the rows in place, and names
  each bad row with its sheet, row, column, value and what was expected; nothing is written;
* :func:`import_rows` checks and writes (``skip_bad`` writes the good rows and lists the bad ones).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from ..schema import TABLES
from ..tables import load
from .build import build_rows
from .check import check_row, key_of
from .place import Written, placed_files, stored_keys, validate_copy, write_rows
from .sheet import CSV_COLUMNS, RowProblem, SheetRow


@dataclass
class Checked:
    """The rows ready to write and every problem found."""

    observations: list[dict[str, str]]
    sources: list[dict[str, str]]
    texts: dict[str, str]  # path under raw/ → text
    origin: list[SheetRow]  # the sheet row of each observation
    problems: list[RowProblem]
    replaces: list[str]  # existing rows the import would replace (with replace=True)
    ignored: int = 0  # template rows left empty

    @property
    def bad_rows(self) -> set[tuple[str, int]]:
        """(sheet, row) of every row with a problem."""
        return {(p.sheet, p.row) for p in self.problems if p.row}


@dataclass
class Imported:
    """The result of :func:`import_rows`."""

    checked: Checked
    written: Written | None
    skipped: list[tuple[str, int]]


def check_rows(
    data_dir: str | Path,
    rows: list[SheetRow],
    replace: bool = False,
    origin: str = "imported from a template",
    today: datetime.date | None = None,
) -> Checked:
    """Check every row alone, then the whole dataset with the good rows in place; nothing is written."""
    folder = Path(data_dir).expanduser().resolve()
    today = today or datetime.date.today()
    data = load(folder, on_error="skip")
    if data.problems:
        return Checked([], [], {}, [], [in_folder(p) for p in data.problems], [])
    problems: list[RowProblem] = []
    good = []
    for r in rows:
        found = check_row(data, r, today)
        problems += found
        if not found:
            good.append(r)
    # the same number twice in the file, or a number already stored
    existing = stored_keys(folder)
    seen: dict[tuple[str, ...], SheetRow] = {}
    obs, sources, texts, built = build_rows(data, good, today, origin)
    replaces: list[str] = []
    keep = []
    for o, r in zip(obs, built, strict=True):
        k = key_of(o)
        if k in seen:
            problems.append(RowProblem(r.sheet, r.row, r.label("year"), r.get("year"),
                                       f"row {seen[k].row} gives the same region, indicator and year",
                                       "duplicate_row", (("row", str(seen[k].row)),)))
            continue
        seen[k] = r
        if k in existing:
            line, text = existing[k]
            if not replace:
                problems.append(RowProblem(
                    r.sheet, r.row, r.label("year"), r.get("year"),
                    f"observations.csv line {line} already holds a value for this region, indicator and year "
                    f"({text}); import with --replace to replace it",
                    "already_stored", (("line", str(line)), ("text", text)),
                ))
                continue
            replaces.append(f"observations.csv line {line}: {text}")
        keep.append((o, r))
    if len(keep) != len(obs):
        obs, sources, texts, built = build_rows(data, [r for _, r in keep], today, origin)
    if obs:
        problems += _validate_rows(folder, obs, sources, texts, built, replace)
    return Checked(obs, sources, texts, built, sorted(problems), replaces)


def in_folder(p: Problem) -> RowProblem:
    """A problem of the data folder (not of a row imported) among an import's: its file and line kept."""
    return RowProblem(p.file, 0, p.column, p.value, f"line {p.line}: {p.expected}", p.code,
                      (*p.params, ("at_line", str(p.line))))


def _validate_rows(
    folder: Path,
    obs: list[dict[str, str]],
    sources: list[dict[str, str]],
    texts: dict[str, str],
    origin: list[SheetRow],
    replace: bool,
) -> list[RowProblem]:
    """Validate a copy of the folder with the rows in place; problems mapped back to sheet rows."""
    files, lines, _, src_lines = placed_files(folder, obs, sources, replace)
    problems = validate_copy(folder, files, texts)
    by_obs_line = dict(zip(lines, origin, strict=True))
    by_source: dict[int, list[SheetRow]] = {}
    for line, s in zip(src_lines, sources, strict=True):
        by_source[line] = [r for o, r in zip(obs, origin, strict=True) if o["source_id"] == s["source_id"]]
    out = []
    for p in problems:
        targets: list[SheetRow] = []
        if p.file == TABLES["observations"].file and p.line in by_obs_line:
            targets = [by_obs_line[p.line]]
        elif p.file == TABLES["sources"].file and p.line in by_source:
            targets = by_source[p.line]
        if not targets:
            out.append(in_folder(p))
        for r in targets:
            col = CSV_COLUMNS.get(p.column, p.column)
            out.append(RowProblem(r.sheet, r.row, r.label(col), r.get(col) or p.value, p.expected, p.code, p.params))
    return out


def import_rows(
    data_dir: str | Path,
    rows: list[SheetRow],
    replace: bool = False,
    skip_bad: bool = False,
    origin: str = "imported from a template",
    ignored: int = 0,
) -> Imported:
    """Check ``rows`` with the whole dataset and write them when all are good (or, with ``skip_bad``, the good ones).

    Problems of the dataset itself (not of a row) always stop the import; nothing is written then.
    """
    checked = check_rows(data_dir, rows, replace, origin)
    found = set(checked.problems)
    skipped: set[tuple[str, int]] = set()
    while skip_bad and checked.problems and all(p.row for p in checked.problems):
        skipped |= checked.bad_rows
        rows = [r for r in rows if (r.sheet, r.row) not in skipped]
        checked = check_rows(data_dir, rows, replace, origin)
        found |= set(checked.problems)
    checked.ignored = ignored
    remaining = checked.problems
    checked.problems = sorted(found)
    if remaining or not checked.observations:
        return Imported(checked, None, sorted(skipped))
    written = write_rows(data_dir, checked.observations, checked.sources, checked.texts, replace)
    return Imported(checked, written, sorted(skipped))
