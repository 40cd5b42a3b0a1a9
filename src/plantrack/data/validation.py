"""Read and check the curated tables, reporting every problem with file, line and column.

Three layers, all collected rather than stopping at the first problem:

1. reading: encoding, empty file, header, ragged rows, stray whitespace;
2. a pandera schema per table: types, allowed values, foreign keys, plausible years;
3. cross-checks: duplicate keys, ordered ranges, written text agreeing with its parsed
   form, units, derivations, and provenance (quote found verbatim in its raw document,
   every number of the row found in the quote).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .schema import LOAD_ORDER, TABLES, YEAR_RANGE, Table
from .units import UNIT_FACTORS, compatible
from .values import ParsedValue, ascii_digits, parse_number, parse_value_text
from .values import present as _is

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data. ``line`` is the line in the file (0: the whole file)."""

    file: str
    line: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = self.file + (f" line {self.line}" if self.line else "")
        col = f", column {self.column}" if self.column else ""
        val = f": {self.value!r}" if self.value != "" else ""
        return f"{where}{col}{val} — {self.expected}"


class DataError(ValueError):
    """Raised by :func:`plantrack.data.load` when the tables have problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:40])
        more = f"\n  … and {len(problems) - 40} more" if len(problems) > 40 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")


# ---------------------------------------------------------------- reading

#: columns holding an id (of a region, plan, indicator or source): ids name files and folders
ID_COLUMNS = frozenset(
    ("region_id", "parent_id", "plan_id", "plan", "previous_plan", "source_id", "indicator_id", "proxy_region_id",
     "proxy_indicator_id")
)
ID_PATTERN = re.compile(r"[a-z0-9_]+")
#: control characters a cell may not hold (tab, line feed and carriage return may appear in text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
EXCEL_CELL_LIMIT = 32_767  # characters in one spreadsheet cell


def check_cell(file: str, line: int, column: str, cell: str) -> list[Problem]:
    """What no cell may hold: control characters, more than Excel's 32,767 characters, an id outside ``[a-z0-9_]+``."""
    problems = []
    m = _CONTROL.search(cell)
    if m:
        problems.append(
            Problem(
                file,
                line,
                column,
                cell[:60],
                f"control character U+{ord(m.group()):04X} at position {m.start() + 1}: remove it",
            )
        )
    if len(cell) > EXCEL_CELL_LIMIT:
        problems.append(
            Problem(
                file,
                line,
                column,
                cell[:60],
                f"{len(cell):,} characters: a spreadsheet cell holds at most {EXCEL_CELL_LIMIT:,}",
            )
        )
    if column in ID_COLUMNS and cell.strip() and not ID_PATTERN.fullmatch(cell.strip()):
        problems.append(
            Problem(
                file,
                line,
                column,
                cell[:60],
                "an id may use only lower-case letters a-z, digits 0-9 and _ (ids become file names)",
            )
        )
    return problems


