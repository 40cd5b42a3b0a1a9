"""An outlook to a later year (2030) for drafting the next plan's targets: numbers and codes only.

Per indicator of a region's latest plan (and per indicator a draft target names) that has data:

* the latest actual (up to ``as_of``) and the growth of the last finished plan period, strongest
  evidence first as the assessment takes it (:mod:`plantrack.analysis.methods`): the indicator's own
  series over that period (from the end of the year before it to its last year, else over all its
  points), else a declared proxy, else the growth of the parent region (then the nation) — the grade
  is in ``evidence``; for totals over a plan period the growth of the last full-period total over
  the one before it (else the same total again, ``previous_pace``);
* the value that growth reaches in ``to_year`` (the central scenario of ``growth_model``) and a band:
  from the method's hindcast errors where :func:`hindcast_band` has them, else the span of the
  observed, damped and linear scenarios (``band_from`` says which);
* for a draft target (``drafts``: indicator → value in the catalogue unit): the growth it requires
  from the latest actual, R = past growth ÷ required growth and its category (the assessment's
  cut points: on track, acceleration needed, …), and the same indicator's growth in the parent
  region and in the nation over the same period, to compare with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..data.params import ParameterError, check_indicator, check_region, default_plan, national_region
from ..data.tables import PlanData
from . import growth, methods
from .assumptions import Assumptions
from .plans import finished_plans, growth_window, plan_span
from .series import point_records
from .verdict import categorise, meets

COLUMNS = [
    "region_id", "plan", "indicator_id", "name_en", "unit", "measure", "direction", "attribute", "target_year",
    "target_value", "latest_year", "latest_value", "growth_per", "evidence", "growth_from_year", "growth_to_year",
    "observed_growth", "assumed_growth", "outlook_year", "outlook_low", "outlook_central", "outlook_high",
    "band_from", "draft_value", "required_growth", "R", "verdict", "parent_region_id", "parent_growth",
    "national_region_id", "national_growth", "reason",
]
#: where a band comes from: the method's hindcast errors, or the spread of the three growth scenarios
BAND_FROM = ("hindcast", "scenarios")
#: why an outlook row has no projection or no verdict (``outlook_reason`` in the catalogues)
REASONS = ("no_growth", "nonpositive_value", "no_data", "draft_met", "required_not_positive")


def hindcast_band(data: PlanData, evidence: str, central: float, as_of: int) -> tuple[float, float] | None:
    """The band around ``central`` from the hindcast errors of projections made on ``evidence``; None: not known.

    The errors the method made when projections on this evidence grade were checked against later
    actuals (:mod:`plantrack.analysis.hindcast`, as of ``as_of``) give (low, high); a method with fewer
    than 5 hindcasts gives None and the outlook uses the spread of the growth scenarios instead
    (``band_from = scenarios``). The hindcasts reach a few years ahead: a band to 2030 is a floor.
    """
    from .hindcast import band, method_records

    return band(method_records(data, as_of).get(evidence), central)


def parse_drafts(items: Iterable[str] | str | None) -> dict[str, float]:
    """``indicator=value`` pairs (a list, or one text separated by ``;`` or ``,``) as a dict of draft targets.

    A ``ParameterError`` names the pair that is not ``INDICATOR=VALUE`` with a number.
    """
    if isinstance(items, str):
        items = [p for p in re.split(r"[;,\s]+", items) if p]
    out: dict[str, float] = {}
    for item in items or []:
        indicator, sep, value = item.partition("=")
        try:
            number = float(value.replace(",", "")) if sep else None
        except ValueError:
            number = None
        if not indicator.strip() or number is None or not math.isfinite(number):
            raise ParameterError(f"draft target {item!r}: expected INDICATOR=VALUE (hv_invention_patents_per_10k=50)")
        out[indicator.strip()] = number
    return out


def last_period(data: PlanData, region: str, as_of: int) -> tuple[str, tuple[int, int]] | None:
    """The region's last finished plan and its growth window (end of the year before it to its last year).

    When no plan of the region has ended, the window of its latest plan's previous plan.
    """
    done = finished_plans(data, region, as_of)
    if done:
        start, end = plan_span(data, done[-1])
        return done[-1], (start - 1, end)
    latest = default_plan(data, region)
    window = growth_window(data, latest)
    return (latest, window) if window else None


def _latest_level(pts: list[dict[str, Any]]) -> dict[str, Any] | None:
    usable = methods.level_points(pts)
    return usable[-1] if usable else None


BENCHMARK = methods.code_of(methods.higher_level_growth)  # the grade of a growth borrowed from a higher level


def _level_growth(
    data: PlanData, region: str | None, indicator: str, window: tuple[int, int], a: Assumptions
) -> float | None:
    """Another region's growth of the same indicator over ``window`` (else over all its points)."""
    if not region:
        return None
    pts = point_records(data, region, indicator, a.times_reading, a.year)
    if data.indicator(indicator)["measure"] == "period_total":
        ev = methods.total_growth(pts, window[1] - window[0], region, indicator, kind=BENCHMARK)
    else:
        ev = methods.level_growth(pts, window, region, indicator, kind=BENCHMARK)
    return ev.rate if ev else None


