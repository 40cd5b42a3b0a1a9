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

from ..analysis.hindcast import MIN_HINDCASTS, MIN_SERIES
from ..analysis.methods import method
from ..analysis.projection import group_of
from ..analysis.tally import row_group
from ..data.values import present
from . import formats
from .htmltable import html
from .words import Words, words

Row = Mapping[str, Any]

VERDICT_COLOURS = {
    "achieved": "#1a9850",
    "above_target": "#a6d96a",
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
    "above_target": "√",
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


#: a real value (not None, NaN, NA or empty text): :func:`plantrack.data.values.present`, as the sections call it
has = present


def zh_text(text: object) -> Markup:
    """Chinese wording as the documents write it, marked as Chinese (kept in English reports)."""
    return html('<span lang="zh-CN">{}</span>', text)


def quoted(w: Words, text: object) -> Markup | str:
    """Text quoted from a source, marked with its language where it differs from the report's (kept verbatim)."""
    t = str(text) if has(text) else ""
    chinese = bool(CJK.search(t))
    if chinese == w.as_written or not t:
        return t
    return zh_text(t) if chinese else html('<span lang="en">{}</span>', t)


#: a lean's chip: the verdict's arrow and words on the colour of the lean group, not the verdict's
LEAN_COLOUR = "#fee08b"


def chip(w: Words, row: Row) -> Markup:
    """A coloured label with an arrow for a row's verdict (styled inline, so it works outside reports too)."""
    colour = LEAN_COLOUR if row_group(row) == "lean" else None
    return verdict_chip(row["verdict"], row.get("R"), w.lang, row.get("progress_ratio"), row.get("outcome"), colour)


def verdict_chip(
    verdict: str,
    r: object = None,
    lang: str = "zh",
    progress: object = None,
    outcome: object = None,
    colour: str | None = None,
) -> Markup:
    """A coloured verdict label (also used by the explorer); ``colour`` overrides the verdict's (a lean)."""
    label = words(lang).verdict(verdict, r, progress, outcome)
    return html(
        '<span class="chip" style="background:{};border-radius:10px;padding:1px 8px">'
        '<span class="arrow">{}</span> {}</span>',
        colour or VERDICT_COLOURS[verdict],
        ARROWS[verdict],
        label,
    )


def name(w: Words, row: Row) -> Markup:
    """The indicator as the plan names it; in English the catalogue name with the wording below it."""
    if w.as_written:
        return html("{}", row["name_as_written"])
    return html("{}<br><span class='zh'>{}</span>", row["name_en"], zh_text(row["name_as_written"]))


def name_text(w: Words, row: Row) -> str:
    """The indicator's name as plain text in the report's language."""
    return w.name(row, as_written=True)


def value(w: Words, row: Row, v: object, approximate: bool = False) -> str:
    """A value of the row's indicator with its unit: the plan's unit in Chinese (43万件), words in English."""
    if not has(v):
        return formats.DASH
    if w.as_written:
        return formats.in_written_unit(v, row.get("unit_as_written"), row.get("unit"), approximate)
    return w.amount(v, row.get("unit"), approximate)


def target(w: Words, row: Row) -> Markup | str:
    """The target as the plan writes it (with its unit, 万 kept); in English in words and catalogue units.

    Reads the target's parsed columns (``target_kind``, ``target_low_norm``, ``target_high_norm``,
    ``target_strict``): the text is parsed once, by the data layer.
    """
    text = row.get("target_text")
    if not has(text):
        return formats.DASH
    kind = row.get("target_kind")
    if kind in ("qualitative", "missing") or kind is None:
        # not in the plan's language: the kind in words, the plan's wording only as the tooltip (the name column
        # quotes the plan)
        return (
            str(text)
            if w.as_written
            else html('<span title="{}">{}</span>', text, w(f"target_kind.{kind or 'missing'}"))
        )
    if w.as_written:
        return formats.as_written(text, row.get("unit_as_written"))
    unit = w.unit(row.get("unit"), row.get("name_en"))
    low, high = row.get("target_low_norm"), row.get("target_high_norm")
    strict = bool(row.get("target_strict"))
    if kind == "range":
        return formats.unit_suffix(f"{formats.number(low)}–{formats.number(high)}", unit)
    if kind == "lower_bound":
        return ("more than " if strict else "at least ") + w.amount(low, row.get("unit"))
    if kind == "upper_bound":
        return ("less than " if strict else "at most ") + w.amount(high, row.get("unit"))
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
    m = method(row.get("evidence"))
    if row["measure"] == "period_total" and m is not None and not m.this_period:
        return w("table.no_period_data")
    basis = [int(y) for y in str(row["basis_years"]).split(";")] if has(row.get("basis_years")) else []
    if len(basis) > 1:  # a part of the period from the years reported (a related sum names them)
        years = w.join([w.year(y) for y in basis])
        return value(w, row, row["latest_value"]) + w("report.parenthesis", text=w("summary.basis_years", years=years))
    if basis:
        return value(w, row, row["latest_value"]) + period_label(w, None, basis[0])
    return value(w, row, row["latest_value"]) + period_label(w, row.get("latest_period_start"), row["latest_year"])


def baseline(w: Words, row: Row, length: int) -> str:
    """The plan's baseline with its year (a five-year total for the period totals read that way)."""
    if not has(row.get("baseline_value")):
        return formats.DASH
    start = row["baseline_year"] - length + 1 if row["measure"] == "period_total" else None
    return value(w, row, row["baseline_value"]) + period_label(w, start, row["baseline_year"])


def standing(row: Row) -> float:
    """The one measure the at-risk list is ordered by: R for levels, the progress ratio for totals (lower: worse)."""
    for key in ("R", "progress_ratio"):
        if has(row.get(key)):
            return float(row[key])
    if row.get("outcome") == "final" and has(row.get("margin")):
        return 1 + float(row["margin"])
    return 0.0


def pressing_order(projection: pd.DataFrame) -> list[dict[str, Any]]:
    """Targets at risk (not leans): binding before expected where the plan says, then by R or progress ratio."""
    rows = [r for r in projection.to_dict("records") if row_group(r) == "at_risk"]
    return sorted(rows, key=lambda r: (ATTRIBUTE_RANK.get(str(r.get("attribute")), 2), standing(r)))


def leaning_at_risk(projection: pd.DataFrame) -> list[dict[str, Any]]:
    """Leans towards at risk (an uncalibrated method's warning), by R or progress ratio, lowest first."""
    rows = [r for r in projection.to_dict("records") if row_group(r) == "lean" and group_of(r["verdict"]) == "at_risk"]
    return sorted(rows, key=standing)


def ratio_text(w: Words, row: Row) -> str:
    """``R = 0.61`` or ``进度比 272%``: the number a verdict rests on."""
    if has(row.get("R")):
        return w("summary.ratio_r", r=formats.ratio(row["R"]))
    if has(row.get("progress_ratio")) and row.get("evidence") != "actual":
        return w("summary.ratio_progress", ratio=formats.percent(row["progress_ratio"]))
    return ""


def record_text(w: Words, row: Row) -> str:
    """The hindcast record of the method a verdict rests on (``此类推算回测9次，7次判断正确``)."""
    if not has(row.get("method_hindcasts")) or row.get("evidence") in ("actual", None) or not has(row.get("evidence")):
        return ""
    n = int(row["method_hindcasts"])
    if n == 0:
        return w("summary.record_none")
    banded = has(row.get("band_low")) and has(row.get("band_high"))
    low, high = (value(w, row, row[k], approximate=True) for k in ("band_low", "band_high")) if banded else ("", "")
    if banded and has(row.get("band_clears")) and bool(row["band_clears"]):
        return w("summary.record_band", n=n, low=low, high=high)
    if banded and row.get("lean_reason") == "straddles":
        return w("summary.record_straddles", n=n, low=low, high=high)
    if not int(row["method_judged"]):
        return w("summary.record_unjudged", n=n)
    return w("summary.record", n=n, confirmed=int(row["method_confirmed"]), judged=int(row["method_judged"]))


def lean_text(w: Words, row: Row) -> str:
    """Why a verdict is only a lean, in one clause (the analysis' ``lean_reason``): too few hindcasts, a record
    from too few series, a poor record, or an error band on both sides of the target."""
    verdict = w.verdict(row["verdict"], row.get("R"), row.get("progress_ratio"))
    why = row["lean_reason"] if has(row.get("lean_reason")) else "thin"
    return w(f"summary.lean_item_{why}", verdict=verdict, min_n=MIN_HINDCASTS, min_series=MIN_SERIES)


def pending_text(w: Words, row: Row) -> str:
    """结果待公布 for a target whose year has passed without a value in this dataset."""
    if row.get("outcome") != "pending" or row.get("verdict") in ("achieved", "above_target"):
        return ""
    return w("summary.pending_mark", year=int(row["target_year"]))


def missing_years(w: Words, row: Row, span: tuple[int, int] | None = None, last: str = "and") -> str:
    """The years whose values are missing; for a total over a plan period, the periods (2016—2020年累计)."""
    codes = row.get("missing_years")
    if not has(codes):
        return ""
    years = [int(y) for y in str(codes).split(";") if y]
    flow = has(row.get("missing_indicator_id")) and row.get("missing_indicator_id") != row.get("indicator_id")
    if row.get("measure") != "period_total" or span is None or flow:
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
    """Why a target is not judged, naming the number that is missing (``span``: the plan's years).

    After the target year the target year's value decides by itself (METHOD §7); the earlier value a
    projection would start from is named apart, for while that outcome is not yet published.
    """
    code = row.get("reason")
    if not has(code):
        return ""
    if code == "no_growth_total" and row.get("missing_indicator_id") == row.get("indicator_id"):
        code = "no_growth_total_total"  # no annual flow declared: this period's total itself decides
    after = _after_target_year(row)
    if code == "no_value" and after is not None:
        outcome, earlier = after
        return w(
            "reason.no_value_after",
            outcome=missing_years(w, {**row, "missing_years": outcome}, span),
            earlier=missing_years(w, {**row, "missing_years": earlier}, span),
        )
    latest_year = w.year(row["latest_year"]) if has(row.get("latest_year")) else ""
    ambition = w("summary.times", value=formats.number(row["ambition"], 1)) if has(row.get("ambition")) else ""
    return w(
        f"reason.{code}",
        years=missing_years(w, row, span, "or" if code == "no_growth" else "and"),
        latest=latest_year,
        ambition=ambition,
    )


def _after_target_year(row: Row) -> tuple[str, str] | None:
    """(the target year, the other missing years) as codes, when the assessment is after the target year and both
    are missing; else None."""
    codes, year, as_of = row.get("missing_years"), row.get("target_year"), row.get("as_of")
    if not (has(codes) and has(year) and has(as_of)) or int(as_of) <= int(year):
        return None
    years = [y for y in str(codes).split(";") if y]
    others = [y for y in years if int(y) != int(year)]
    if str(int(year)) not in years or not others:
        return None
    return str(int(year)), ";".join(others)


def _series_name(row: Row, data_names: Mapping[str, str] | None) -> str:
    ind = str(row.get("growth_indicator_id") or "")
    return (data_names or {}).get(ind, ind)


def why(w: Words, row: Row, span: tuple[int, int] | None = None, names: Mapping[str, str] | None = None) -> str:
    """One line of why: the outcome, the projection and what it rests on, or the reason for no judgement.

    ``names``: indicator id → name in the report's language (for the series a projection borrows).
    """
    t = target(w, row)
    t = t if isinstance(t, str) else str(t.striptags())
    if row["outcome"] == "final":
        key = "why.final_met" if row["verdict"] == "achieved" else "why.final_missed"
        return w(key, year=w.year(row["target_year"]), actual=value(w, row, row["actual_value"]), target=t)
    if row["verdict"] == "above_target":
        return w(
            "why.above_target",
            year=w.year(row["latest_year"]),
            actual=value(w, row, row["latest_value"]),
            target=t,
            target_year=int(row["target_year"]),
        )
    if row["verdict"] == "achieved":
        return w("why.early", year=w.year(row["latest_year"]), actual=value(w, row, row["latest_value"]), target=t)
    if group_of(row["verdict"]) == "unknown" or not has(row.get("projection_central")):
        return reason(w, row, span)
    central = value(w, row, row["projection_central"], approximate=True)
    ratio = formats.percent(row.get("progress_ratio"))
    m = method(row.get("evidence"))
    sentence = m.sentence if m is not None else "level"
    if row.get("measure") == "period_total" and sentence == "level":
        sentence = "pace"  # a total grown at a borrowed growth
    if sentence == "partial":
        part = value(w, row, row["latest_value"])
        if has(row.get("basis_years")) and row.get("growth_indicator_id") != row.get("indicator_id"):
            years = w.join([w.year(int(y)) for y in str(row["basis_years"]).split(";")])
            return w(
                "why.total_related",
                years=years,
                part=part,
                series=_series_name(row, names),
                central=central,
                ratio=ratio,
                target=t,
            )
        elapsed = (
            len(str(row["basis_years"]).split(";"))
            if has(row.get("basis_years"))
            else (int(row["latest_year"]) - int(row["latest_period_start"]) + 1)
        )
        return w("why.total_partial", elapsed=elapsed, part=part, central=central, ratio=ratio, target=t)
    if sentence in ("pace", "record"):
        previous = value(w, row, row["latest_value"])
        if sentence == "record":
            return w("why.total_record", previous=previous, central=central, ratio=ratio, target=t)
        growth = w.growth(row.get("observed_growth"), "period")
        if m is not None and m.other_series:
            region = _region_label(row, names)
            series = _series_name(row, names)
            series = w("why.series_in", region=region, series=series) if region else series
            return w(
                "why.total_pace_benchmark",
                previous=previous,
                series=series,
                growth=growth,
                central=central,
                ratio=ratio,
                target=t,
            )
        return w("why.total_pace_growth", previous=previous, growth=growth, central=central, ratio=ratio, target=t)
    year = w.year(row["projection_year"] or row["target_year"])
    if row.get("measure") in ("share", "rate") and has(row.get("latest_value")) and has(row.get("target_value")):
        steps = int(row["projection_year"] or row["target_year"]) - int(row["latest_year"])
        if steps > 0:
            change = (float(row["projection_central"]) - float(row["latest_value"])) / steps
            needed = (float(row["target_value"]) - float(row["latest_value"])) / steps
            return w(
                "why.level_pp",
                growth=formats.signed_number(change),
                year=year,
                central=central,
                target=t,
                required=formats.signed_number(needed),
            )
    growth = w.growth(row.get("assumed_growth"), row.get("growth_per"))
    if has(row.get("required_growth")):
        required = w.growth(row["required_growth"], row.get("growth_per"))
        return w("why.level", growth=growth, year=year, central=central, target=t, required=required)
    return w("why.level_no_required", growth=growth, year=year, central=central, target=t)


def _region_label(row: Row, names: Mapping[str, str] | None) -> str:
    region = str(row.get("growth_region_id") or "")
    return (names or {}).get(f"region:{region}", "") if region != row.get("region_id") else ""


def evidence_line(w: Words, row: Row) -> str:
    """``证据：替代指标（较弱）``."""
    return w("summary.evidence", grade=w.evidence(row.get("evidence"), bool(row.get("weak"))))
