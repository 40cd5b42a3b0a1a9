"""Importing newer statistics from a filled template (Excel or CSV), checked like every other row.

A researcher fills one row per number: region and indicator ids (prefilled by ``plantrack
template``), the year, the value in the unit the source writes, the sentence it comes from and
its source — a row of ``sources.csv`` or a new citation (title, issuer, date, address, tier).

* :func:`read_rows` reads the sheet (headers such as ``年份（year）`` or plain ``year``);
* :func:`check_rows` checks every row, then the whole dataset with the rows in place, and names
  each bad row with its sheet, row, column, value and what was expected;
* :func:`write_rows` is the one function that writes to the data folder: under a lock on the
  folder it re-reads the files, refuses to overwrite a value unless asked, validates the whole
  dataset, then replaces each file atomically (a new source's quoted text first, as its
  retrieved text under ``raw/web/``, so the provenance check holds for imported rows too);
* :func:`import_rows` does both; ``skip_bad`` writes the good rows and lists the bad ones.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import values as number_text
from .edit import CsvFile, Edit, EditError, Invalid, editing, validate_with
from .problems import Problem
from .provenance import COVERS, WEB_DIR, numbers_in_quote, retrieved_text
from .schema import TABLES, TIERS, VALUE_QUALIFIERS, YEAR_RANGE
from .tables import PlanData, load
from .units import UNIT_FACTORS, WRITTEN_ONLY, compatible

#: the sheet a template's rows are on
SHEET = "待补数据"
#: columns of the template, in order; the first five are filled in by ``plantrack template``
COLUMNS: tuple[str, ...] = (
    "region_id",
    "indicator_id",
    "name_as_written",
    "years_wanted",
    "indicator_unit",
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
INFO_COLUMNS = ("name_as_written", "years_wanted", "indicator_unit")
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
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


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
    """One thing wrong with an imported row (``row`` 0: the whole file or the dataset)."""

    sheet: str
    row: int
    column: str
    value: str
    expected: str

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


class WriteConflict(ValueError):
    """``write_rows`` refused: a value already stored, or the folder's data changed into something invalid."""

    def __init__(self, messages: list[str], problems: Sequence[Problem] = ()) -> None:
        self.messages = messages
        self.problems = list(problems)
        super().__init__("; ".join(messages))


@dataclass
class Written:
    """What :func:`write_rows` changed."""

    lines: list[int]  # line of observations.csv holding each new row, in order
    replaced: list[str]  # the rows replaced, as they were
    new_sources: list[str]
    files: list[Path]
    source_ids: list[str] = field(default_factory=list)  # the source of each new row, in order


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


# ---------------------------------------------------------------- reading


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


# ---------------------------------------------------------------- checking one row


def units_for(data: PlanData, indicator: str) -> list[str]:
    """Units a value of ``indicator`` may be written in (its catalogue unit first)."""
    unit = str(data.indicator(indicator)["unit"] or "")
    others = [
        u
        for u in UNIT_FACTORS
        if u and u != unit and u not in WRITTEN_ONLY and compatible(u, unit) and UNIT_FACTORS[u][0] == unit
    ]
    return [unit, *others]


def period_start_for(data: PlanData, region: str, year: int) -> int:
    """First year of the plan period a total for ``year`` runs over (a plan ending that year first)."""
    plans = data.plans[(data.plans["start_year"] <= year) & (data.plans["end_year"] >= year)]
    if plans.empty:
        return year
    own = set(data.targets.loc[data.targets["region_id"] == region, "plan"])
    ranked = sorted(
        plans.to_dict("records"),
        key=lambda p: (p["end_year"] != year, p["plan_id"] not in own, p["end_year"] - p["start_year"]),
    )
    return int(ranked[0]["start_year"])


def parse_number(text: str) -> float | None:
    """A number as typed: ``12,300``, ``21.5`` (full-width digits too); None when it is not one."""
    return number_text.parse_number(re.sub(r"(?<=[0-9０-９])[,，](?=[0-9０-９]{3})", "", text.strip()))


