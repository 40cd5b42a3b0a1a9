"""Checks across the columns and rows of typed tables: what a schema cannot say.

Ranges ordered, written text agreeing with its parsed form, units convertible, target years
inside their plan, totals carrying their period, derivations reproducing their value, one
national region, plan periods and the plan before each.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Mapping

import pandas as pd

from .problems import Problem, coded
from .schema import TABLES
from .units import UNIT_FACTORS, UNITS, allowed_counters, compatible, magnitude_of
from .values import ParsedValue, derive, optional_float, parse_value_text, plain_number, same_number
from .values import present as _is


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
                    coded(file, line, name, str(stored), f"does not match {text_col} {text!r}, which reads as {want}",
                        "parsed_kind", text_col=text_col, text=repr(text), want=want)
                )
        elif not same_number(optional_float(stored), want):  # type: ignore[arg-type]
            out.append(
                coded(
                    file,
                    line,
                    name,
                    plain_number(optional_float(stored)),
                    f"does not match {text_col} {text!r}, which gives {plain_number(want)}",
                        "parsed_value", text_col=text_col, text=repr(text), want=plain_number(want))  # type: ignore[arg-type]
            )
    return out


def check_targets(df: pd.DataFrame, plans: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """Ranges ordered, text and parsed columns agreeing, units known, years inside the plan."""
    file = TABLES["targets"].file
    problems: list[Problem] = []
    plan_years = {r["plan_id"]: (r["start_year"], r["end_year"]) for r in plans.to_dict("records")}
    units = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    counters = plan_counters(df)
    for r in df.to_dict("records"):
        line = r["_line"]
        lo, hi = optional_float(r["target_low"]), optional_float(r["target_high"])
        if lo is not None and hi is not None and lo > hi:
            problems.append(
                coded(
                    file,
                    line,
                    "target_low",
                    f"{plain_number(lo)} > {plain_number(hi)}",
                    "range is reversed: target_low must not exceed target_high", "range_reversed")
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
                    coded(
                        file,
                        line,
                        "baseline_year",
                        str(r["baseline_year"]),
                        f"baseline_text {r['baseline_text']!r} names the year {b.year}",
                            "baseline_year_named", text=repr(r['baseline_text']), year=b.year)
                )
        elif _is(r["baseline_value"]):
            problems.append(
                coded(
                    file, line, "baseline_text", "", "baseline_value is set but baseline_text (as written) is empty",
                        "baseline_text_missing")
            )
        if (_is(r["baseline_value"]) or r["baseline_text"]) and not _is(r["baseline_year"]):
            problems.append(coded(file, line, "baseline_year", "", "a baseline needs the year it refers to",
                "baseline_year_missing"))
        if r["actual_text"]:
            problems += _check_written(
                file, line, r, "actual", parse_value_text(r["actual_text"]), ("point", "lower_bound")
            )
        elif _is(r["actual_value"]):
            problems.append(
                coded(file, line, "actual_text", "", "actual_value is set but actual_text (as written) is empty",
                    "actual_text_missing")
            )
        if _is(r["baseline_year"]) and _is(r["target_year"]) and int(r["baseline_year"]) > int(r["target_year"]):
            problems.append(
                coded(
                    file,
                    line,
                    "baseline_year",
                    str(r["baseline_year"]),
                    f"baseline year is after the target year {r['target_year']}",
                        "baseline_after_target", year=r['target_year'])
            )
        span = plan_years.get(r["plan"])
        if span and _is(r["target_year"]) and not (span[0] <= int(r["target_year"]) <= span[1]):
            problems.append(
                coded(
                    file,
                    line,
                    "target_year",
                    str(r["target_year"]),
                    f"outside the plan {r['plan']} ({span[0]}-{span[1]})",
                        "target_year_outside", plan=r['plan'], first=span[0], last=span[1])
            )
        problems += _check_unit(
            file, line, r["unit_as_written"], units.get(r["indicator_id"]), counters.get(r["indicator_id"], set())
        )
    return problems


def plan_counters(targets: pd.DataFrame) -> dict[str, set[str]]:
    """Per indicator, the counters its plans write (个 where a plan writes 个): they may stand for its own."""
    written: dict[str, set[str]] = {}
    for ind, unit in zip(targets["indicator_id"], targets["unit_as_written"].fillna(""), strict=True):
        written.setdefault(str(ind), set()).add(str(unit))
    return {ind: allowed_counters(units) for ind, units in written.items()}


def _check_written(
    file: str, line: int, r: dict, prefix: str, parsed: ParsedValue, numeric_kinds: tuple[str, ...]
) -> list[Problem]:
    """``<prefix>_value`` agrees with ``<prefix>_text``: the parsed number, or empty when the text has none."""
    text_col, value_col = f"{prefix}_text", f"{prefix}_value"
    if parsed.kind in numeric_kinds:
        return _check_parsed(file, line, text_col, r[text_col], {f"{value_col}:value": r[value_col]}, parsed)
    if _is(r[value_col]):
        return [
            coded(
                file,
                line,
                value_col,
                plain_number(optional_float(r[value_col])),
                f"{text_col} {r[text_col]!r} has no number, so {value_col} must be empty",
                    "written_no_number", text_col=text_col, text=r[text_col], value_col=value_col)
        ]
    return []


def _check_unit(
    file: str, line: int, written: str | None, catalogue: str | None, counters: Collection[str]
) -> list[Problem]:
    written = written or ""
    if written not in UNIT_FACTORS:
        known = ", ".join(u for u in UNIT_FACTORS if u)
        return [
            Problem(
                file,
                line,
                "unit_as_written",
                written,
                f"unknown unit; known units are {known}",
                "unit_unknown",
                (("units", known),),
            )
        ]
    if catalogue is not None and not compatible(written, catalogue or "", counters):
        return [
            Problem(
                file,
                line,
                "unit_as_written",
                written,
                f"cannot be converted to the indicator's unit {catalogue!r}: is this the same indicator?",
                "unit_incompatible",
                (("unit", catalogue or ""),),
            )
        ]
    return []


def check_observations(
    df: pd.DataFrame, indicators: pd.DataFrame, counters: Mapping[str, Collection[str]] | None = None
) -> list[Problem]:
    """Periods ordered, totals carrying their period, derivations reproducing the value, units convertible.

    ``counters``: per indicator, the counters its plans write (:func:`plan_counters`); without it,
    no counter stands for another.
    """
    file = TABLES["observations"].file
    counters = counters or {}
    problems: list[Problem] = []
    measures = dict(zip(indicators["indicator_id"], indicators["measure"], strict=True))
    units = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    this_year = datetime.date.today().year
    for r in df.to_dict("records"):
        line = r["_line"]
        if _is(r["year"]) and int(r["year"]) > this_year:
            problems.append(
                coded(file, line, "year", str(r["year"]), f"after the current year ({this_year}): not yet observable",
                    "year_future", year=this_year)
            )
        if _is(r["period_start"]) and _is(r["year"]) and int(r["period_start"]) > int(r["year"]):
            problems.append(
                coded(
                    file, line, "period_start", str(r["period_start"]), f"period starts after it ends ({r['year']})",
                        "period_reversed", year=r['year'])
            )
        measure = measures.get(r["indicator_id"])
        if measure == "period_total" and not _is(r["period_start"]):
            problems.append(
                coded(
                    file,
                    line,
                    "period_start",
                    "",
                    f"{r['indicator_id']} is a total over a period: give the first year of the period",
                        "period_start_missing", indicator=r['indicator_id'])
            )
        if measure not in (None, "period_total") and _is(r["period_start"]):
            problems.append(
                coded(
                    file,
                    line,
                    "period_start",
                    str(r["period_start"]),
                    f"{r['indicator_id']} is a {measure}, measured at one year: leave period_start empty",
                        "period_start_level", indicator=r['indicator_id'], measure=measure)
            )
        derived_cols = ("derived_from", "growth_phrase", "growth_number", "derivation")
        if r["method"] == "derived":
            for c in derived_cols:
                if not _is(r[c]):
                    problems.append(
                        coded(
                            file,
                            line,
                            c,
                            "",
                            "a derived value needs derived_from, growth_phrase, growth_number and derivation",
                                "derived_columns")
                    )
            if all(_is(r[c]) for c in derived_cols[:3]) and _is(r["value"]):
                try:
                    want = derive(r["growth_phrase"], float(r["derived_from"]), float(r["growth_number"]))
                except (ValueError, ZeroDivisionError):
                    want = None
                if want is not None and not math.isclose(want, float(r["value"]), rel_tol=1e-3):
                    problems.append(
                        coded(
                            file,
                            line,
                            "value",
                            plain_number(float(r["value"])),
                            f"does not follow from the derivation: expected {want:.4g}",
                                "derivation_value", want=f'{want:.4g}')
                    )
        elif r["method"] == "stated":
            for c in derived_cols[:3]:
                if _is(r[c]):
                    problems.append(coded(file, line, c, str(r[c]), "only derived values carry derivation columns",
                        "derivation_stated"))
        problems += _check_unit(
            file, line, r["unit_as_written"], units.get(r["indicator_id"]), counters.get(r["indicator_id"], ())
        )
    return problems


#: relation → (measure of the indicator, measure of the one it is computed from)
RELATION_MEASURES = {
    "sum_of_flow": (("period_total",), ("annual_flow",)),
    "difference_of_stock": (("period_total",), ("stock",)),
    "per_10k": (("stock", "annual_flow"), ("stock", "annual_flow")),
}


def _check_relation(r: dict, measures: dict[str, str]) -> list[Problem]:
    """A declared relation names its operand(s), fits the measures, says whether definitions match and why."""
    file, line, relation = TABLES["indicators"].file, r["_line"], r.get("relation")
    if not relation:
        filled = [c for c in ("relation_of", "relation_per", "relation_definitions") if r.get(c)]
        return [coded(file, line, c, str(r[c]), "set only with a relation", "relation_only") for c in filled]
    out = []
    for col in ("relation_of", "relation_definitions", "relation_rationale"):
        if not r.get(col):
            out.append(coded(file, line, col, "", f"required with relation {relation}",
                "relation_column_missing", relation=relation))
    if relation == "per_10k" and not r.get("relation_per"):
        out.append(coded(file, line, "relation_per", "", "per_10k needs the population indicator",
            "relation_per_missing"))
    own, theirs = RELATION_MEASURES[relation]
    if r["measure"] not in own:
        out.append(coded(file, line, "measure", r["measure"], f"{relation} computes a {' or '.join(own)}",
            "relation_measure", relation=relation, measures=' / '.join(own)))
    other = measures.get(r.get("relation_of") or "")
    if other is not None and other not in theirs:
        out.append(coded(file, line, "relation_of", r["relation_of"], f"{relation} needs a {' or '.join(theirs)}",
            "relation_of_measure", relation=relation, measures=' / '.join(theirs)))
    return out


#: measures that are rates, shares or scores whatever their unit: never an absolute amount
RELATIVE_MEASURES = ("share", "rate", "score", "annual_growth_rate")
#: words of a name that count per person or per firm (万人…, 每万人口…, 万企…, 人均…): a relative magnitude
PER_HEAD_WORDS = ("万人", "每万", "万企", "人均")


def _check_magnitude(r: dict) -> list[Problem]:
    """An indicator's magnitude (its own or its unit's) fits its unit, its measure, its relation and its name."""
    file, line = TABLES["indicators"].file, r["_line"]
    declared, unit = r.get("magnitude"), r.get("unit") or ""
    unit_row = UNITS.get(unit)
    if unit_row is None:
        return []  # an unknown unit is reported by the unit checks
    resolved = magnitude_of(r)
    out = []
    if declared == "absolute" and unit_row.magnitude == "relative":
        out.append(Problem(file, line, "magnitude", "absolute", f"a value in {unit or 'no unit'} is never an absolute "
                           "amount: write relative or leave it empty", code="magnitude_unit", params=(("unit", unit),)))
        return out
    if resolved == "absolute" and (r["measure"] in RELATIVE_MEASURES or r.get("relation") == "per_10k"):
        what = r.get("relation") if r.get("relation") == "per_10k" else r["measure"]
        out.append(Problem(file, line, "magnitude", declared or "", f"a {what} is relative: write relative",
                           code="magnitude_relative", params=(("what", str(what)),)))
    if resolved == "relative" and r["measure"] == "period_total":
        out.append(Problem(file, line, "magnitude", declared or "", "a total over a plan period is an absolute amount",
                           code="magnitude_total"))
    name = str(r["name_zh"]).replace("万人次", "")  # 万人次 is a unit written in a name, not per 10 000 people
    named = next((word for word in PER_HEAD_WORDS if word in name), None)
    if named and not declared and resolved == "absolute" and r["measure"] != "period_total":
        out.append(Problem(file, line, "magnitude", "", f"the name says {named} (per person or per firm): write "
                           "relative, or absolute if it counts all", code="magnitude_per_head",
                           params=(("word", named),)))
    return out


def check_indicators(df: pd.DataFrame) -> list[Problem]:
    """Every id in ``not_comparable_with`` exists in the catalogue; relations fit the measures they join; the
    magnitude (absolute or relative, declared or the unit's) fits the unit, measure and name."""
    ids = set(df["indicator_id"])
    measures = dict(zip(df["indicator_id"], df["measure"], strict=True))
    problems = []
    for r in df.to_dict("records"):
        if "relation" in r:
            problems += _check_relation(r, measures)
        problems += _check_magnitude(r)
        for other in filter(None, (r["not_comparable_with"] or "").split(";")):
            if other.strip() not in ids:
                problems.append(
                    coded(TABLES["indicators"].file, r["_line"], "not_comparable_with", other, "unknown indicator_id",
                        "indicator_unknown_id")
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
                coded(file, r["_line"], "parent_id", "", "every region below the national level needs a parent",
                    "parent_missing")
            )
        seen, cur = set(), r["region_id"]
        while cur:
            if cur in seen:
                problems.append(coded(file, r["_line"], "parent_id", str(r["parent_id"]), "parents form a cycle",
                    "parent_cycle"))
                break
            seen.add(cur)
            cur = parents.get(cur)
    return problems


def check_plans(df: pd.DataFrame) -> list[Problem]:
    """A plan starts before it ends."""
    return [
        coded(
            TABLES["plans"].file,
            r["_line"],
            "start_year",
            str(r["start_year"]),
            f"plan starts after it ends ({r['end_year']})", "plan_reversed", end=r['end_year'])
        for r in df.to_dict("records")
        if _is(r["start_year"]) and _is(r["end_year"]) and r["start_year"] > r["end_year"]
    ]