def _level_row(
    data: PlanData, out: dict[str, Any], pts: list[dict[str, Any]], window: tuple[int, int], to_year: int,
    a: Assumptions,
) -> None:
    """Latest actual, the last period's growth and the value it reaches in ``to_year`` for a level."""
    latest = _latest_level(pts)
    if latest is None:
        out["reason"] = "no_data"
        return
    out.update(latest_year=int(latest["year"]), latest_value=float(latest["value"]), growth_per="year")
    if latest["value"] <= 0:
        out["reason"] = "nonpositive_value"
        return
    region, indicator = out["region_id"], out["indicator_id"]
    ev = methods.level_growth(pts, window, region, indicator)
    if ev is None:
        ev, _ = methods.proxy_growth(data, region, indicator, out["measure"], window, 5, a.times_reading, a.year)
    if ev is None:
        ev = methods.benchmark_growth(data, region, indicator, window, a.times_reading, a.year)
    if ev is None:
        out["reason"] = "no_growth"
        return
    steps = to_year - out["latest_year"]
    value = out["latest_value"]
    scenarios = {
        "observed": (growth.compound(value, ev.rate, steps), ev.rate),
        "damped": (growth.compound(value, ev.rate * a.damping, steps), ev.rate * a.damping),
        "linear": (value * (1 + ev.slope_rel * steps), ev.slope_rel),
    }
    central, assumed = scenarios[a.growth_model]
    ends = [v for v, _ in scenarios.values()]
    out.update(
        evidence=ev.kind, growth_from_year=ev.from_year, growth_to_year=ev.to_year, observed_growth=ev.rate,
        assumed_growth=assumed, outlook_central=central, outlook_low=min(ends), outlook_high=max(ends),
    )


def _total_row(
    data: PlanData, out: dict[str, Any], pts: list[dict[str, Any]], window: tuple[int, int], a: Assumptions
) -> None:
    """The last full-period total and the next period's total at the same period-over-period growth."""
    length = window[1] - window[0]
    full = methods.full_totals(pts, length)
    if not full:
        out["reason"] = "no_data"
        return
    last = full[-1]
    out.update(latest_year=int(last["year"]), latest_value=float(last["value"]), growth_per="period")
    region, indicator = out["region_id"], out["indicator_id"]
    q = methods.Query(data, region, indicator, out["measure"], out["plan"], pts, window, (window[0] + 1, window[1]),
                      window[1], a)
    ev = methods.period_growth(q, region, methods.code_of(methods.pace_of_previous_total))
    if ev is None:
        ev, _ = methods.proxy_growth(data, region, indicator, out["measure"], None, length, a.times_reading, a.year)
    for parent in methods.ancestors(data, region) if ev is None else []:
        ev = ev or methods.period_growth(q, parent, BENCHMARK)
    if ev is None:  # the previous total repeated is no evidence (METHOD §6): no outlook without a growth
        out["reason"] = "no_growth"
        return
    assumed = ev.rate * a.damping if a.growth_model == "damped" else ev.rate
    grown = last["value"] * (1 + ev.rate)
    central = last["value"] * (1 + assumed)
    out.update(
        evidence=ev.kind, observed_growth=ev.rate, assumed_growth=assumed, growth_from_year=ev.from_year,
        growth_to_year=ev.to_year, outlook_central=central, outlook_low=min(grown, central),
        outlook_high=max(grown, central),
    )