def _number_text(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else format(v, ".15g")


def key_of(row: dict[str, str]) -> tuple[str, ...]:
    """What makes two observations the same number: region, indicator, year, period, series, part of year."""
    names = ("region_id", "indicator_id", "year", "period_start", "series", "covers")
    return tuple(row.get(k, "") or "" for k in names)


def _check_row(data: PlanData, r: SheetRow, today: datetime.date) -> list[RowProblem]:
    out: list[RowProblem] = []

    def bad(column: str, expected: str) -> None:
        out.append(RowProblem(r.sheet, r.row, r.label(column), r.get(column), expected))

    region, indicator = r.get("region_id"), r.get("indicator_id")
    if region not in set(data.region_ids()):
        bad("region_id", f"a region id: {', '.join(data.region_ids())}")
    if indicator not in data.lookup.indicators:
        bad("indicator_id", "an indicator id of indicators.csv (the template's drop-down list)")
    year_text = r.get("year")
    year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
    if year is None:
        bad("year", "a year such as 2023")
    elif not YEAR_RANGE[0] <= year <= today.year:
        bad("year", f"a year from {YEAR_RANGE[0]} to {today.year}")
    value = parse_number(r.get("value"))
    if value is None:
        bad("value", "a number such as 21.5 or 12,300, in the unit the source writes")
    qualifier = r.get("qualifier") or "exact"
    if qualifier not in VALUE_QUALIFIERS:
        bad("qualifier", f"one of {', '.join(VALUE_QUALIFIERS)} (empty: exact)")
    if indicator in data.lookup.indicators:
        units = units_for(data, indicator)
        if r.get("unit") not in units:
            bad("unit", "one of " + ", ".join(u or "(no unit: leave empty)" for u in units))
        total = data.indicator(indicator)["measure"] == "period_total"
        start = r.get("period_start")
        if start and not total:
            bad("period_start", f"empty: {indicator} is measured at one year")
        elif start and (not re.fullmatch(r"\d{4}", start) or (year is not None and int(start) > year)):
            bad("period_start", "the first year of the period, not after the year")
    covers = r.get("covers")
    if covers and not COVERS.match(covers):
        bad("covers", "empty for a whole year, else YYYY-MM or YYYY-MM..YYYY-MM (2025-01..2025-09)")
    quote = r.get("quote")
    if not quote:
        bad("quote", "the sentence the value comes from, copied word for word")
    elif value is not None and not any(math.isclose(value, f, rel_tol=1e-9) for f in numbers_in_quote(quote)):
        bad("value", "the number as the quote writes it (the quote does not contain it)")
    if r.get("source_id"):
        if r.get("source_id") not in set(data.sources["source_id"]):
            bad("source_id", "a source id of sources.csv, or empty for a new source")
    else:
        for c, what in (("source_title", "the title of the source"), ("issuer", "who published it")):
            if not r.get(c):
                bad(c, f"{what} (a new source needs title, issuer, date, address and tier)")
        if not _DATE.match(r.get("date")):
            bad("date", "the date of publication: YYYY, YYYY-MM or YYYY-MM-DD")
        if not _URL.match(r.get("source_url")):
            bad("source_url", "the address the text was found at, starting with http:// or https://")
        if r.get("tier") not in TIERS:
            bad("tier", "A (official site or bulletin), B (national news agency or state medium) or C (a copy)")
        retrieved = r.get("retrieved")
        if retrieved and (not _DAY.match(retrieved) or retrieved > today.isoformat()):
            bad("retrieved", f"the day the text was retrieved, YYYY-MM-DD, not after {today.isoformat()}")
    return out


# ---------------------------------------------------------------- building rows


def _source_key(r: SheetRow) -> tuple[str, ...]:
    return tuple(r.get(c) for c in ("source_title", "issuer", "date", "source_url", "tier", "retrieved"))


def _new_source_id(region: str, date: str, taken: set[str]) -> str:
    base = f"added_{region}_{date.replace('-', '')}"
    n, sid = 1, base
    while sid in taken:
        n += 1
        sid = f"{base}_{n}"
    taken.add(sid)
    return sid


def stored_text(source: dict[str, str], quotes: Iterable[str]) -> str:
    """The stored text of a new source: the header of a retrieved text, then its quotes, one paragraph each."""
    return retrieved_text(source, "\n\n".join(dict.fromkeys(q.strip() for q in quotes)))


def _stored_sources(data: PlanData, rows: list[SheetRow]) -> dict[tuple[str, ...], str]:
    """New-source citations of ``rows`` that match a stored source whose text already holds all their quotes."""
    from .provenance import squash

    by_cite = {
        (str(s["title"]), str(s["issuer"]), str(s["date"] or ""), str(s["url"] or "")): s
        for s in data.sources.to_dict("records")
        if s["raw_file"]
    }
    wanted: dict[tuple[str, ...], list[str]] = {}
    for r in rows:
        if not r.get("source_id"):
            wanted.setdefault(_source_key(r), []).append(r.get("quote"))
    out = {}
    for key, quotes in wanted.items():
        s = by_cite.get(key[:4])
        if s is None or (key[4] and s.get("tier") != key[4]):
            continue
        path = data.data_dir / "raw" / str(s["raw_file"])
        text = squash(path.read_text(encoding="utf-8")) if path.is_file() else ""
        if all(squash(q) in text for q in quotes):
            out[key] = str(s["source_id"])
    return out


def _build(
    data: PlanData, rows: list[SheetRow], today: datetime.date, origin: str
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str], list[SheetRow]]:
    """Rows of observations.csv and sources.csv (as text) and the new sources' texts."""
    taken = set(data.sources["source_id"])
    titles = dict(zip(data.sources["source_id"], data.sources["title"], strict=True))
    new_ids: dict[tuple[str, ...], str] = {}
    stored = _stored_sources(data, rows)
    sources: dict[str, dict[str, str]] = {}
    quotes: dict[str, list[str]] = {}
    obs = []
    for r in rows:
        sid = r.get("source_id")
        if not sid and _source_key(r) in stored:  # a source imported before, whose text holds the quotes
            sid = stored[_source_key(r)]
        if not sid:
            key = _source_key(r)
            if key not in new_ids:
                new_ids[key] = _new_source_id(r.get("region_id"), r.get("date"), taken)
                sid = new_ids[key]
                sources[sid] = {
                    "source_id": sid,
                    "title": r.get("source_title"),
                    "issuer": r.get("issuer"),
                    "date": r.get("date"),
                    "raw_file": f"{WEB_DIR}{sid}.txt",
                    "url": r.get("source_url"),
                    "retrieved": r.get("retrieved") or today.isoformat(),
                    "tier": r.get("tier"),
                    "note": origin,
                }
            sid = new_ids[key]
            quotes.setdefault(sid, []).append(r.get("quote"))
        indicator, region = r.get("indicator_id"), r.get("region_id")
        start = r.get("period_start")
        if not start and data.indicator(indicator)["measure"] == "period_total":
            start = str(period_start_for(data, region, int(r.get("year"))))
        note = r.get("note")
        where = f"{origin}, {r.sheet} row {r.row}" if r.sheet else origin
        obs.append(
            {
                "region_id": region,
                "indicator_id": indicator,
                "year": r.get("year"),
                "period_start": start,
                "value": _number_text(parse_number(r.get("value"))),  # type: ignore[arg-type]
                "unit_as_written": r.get("unit"),
                "value_qualifier": r.get("qualifier") or "exact",
                "series": "",
                "covers": r.get("covers"),
                "use": "",
                "method": "stated",
                "source_id": sid,
                "locator": r.get("source_title") or str(titles.get(sid) or sid),
                "quote": r.get("quote"),
                "note": f"{note} ({where})" if note else where,
            }
        )
    texts = {sources[s]["raw_file"]: stored_text(sources[s], q) for s, q in quotes.items()}
    return obs, list(sources.values()), texts, rows


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
        return Checked([], [], {}, [], [RowProblem(p.file, 0, p.column, p.value, f"line {p.line}: {p.expected}")
                                        for p in data.problems], [])
    problems: list[RowProblem] = []
    good = []
    for r in rows:
        found = _check_row(data, r, today)
        problems += found
        if not found:
            good.append(r)
    # the same number twice in the file, or a number already stored
    existing = _existing_keys(folder)
    seen: dict[tuple[str, ...], SheetRow] = {}
    obs, sources, texts, built = _build(data, good, today, origin)
    replaces: list[str] = []
    keep = []
    for o, r in zip(obs, built, strict=True):
        k = key_of(o)
        if k in seen:
            problems.append(RowProblem(r.sheet, r.row, r.label("year"), r.get("year"),
                                       f"row {seen[k].row} gives the same region, indicator and year"))
            continue
        seen[k] = r
        if k in existing:
            line, text = existing[k]
            if not replace:
                problems.append(RowProblem(
                    r.sheet, r.row, r.label("year"), r.get("year"),
                    f"observations.csv line {line} already holds a value for this region, indicator and year "
                    f"({text}); import with --replace to replace it",
                ))
                continue
            replaces.append(f"observations.csv line {line}: {text}")
        keep.append((o, r))
    if len(keep) != len(obs):
        obs, sources, texts, built = _build(data, [r for _, r in keep], today, origin)
    if obs:
        problems += _validate_rows(folder, obs, sources, texts, built, replace)
    return Checked(obs, sources, texts, built, sorted(problems), replaces)


