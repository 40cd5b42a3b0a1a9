"""Projection of every target of a region to its target year, with a band and a verdict.

Method (stated in every row and in the reports):

* Stocks, shares, rates, scores and annual flows: observed growth is the compound annual
  growth rate (CAGR) between the first and last point of the 13th plan (2015-2020) when
  both exist, otherwise between the earliest and latest points available. The projection
  starts from the latest actual value.
* Totals over a plan period: growth of the last complete period against the one before
  (13th against 12th plan); the projection is the last total grown once more.
* Band: central = observed growth; the other two = damped growth (``damping`` × the
  observed rate, half by default) and a linear trend (the same absolute yearly change);
  low/high are the smallest/largest of the three.
* Where the indicator has no growth of its own, a proxy declared in ``proxies.csv`` is
  used and labelled; otherwise the target is "not projectable" with the reason.
* Verdict: R = d · observed / |required| (Eurostat / Open SDG), categories in the order of
  METHOD.md; ranges and lower bounds use their lower end, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..data.params import check_plan, check_region, check_target_year, default_plan
from ..data.tables import PlanData
from ..data.values import parse_value_text
from . import growth
from .assumptions import Assumptions, band_scenarios, central_growth
from .series import point_records
from .verdict import decide

GROWTH_WINDOW = (2015, 2020)  # the 13th plan: end of 2015 to end of 2020

COLUMNS = [
    "region_id",
    "plan",
    "indicator_id",
    "name_as_written",
    "name_en",
    "unit",
    "measure",
    "attribute",
    "baseline_year",
    "baseline_value",
    "baseline_text",
    "latest_year",
    "latest_value",
    "target_year",
    "target_text",
    "target_kind",
    "target_value",
    "target_note",
    "required_growth",
    "observed_growth",
    "assumed_growth",
    "growth_source",
    "growth_points",
    "projection_low",
    "projection_central",
    "projection_high",
    "R",
    "progress_ratio",
    "verdict",
    "verdict_zh",
    "verdict_en",
    "reason",
    "reason_zh",
    "target_note_zh",
    "growth_source_zh",
    "method",
    "method_zh",
]


@dataclass
class Growth:
    """Observed growth with the points behind it."""

    rate: float
    slope_rel: float  # linear trend as a share of the last value per step
    points: str
    source: str
    per: str  # "year" or "period"
    points_zh: str = ""


def _fmt(v: float) -> str:
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"  # .4g would write 10930 as 1.093e+04


Points = list[dict[str, Any]]


def _records(pts: pd.DataFrame | Points) -> Points:
    return pts.to_dict("records") if isinstance(pts, pd.DataFrame) else list(pts)


def _is_total(p: dict[str, Any]) -> bool:
    """True for a point that is a total over a period (``period_start`` set)."""
    start = p["period_start"]
    return start is not None and start == start  # NaN when the points came from a DataFrame


def _describe_points(pts: Points) -> str:
    parts = []
    for r in pts:
        when = f"{int(r['period_start'])}-{r['year']}" if _is_total(r) else str(r["year"])
        tag = {"stated": "stated", "derived": "derived", "baseline": "plan baseline", "completion": "plan completion"}[
            r["method"]
        ]
        q = {"lower_bound": " (lower bound)", "approx": " (approx.)"}.get(r["qualifier"], "")
        extra = f": {r['detail']}" if r["method"] == "derived" else ""
        parts.append(f"{when} {_fmt(r['value'])} [{tag}{q}{extra}]")
    return "; ".join(parts)


def _describe_points_zh(pts: Points) -> str:
    """The points in Chinese: year, value and how the value was obtained (derivations stay in ``method``)."""
    tags = {"stated": "原文", "derived": "推算", "baseline": "规划基期值", "completion": "规划完成值"}
    parts = []
    for r in pts:
        when = f"{int(r['period_start'])}-{r['year']}年累计" if _is_total(r) else f"{r['year']}年"
        q = {"lower_bound": "，下限", "approx": "，约数"}.get(r["qualifier"], "")
        parts.append(f"{when} {_fmt(r['value'])}（{tags[r['method']]}{q}）")
    return "；".join(parts)


def _point_growth(pts: Points) -> tuple[dict[str, Any], dict[str, Any]] | None:
    usable = [p for p in pts if not _is_total(p) and p["qualifier"] != "upper_bound" and p["value"] > 0]
    window = [p for p in usable if GROWTH_WINDOW[0] <= p["year"] <= GROWTH_WINDOW[1]]
    for frame in (window, usable):
        if len(frame) >= 2 and frame[-1]["year"] > frame[0]["year"]:
            return frame[0], frame[-1]
    return None


def _full_periods(pts: Points, length: int) -> Points:
    return [
        p
        for p in pts
        if _is_total(p) and p["qualifier"] != "upper_bound" and p["year"] - p["period_start"] + 1 == length
    ]


def observed_growth(pts: pd.DataFrame | Points, measure: str, length: int, source: str) -> Growth | None:
    """Growth from a series of points (a :func:`points` frame or its records): CAGR for levels,
    period-over-period for totals."""
    pts = _records(pts)
    if measure == "period_total":
        full = _full_periods(pts, length)
        if len(full) < 2:
            return None
        p0, p1 = full[-2], full[-1]
        rate = growth.period_growth(p0["value"], p1["value"])
        if rate is None:
            return None
        slope = (p1["value"] - p0["value"]) / p1["value"]
        return Growth(rate, slope, _describe_points(full[-2:]), source, "period", _describe_points_zh(full[-2:]))
    pair = _point_growth(pts)
    if pair is None:
        return None
    p0, p1 = pair
    years = p1["year"] - p0["year"]
    rate = growth.cagr(p0["value"], p1["value"], years)
    if rate is None:
        return None
    slope_rel = (p1["value"] - p0["value"]) / years / p1["value"]
    return Growth(rate, slope_rel, _describe_points([p0, p1]), source, "year", _describe_points_zh([p0, p1]))


def _implied_rate(latest: float, end: float, steps: int, slope_rel: float) -> float:
    """The constant rate that takes ``latest`` to ``end`` in ``steps`` steps (the linear trend as a rate)."""
    if steps <= 0 or latest <= 0:
        return slope_rel
    if end <= 0:
        return -1.0
    return (end / latest) ** (1 / steps) - 1


def _target_number(row: dict[str, Any]) -> tuple[float | None, str, str, bool]:
    """The number a target is judged against, how it was chosen (en, zh), and whether it is strict."""
    kind, text = row["target_kind"], row["target_text"]
    if kind == "range":
        return row["target_low_norm"], f"lower end of the range {text}", f"按区间 {text} 的下限", False
    if kind == "lower_bound":
        return row["target_low_norm"], f"lower bound {text}", f"按下限 {text}", parse_value_text(str(text)).strict
    if kind == "upper_bound":
        return row["target_high_norm"], f"upper bound {text}", f"按上限 {text}", False
    if kind == "point":
        return row["target_low_norm"], "", "", False
    return None, "", "", False


def project_target(data: PlanData, row: dict[str, Any], target_year: int | None, a: Assumptions) -> dict[str, Any]:
    """One output row for one target row of ``targets.csv``."""
    ind = data.indicator(row["indicator_id"])
    measure, direction = str(ind["measure"]), 1 if ind["direction"] == "higher" else -1
    plan_row = data.lookup.plans[row["plan"]]
    start, end = int(plan_row["start_year"]), int(plan_row["end_year"])  # type: ignore[call-overload]
    length = end - start + 1
    T = int(target_year or row["target_year"])
    pts = point_records(data, row["region_id"], row["indicator_id"], a.times_reading)
    threshold, target_note, target_note_zh, strict = _target_number(row)

    out: dict[str, Any] = {c: None for c in COLUMNS}
    out.update(
        {
            k: row[k]
            for k in ("region_id", "plan", "indicator_id", "name_as_written", "attribute", "target_text", "target_kind")
        }
    )
    out.update(
        name_en=ind["name_en"],
        unit=ind["unit"],
        measure=measure,
        baseline_year=None if pd.isna(row["baseline_year"]) else int(row["baseline_year"]),
        baseline_value=None if pd.isna(row["baseline_value_norm"]) else float(row["baseline_value_norm"]),
        baseline_text=row["baseline_text"],
        target_year=T,
        target_value=threshold,
        target_note=target_note,
        target_note_zh=target_note_zh,
    )

    # latest actual, and whether it can already meet this target
    if measure == "period_total":
        in_period = [p for p in pts if _is_total(p) and p["period_start"] == start and p["year"] <= T]
        previous = _full_periods([p for p in pts if p["year"] < start], length)
        latest_row = in_period[-1] if in_period else (previous[-1] if previous else None)
        counts = bool(in_period)
    else:
        usable = [p for p in pts if not _is_total(p) and p["qualifier"] != "upper_bound"]
        latest_row = usable[-1] if usable else None
        counts = True
    latest = None if latest_row is None else float(latest_row["value"])
    if latest_row is not None:
        when = latest_row["year"]
        out["latest_year"] = f"{int(latest_row['period_start'])}-{when}" if _is_total(latest_row) else int(when)
        out["latest_value"] = latest

    # observed growth: own series, else a declared proxy
    g = observed_growth(pts, measure, length, "same indicator")
    source_zh = "本指标"
    why_not = why_not_zh = ""
    if g is None:
        p = data.lookup.proxies.get((row["region_id"], row["indicator_id"]))
        if p is not None:
            p_ind = data.indicator(p["proxy_indicator_id"])
            label = f"proxy: {p_ind['name_zh']} ({data.region_name(p['proxy_region_id'])})"
            source_zh = f"替代指标：{p_ind['name_zh']}（{data.region_name(p['proxy_region_id'])}）"
            if (p_ind["measure"] == "period_total") != (measure == "period_total"):
                why_not = f"declared {label} measures a different kind of quantity"
                why_not_zh = f"所声明的{source_zh}度量口径不同，不能使用"
            else:
                p_pts = point_records(data, p["proxy_region_id"], p["proxy_indicator_id"], a.times_reading)
                g = observed_growth(p_pts, str(p_ind["measure"]), length, label)
                if g is None:
                    why_not = f"declared {label} has fewer than two comparable points"
                    why_not_zh = f"所声明的{source_zh}可比数据点不足两个"
        if g is None and not why_not:
            n = len(pts)
            why_not = (
                "no 13th-plan growth in the sources: "
                + ("no value at all" if n == 0 else f"only {n} point(s) ({_describe_points(pts)})")
                + "; add observations or declare a proxy in proxies.csv"
            )
            why_not_zh = (
                "资料中缺少“十三五”增速："
                + ("没有数值" if n == 0 else f"仅有 {n} 个数据点")
                + "；可在 observations.csv 补充数据或在 proxies.csv 声明替代指标"
            )
    if latest is None:
        written = row["baseline_text"] if isinstance(row["baseline_text"], str) else ""
        why_not = f"no value in the sources ({written or 'no baseline given'}); add an observation to project it"
        why_not_zh = f"资料中没有该指标的数值（{written or '未给出基期值'}）；补充观测值后可预测"
    if a.custom_growth is not None and latest is not None:  # a what-if: also for targets without observed growth
        if g is not None:
            source_zh = f"手动设定（{source_zh}实际增速 {g.rate:.1%}）"
            why = f"set by hand (observed {g.rate:.1%} from {g.source})"
            g = Growth(a.custom_growth, a.custom_growth, g.points, why, g.per, g.points_zh)
        else:
            source_zh = "手动设定（资料中无实际增速）"
            per = "period" if measure == "period_total" else "year"
            why = "set by hand (no observed growth in the sources)"
            g = Growth(a.custom_growth, a.custom_growth, "none", why, per, "无")

    # growth required from the plan's baseline (or the latest value when there is none)
    required = None
    if threshold is not None:
        if measure == "period_total":
            base = previous[-1]["value"] if latest_row is not None and previous else None
            required = growth.period_growth(base, threshold) if base else None
        else:
            y0, t0 = out["baseline_value"], out["baseline_year"]
            if y0 is None and latest is not None:
                y0, t0 = latest, int(latest_row["year"])
            if y0 is not None and t0 is not None:
                required = growth.cagr(y0, threshold, T - t0)
                if required is not None and required * direction <= 0 and latest is not None:
                    required = growth.cagr(latest, threshold, T - int(latest_row["year"]))
    out["required_growth"] = required

    if g is not None and latest is not None:
        out["observed_growth"], out["growth_source"], out["growth_points"] = g.rate, g.source, g.points
        out["growth_source_zh"] = source_zh
        steps = 1 if measure == "period_total" else T - int(latest_row["year"])
        linear = latest * (1 + g.slope_rel * steps)
        scenarios = {
            "observed": (growth.compound(latest, g.rate, steps), g.rate),
            "damped": (growth.compound(latest, g.rate * a.damping, steps), g.rate * a.damping),
            "linear": (linear, _implied_rate(latest, linear, steps, g.slope_rel)),
        }
        central, assumed = scenarios[a.growth_model]
        out["assumed_growth"] = assumed
        out["projection_central"] = central
        ends = [v for v, _ in scenarios.values()]
        out["projection_low"], out["projection_high"] = min(ends), max(ends)
        base_for_ratio = out["baseline_value"] if out["baseline_value"] is not None else latest
        if measure == "period_total" and previous:
            base_for_ratio = float(previous[-1]["value"])
        out["progress_ratio"] = growth.progress_ratio(central, base_for_ratio, threshold)
        per = "per period" if g.per == "period" else "a year"
        model = {
            "observed": "central = observed growth",
            "damped": f"central = damped growth ×{a.damping:g} ({assumed:+.1%} {per})",
            "linear": f"central = linear trend (equivalent to {assumed:+.1%} {per})",
        }[a.growth_model]
        out["method"] = (
            f"{'period-over-period growth' if g.per == 'period' else 'compound annual growth'} "
            f"{g.rate:+.1%} {per} ({g.source}; {g.points}), applied from {out['latest_year']} to {T}; "
            f"{model}; band: observed, damped ×{a.damping:g} and linear trend"
        )
        unit_zh = "期" if g.per == "period" else "年"
        equal = "" if a.growth_model == "observed" else f"，相当于 {assumed:+.1%}/{unit_zh}"
        out["method_zh"] = (
            f"{'规划期环比增速' if g.per == 'period' else '年均复合增速'} {g.rate:+.1%}/{unit_zh}"
            f"（{source_zh}；{g.points_zh}），自{out['latest_year']}年推算至{T}年；"
            f"中值按{central_growth(a.growth_model, a.damping)}{equal}；区间取{band_scenarios(a.damping)}"
        )

    v = decide(
        target_kind=row["target_kind"],
        threshold=threshold,
        latest=latest,
        observed=out["assumed_growth"],
        required=required,
        direction=direction,
        strict=strict,
        latest_counts_toward_target=counts,
        why_not=why_not,
        why_not_zh=why_not_zh,
    )
    out.update(
        R=v.r, verdict=v.category, verdict_zh=v.label_zh, verdict_en=v.label_en, reason=v.reason, reason_zh=v.reason_zh
    )
    if v.category == "achieved":
        met = f"{target_note or 'the target'} {_fmt(threshold)}"
        out["reason"] = f"latest value {_fmt(latest)} ({out['latest_year']}) meets {met}"
        note_zh = f"（{target_note_zh}）" if target_note_zh else ""
        out["reason_zh"] = f"最新值 {_fmt(latest)}（{out['latest_year']}年）已达到目标 {_fmt(threshold)}{note_zh}"
    elif target_note and v.r is not None:
        out["reason"] = f"{v.reason}; judged against the {target_note}"
        out["reason_zh"] = f"{v.reason_zh}；{target_note_zh}"
    return out


def project_region(
    data: PlanData,
    region: str,
    plan: str | None = None,
    target_year: int | None = None,
    assumptions: Assumptions | None = None,
    indicators: set[str] | None = None,
) -> pd.DataFrame:
    """One row per target of ``region`` in ``plan`` (default: its latest plan); none is left out.

    ``indicators`` restricts the rows to those indicator ids (used by the comparison).
    """
    check_region(data, region)
    plan = check_plan(data, region, plan) if plan else default_plan(data, region)
    check_target_year(data, region, plan, target_year)
    a = assumptions or Assumptions()
    rows = data.lookup.plan_targets.get((region, plan), [])
    if indicators is not None:
        rows = [r for r in rows if r["indicator_id"] in indicators]
    out = pd.DataFrame([project_target(data, r, target_year, a) for r in rows], columns=COLUMNS)
    out["baseline_year"] = out["baseline_year"].astype("Int64")
    out["latest_year"] = out["latest_year"].astype("string")
    return out


def verdict_tally(projection: pd.DataFrame) -> pd.Series:
    """How many targets got each verdict, in the order of :data:`plantrack.analysis.verdict.LABELS`."""
    from .verdict import LABELS

    counts = projection["verdict"].value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in LABELS}, name="targets")
