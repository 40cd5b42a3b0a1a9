"""The entry form's own checks: one message per faulty field, before anything touches the data folder."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..importer import units_for
from ..params import ParameterError, check_indicator, check_region, default_plan
from ..provenance import numbers_in_quote, squash
from ..tables import PlanData
from ..values import ascii_digits, parse_number
from ..vocabulary import TIERS, YEAR_RANGE

#: form fields, in the order the panel shows them
FIELDS = ("year", "value", "unit", "quote", "source", "title", "issuer", "date", "url", "tier", "note")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://\S+\.\S+$")
ENTERED = "entered with the exploration notebook (05_explore)"

#: words a check's message: ``say(key, **values)``, ``key`` one of ``[entry_check]`` in the catalogues
Say = Callable[..., str]


def coded(key: str, **values: object) -> str:
    """A message as its catalogue key and values (the form passes the words of its language instead)."""
    shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
    return f"{key} ({shown})" if shown else key


@dataclass(frozen=True)
class Entry:
    """A newer actual value as typed into the form (text fields stay text until checked)."""

    region: str
    indicator: str
    year: str | int
    value: str | float
    unit: str
    quote: str = ""
    source_id: str = ""  # an existing source; empty: a new one from title, issuer, date and url
    title: str = ""
    issuer: str = ""
    date: str = ""
    url: str = ""
    note: str = ""
    tier: str = ""  # A official site or bulletin, B national news agency or state medium, C an identified copy


class EntryError(ValueError):
    """The entry cannot be used; ``messages`` maps form fields to what is wrong."""

    def __init__(self, messages: dict[str, str]) -> None:
        self.messages = messages
        super().__init__("; ".join(f"{k}: {v}" for k, v in messages.items()))


@dataclass(frozen=True)
class Saved:
    """Where a saved entry went."""

    line: int  # line of observations.csv holding the value
    replaced: str | None  # the row it replaced, as it was, if any
    source_id: str
    new_source: bool


def period_start(data: PlanData, entry: Entry) -> int | None:
    """First year of the period for totals over a plan period (the current plan's start), else None."""
    if data.indicator(entry.indicator)["measure"] != "period_total":
        return None
    plan = data.lookup.plans[default_plan(data, entry.region)]
    return int(plan["start_year"])  # type: ignore[call-overload]


def year_of(entry: Entry) -> int | None:
    """The year typed (full-width digits too), or None when it is not a four-digit year."""
    text = ascii_digits(str(entry.year).strip())
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def value_of(entry: Entry) -> float | None:
    """The value typed: digits 0-9 (full-width ones too) with thousands separators; never 8_0, inf or nan."""
    return parse_number(re.sub(r"(?<=[0-9０-９])[,，](?=[0-9０-９]{3})", "", str(entry.value).strip()))


def existing_row(data: PlanData, entry: Entry) -> dict[str, object] | None:
    """The observation already stored for this region, indicator, year (and period), if any."""
    year, start = year_of(entry), period_start(data, entry)
    for r in data.lookup.observations.get((entry.region, entry.indicator), []):
        stored = None if pd.isna(r["period_start"]) else int(r["period_start"])  # type: ignore[call-overload]
        if r["year"] == year and stored == start:
            return r
    return None


def check_entry(
    data: PlanData, entry: Entry, complete: bool = True, replace: bool = False, say: Say = coded
) -> dict[str, str]:
    """Messages per field; empty when the entry can be used.

    ``complete=False`` checks only what a preview needs (year, value, unit); saving needs
    the quote and the source too. ``say`` words each message (the explorer passes the catalogue's).
    """
    msgs: dict[str, str] = {}
    try:
        check_region(data, entry.region)
        check_indicator(data, entry.indicator)
    except ParameterError as err:
        return {"indicator": str(err)}
    year = year_of(entry)
    this_year = datetime.date.today().year
    if year is None:
        msgs["year"] = say("year_not_integer", typed=repr(entry.year))
    elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        msgs["year"] = say("year_range", first=YEAR_RANGE[0], last=YEAR_RANGE[1])
    elif year > this_year:
        msgs["year"] = say("year_future", year=year, this_year=this_year)
    start = period_start(data, entry)
    if year is not None and start is not None and year < start:
        msgs["year"] = say("year_before_period", start=start)
    value = value_of(entry)
    if value is None:
        msgs["value"] = say("value_not_number", typed=repr(entry.value))
    units = units_for(data, entry.indicator)
    if entry.unit not in units:
        msgs["unit"] = say("unit_not_offered", units=tuple(units))
    if year is not None and "year" not in msgs and not replace:
        old = existing_row(data, entry)
        if old is not None:
            msgs["year"] = say(
                "year_exists",
                line=old["_line"],
                year=year,
                value=f"{old['value']:g}",
                unit=old["unit_as_written"] or "",
                source=old["source_id"],
            )
    if not complete:
        return msgs
    quote = entry.quote.strip()
    if not quote:
        msgs["quote"] = say("quote_missing")
    elif value is not None and not any(math.isclose(value, f, rel_tol=1e-9) for f in numbers_in_quote(quote)):
        msgs["quote"] = say("quote_without_value", value=f"{value:g}")
    if entry.source_id:
        src = data.sources[data.sources["source_id"] == entry.source_id]
        if src.empty:
            msgs["source"] = say("source_unknown", source=repr(entry.source_id))
        elif src.iloc[0]["raw_file"] and quote:
            raw = data.data_dir / "raw" / str(src.iloc[0]["raw_file"])
            if raw.is_file() and squash(quote) not in squash(raw.read_text(encoding="utf-8")):
                msgs["quote"] = say("quote_not_in_source", file=src.iloc[0]["raw_file"])
    else:
        for name in ("title", "issuer"):
            if not getattr(entry, name).strip():
                msgs[name] = say(f"{name}_missing")
        if not _DATE.match(entry.date.strip()):
            msgs["date"] = say("date_format")
        if not _URL.match(entry.url.strip()):
            msgs["url"] = say("url_format")
        if entry.tier not in TIERS:
            msgs["tier"] = say("tier_missing")
    return msgs