def _existing_keys(folder: Path) -> dict[tuple[str, ...], tuple[int, str]]:
    table = CsvFile.read(folder / TABLES["observations"].file)
    header = table.header
    out = {}
    for row in table.records[1:]:
        rec = dict(zip(header, row.cells, strict=False))
        if rec.get("use") == "no":
            continue
        shown = f"{rec.get('value')}{rec.get('unit_as_written', '')}, source {rec.get('source_id')}"
        out[key_of(rec)] = (row.start, shown)
    return out


def _validate_rows(
    folder: Path,
    obs: list[dict[str, str]],
    sources: list[dict[str, str]],
    texts: dict[str, str],
    origin: list[SheetRow],
    replace: bool,
) -> list[RowProblem]:
    """Validate a copy of the folder with the rows in place; problems mapped back to sheet rows."""
    files, lines, _, src_lines = _applied_files(folder, obs, sources, replace)
    problems = _validate_copy(folder, files, texts)
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
            out.append(RowProblem(p.file, 0, p.column, p.value, f"line {p.line}: {p.expected}"))
        for r in targets:
            col = CSV_COLUMNS.get(p.column, p.column)
            out.append(RowProblem(r.sheet, r.row, r.label(col), r.get(col) or p.value, p.expected))
    return out


# ---------------------------------------------------------------- checking with the rows in place


