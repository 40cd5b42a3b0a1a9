"""Check the curated tables, reporting every problem with file, line and column.

Four layers, all collected rather than stopping at the first problem:

1. reading (:mod:`.reading`): encoding, empty file, header, ragged rows, stray whitespace;
2. the table's pandera model (:mod:`.models`, here): types, allowed values, references, plausible
   years, numbers written as plain numbers, duplicate keys;
3. cross-checks (:mod:`.crosschecks`): ordered ranges, written text agreeing with its parsed
   form, units, derivations, plan periods;
4. provenance (:mod:`.provenance`): quote found verbatim in its stored text, every number of
   the row found in the quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from .crosschecks import (
    check_indicators,
    check_observations,
    check_plans,
    check_regions,
    check_targets,
    plan_counters,
)
from .problems import DataError, Problem, coded
from .reading import check_cell, read_table
from .schema import Table
from .values import parse_number
from .values import present as _is
from .vocabulary import YEAR_RANGE

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "DataError",
    "Problem",
    "check_cell",
    "check_duplicates",
    "check_indicators",
    "check_numbers",
    "check_observations",
    "check_plans",
    "check_regions",
    "check_schema",
    "check_targets",
    "plan_counters",
    "read_table",
]


def _schema(table: Table, foreign: Mapping[str, Iterable[str]]) -> pa.DataFrameSchema:
    """The table's pandera model, with each reference limited to the ids read from the table it names."""
    import pandera.pandas as pa  # imported here: reading cached, already validated data never needs it

    schema = table.model().to_schema()
    for name, ids in foreign.items():
        checks = [*schema.columns[name].checks, pa.Check.isin(sorted(set(ids)), error="foreign_key")]
        schema = schema.update_column(name, checks=checks)
    return schema


#: ids a message about an unknown id names (the table it refers to lists them all)
SHOWN_IDS = 8


def _file_of(table: str | None) -> str:
    from .schema import TABLES

    return TABLES[table].file if table else "its table"


Said = tuple[str, str, dict[str, object]]  # what is expected in English, its catalogue code and the code's values


def _expected_text(check: str, column: str, table: Table, foreign: Mapping[str, Iterable[str]]) -> Said:
    col = table.columns[column]
    if check.startswith(("coerce_dtype", "dtype")):
        if col.type == "int":
            return "expected a whole number (a year)", "schema_year", {}
        return "expected a number", "schema_number", {}
    if check == "not_nullable":
        return "required value is empty", "schema_required", {}
    if check == "foreign_key":
        valid = sorted(set(foreign[column]))
        if len(valid) > SHOWN_IDS:  # a long list once per bad row would drown the rest
            first, n, file = ", ".join(valid[:SHOWN_IDS]), f"{len(valid):,}", _file_of(col.references)
            named = f"{first} … ({n} in all, see {file})"
            return f"unknown {column}: valid values are {named}", "schema_unknown_id_many", {
                "column": column, "ids": first, "n": n, "file": file}
        named = ", ".join(valid)
        return f"unknown {column}: valid values are {named}", "schema_unknown_id", {"column": column, "ids": named}
    if check.startswith("isin("):
        allowed = ", ".join(col.allowed)
        return f"expected one of {allowed}", "schema_allowed", {"allowed": allowed}
    if check.startswith("in_range("):
        first, last = YEAR_RANGE
        return f"expected a year between {first} and {last}", "schema_year_range", {"first": first, "last": last}
    return f"failed check {check}", "schema_check", {"check": check}


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
    reported: dict[str, list[int]] = {}
    for column, line in seen:
        reported.setdefault(column, []).append(line)
    for column, lines in reported.items():  # reported already: pandera need not try each of them again
        work.loc[work.index.isin(lines), column] = None
    try:
        _schema(table, foreign).validate(work, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _failures(err.failure_cases, df, table, foreign, seen)
    return _coerce(df, table), problems


def _failures(
    cases: pd.DataFrame,
    df: pd.DataFrame,
    table: Table,
    foreign: Mapping[str, Iterable[str]],
    seen: set[tuple[str, int]],
) -> list[Problem]:
    """pandera's failure cases as problems: one per cell (the first check it fails), none for a cell in ``seen``.

    Grouped by column and check, so that a file of 100,000 bad rows costs one pass, not a
    lookup of the frame per failure.
    """
    lines = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.assign(_at=lines)[lines.notna() & cases["column"].isin(list(table.columns))]
    cases = cases.assign(_at=cases["_at"].astype(int)).drop_duplicates(["column", "_at"], keep="first")
    position = pd.Series(range(len(df)), index=df["_line"].astype(int).to_numpy())
    position = position[~position.index.duplicated()]
    out = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        column = str(column)
        expected, code, params = _expected_text(str(check), column, table, foreign)
        at = position.reindex(group["_at"].to_numpy()).to_numpy()
        values = df[column].to_numpy()
        for line, i in zip(group["_at"].tolist(), at.tolist(), strict=True):
            if (column, line) in seen:
                continue
            seen.add((column, line))
            raw = None if i != i else values[int(i)]  # i != i: NaN, a line not in the frame
            shown = "" if raw is None or raw != raw else str(raw)  # an empty cell, not 'nan'
            out.append(coded(table.file, line, column, shown, expected, code, **params))
    return out


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
            code = "schema_year" if col.type == "int" else "schema_number"
            try:
                float(str(cell))
                expected += ", written with the digits 0-9 and a decimal point only (not 8_0, inf or nan)"
                code += "_plain"
            except ValueError:
                pass
            problems.append(coded(table.file, int(line), name, str(cell), expected, code))
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


def check_duplicates(df: pd.DataFrame, table: Table) -> list[Problem]:
    """Every row whose key repeats an earlier row."""
    problems = []
    first: dict[tuple[object, ...], int] = {}
    for rec in df.to_dict("records"):
        key = tuple(rec[k] if _is(rec[k]) else None for k in table.key)
        if key in first:
            problems.append(
                coded(
                    table.file,
                    rec["_line"],
                    "+".join(table.key),
                    "/".join("" if k is None else str(k) for k in key),
                    f"duplicate row: the same key is already on line {first[key]}",
                    "duplicate_key",
                    line=first[key],
                )
            )
        else:
            first[key] = rec["_line"]
    return problems
