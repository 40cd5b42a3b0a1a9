"""Assessment of every target of a region as of a year: outcome or projection, verdict, evidence grade.

Numbers and codes only; :mod:`plantrack.present.words` turns them into sentences.

* ``outcome``: ``final`` (target year passed, its actual known), ``pending`` (passed, actual
  not yet published: projected from the latest actual), ``projected`` (target year not
  reached) or ``unassessed``.
* Growth, strongest evidence first (METHOD §6): the indicator's own series over the previous
  plan's period (else over all its points); for totals over a plan period, the part of the
  period already reported (pro rata), else the previous period's total at the same pace, else
  the previous plan's record of a declared counterpart; a declared proxy; the growth the
  parent region achieved (benchmark). The grade is in ``evidence``.
* Verdict: R = d · growth used / |growth required| (Eurostat / Open SDG) for levels; the
  progress ratio projected ÷ target for period totals; ``missed``/``achieved`` for outcomes.
* ``fragile``: the category changes under the other reading of 增长N倍 or the damped growth.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..data.params import Scope, scope
from ..data.provenance import quote_issues
from ..data.tables import PlanData
from ..data.vocabulary import ACCUMULATING, TWO_WAY_READINGS
from . import growth, hindcast, methods
from .assumptions import Assumptions
from .plans import growth_window, plan_span, previous_plan
from .series import point_records
from .tally import AT_RISK, GROUPS, group_of, group_tally, verdict_tally
from .verdict import categorise, categorise_progress, meets, target_number

COLUMNS = [
    "region_id", "plan", "indicator_id", "name_as_written", "name_en", "unit", "unit_as_written", "measure",
    "direction", "attribute", "reading", "baseline_year", "baseline_value", "baseline_text", "target_year",
    "target_text", "target_kind", "target_value", "target_low_norm", "target_high_norm", "target_strict", "as_of",
    "latest_year", "latest_period_start",
    "latest_value", "latest_method", "latest_source_id", "outcome", "actual_value", "margin", "evidence", "weak",
    "quote_issue",
    "growth_per", "growth_region_id", "growth_indicator_id", "growth_from_year", "growth_from_value",
    "growth_to_year", "growth_to_value", "observed_growth", "assumed_growth", "required_growth", "projection_year",
    "projection_low", "projection_central", "projection_high", "R", "progress_ratio", "verdict", "fragile",
    "verdict_alt", "fragile_under", "reason", "missing_indicator_id", "missing_region_id", "missing_years",
    "basis_years", "ambition", "method_hindcasts", "method_confirmed", "method_judged", "lean", "lean_reason",
    "band_clears", "band_low", "band_high",
]
__all__ = [
    "AT_RISK",
    "COLUMNS",
    "GROUPS",
    "Assumptions",
    "assess_target",
    "group_of",
    "group_tally",
    "project_region",
    "verdict_tally",
]



def _none(v: Any) -> Any:
    return None if v is None or v != v else v


def _base_row(data: PlanData, row: dict[str, Any], T: int, a: Assumptions) -> dict[str, Any]:
    ind = data.indicator(row["indicator_id"])
    out: dict[str, Any] = dict.fromkeys(COLUMNS)
    for k in ("region_id", "plan", "indicator_id", "name_as_written", "attribute", "target_text", "target_kind",
              "baseline_text"):
        out[k] = row[k]
    threshold, strict = target_number(row)
    out.update(
        name_en=ind["name_en"], unit=_none(ind["unit"]), unit_as_written=_none(row["unit_as_written"]),
        measure=ind["measure"], direction=1 if ind["direction"] == "higher" else -1, reading=_none(row.get("reading")),
        baseline_year=None if pd.isna(row["baseline_year"]) else int(row["baseline_year"]),
        baseline_value=None if pd.isna(row["baseline_value_norm"]) else float(row["baseline_value_norm"]),
        target_year=T, target_value=_none(threshold), target_strict=strict,
        target_low_norm=_none(row["target_low_norm"]), target_high_norm=_none(row["target_high_norm"]),
        as_of=a.year, fragile=False, lean=False, band_clears=False,
    )
    return out


def _missing(out: dict[str, Any], years: list[int]) -> None:
    out.update(
        missing_indicator_id=out["indicator_id"], missing_region_id=out["region_id"],
        missing_years=";".join(str(y) for y in sorted(set(years))),
    )


def _set_latest(out: dict[str, Any], p: dict[str, Any] | None) -> None:
    if p is not None:
        out.update(
            latest_year=int(p["year"]), latest_value=float(p["value"]), latest_method=p["method"],
            latest_source_id=p["source_id"],
            latest_period_start=int(p["period_start"]) if methods.is_total(p) else None,
        )


def _set_growth(out: dict[str, Any], ev: methods.Evidence) -> None:
    out.update(
        evidence=ev.kind, growth_per=ev.per, growth_region_id=ev.region_id, growth_indicator_id=ev.indicator_id,
        growth_from_year=ev.from_year, growth_from_value=ev.from_value, growth_to_year=ev.to_year,
        growth_to_value=ev.to_value, observed_growth=ev.rate,
    )


def _scenarios(
    latest: float, rate: float, slope_rel: float, steps: int, a: Assumptions
) -> dict[str, tuple[float, float]]:
    """End values and equivalent rates of the three growth models."""
    linear = latest * (1 + slope_rel * steps)
    linear_rate = slope_rel if steps <= 0 else ((linear / latest) ** (1 / steps) - 1 if linear > 0 else -1.0)
    return {
        "observed": (growth.compound(latest, rate, steps), rate),
        "damped": (growth.compound(latest, rate * a.damping, steps), rate * a.damping),
        "linear": (linear, linear_rate),
    }


def _outcome(out: dict[str, Any], actual: dict[str, Any], threshold: float, strict: bool) -> None:
    value = float(actual["value"])
    d = out["direction"]
    reached = meets(value, threshold, d, strict)
    if not reached and actual["qualifier"] == "lower_bound" and d > 0:
        out.update(outcome="pending", reason="actual_lower_bound")
        return
    out.update(
        outcome="final", actual_value=value, verdict="achieved" if reached else "missed",
        margin=(value - threshold) / abs(threshold) if threshold else None, evidence="actual",
    )
    _set_latest(out, actual)


def _assess_level(data: PlanData, row: dict[str, Any], out: dict[str, Any], a: Assumptions, pts: list) -> None:
    T, region, indicator = out["target_year"], out["region_id"], out["indicator_id"]
    threshold, strict, d = out["target_value"], out["target_strict"], out["direction"]
    usable = methods.level_points(pts)
    latest = usable[-1] if usable else None
    _set_latest(out, latest)
    window = growth_window(data, row["plan"])
    if a.year > T:
        actual = next((p for p in usable if p["year"] == T), None)
        if actual is not None:
            _outcome(out, actual, threshold, strict)
            if out["outcome"] == "final":
                return
    if latest is None:
        out.update(outcome="unassessed", verdict="not_projectable", reason="no_value", evidence="none")
        start = window[1] if window else T
        _missing(out, [start, min(T, a.year - 1)])
        return
    if latest["value"] <= 0:
        out.update(outcome="unassessed", verdict="not_projectable", reason="nonpositive_value", evidence="none")
        return
    if meets(latest["value"], threshold, d, strict):
        early = "achieved" if out["measure"] in ACCUMULATING else "above_target"
        out.update(verdict=early, outcome="pending" if a.year > T else "projected", evidence="actual")
        out["progress_ratio"] = 1.0
        return
    q = _query(data, row, out, a, pts)
    ev = methods.find(q)
    why = q.reasons[0] if q.reasons else ""
    observed = ev.rate if ev is not None else None
    if a.custom_growth is not None:  # a what-if: the rate set by hand replaces the observed one
        base = ev or methods.Evidence("custom", 0.0, 0.0, "year", region, indicator, latest["year"],
                                      latest["value"], latest["year"], latest["value"], 1)
        ev = dataclasses.replace(base, kind="custom", rate=a.custom_growth, slope_rel=a.custom_growth)
    y0, t0 = out["baseline_value"], out["baseline_year"]
    if y0 is None or t0 is None or t0 >= T:
        y0, t0 = latest["value"], latest["year"]
    required = growth.cagr(y0, threshold, T - t0)
    if required is not None and required * d <= 0:
        required = growth.cagr(latest["value"], threshold, T - latest["year"])
    out["required_growth"] = required
    if ev is None:
        out.update(outcome="unassessed", verdict="not_projectable", reason=why or "no_growth", evidence="none")
        wanted = [window[0]] if window and not any(p["year"] <= window[0] for p in usable) else []
        _missing(out, [*wanted, min(T, a.year - 1)])
        return
    _set_growth(out, ev)
    out["observed_growth"] = observed  # what the data showed, also under a custom rate
    steps = T - latest["year"]
    scen = _scenarios(latest["value"], ev.rate, ev.slope_rel, steps, a)
    central, assumed = scen[a.growth_model]
    ends = [v for v, _ in scen.values()]
    out.update(
        assumed_growth=assumed, projection_central=central, projection_low=min(ends), projection_high=max(ends),
        projection_year=T, outcome="pending" if a.year > T else "projected",
        progress_ratio=growth.progress_ratio(central, y0, threshold),
    )
    if required is None or required * d <= 0:
        out.update(verdict="not_projectable", reason="required_not_positive")
        return
    out["R"] = d * assumed / abs(required)
    out["verdict"] = categorise(out["R"])


def _query(data: PlanData, row: dict[str, Any], out: dict[str, Any], a: Assumptions, pts: list) -> methods.Query:
    return methods.Query(
        data, out["region_id"], out["indicator_id"], out["measure"], row["plan"], pts,
        growth_window(data, row["plan"]), plan_span(data, row["plan"]), out["target_year"], a,
        previous_plan(data, row["plan"]),
    )


def _assess_total(data: PlanData, row: dict[str, Any], out: dict[str, Any], a: Assumptions, pts: list) -> None:
    T = out["target_year"]
    threshold, strict, d = out["target_value"], out["target_strict"], out["direction"]
    q = _query(data, row, out, a, pts)
    out["projection_year"] = T
    part = methods.period_part(q)
    if part is not None:
        _set_latest(out, part)
        if part["year"] == T and a.year > T and len(methods.covered_years(part)) == q.length:
            _outcome(out, part, threshold, strict)
            if out["outcome"] == "final":
                return
        if meets(part["value"], threshold, d, strict):
            out.update(verdict="achieved", outcome="pending" if a.year > T else "projected", evidence="actual")
            return
    ev = methods.find(q)
    if ev is None:
        _unassessed_total(data, out, q, a)
        return
    out.update(
        evidence=ev.kind, growth_per="period", projection_central=ev.central, projection_low=ev.low,
        projection_high=ev.high, basis_years=";".join(str(y) for y in ev.covered) or None,
    )
    _set_latest(out, ev.latest)
    if ev.required_from is not None:
        out["required_growth"] = growth.period_growth(ev.required_from, threshold)
        out["ambition"] = threshold / ev.required_from if ev.required_from else None
    if ev.observed is not None or ev.covered:
        _set_growth(out, ev)
        out.update(observed_growth=ev.observed, assumed_growth=ev.rate if ev.observed is not None else None)
    else:
        out.update(
            growth_indicator_id=ev.indicator_id, growth_region_id=ev.region_id, growth_from_value=_none(ev.from_value),
            growth_to_value=ev.to_value, growth_to_year=ev.to_year,
        )
    out["outcome"] = "pending" if a.year > T else "projected"
    ratio = out["projection_central"] / threshold if threshold else None
    out["progress_ratio"] = ratio
    out["verdict"] = categorise_progress(ratio) if ratio is not None else "not_projectable"


def _unassessed_total(data: PlanData, out: dict[str, Any], q: methods.Query, a: Assumptions) -> None:
    """No evidence for a total: show the ambition against the previous total and name the number that decides."""
    T, threshold = out["target_year"], out["target_value"]
    prev = methods.previous_total(q)
    info = data.indicator(q.indicator)
    flow = info.get("relation_of") if info.get("relation") == "sum_of_flow" else None
    last = min(T, a.year - 1)
    if prev is not None:
        _set_latest(out, prev)
        out.update(
            outcome="unassessed", verdict="not_projectable", reason="no_growth_total", evidence="none",
            ambition=threshold / prev["value"] if prev["value"] else None,
            required_growth=growth.period_growth(prev["value"], threshold),
        )
        _missing(out, list(range(q.span[0], last + 1)) if flow else [last])  # the annual values, or the total
        if flow:
            out["missing_indicator_id"] = flow
        return
    out.update(outcome="unassessed", verdict="not_projectable", reason="no_value", evidence="none")
    window = q.window
    _missing(out, [*([window[1]] if window else []), last])


def assess_target(data: PlanData, row: dict[str, Any], target_year: int | None, a: Assumptions) -> dict[str, Any]:
    """One output row for one target row of ``targets.csv``."""
    T = int(target_year or row["target_year"])
    out = _base_row(data, row, T, a)
    if row["target_kind"] == "qualitative":
        out.update(outcome="unassessed", verdict="not_quantifiable", reason="qualitative", evidence="none")
    elif row["target_kind"] == "missing" or out["target_value"] is None:
        out.update(outcome="unassessed", verdict="no_target", reason="no_target", evidence="none")
    else:
        pts = point_records(data, row["region_id"], row["indicator_id"], a.times_reading, a.year)
        if out["measure"] == "period_total":
            _assess_total(data, row, out, a, pts)
        else:
            _assess_level(data, row, out, a, pts)
        out["quote_issue"] = ";".join(_quote_issues(data, out, pts, a)) or None
    # a garbled or mis-worded quote among the points it rests on lowers the grade: the evidence counts as weak
    out["weak"] = methods.is_weak(out["evidence"]) or (bool(out["quote_issue"]) and out["evidence"] != "none")
    return out


def _quote_issues(data: PlanData, out: dict[str, Any], pts: list, a: Assumptions) -> tuple[str, ...]:
    """The issues declared on the quotes of the points a row rests on: its latest value (or actual) and the two
    ends of the growth it uses (or the years a partial total sums), in the order declared."""
    found: list[str] = []

    def take(series: list, year: object, start: object = None, total: bool | None = None) -> None:
        for p in series:
            same_start = (p["period_start"] == start) if total is None else methods.is_total(p) == total
            if p["year"] == year and same_start:
                found.extend(quote_issues(p.get("quote_issue")))

    if out["latest_year"] is not None:
        take(pts, out["latest_year"], out["latest_period_start"])
    if out["growth_indicator_id"] is not None and out["evidence"] not in ("actual", "none"):
        own = (out["growth_region_id"], out["growth_indicator_id"]) == (out["region_id"], out["indicator_id"])
        series = pts if own else point_records(
            data, out["growth_region_id"], out["growth_indicator_id"], a.times_reading, a.year
        )
        total = out["growth_per"] == "period"
        years = [out["growth_from_year"], out["growth_to_year"]]
        if out["basis_years"]:
            years, total = [int(y) for y in str(out["basis_years"]).split(";")], False
        for year in dict.fromkeys(y for y in years if y is not None):
            take(series, year, total=total)
    return tuple(dict.fromkeys(found))


def _fragility(data: PlanData, row: dict[str, Any], target_year: int | None, a: Assumptions, out: dict) -> None:
    """Mark the row fragile when the other reading of 增长N倍 or damped growth changes its category."""
    if out["outcome"] not in ("projected", "pending") or out["verdict"] in GROUPS["unknown"]:
        return
    other_reading = "multiple" if a.times_reading == "increase" else "increase"
    alternatives = [
        ("times_reading", dataclasses.replace(a, times_reading=other_reading)),
        ("damped", dataclasses.replace(a, growth_model="damped" if a.growth_model != "damped" else "observed")),
    ]
    for name, alt in alternatives:
        other = assess_target(data, row, target_year, alt)["verdict"]
        if other != out["verdict"]:
            out.update(fragile=True, verdict_alt=other, fragile_under=name)
            return
    annual = annual_reading(data, row)
    if annual is not None:
        other = assess_target(data, annual, target_year, a)["verdict"]
        if group_of(other) not in (group_of(out["verdict"]), "unknown"):
            out.update(fragile=True, verdict_alt=other, fragile_under="reading")


def annual_reading(data: PlanData, row: dict[str, Any]) -> dict[str, Any] | None:
    """The other reading of a two-way column: baseline and target as one year's values of the annual flow.

    Only for a period total declared as the sum of an annual flow whose target row carries a two-way reading.
    """
    info = data.indicator(row["indicator_id"])
    if row.get("reading") not in TWO_WAY_READINGS or info.get("relation") != "sum_of_flow":
        return None
    return {**row, "indicator_id": info["relation_of"], "reading": None}


def project_region(
    data: PlanData,
    region: str | Scope,
    plan: str | None = None,
    target_year: int | None = None,
    assumptions: Assumptions | None = None,
    indicators: set[str] | None = None,
    fragility: bool = True,
) -> pd.DataFrame:
    """One row per target of ``region`` in ``plan`` (default: its latest plan); none is left out.

    Computed once per dataset and question: a report, its review of the same plan and its chapters ask for
    the same projection, which is kept with the dataset's lookup index (a copy is returned); a projection
    with fragility also answers a request without it. ``region`` may be a :class:`Scope` checked already
    (a report's context): then ``plan`` and ``target_year`` are its own and nothing is checked again.
    """
    checked = region if isinstance(region, Scope) else scope(data, region, plan, target_year)
    region, plan, target_year = checked.region, checked.plan, checked.target_year
    a = assumptions or Assumptions()
    assumed = (a.times_reading, a.damping, a.custom_growth, a.growth_model, a.year)  # as_of None: this year
    key = (region, plan, target_year, assumed, frozenset(indicators or ()) or None, id(methods.REGISTRY))
    memo = data.lookup.__dict__.setdefault(_MEMO, {})
    found = memo.get((*key, True)) if (*key, True) in memo else memo.get((*key, fragility))
    if found is None:
        found = compute_region(data, region, plan, target_year, a, indicators, fragility)
        if len(memo) >= _MEMO_SIZE:  # what-ifs of the explorer: keep the latest questions only
            memo.pop(next(iter(memo)))
        memo[(*key, fragility)] = found
    return found.copy()


_MEMO = "_projections"  # on a lookup index: (region, plan, target year, assumptions, indicators, registry, fragility)
_MEMO_SIZE = 256


def compute_region(
    data: PlanData, region: str, plan: str, target_year: int | None, a: Assumptions, indicators: set[str] | None,
    fragility: bool,
) -> pd.DataFrame:
    """The assessment of every target of ``region`` in ``plan`` (parameters checked by :func:`project_region`)."""
    rows = data.lookup.plan_targets.get((region, plan), [])  # a lookup: no pass over other regions' rows
    if indicators is not None:
        rows = [r for r in rows if r["indicator_id"] in indicators]
    records = []
    for r in rows:
        out = assess_target(data, r, target_year, a)
        if fragility:
            _fragility(data, r, target_year, a, out)
        records.append(out)
    _calibrate(data, records, a)
    frame = pd.DataFrame(records, columns=COLUMNS)
    for col in ("baseline_year", "latest_year", "latest_period_start", "growth_from_year", "growth_to_year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _calibrate(data: PlanData, records: list[dict[str, Any]], a: Assumptions) -> None:
    """Each row's method record (METHOD §6 "calibrate before you trust"), its band, and whether it is only a lean.

    A verdict on track or at risk whose method has fewer than 5 hindcasts, or under two thirds of the judged
    ones confirmed, is a lean. The band is the central projection divided by (1 + the 10th and 90th percentile
    of the method's signed errors), where the method has enough hindcasts. A method whose hindcasts had no
    target to judge (:func:`hindcast.band_decides`) gives a verdict where it holds at both ends of the band
    (``band_clears``), a lean elsewhere.
    """
    found = hindcast.method_records(data, a.year)
    untried = hindcast.Record(0, None, None, 0, 0, None, None)  # a method the hindcast cannot replay has no record
    for out in records:
        projected = out["outcome"] in ("projected", "pending") and out["projection_central"] is not None
        if not projected or out["evidence"] in ("actual", "none"):
            continue
        rec = found.get(str(out["evidence"]), untried)
        out.update(method_hindcasts=rec.n, method_confirmed=rec.confirmed, method_judged=rec.judged)
        ends = hindcast.band(rec, out["projection_central"])
        if ends is not None:
            out.update(band_low=ends[0], band_high=ends[1])
        judged = group_of(out["verdict"]) in ("on_track", "at_risk")
        short = hindcast.shortfall(rec)
        out["band_clears"] = judged and hindcast.band_decides(rec) and ends is not None and _clears(out, ends)
        out["lean"] = judged and short is not None and not out["band_clears"]
        if out["lean"]:  # why: too few hindcasts or series, a poor record, or a band on both sides of the target
            out["lean_reason"] = "straddles" if short == "unjudged" and ends is not None else short


def _clears(out: dict[str, Any], ends: tuple[float, float]) -> bool:
    """Whether the verdict holds at both ends of the band: on track even at its worse end, short of the target
    even at its better end."""
    worse, better = ends if out["direction"] > 0 else ends[::-1]
    threshold, strict, d = out["target_value"], out["target_strict"], out["direction"]
    if threshold is None:
        return False
    if group_of(out["verdict"]) == "on_track":
        return meets(worse, threshold, d, strict)
    return not meets(better, threshold, d, strict)
