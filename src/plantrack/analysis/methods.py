"""Growth evidence for one target, strongest first (METHOD §6): own series, proxy, benchmark.

Each function returns an :class:`Evidence` (numbers and codes only) or None. The
assessment in :mod:`plantrack.analysis.projection` tries them in order and grades the row
by the first that answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data.tables import PlanData
from . import growth
from .series import point_records

Points = list[dict[str, Any]]


@dataclass(frozen=True)
class Evidence:
    """A growth rate and where it comes from.

    ``kind`` is the evidence grade's code; ``per`` is ``year`` (compound annual growth) or
    ``period`` (growth of a plan-period total over the previous one).
    """

    kind: str
    rate: float
    slope_rel: float
    per: str
    region_id: str
    indicator_id: str
    from_year: int
    from_value: float
    to_year: int
    to_value: float
    n_points: int = 2


def is_total(p: dict[str, Any]) -> bool:
    """True for a point that is a total over a period (``period_start`` set)."""
    start = p["period_start"]
    return start is not None and start == start


def level_points(pts: Points) -> Points:
    """Points at one year (not totals) that can carry growth: positive, not an upper bound."""
    return [p for p in pts if not is_total(p) and p["qualifier"] != "upper_bound"]


def full_totals(pts: Points, length: int) -> Points:
    """Totals over whole periods of ``length`` years."""
    return [
        p
        for p in pts
        if is_total(p) and p["qualifier"] != "upper_bound" and p["year"] - p["period_start"] + 1 == length
    ]


def level_growth(
    pts: Points, window: tuple[int, int] | None, region: str, indicator: str, kind: str = "own"
) -> Evidence | None:
    """CAGR between the first and last positive points inside ``window`` (else over all points)."""
    usable = [p for p in level_points(pts) if p["value"] > 0]
    frames = []
    if window is not None:
        frames.append([p for p in usable if window[0] <= p["year"] <= window[1]])
    frames.append(usable)
    for frame in frames:
        if len(frame) >= 2 and frame[-1]["year"] > frame[0]["year"]:
            p0, p1 = frame[0], frame[-1]
            years = p1["year"] - p0["year"]
            rate = growth.cagr(p0["value"], p1["value"], years)
            if rate is None:
                return None
            if kind == "own":
                derived = p0["method"] == "derived" or p1["method"] == "derived"
                kind = "own_derived" if derived else ("own_3" if len(usable) >= 3 else "own_2")
            slope_rel = (p1["value"] - p0["value"]) / years / p1["value"]
            return Evidence(
                kind, rate, slope_rel, "year", region, indicator, p0["year"], p0["value"], p1["year"], p1["value"],
                len(usable),
            )
    return None


def total_growth(pts: Points, length: int, region: str, indicator: str, kind: str = "own") -> Evidence | None:
    """Growth of the last full-period total over the one before it."""
    full = full_totals(pts, length)
    if len(full) < 2:
        return None
    p0, p1 = full[-2], full[-1]
    rate = growth.period_growth(p0["value"], p1["value"])
    if rate is None:
        return None
    slope = (p1["value"] - p0["value"]) / p1["value"]
    if kind == "own":
        kind = "own_derived" if "derived" in (p0["method"], p1["method"]) else "own_2"
    return Evidence(
        kind, rate, slope, "period", region, indicator, p0["year"], p0["value"], p1["year"], p1["value"], len(full)
    )


def proxy_growth(
    data: PlanData, region: str, indicator: str, measure: str, window: tuple[int, int] | None, length: int,
    times_reading: str, as_of: int,
) -> tuple[Evidence | None, str]:
    """Growth of the declared stand-in (``proxies.csv``) and a reason code when it cannot serve."""
    p = data.lookup.proxies.get((region, indicator))
    if p is None or p["proxy_kind"] == "previous_plan_record":
        return None, ""
    p_ind = data.indicator(str(p["proxy_indicator_id"]))
    if (p_ind["measure"] == "period_total") != (measure == "period_total"):
        return None, "proxy_incompatible"
    pts = point_records(data, str(p["proxy_region_id"]), str(p["proxy_indicator_id"]), times_reading, as_of)  # type: ignore[arg-type]
    region_p, ind_p = str(p["proxy_region_id"]), str(p["proxy_indicator_id"])
    if measure == "period_total":
        ev = total_growth(pts, length, region_p, ind_p, kind="proxy")
    else:
        ev = level_growth(pts, window, region_p, ind_p, kind="proxy")
    return ev, "" if ev else "proxy_thin"


def benchmark_growth(
    data: PlanData, region: str, indicator: str, window: tuple[int, int] | None, times_reading: str, as_of: int
) -> Evidence | None:
    """The growth the same indicator achieved in the parent region, else further up (METHOD §6 benchmark).

    The years of the current plan so far come first (from the end of ``window`` to ``as_of``),
    then the previous plan's window, then any two points.
    """
    parent = data.lookup.regions.get(region, {}).get("parent_id")
    seen = {region}
    while parent and parent not in seen:
        seen.add(str(parent))
        pts = point_records(data, str(parent), indicator, times_reading, as_of)  # type: ignore[arg-type]
        current = (window[1], as_of) if window else None
        ev = level_growth(pts, current, str(parent), indicator, kind="benchmark")
        if ev is not None and current and not (ev.from_year >= current[0]):
            ev = level_growth(pts, window, str(parent), indicator, kind="benchmark")
        if ev is not None:
            return ev
        parent = data.lookup.regions.get(str(parent), {}).get("parent_id")
    return None


def previous_record(data: PlanData, region: str, indicator: str, previous_plan: str | None) -> dict[str, Any] | None:
    """The previous plan's target and completion of the declared counterpart of a task target."""
    p = data.lookup.proxies.get((region, indicator))
    if p is None or p["proxy_kind"] != "previous_plan_record" or not previous_plan:
        return None
    for row in data.lookup.targets.get((region, str(p["proxy_indicator_id"])), []):
        value = row["actual_value_norm"]
        if row["plan"] == previous_plan and value is not None and value == value:
            return row
    return None
