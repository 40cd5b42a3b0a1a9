"""One assessed target shown in words and numbers: name, target, values with units, verdict chip, why.

Shared by the first screen, the table of all targets, the data-gap appendix and the index page.
Numbers go through :mod:`plantrack.present.formats`; words through :mod:`plantrack.present.words`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..analysis.projection import group_of
from ..data.units import factor
from ..data.values import parse_value_text, present
from . import formats
from .htmltable import html
from .words import Words, words

Row = Mapping[str, Any]

VERDICT_COLOURS = {
    "achieved": "#1a9850",
    "on_track": "#66bd63",
    "acceleration_needed": "#fdae61",
    "insufficient": "#f46d43",
    "moving_away": "#d73027",
    "missed": "#b2182b",
    "not_projectable": "#bdbdbd",
    "not_quantifiable": "#9e9ac8",
    "no_target": "#d9d9d9",
}
ARROWS = {
    "achieved": "√",
    "on_track": "↑",
    "acceleration_needed": "↗",
    "insufficient": "→",
    "moving_away": "↓",
    "missed": "×",
    "not_projectable": "?",
    "not_quantifiable": "○",
    "no_target": "—",
}
ATTRIBUTE_RANK = {"约束性": 0, "预期性": 1}
CJK = re.compile(r"[\u3400-\u9fff]")


def has(v: object) -> bool:
    """A real value (not None, NaN, NA or empty text)."""
    return present(v) and v == v and str(v) != ""


def zh_text(text: object) -> Markup:
    """Chinese wording as the documents write it, marked as Chinese (kept in English reports)."""
    return html('<span lang="zh-CN">{}</span>', text)


def quoted(w: Words, text: object) -> Markup | str:
    """Text quoted from a source, marked with its language where it differs from the report's (kept verbatim)."""
    t = str(text) if has(text) else ""
    chinese = bool(CJK.search(t))
    if chinese == w.zh or not t:
        return t
    return zh_text(t) if chinese else html('<span lang="en">{}</span>', t)


def chip(w: Words, row: Row) -> Markup:
    """A coloured label with an arrow for a row's verdict (styled inline, so it works outside reports too)."""
    return verdict_chip(row["verdict"], row.get("R"), w.lang, row.get("progress_ratio"), row.get("outcome"))


def verdict_chip(
    verdict: str, r: object = None, lang: str = "zh", progress: object = None, outcome: object = None
) -> Markup:
    """A coloured verdict label (also used by the explorer)."""
    label = words(lang).verdict(verdict, r, progress, outcome)
    return html(
        '<span class="chip" style="background:{};border-radius:10px;padding:1px 8px">'
        '<span class="arrow">{}</span> {}</span>',
        VERDICT_COLOURS[verdict],
        ARROWS[verdict],
        label,
    )


def name(w: Words, row: Row) -> Markup:
    """The indicator as the plan names it; in English the catalogue name with the wording below it."""
    if w.zh:
        return html("{}", row["name_as_written"])
    return html("{}<br><span class='zh'>{}</span>", row["name_en"], zh_text(row["name_as_written"]))


def name_text(w: Words, row: Row) -> str:
    """The indicator's name as plain text in the report's language."""
    return str(row["name_as_written"] if w.zh else row["name_en"])


def value(w: Words, row: Row, v: object, approximate: bool = False) -> str:
    """A value of the row's indicator with its unit: the plan's unit in Chinese (43万件), words in English."""
    if not has(v):
        return formats.DASH
    if w.zh:
        return formats.in_written_unit(v, row.get("unit_as_written"), row.get("unit"), approximate)
    return w.amount(v, row.get("unit"), approximate)


def target(w: Words, row: Row) -> Markup | str:
    """The target as the plan writes it (with its unit, 万 kept); in English in words and catalogue units."""
    text = row.get("target_text")
    if not has(text):
        return formats.DASH
    parsed = parse_value_text(str(text))
    if parsed.kind in ("qualitative", "missing"):
        # English: the kind in words, the plan's wording only as the tooltip (the name column quotes the plan)
        return str(text) if w.zh else html('<span title="{}">{}</span>', text, w(f"target_kind.{parsed.kind}"))
    if w.zh:
        return formats.as_written(text, row.get("unit_as_written"))
    k = factor(str(row["unit_as_written"])) if has(row.get("unit_as_written")) else 1.0
    k = k if k == k else 1.0
    unit = w.unit(row.get("unit"), row.get("name_en"))
    low = parsed.low * k if parsed.low is not None else None
    high = parsed.high * k if parsed.high is not None else None
    if parsed.kind == "range":
        return formats.unit_suffix(f"{formats.number(low)}–{formats.number(high)}", unit)
    if parsed.kind == "lower_bound":
        return ("more than " if parsed.strict else "at least ") + w.amount(low, row.get("unit"))
    if parsed.kind == "upper_bound":
        return ("less than " if parsed.strict else "at most ") + w.amount(high, row.get("unit"))
    return w.amount(low, row.get("unit"))


def period_label(w: Words, start: object, end: object) -> str:
    """``（2016—2020年累计）`` for a total over a period, ``（2020年）`` for one year."""
    total = w("report.period_total", start=formats.year(start), end=formats.year(end)) if has(start) else ""
    inner = total or w.year(end)
    return w("report.parenthesis", text=inner)