def _applied_files(
    folder: Path, obs: list[dict[str, str]], sources: list[dict[str, str]], replace: bool
) -> tuple[dict[str, str], list[int], list[str], list[int]]:
    """New texts of observations.csv (and sources.csv) with the rows in place; lines of the new rows; rows replaced.

    The same placement as the writer's (:func:`_apply`), on the files as they are now, without the lock.
    """
    edit = Edit(folder)
    lines, replaced, src_lines = _apply(edit, obs, sources, replace)
    tables = [edit.table("observations"), *([edit.table("sources")] if sources else [])]
    return {f.path.name: f.text() for f in tables}, lines, replaced, src_lines


def _validate_copy(folder: Path, files: dict[str, str], texts: dict[str, str]) -> list[Problem]:
    """Problems of a copy of ``folder`` with ``files`` replaced and ``texts`` added under raw/."""
    return validate_with(folder, {**files, **{f"raw/{rel}": text for rel, text in texts.items()}})


# ---------------------------------------------------------------- writing


def _fresh_ids(
    edit: Edit, observations: list[dict[str, str]], sources: list[dict[str, str]], texts: dict[str, str]
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str]]:
    """New sources renamed where another writer took their id since they were checked (read under the lock)."""
    folder = edit.folder
    taken = {rec.cells[0] for rec in edit.table("sources").records[1:] if rec.cells}
    renames = {}
    for s in sources:
        sid = s["source_id"]
        if sid in taken or (folder / "raw" / s["raw_file"]).exists():
            base, n = sid, 2
            while f"{base}_{n}" in taken or (folder / "raw" / f"{WEB_DIR}{base}_{n}.txt").exists():
                n += 1
            renames[sid] = f"{base}_{n}"
        taken.add(renames.get(sid, sid))
    if not renames:
        return observations, sources, texts
    new_sources, new_texts = [], dict(texts)
    for s in sources:
        sid = renames.get(s["source_id"])
        if sid:
            old_file = s["raw_file"]
            s = {**s, "source_id": sid, "raw_file": f"{WEB_DIR}{sid}.txt"}
            new_texts[s["raw_file"]] = new_texts.pop(old_file)
        new_sources.append(s)
    new_obs = [{**o, "source_id": renames.get(o["source_id"], o["source_id"])} for o in observations]
    return new_obs, new_sources, new_texts