def _draft(out: dict[str, Any], draft: float, to_year: int) -> None:
    """The growth a draft target requires from the latest actual, and R against the last period's growth."""
    out["draft_value"] = draft
    latest, d = out["latest_value"], out["direction"]
    if latest is None:
        return
    if out["growth_per"] == "period":
        required = growth.period_growth(latest, draft)
    else:
        required = growth.cagr(latest, draft, to_year - out["latest_year"])
    out["required_growth"] = required
    if meets(latest, draft, d) and out["growth_per"] != "period":
        out.update(verdict="achieved", reason="draft_met")
        return
    if required is None or required * d <= 0:
        out["reason"] = "required_not_positive"
        return
    if out["observed_growth"] is not None:
        out["R"] = d * out["observed_growth"] / abs(required)
        out["verdict"] = categorise(out["R"])


def outlook(
    data: PlanData,
    region: str,
    to_year: int = 2030,
    drafts: Mapping[str, float] | None = None,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """One row per indicator of ``region``'s latest plan with data, and per indicator of ``drafts``."""
    check_region(data, region)
    a = assumptions or Assumptions()
    drafts = dict(drafts or {})
    for indicator in drafts:
        check_indicator(data, indicator)
    if to_year <= a.year - 1 or to_year > 2050:
        raise ParameterError(f"outlook year {to_year} must be from {a.year} to 2050")
    plan = default_plan(data, region)
    period = last_period(data, region, a.year)
    if period is None:
        raise ParameterError(f"{region} has no finished plan period to take growth from")
    window = period[1]
    targets = {r["indicator_id"]: r for r in data.lookup.plan_targets.get((region, plan), [])}
    parent = data.lookup.regions[region].get("parent_id") or None
    nation = national_region(data)
    records = []
    for indicator in dict.fromkeys([*targets, *drafts]):
        info = data.indicator(indicator)
        if info["measure"] == "status":
            continue
        target = targets.get(indicator, {})
        out: dict[str, Any] = dict.fromkeys(COLUMNS)
        out.update(
            region_id=region, plan=plan, indicator_id=indicator, name_en=info["name_en"], unit=info["unit"],
            measure=info["measure"], direction=1 if info["direction"] == "higher" else -1,
            attribute=target.get("attribute"), target_year=target.get("target_year"), outlook_year=to_year,
            target_value=target.get("target_low_norm")
            if target.get("target_kind") in ("point", "range", "lower_bound") else target.get("target_high_norm"),
            parent_region_id=parent, national_region_id=nation if nation != region else None,
        )
        pts = point_records(data, region, indicator, a.times_reading, a.year)
        if info["measure"] == "period_total":
            _total_row(data, out, pts, window, a)
        else:
            _level_row(data, out, pts, window, to_year, a)
        if out["latest_value"] is None and indicator not in drafts:
            continue  # no data: nothing to say about this indicator's outlook
        if out["outlook_central"] is not None:
            band = hindcast_band(data, str(out["evidence"]), out["outlook_central"], a.year)
            out["band_from"] = "scenarios" if band is None else "hindcast"
            if band is not None:
                out["outlook_low"], out["outlook_high"] = band
        if indicator in drafts:
            _draft(out, float(drafts[indicator]), to_year)
            out["parent_growth"] = _level_growth(data, parent, indicator, window, a)
            if out["national_region_id"] and out["national_region_id"] != parent:
                out["national_growth"] = _level_growth(data, nation, indicator, window, a)
            elif out["national_region_id"]:
                out["national_growth"] = out["parent_growth"]
        records.append(out)
    frame = pd.DataFrame(records, columns=COLUMNS)
    for col in ("target_year", "latest_year", "growth_from_year", "growth_to_year", "outlook_year"):
        frame[col] = frame[col].astype("Int64")
    return frame
