"""The entry form's own checks: one message per faulty field, before anything touches the data folder."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

import pandas as pd

from ..importer import units_for
from ..importer.check import plan_units
from ..params import ParameterError, check_indicator, check_region, default_plan
from ..provenance import numbers_in_quote, squash
from ..quoted import quote_mismatch
from ..tables import PlanData
from ..units import allowed_counters
from ..values import ascii_digits, parse_number
from ..vocabulary import TIERS, YEAR_RANGE

#: form fields, in the order the panel shows them
FIELDS = ("year", "value", "unit", "quote", "source", "title", "issuer", "date", "url", "tier", "note")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://\S+\.\S+$")
ENTERED = "entered with the exploration notebook (05_explore)"


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


def check_entry(data: PlanData, entry: Entry, complete: bool = True, replace: bool = False) -> dict[str, str]:
    """Messages per field; empty when the entry can be used.

    ``complete=False`` checks only what a preview needs (year, value, unit); saving needs
    the quote and the source too.
    """
    msgs: dict[str, str] = {}
    try:
        check_region(data, entry.region)
        check_indicator(data, entry.indicator)
    except ParameterError as err:
        return {"indicator": str(err)}
    year = year_of(entry)
    if year is None:
        msgs["year"] = f"年份应为整数，而不是 {entry.year!r}"
    elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        msgs["year"] = f"年份应在 {YEAR_RANGE[0]}—{YEAR_RANGE[1]} 之间"
    elif year > datetime.date.today().year:
        msgs["year"] = f"{year} 年尚未到来（今年是 {datetime.date.today().year} 年），不能有实际值"
    start = period_start(data, entry)
    if year is not None and start is not None and year < start:
        msgs["year"] = f"该指标为规划期累计量（自 {start} 年起累计），年份应不早于 {start} 年"
    value = value_of(entry)
    if value is None:
        msgs["value"] = f"数值应为数字（如 21.5 或 12,300），而不是 {entry.value!r}"
    units = units_for(data, entry.indicator)
    if entry.unit not in units:
        msgs["unit"] = f"单位应为 {'、'.join(u or '（无）' for u in units)} 之一"
    if year is not None and "year" not in msgs and not replace:
        old = existing_row(data, entry)
        if old is not None:
            msgs["year"] = (
                f"observations.csv 第 {old['_line']} 行已有 {year} 年的数值 "
                f"{old['value']:g}{old['unit_as_written'] or ''}（来源 {old['source_id']}）；"
                "不会覆盖，如需替换请勾选“替换已有数值”"
            )
    if not complete:
        return msgs
    quote = entry.quote.strip()
    if not quote:
        msgs["quote"] = "请粘贴数值所在的原文句子（逐字）"
    elif value is not None and "unit" not in msgs:
        found = quote_mismatch(value, entry.unit, quote, units, allowed_counters(plan_units(data, entry.indicator)))
        if found is not None and found.write_unit:  # the same check as the import's, which the save runs again
            msgs["unit"] = f"原文写的是“{found.quoted}”：单位应为 {found.write_unit}"
        elif found is not None and found.code != "missing":
            msgs["quote"] = f"原文写的是“{found.quoted}”，与数值 {value:g}{entry.unit} 不符"
        elif found is not None:
            msgs["quote"] = f"原文中找不到数值 {value:g}：请按原文的单位填写数值"
    elif value is not None and not any(math.isclose(value, f, rel_tol=1e-9) for f in numbers_in_quote(quote)):
        msgs["quote"] = f"原文中找不到数值 {value:g}：请按原文的单位填写数值"
    if entry.source_id:
        src = data.sources[data.sources["source_id"] == entry.source_id]
        if src.empty:
            msgs["source"] = f"sources.csv 中没有来源 {entry.source_id!r}"
        elif src.iloc[0]["raw_file"] and quote:
            raw = data.data_dir / "raw" / str(src.iloc[0]["raw_file"])
            if raw.is_file() and squash(quote) not in squash(raw.read_text(encoding="utf-8")):
                msgs["quote"] = f"该来源的原文（{src.iloc[0]['raw_file']}）中找不到这段文字"
    else:
        for name, label in (("title", "标题"), ("issuer", "发布单位")):
            if not getattr(entry, name).strip():
                msgs[name] = f"新来源需要{label}"
        if not _DATE.match(entry.date.strip()):
            msgs["date"] = "日期格式为 YYYY、YYYY-MM 或 YYYY-MM-DD"
        if not _URL.match(entry.url.strip()):
            msgs["url"] = "请填写以 http:// 或 https:// 开头的网址"
        if entry.tier not in TIERS:
            msgs["tier"] = "请选择来源等级：A 政府网站或统计公报，B 国家通讯社或中央媒体，C 可识别原始出处的转载"
    return msgs