def _apply(
    edit: Edit, obs: list[dict[str, str]], sources: list[dict[str, str]], replace: bool
) -> tuple[list[int], list[str], list[int]]:
    """Put the rows into the files; the line of each new row, the rows replaced, the lines of new sources.

    Raises :class:`WriteConflict` when a value is already stored and ``replace`` is False.
    """
    table = edit.table("observations")
    header = table.header
    index: dict[tuple[str, ...], int] = {}
    for rec in table.records[1:]:
        values = dict(zip(header, rec.cells, strict=False))
        if values.get("use") != "no":
            index.setdefault(key_of(values), rec.start)
    lines, replaced, conflicts = [], [], []
    for o in obs:
        line = index.get(key_of(o))
        if line is not None:
            if not replace:
                conflicts.append(
                    f"observations.csv line {line} already holds a value for {o['region_id']}, "
                    f"{o['indicator_id']}, {o['year']}"
                )
                continue
            replaced.append(f"observations.csv line {line}: {table.replace(line, o)}")
            lines.append(line)
        else:
            line = table.append(o)
            index[key_of(o)] = line
            lines.append(line)
    src_lines = [edit.table("sources").append(s) for s in sources]
    if conflicts:
        raise WriteConflict(conflicts)
    return lines, replaced, src_lines


def write_rows(
    data_dir: str | Path,
    observations: list[dict[str, str]],
    sources: list[dict[str, str]],
    texts: dict[str, str],
    replace: bool = False,
) -> Written:
    """Write checked rows through the data folder's one writer (:mod:`plantrack.data.edit`).

    Under the folder's lock, on the files as they are then: new source ids still free, no value
    overwritten without ``replace``, the whole dataset validated with the rows in place, each
    file written atomically keeping its mode and links. ``texts`` maps a path under ``raw/``
    to the stored text of a new source. Raises :class:`WriteConflict` and writes nothing when
    anything is wrong.
    """
    try:
        with editing(data_dir) as edit:
            observations, sources, texts = _fresh_ids(edit, observations, sources, texts)
            for rel, text in texts.items():
                edit.add_text(rel, text)
            lines, replaced, _ = _apply(edit, observations, sources, replace)
            written = edit.commit()
    except Invalid as err:
        raise WriteConflict([str(p) for p in err.problems], err.problems) from err
    except EditError as err:
        raise WriteConflict([str(err)]) from err
    return Written(lines, replaced, [s["source_id"] for s in sources], written, [o["source_id"] for o in observations])


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
