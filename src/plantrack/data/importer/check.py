"""Checking one row of an import alone: ids, year, number, unit, quote and source (or a new citation)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from .. import values as number_text
from ..provenance import COVERS, NOT_IN_QUOTE, missing_number_reason, quote_issues, quote_problem
from ..quoted import quote_mismatch
from ..reading import FORMULA_MESSAGE, formula_like
from ..tables import PlanData
from ..units import SCALES, allowed_counters, factor, normalise_unit, offered_units
from ..values import decimal_text as plain_number
from ..vocabulary import QUOTE_ISSUES, TIERS, VALUE_QUALIFIERS, YEAR_RANGE
from .sheet import COLUMNS, RowProblem, SheetRow

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def units_for(data: PlanData, indicator: str) -> list[str]:
    """Units a value of ``indicator`` may be written in: its catalogue unit first, then the unit table's
    units of the same kind, and the counters its plans write (个 where a plan writes 个)."""
    return offered_units(str(data.indicator(indicator)["unit"] or ""), plan_units(data, indicator))


def plan_units(data: PlanData, indicator: str) -> list[str]:
    """The units the plans write for ``indicator`` (targets' ``unit_as_written``)."""
    t = data.targets
    return sorted({str(u or "") for u in t.loc[t["indicator_id"] == indicator, "unit_as_written"]})


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


def key_of(row: dict[str, str]) -> tuple[str, ...]:
    """What makes two observations the same number: region, indicator, year, period, series, part of year."""
    names = ("region_id", "indicator_id", "year", "period_start", "series", "covers")
    return tuple(row.get(k, "") or "" for k in names)


#: thousands grouped by a point, a space or an apostrophe (12.300.000, 12 300, 1'234,5), or a decimal comma (21,5)
_SEPARATED = re.compile(r"^[0-9]{1,3}(?:[.\s'’ ][0-9]{3})+(?:,[0-9]+)?$|^[0-9]+,[0-9]{1,2}$")
_NUMBER_FIRST = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*(.+)$")


def value_fix(text: str, units: list[str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Why ``text`` is not a value and what to write instead: ``(code, params)`` of a ``problem.`` entry.

    Recognises the common mistakes: a unit or a scale typed into the value (1.05万, 80件, 78%), a
    thousands separator of another locale (12.300.000, 12 300, 1.234,5), full-width characters.
    """
    plain = unicodedata.normalize("NFKC", text).strip()
    number = parse_number(plain)
    if number is not None:
        return "value_fullwidth", (("number", plain_number(number)),)
    if _SEPARATED.match(plain):
        grouped = re.sub(r"[.\s'’ ](?=[0-9]{3}(?![0-9]))", "", plain)
        if "," in grouped and "." not in grouped:
            grouped = grouped.replace(",", ".")
        fixed = parse_number(grouped)
        if fixed is not None:
            return "value_separator", (("number", plain_number(fixed)),)
    m = _NUMBER_FIRST.match(plain)
    if not m:
        return "value_invalid", ()
    written, tail = float(m.group(1)), m.group(2).strip()
    shown = plain_number(written)
    if tail == "%":
        return ("value_percent", (("number", shown),)) if "%" in units else ("value_unit", (("number", shown),
                                                                                             ("unit", "%")))
    if tail in SCALES:
        own = units[0] if units else ""
        base = own.removeprefix(next((s for s in sorted(SCALES, key=len, reverse=True) if own.startswith(s)), ""))
        scaled = tail + base
        if scaled in units:
            return "value_scale", (("scale", tail), ("number", shown), ("unit", scaled))
        norm = normalise_unit(scaled)
        if norm is not None and own and norm[0] == normalise_unit(own)[0]:  # type: ignore[index]
            converted = written * norm[1] / factor(own)
            return "value_scale_convert", (("scale", tail), ("converted", plain_number(converted)), ("unit", own))
        return "value_invalid", ()
    if normalise_unit(tail) is not None:
        return "value_unit", (("number", shown), ("unit", tail))
    return "value_invalid", ()


def check_row(data: PlanData, r: SheetRow, today: datetime.date) -> list[RowProblem]:
    """The problems of one row alone, each with its catalogue code and what to write instead."""
    out: list[RowProblem] = []

    def bad(column: str, expected: str, code: str = "", **params: object) -> None:
        args = tuple((k, str(v)) for k, v in params.items())
        out.append(RowProblem(r.sheet, r.row, r.label(column), r.get(column), expected, code, args))

    for column in COLUMNS:  # nothing a spreadsheet would run reaches observations.csv or sources.csv
        if formula_like(r.get(column)):
            start = repr(r.get(column)[0])
            bad(column, FORMULA_MESSAGE.format(start=start), "cell_formula", start=start)
    region, indicator = r.get("region_id"), r.get("indicator_id")
    if region not in set(data.region_ids()):
        ids = ", ".join(data.region_ids())
        bad("region_id", f"a region id: {ids}", "region_unknown", ids=ids)
    if indicator not in data.lookup.indicators:
        bad("indicator_id", "an indicator id of indicators.csv (the template's drop-down list)", "indicator_unknown")
    year_text = unicodedata.normalize("NFKC", r.get("year")).strip()
    year = int(year_text) if re.fullmatch(r"[0-9]{4}", year_text) else None
    if year is None:
        suffixed = re.fullmatch(r"([0-9]{4})\s*年度?", year_text)
        if suffixed:
            bad("year", f"a year is digits only: write {suffixed.group(1)} (without 年)", "year_suffix",
                year=suffixed.group(1))
        else:
            bad("year", "a four-digit year such as 2023", "year_invalid")
    elif not YEAR_RANGE[0] <= year <= today.year:
        bad("year", f"a year from {YEAR_RANGE[0]} to {today.year}", "year_range", first=YEAR_RANGE[0], last=today.year)
    value = parse_number(r.get("value"))
    units = units_for(data, indicator) if indicator in data.lookup.indicators else []
    if value is None:
        code, params = value_fix(r.get("value"), units)
        bad("value", "a number such as 21.5 or 12,300, in the unit the source writes", code, **dict(params))
    qualifier = r.get("qualifier") or "exact"
    if qualifier not in VALUE_QUALIFIERS:
        names = ", ".join(VALUE_QUALIFIERS)
        bad("qualifier", f"one of {names} (empty: exact)", "qualifier_unknown", qualifiers=names)
    if indicator in data.lookup.indicators:
        if r.get("unit") not in units:
            listed = ", ".join(u or "(no unit: leave empty)" for u in units)
            bad("unit", "one of " + listed, "unit_not_offered", units=listed)
        total = data.indicator(indicator)["measure"] == "period_total"
        start = r.get("period_start")
        if start and not total:
            bad("period_start", f"empty: {indicator} is measured at one year", "period_start_not_total",
                indicator=indicator)
        elif start and (not re.fullmatch(r"\d{4}", start) or (year is not None and int(start) > year)):
            bad("period_start", "the first year of the period, not after the year", "period_start_invalid")
    covers = r.get("covers")
    if covers and not COVERS.match(covers):
        bad("covers", "empty for a whole year, else YYYY-MM or YYYY-MM..YYYY-MM (2025-01..2025-09)", "covers_invalid")
    quote = r.get("quote")
    issues = quote_issues(r.get("quote_issue"))
    unknown = [c for c in issues if c not in QUOTE_ISSUES]
    if unknown:
        codes = ", ".join(QUOTE_ISSUES)
        bad("quote_issue", f"one of {codes}, several separated by ;", "quote_issue_unknown", codes=codes)
    elif issues and not r.get("note"):
        bad("note", "a quote with an issue says what is wrong in note", "quote_issue_note")
    if not quote:
        bad("quote", "the sentence the value comes from, copied word for word", "quote_missing")
    elif value is not None and (missing := missing_number_reason(value, quote)):
        if missing == NOT_IN_QUOTE:
            bad("value", "the number as the quote writes it (the quote does not contain it)", "quote_absent")
        else:
            bad("value", missing, "quote_sign", value=plain_number(-value))
    elif value is not None and indicator in data.lookup.indicators and r.get("unit") in units:
        counters = allowed_counters(plan_units(data, indicator))
        found = quote_mismatch(value, r.get("unit"), quote, units, counters)
        if found is not None and found.code != "missing":  # a number read from Chinese numerals: as written
            p = quote_problem("", r.row, "value", value, r.get("unit"), found)
            bad("unit" if p.column == "unit_as_written" else "value", p.expected, p.code, **dict(p.params))
    if r.get("source_id"):
        if r.get("source_id") not in set(data.sources["source_id"]):
            bad("source_id", "a source id of sources.csv, or empty for a new source", "source_unknown")
    else:
        for c, what, code in (("source_title", "the title of the source", "title_missing"),
                              ("issuer", "who published it", "issuer_missing")):
            if not r.get(c):
                bad(c, f"{what} (a new source needs title, issuer, date, address and tier)", code)
        if not _DATE.match(r.get("date")):
            bad("date", "the date of publication: YYYY, YYYY-MM or YYYY-MM-DD", "date_invalid")
        if not _URL.match(r.get("source_url")):
            bad("source_url", "the address the text was found at, starting with http:// or https://", "url_invalid")
        if r.get("tier") not in TIERS:
            bad("tier", "A (official site or bulletin), B (national news agency or state medium) or C (a copy)",
                "tier_invalid")
        retrieved = r.get("retrieved")
        if retrieved and (not _DAY.match(retrieved) or retrieved > today.isoformat()):
            bad("retrieved", f"the day the text was retrieved, YYYY-MM-DD, not after {today.isoformat()}",
                "retrieved_invalid", today=today.isoformat())
    return out
