"""Adding a newer actual value to ``observations.csv``, checked like every other row.

A researcher gives the year, the value with its unit, the sentence it comes from and its
source: an existing row of ``sources.csv`` or a new citation (title, issuer, date, URL).
:func:`check_entry` returns one message per faulty field; :func:`preview` returns the data
with the value added in memory (the projection can use it at once); :func:`save_entry`
validates the whole dataset with the new row in place and only then replaces the files,
each atomically, through the same checks and the same locked writer as ``plantrack import``
(:mod:`plantrack.data.importer`). A value for a year that already has one is refused unless
``replace`` is asked for, and the replaced line is reported.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .importer import SheetRow, WriteConflict, import_rows, units_for
from .params import ParameterError, check_indicator, check_region, default_plan
from .problems import Problem
from .provenance import numbers_in_quote, squash
from .schema import TIERS, YEAR_RANGE
from .tables import PlanData, load
from .units import factor
from .values import ascii_digits, parse_number

#: form fields, in the order the panel shows them
FIELDS = ("year", "value", "unit", "quote", "source", "title", "issuer", "date", "url", "tier", "note")

#: column of observations.csv / sources.csv → form field its problems are shown next to
COLUMN_FIELDS = {
    "year": "year",
    "period_start": "year",
    "value": "value",
    "unit_as_written": "unit",
    "quote": "quote",
    "source_id": "source",
    "locator": "source",
    "title": "title",
    "issuer": "issuer",
    "date": "date",
    "url": "url",
    "tier": "tier",
    "retrieved": "date",
    "note": "note",
}
#: column of the import template → form field
IMPORT_FIELDS = {
    "region_id": "indicator",
    "indicator_id": "indicator",
    "year": "year",
    "period_start": "year",
    "covers": "year",
    "value": "value",
    "qualifier": "value",
    "unit": "unit",
    "quote": "quote",
    "source_id": "source",
    "source_title": "title",
    "issuer": "issuer",
    "date": "date",
    "retrieved": "date",
    "source_url": "url",
    "tier": "tier",
    "note": "note",
}

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


def _year(entry: Entry) -> int | None:
    text = ascii_digits(str(entry.year).strip())
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def _value(entry: Entry) -> float | None:
    """The value typed: digits 0-9 (full-width ones too) with thousands separators; never 8_0, inf or nan."""
    return parse_number(re.sub(r"(?<=[0-9０-９])[,，](?=[0-9０-９]{3})", "", str(entry.value).strip()))


def existing_row(data: PlanData, entry: Entry) -> dict[str, object] | None:
    """The observation already stored for this region, indicator, year (and period), if any."""
    year, start = _year(entry), period_start(data, entry)
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
    year = _year(entry)
    if year is None:
        msgs["year"] = f"年份应为整数，而不是 {entry.year!r}"
    elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        msgs["year"] = f"年份应在 {YEAR_RANGE[0]}—{YEAR_RANGE[1]} 之间"
    elif year > datetime.date.today().year:
        msgs["year"] = f"{year} 年尚未到来（今年是 {datetime.date.today().year} 年），不能有实际值"
    start = period_start(data, entry)
    if year is not None and start is not None and year < start:
        msgs["year"] = f"该指标为规划期累计量（自 {start} 年起累计），年份应不早于 {start} 年"
    value = _value(entry)
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


def _new_source_id(data: PlanData, entry: Entry) -> str:
    base = f"added_{entry.region}_{_year(entry)}"
    taken = set(data.sources["source_id"])
    n = 1
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def _source_title(data: PlanData, source_id: str) -> str:
    titles = dict(zip(data.sources["source_id"], data.sources["title"], strict=True))
    return str(titles.get(source_id) or source_id)


def observation_row(data: PlanData, entry: Entry, source_id: str) -> dict[str, str]:
    """The new row of observations.csv, as text."""
    start = period_start(data, entry)
    value = _value(entry)
    note = f"{entry.note.strip()} ({ENTERED})" if entry.note.strip() else ENTERED
    return {
        "region_id": entry.region,
        "indicator_id": entry.indicator,
        "year": str(_year(entry)),
        "period_start": "" if start is None else str(start),
        "value": f"{value:.15g}" if value is not None else str(entry.value),
        "unit_as_written": entry.unit,
        "value_qualifier": "exact",
        "method": "stated",
        "derived_from": "",
        "growth_phrase": "",
        "growth_number": "",
        "derivation": "",
        "source_id": source_id,
        "locator": entry.title.strip() or _source_title(data, source_id),
        "quote": entry.quote.strip(),
        "note": note,
    }


def preview(data: PlanData, entry: Entry, replace_existing: bool = False) -> PlanData:
    """``data`` with the entry added in memory (nothing written); raises :class:`EntryError`."""
    msgs = check_entry(data, entry, complete=False, replace=replace_existing)
    if msgs:
        raise EntryError(msgs)
    row: dict[str, object] = dict(observation_row(data, entry, entry.source_id or "(preview)"))
    start = period_start(data, entry)
    value = float(_value(entry))  # type: ignore[arg-type]
    row.update(
        year=_year(entry),
        period_start=start,
        value=value,
        derived_from=None,
        growth_number=None,
        growth_phrase=None,
        derivation=None,
        series=None,
        covers=None,
        use=None,
        unit=data.indicator(entry.indicator)["unit"],
        factor=factor(entry.unit),
        value_norm=value * factor(entry.unit),
        derived_from_norm=None,
        _line=0,
    )
    obs = data.observations
    old = existing_row(data, entry)
    if old is not None:
        obs = obs[obs["_line"] != old["_line"]]
    added = pd.DataFrame([row]).reindex(columns=obs.columns).astype(obs.dtypes.to_dict(), errors="ignore")
    return replace(data, observations=pd.concat([obs, added], ignore_index=True), problems=list(data.problems))


def field_messages(problems: list[Problem]) -> dict[str, str]:
    """Validation problems as messages per form field (the first problem of each field)."""
    msgs: dict[str, str] = {}
    for p in problems:
        field = COLUMN_FIELDS.get(p.column, "value")
        msgs.setdefault(field, f"{p.file} 第 {p.line} 行，{p.column}：{p.expected}")
    return msgs


def sheet_row(data: PlanData, entry: Entry) -> SheetRow:
    """The entry as one row of an import (the form's fields under the template's column ids)."""
    start = period_start(data, entry)
    cells = {
        "region_id": entry.region,
        "indicator_id": entry.indicator,
        "year": str(entry.year).strip(),
        "value": str(entry.value).strip(),
        "unit": entry.unit,
        "period_start": "" if start is None else str(start),
        "quote": entry.quote.strip(),
        "source_id": entry.source_id,
        "source_title": "" if entry.source_id else entry.title.strip(),
        "issuer": "" if entry.source_id else entry.issuer.strip(),
        "date": "" if entry.source_id else entry.date.strip(),
        "source_url": "" if entry.source_id else entry.url.strip(),
        "tier": "" if entry.source_id else entry.tier,
        "note": entry.note.strip(),
    }
    return SheetRow("", 1, cells, dict(IMPORT_FIELDS))


def save_entry(data_dir: str | Path, entry: Entry, replace_existing: bool = False) -> Saved:
    """Validate the dataset with the entry in place, then write ``observations.csv`` (and ``sources.csv``).

    The form's own checks first (messages per field), then the import's: the same row checks, the
    whole dataset validated with the value in place, and the one locked, atomic writer. Raises
    :class:`EntryError` with messages per field and writes nothing when anything is wrong,
    including when the folder's data was already invalid.
    """
    folder = Path(data_dir).resolve()
    data = load(folder)
    msgs = check_entry(data, entry, complete=True, replace=replace_existing)
    if msgs:
        raise EntryError(msgs)
    try:
        result = import_rows(folder, [sheet_row(data, entry)], replace=replace_existing, origin=ENTERED)
    except WriteConflict as err:  # found under the folder's lock: another writer, the disk, the whole dataset
        if err.problems:
            raise EntryError(field_messages(list(err.problems))) from None
        if any("already holds a value" in m for m in err.messages):  # saved meanwhile by another writer
            msgs = check_entry(load(folder), entry, complete=True, replace=replace_existing)
            raise EntryError(msgs or {"year": "；".join(err.messages)}) from None
        raise EntryError({"save": "；".join(err.messages)}) from None
    if result.written is None:
        found: dict[str, str] = {}
        for p in result.checked.problems:
            field = p.column if p.row else COLUMN_FIELDS.get(p.column, "value")
            found.setdefault(field, p.expected if p.row else f"{p.sheet}: {p.expected}")
        raise EntryError(found or {"value": "未保存"})
    written = result.written
    replaced = written.replaced[0].split(": ", 1)[1] if written.replaced else None
    source_id = written.source_ids[0]
    return Saved(written.lines[0], replaced, source_id, bool(written.new_sources))