def latest(w: Words, row: Row) -> str:
    """The latest actual of this plan period with its year, or a note that this period has none yet."""
    if not has(row.get("latest_value")):
        return formats.DASH
    if row["measure"] == "period_total" and row.get("evidence") in ("previous_pace", "previous_record"):
        return w("table.no_period_data")
    return value(w, row, row["latest_value"]) + period_label(w, row.get("latest_period_start"), row["latest_year"])


def baseline(w: Words, row: Row, length: int) -> str:
    """The plan's baseline with its year (a five-year total for the period totals read that way)."""
    if not has(row.get("baseline_value")):
        return formats.DASH
    start = row["baseline_year"] - length + 1 if row["measure"] == "period_total" else None
    return value(w, row, row["baseline_value"]) + period_label(w, start, row["baseline_year"])


def gap(row: Row) -> float:
    """How far a target is from being met, as a share of the target (larger: further)."""
    d = row.get("direction") or 1
    t = row.get("target_value")
    if row.get("outcome") == "final" and has(row.get("margin")):
        return -float(row["margin"]) * d
    if has(t) and float(t) != 0 and has(row.get("projection_central")):
        return d * (float(t) - float(row["projection_central"])) / abs(float(t))
    if has(row.get("R")):
        return 1 - float(row["R"])
    return 0.0


def pressing_order(projection: pd.DataFrame) -> list[dict[str, Any]]:
    """Targets at risk: binding before expected, then the largest gap first."""
    rows = [r for r in projection.to_dict("records") if group_of(r["verdict"]) == "at_risk"]
    return sorted(rows, key=lambda r: (ATTRIBUTE_RANK.get(str(r.get("attribute")), 2), -gap(r)))


def missing_years(w: Words, row: Row, span: tuple[int, int] | None = None, last: str = "and") -> str:
    """The years whose values are missing; for a total over a plan period, the periods (2016—2020年累计)."""
    codes = row.get("missing_years")
    if not has(codes):
        return ""
    years = [int(y) for y in str(codes).split(";") if y]
    if row.get("measure") != "period_total" or span is None:
        return w.join([w.year(y) for y in years], last)
    start, end = span
    length = end - start + 1
    periods = []
    for y in years:
        first = start - length if y < start else start
        stop = start - 1 if y < start else y
        periods.append(w("report.period_total", start=first, end=stop))
    return w.join(list(dict.fromkeys(periods)), last)


def reason(w: Words, row: Row, span: tuple[int, int] | None = None) -> str:
    """Why a target is not judged, naming the number that is missing (``span``: the plan's years)."""
    code = row.get("reason")
    if not has(code):
        return ""
    latest_year = w.year(row["latest_year"]) if has(row.get("latest_year")) else ""
    return w(
        f"reason.{code}",
        years=missing_years(w, row, span, "or" if code == "no_growth" else "and"),
        latest=latest_year,
    )


def why(w: Words, row: Row, span: tuple[int, int] | None = None) -> str:
    """One line of why: the outcome, the projection and what it rests on, or the reason for no judgement."""
    t = target(w, row)
    t = t if isinstance(t, str) else str(t.striptags())
    if row["outcome"] == "final":
        key = "why.final_met" if row["verdict"] == "achieved" else "why.final_missed"
        return w(key, year=w.year(row["target_year"]), actual=value(w, row, row["actual_value"]), target=t)
    if row["verdict"] == "achieved":
        return w("why.early", year=w.year(row["latest_year"]), actual=value(w, row, row["latest_value"]), target=t)
    if group_of(row["verdict"]) == "unknown" or not has(row.get("projection_central")):
        return reason(w, row, span)
    central = value(w, row, row["projection_central"], approximate=True)
    ratio = formats.percent(row.get("progress_ratio"))
    ev = row.get("evidence")
    if ev == "own_partial":
        elapsed = int(row["latest_year"]) - int(row["latest_period_start"]) + 1
        part = value(w, row, row["latest_value"])
        return w("why.total_partial", elapsed=elapsed, part=part, central=central, ratio=ratio, target=t)
    if ev in ("previous_pace", "previous_record"):
        previous = value(w, row, row["latest_value"])
        if ev == "previous_record":
            return w("why.total_record", previous=previous, central=central, ratio=ratio, target=t)
        g = row.get("assumed_growth")
        if has(g) and abs(float(g)) > 1e-12:
            growth = w.growth(g, "period")
            return w("why.total_pace_growth", previous=previous, growth=growth, central=central, ratio=ratio, target=t)
        return w("why.total_pace_same", previous=previous, central=central, ratio=ratio, target=t)
    growth = w.growth(row.get("assumed_growth"), row.get("growth_per"))
    year = w.year(row["projection_year"] or row["target_year"])
    if has(row.get("required_growth")):
        required = w.growth(row["required_growth"], row.get("growth_per"))
        return w("why.level", growth=growth, year=year, central=central, target=t, required=required)
    return w("why.level_no_required", growth=growth, year=year, central=central, target=t)


def evidence_line(w: Words, row: Row) -> str:
    """``证据：替代指标（较弱）``."""
    return w("summary.evidence", grade=w.evidence(row.get("evidence"), bool(row.get("weak"))))
