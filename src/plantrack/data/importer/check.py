"""Checking one row of an import alone: ids, year, number, unit, quote and source (or a new citation)."""

from __future__ import annotations

import datetime
import re

from .. import values as number_text
from ..provenance import COVERS, NOT_IN_QUOTE, missing_number_reason
from ..reading import FORMULA_MESSAGE, formula_like
from ..tables import PlanData
from ..units import UNIT_FACTORS, WRITTEN_ONLY, compatible
from ..vocabulary import TIERS, VALUE_QUALIFIERS, YEAR_RANGE
from .sheet import COLUMNS, RowProblem, SheetRow

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


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


def key_of(row: dict[str, str]) -> tuple[str, ...]:
    """What makes two observations the same number: region, indicator, year, period, series, part of year."""
    names = ("region_id", "indicator_id", "year", "period_start", "series", "covers")
    return tuple(row.get(k, "") or "" for k in names)


def check_row(data: PlanData, r: SheetRow, today: datetime.date) -> list[RowProblem]:
    out: list[RowProblem] = []

    def bad(column: str, expected: str) -> None:
        out.append(RowProblem(r.sheet, r.row, r.label(column), r.get(column), expected))

    for column in COLUMNS:  # nothing a spreadsheet would run reaches observations.csv or sources.csv
        if formula_like(r.get(column)):
            bad(column, FORMULA_MESSAGE.format(start=repr(r.get(column)[0])))
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
    elif value is not None and (missing := missing_number_reason(value, quote)):
        as_written = "the number as the quote writes it (the quote does not contain it)"
        bad("value", as_written if missing == NOT_IN_QUOTE else missing)
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