def read_table(path: Path, table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV as strings (empty cell → None) plus a ``_line`` column; never raises."""
    name = path.name
    empty = pd.DataFrame(columns=[*table.columns, "_line"])
    if not path.exists():
        return empty, [Problem(name, 0, "", "", f"file is missing from {path.parent}")]
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        return empty, [Problem(name, 0, "", "", "file is empty: expected a header row and data rows")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        bad = data[err.start : err.start + 4].hex(" ")
        return empty, [
            Problem(
                name,
                line,
                "",
                f"bytes {bad}",
                "not UTF-8 text (GBK/ANSI?): in Excel use Save As → 'CSV UTF-8 (Comma delimited)'",
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        return empty, [Problem(name, 1, "", "", f"cannot read the header row: {err}")]
    header = [h.lstrip("\ufeff") for h in header]
    for h in header:
        if h != h.strip():
            problems.append(Problem(name, 1, h.strip(), h, "column name has stray whitespace"))
    header = [h.strip() for h in header]
    for h in sorted({h for h in header if header.count(h) > 1}):
        places = ", ".join(str(i + 1) for i, x in enumerate(header) if x == h)
        problems.append(Problem(name, 1, h, "", f"column appears more than once in the header (columns {places})"))
    if len(set(header)) != len(header):
        return empty, problems
    expected = list(table.columns)
    missing = [c for c in expected if c not in header and c not in table.optional_columns]
    unknown = [c for c in header if c not in table.columns]
    for c in missing:
        problems.append(Problem(name, 1, c, "", f"required column is missing (columns are: {', '.join(expected)})"))
    for c in unknown:
        problems.append(Problem(name, 1, c, "", f"unknown column (columns are: {', '.join(expected)})"))
    if missing:
        return empty, problems
    records: list[dict[str, object]] = []
    last_line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(name, reader.line_num, "", "", f"malformed CSV: {err}"))
            break
        line = last_line + 1
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    "",
                    ",".join(row)[:60],
                    f"row has {len(row)} fields but the header has {len(header)} "
                    "(a value containing a comma must be in double quotes)",
                )
            )
            continue
        rec: dict[str, object] = {"_line": line}
        for col, cell in zip(header, row, strict=True):
            if col not in table.columns:
                continue
            if cell != cell.strip():
                problems.append(Problem(name, line, col, cell, "stray whitespace at the start or end of the value"))
            problems += check_cell(name, line, col, cell)
            value = cell.strip()
            if table.columns[col].type != "str":
                value = ascii_digits(value)  # ８０ is 80 everywhere a number is read
            rec[col] = value or None
        records.append(rec)
    df = pd.DataFrame.from_records(records, columns=[*expected, "_line"])
    return df.astype(object), problems


# ---------------------------------------------------------------- schema


def _schema(table: Table, foreign: Mapping[str, Iterable[str]]) -> pa.DataFrameSchema:
    """The table's pandera model, with each reference limited to the ids read from the table it names."""
    import pandera.pandas as pa  # imported here: reading cached, already validated data never needs it

    schema = table.model().to_schema()
    for name, ids in foreign.items():
        checks = [*schema.columns[name].checks, pa.Check.isin(sorted(set(ids)), error="foreign_key")]
        schema = schema.update_column(name, checks=checks)
    return schema


def _expected_text(check: str, column: str, table: Table, foreign: Mapping[str, Iterable[str]]) -> str:
    col = table.columns[column]
    if check.startswith(("coerce_dtype", "dtype")):
        return "expected a whole number (a year)" if col.type == "int" else "expected a number"
    if check == "not_nullable":
        return "required value is empty"
    if check == "foreign_key":
        valid = sorted(set(foreign[column]))
        return f"unknown {column}: valid values are {', '.join(valid)}"
    if check.startswith("isin("):
        return f"expected one of {', '.join(col.allowed)}"
    if check.startswith("in_range("):
        return f"expected a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}"
    return f"failed check {check}"


def check_schema(
    df: pd.DataFrame, table: Table, foreign: Mapping[str, Iterable[str]]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate types and values with pandera; return the typed frame and the problems."""
    problems: list[Problem] = []
    if df.empty:
        return _coerce(df, table), problems
    import pandera.pandas as pa

    problems += check_numbers(df, table)
    seen: set[tuple[str, int]] = {(p.column, p.line) for p in problems}
    work = df.drop(columns="_line").copy()
    work.index = df["_line"].astype(int)
    try:
        _schema(table, foreign).validate(work, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for rec in cases.itertuples(index=False):
            idx, column = rec.index, rec.column
            if idx is None or (isinstance(idx, float) and math.isnan(idx)) or column not in table.columns:
                continue
            key = (str(column), int(idx))
            if key in seen:
                continue
            seen.add(key)
            raw = df.loc[df["_line"] == int(idx), column]
            value = "" if raw.empty or raw.iloc[0] is None else str(raw.iloc[0])
            check = str(rec.check)
            problems.append(
                Problem(table.file, int(idx), str(column), value, _expected_text(check, column, table, foreign))
            )
    return _coerce(df, table), problems


def check_numbers(df: pd.DataFrame, table: Table) -> list[Problem]:
    """Numeric cells written as plain numbers: not ``8_0``, ``inf``, ``nan`` or another script's digits.

    pandas and pandera would read some of these as a number and others as an empty cell.
    """
    problems = []
    for name, col in table.columns.items():
        if col.type == "str":
            continue
        for line, cell in zip(df["_line"], df[name], strict=True):
            if not _is(cell) or parse_number(str(cell)) is not None:
                continue
            expected = "expected a whole number (a year)" if col.type == "int" else "expected a number"
            try:
                float(str(cell))
                expected += ", written with the digits 0-9 and a decimal point only (not 8_0, inf or nan)"
            except ValueError:
                pass
            problems.append(Problem(table.file, int(line), name, str(cell), expected))
    return problems


def _coerce(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    out = df.copy()
    for name, col in table.columns.items():
        if col.type == "float":
            out[name] = pd.to_numeric(out[name], errors="coerce").astype(float)
        elif col.type == "int":
            out[name] = pd.to_numeric(out[name], errors="coerce").round().astype("Int64")
        else:
            out[name] = out[name].astype(object).where(out[name].notna(), None)
    out["_line"] = out["_line"].astype(int)
    return out


# ---------------------------------------------------------------- cross-checks


def _num(v: object) -> float | None:
    return float(v) if _is(v) else None  # type: ignore[arg-type]


def _same(a: float | None, b: float | None, rel: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:g}"


def check_duplicates(df: pd.DataFrame, table: Table) -> list[Problem]:
    """Every row whose key repeats an earlier row."""
    problems = []
    first: dict[tuple[object, ...], int] = {}
    for rec in df.to_dict("records"):
        key = tuple(rec[k] if _is(rec[k]) else None for k in table.key)
        if key in first:
            problems.append(
                Problem(
                    table.file,
                    rec["_line"],
                    "+".join(table.key),
                    "/".join("" if k is None else str(k) for k in key),
                    f"duplicate row: the same key is already on line {first[key]}",
                )
            )
        else:
            first[key] = rec["_line"]
    return problems


def _check_parsed(
    file: str, line: int, text_col: str, text: str | None, parsed_cols: dict[str, object], parsed: ParsedValue
) -> list[Problem]:
    out = []
    for col, stored in parsed_cols.items():
        want = {"kind": parsed.kind, "low": parsed.low, "high": parsed.high, "value": parsed.threshold}[
            col.split(":")[1]
        ]
        name = col.split(":")[0]
        if col.endswith(":kind"):
            if stored != want:
                out.append(
                    Problem(file, line, name, str(stored), f"does not match {text_col} {text!r}, which reads as {want}")
                )
        elif not _same(_num(stored), want):  # type: ignore[arg-type]
            out.append(
                Problem(
                    file,
                    line,
                    name,
                    _fmt(_num(stored)),
                    f"does not match {text_col} {text!r}, which gives {_fmt(want)}",
                )  # type: ignore[arg-type]
            )
    return out


def check_targets(df: pd.DataFrame, plans: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """Ranges ordered, text and parsed columns agreeing, units known, years inside the plan."""
    file = TABLES["targets"].file
    problems: list[Problem] = []
    plan_years = {r["plan_id"]: (r["start_year"], r["end_year"]) for r in plans.to_dict("records")}
    units = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    for r in df.to_dict("records"):
        line = r["_line"]
        lo, hi = _num(r["target_low"]), _num(r["target_high"])
        if lo is not None and hi is not None and lo > hi:
            problems.append(
                Problem(
                    file,
                    line,
                    "target_low",
                    f"{_fmt(lo)} > {_fmt(hi)}",
                    "range is reversed: target_low must not exceed target_high",
                )
            )
        parsed = parse_value_text(r["target_text"] or "")
        problems += _check_parsed(
            file,
            line,
            "target_text",
            r["target_text"],
            {
                "target_kind:kind": r["target_kind"],
                "target_low:low": r["target_low"],
                "target_high:high": r["target_high"],
            },
            parsed,
        )
        if r["baseline_text"]:
            b = parse_value_text(r["baseline_text"])
            problems += _check_written(file, line, r, "baseline", b, ("point", "lower_bound", "upper_bound"))
            if b.year is not None and _is(r["baseline_year"]) and int(r["baseline_year"]) != b.year:
                problems.append(
                    Problem(
                        file,
                        line,
                        "baseline_year",
                        str(r["baseline_year"]),
                        f"baseline_text {r['baseline_text']!r} names the year {b.year}",
                    )
                )
        elif _is(r["baseline_value"]):
            problems.append(
                Problem(
                    file, line, "baseline_text", "", "baseline_value is set but baseline_text (as written) is empty"
                )
            )
        if (_is(r["baseline_value"]) or r["baseline_text"]) and not _is(r["baseline_year"]):
            problems.append(Problem(file, line, "baseline_year", "", "a baseline needs the year it refers to"))
        if r["actual_text"]:
            problems += _check_written(
                file, line, r, "actual", parse_value_text(r["actual_text"]), ("point", "lower_bound")
            )
        elif _is(r["actual_value"]):
            problems.append(
                Problem(file, line, "actual_text", "", "actual_value is set but actual_text (as written) is empty")
            )
        if _is(r["baseline_year"]) and _is(r["target_year"]) and int(r["baseline_year"]) > int(r["target_year"]):
            problems.append(
                Problem(
                    file,
                    line,
                    "baseline_year",
                    str(r["baseline_year"]),
                    f"baseline year is after the target year {r['target_year']}",
                )
            )
        span = plan_years.get(r["plan"])
        if span and _is(r["target_year"]) and not (span[0] <= int(r["target_year"]) <= span[1]):
            problems.append(
                Problem(
                    file,
                    line,
                    "target_year",
                    str(r["target_year"]),
                    f"outside the plan {r['plan']} ({span[0]}-{span[1]})",
                )
            )
        problems += _check_unit(file, line, r["unit_as_written"], units.get(r["indicator_id"]))
    return problems


def _check_written(
    file: str, line: int, r: dict, prefix: str, parsed: ParsedValue, numeric_kinds: tuple[str, ...]
) -> list[Problem]:
    """``<prefix>_value`` agrees with ``<prefix>_text``: the parsed number, or empty when the text has none."""
    text_col, value_col = f"{prefix}_text", f"{prefix}_value"
    if parsed.kind in numeric_kinds:
        return _check_parsed(file, line, text_col, r[text_col], {f"{value_col}:value": r[value_col]}, parsed)
    if _is(r[value_col]):
        return [
            Problem(
                file,
                line,
                value_col,
                _fmt(_num(r[value_col])),
                f"{text_col} {r[text_col]!r} has no number, so {value_col} must be empty",
            )
        ]
    return []


def _check_unit(file: str, line: int, written: str | None, catalogue: str | None) -> list[Problem]:
    written = written or ""
    if written not in UNIT_FACTORS:
        return [
            Problem(
                file,
                line,
                "unit_as_written",
                written,
                f"unknown unit; known units are {', '.join(u for u in UNIT_FACTORS if u)}",
            )
        ]
    if catalogue is not None and not compatible(written, catalogue or ""):
        return [
            Problem(
                file,
                line,
                "unit_as_written",
                written,
                f"cannot be converted to the indicator's unit {catalogue!r}: is this the same indicator?",
            )
        ]
    return []


#: How a derived observation follows from the figure it is derived from, per reading of "增长N倍".
def derive(phrase: str, anchor: float, number: float, times_reading: str = "increase") -> float:
    """Value at the earlier point implied by ``anchor`` and a growth phrase.

    ``times_reading`` decides "增长(了)N倍": ``increase`` (standard statistical usage: grew by
    N×100 %, so ×(1+N)) or ``multiple`` (read as ×N).
    """
    if phrase == "times_increase":
        return anchor / (1 + number) if times_reading == "increase" else anchor / number
    if phrase == "ratio":
        return anchor / number
    if phrase == "percent_increase":
        return anchor / (1 + number / 100)
    if phrase == "pp_increase":
        return anchor - number
    raise ValueError(f"unknown growth phrase {phrase!r}")


def check_observations(df: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """Periods ordered, totals carrying their period, derivations reproducing the value."""
    file = TABLES["observations"].file
    problems: list[Problem] = []
    measures = dict(zip(indicators["indicator_id"], indicators["measure"], strict=True))
    units = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    this_year = datetime.date.today().year
    for r in df.to_dict("records"):
        line = r["_line"]
        if _is(r["year"]) and int(r["year"]) > this_year:
            problems.append(
                Problem(file, line, "year", str(r["year"]), f"after the current year ({this_year}): not yet observable")
            )
        if _is(r["period_start"]) and _is(r["year"]) and int(r["period_start"]) > int(r["year"]):
            problems.append(
                Problem(
                    file, line, "period_start", str(r["period_start"]), f"period starts after it ends ({r['year']})"
                )
            )
        measure = measures.get(r["indicator_id"])
        if measure == "period_total" and not _is(r["period_start"]):
            problems.append(
                Problem(
                    file,
                    line,
                    "period_start",
                    "",
                    f"{r['indicator_id']} is a total over a period: give the first year of the period",
                )
            )
        if measure not in (None, "period_total") and _is(r["period_start"]):
            problems.append(
                Problem(
                    file,
                    line,
                    "period_start",
                    str(r["period_start"]),
                    f"{r['indicator_id']} is a {measure}, measured at one year: leave period_start empty",
                )
            )
        derived_cols = ("derived_from", "growth_phrase", "growth_number", "derivation")
        if r["method"] == "derived":
            for c in derived_cols:
                if not _is(r[c]):
                    problems.append(
                        Problem(
                            file,
                            line,
                            c,
                            "",
                            "a derived value needs derived_from, growth_phrase, growth_number and derivation",
                        )
                    )
            if all(_is(r[c]) for c in derived_cols[:3]) and _is(r["value"]):
                try:
                    want = derive(r["growth_phrase"], float(r["derived_from"]), float(r["growth_number"]))
                except (ValueError, ZeroDivisionError):
                    want = None
                if want is not None and not math.isclose(want, float(r["value"]), rel_tol=1e-3):
                    problems.append(
                        Problem(
                            file,
                            line,
                            "value",
                            _fmt(float(r["value"])),
                            f"does not follow from the derivation: expected {want:.4g}",
                        )
                    )
        elif r["method"] == "stated":
            for c in derived_cols[:3]:
                if _is(r[c]):
                    problems.append(Problem(file, line, c, str(r[c]), "only derived values carry derivation columns"))
        problems += _check_unit(file, line, r["unit_as_written"], units.get(r["indicator_id"]))
    return problems


def check_indicators(df: pd.DataFrame) -> list[Problem]:
    """Every id in ``not_comparable_with`` exists in the catalogue."""
    ids = set(df["indicator_id"])
    problems = []
    for r in df.to_dict("records"):
        for other in filter(None, (r["not_comparable_with"] or "").split(";")):
            if other.strip() not in ids:
                problems.append(
                    Problem(TABLES["indicators"].file, r["_line"], "not_comparable_with", other, "unknown indicator_id")
                )
    return problems


def check_regions(df: pd.DataFrame) -> list[Problem]:
    """Every region but the country has a parent, and parents form no cycle."""
    file = TABLES["regions"].file
    problems = []
    parents = dict(zip(df["region_id"], df["parent_id"], strict=True))
    for r in df.to_dict("records"):
        if r["level"] != "national" and not r["parent_id"]:
            problems.append(
                Problem(file, r["_line"], "parent_id", "", "every region below the national level needs a parent")
            )
        seen, cur = set(), r["region_id"]
        while cur:
            if cur in seen:
                problems.append(Problem(file, r["_line"], "parent_id", str(r["parent_id"]), "parents form a cycle"))
                break
            seen.add(cur)
            cur = parents.get(cur)
    return problems


def check_plans(df: pd.DataFrame) -> list[Problem]:
    """A plan starts before it ends."""
    return [
        Problem(
            TABLES["plans"].file,
            r["_line"],
            "start_year",
            str(r["start_year"]),
            f"plan starts after it ends ({r['end_year']})",
        )
        for r in df.to_dict("records")
        if _is(r["start_year"]) and _is(r["end_year"]) and r["start_year"] > r["end_year"]
    ]


__all__ = ["LOAD_ORDER", "DataError", "Problem", "check_schema", "derive", "read_table"]
