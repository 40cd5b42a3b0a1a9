"""Evidence methods for one target, strongest first (METHOD §6), declared once in :data:`REGISTRY`.

Each method is one :class:`Method` entry: its code (the evidence grade written in the
``evidence`` column), its order of strength, whether it is weak, which measures it serves,
what it needs, and the function that finds it (an :class:`Evidence`, numbers and codes only,
or None). The assessment in :mod:`plantrack.analysis.projection` walks the registry and grades
the row by the first method that answers; grade lists, weak sets, chart styles and the
catalogue check are derived from it. Adding a method is one entry and its words
(``evidence.<code>`` and ``evidence_meaning.<code>`` in every catalogue).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..data.tables import PlanData
from . import growth
from .assumptions import Assumptions
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
    central: float | None = None  # a projection of the target year's value made directly (totals)
    low: float | None = None
    high: float | None = None
    latest: dict[str, Any] | None = None  # the point shown as the latest value (totals: the basis of the projection)
    observed: float | None = None  # the growth the data showed (before a what-if or damping)
    required_from: float | None = None  # the value the required growth of a total is measured from
    covered: tuple[int, ...] = ()  # years of the plan period a partial total rests on


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
        if is_total(p) and p["qualifier"] != "upper_bound" and len(covered_years(p)) == length
        and p["year"] - p["period_start"] + 1 == length
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


@dataclass
class Query:
    """What a method is asked about: one target of a region, with the points held and the assessment's assumptions.

    ``reasons`` collects why a method could not serve (a reason code for the row when none answers).
    """

    data: PlanData
    region: str
    indicator: str
    measure: str
    plan: str
    points: Points
    window: tuple[int, int] | None
    span: tuple[int, int]
    target_year: int
    assumptions: Assumptions
    previous_plan: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Years in the plan period."""
        return self.span[1] - self.span[0] + 1


Finder = Callable[[Query], "Evidence | None"]


@dataclass(frozen=True)
class Method:
    """One evidence method (METHOD §6).

    ``measures``: ``level`` (stocks, flows, rates at one year) and/or ``period_total``;
    ``weak``: the grade is shown as weaker evidence; ``this_period``: the latest value it shows
    belongs to the plan period being judged (a previous period's total is never drawn as
    progress); ``other_series``: the growth comes from another series, which is named;
    ``sentence``: the shape of the sentence that explains a projection (``level``, ``partial``,
    ``pace``, ``record``); ``needs``: what the data must hold, in a few words for the docs.
    """

    code: str
    weak: bool
    measures: tuple[str, ...]
    needs: str
    find: Finder | None = None
    this_period: bool = True
    other_series: bool = False
    sentence: str = "level"
    graded: bool = True  # listed among the grades a report explains (a what-if is not a grade)
    hindcast: str | None = None  # how the hindcast replays it (a projector family of analysis/hindcast)


def _own_level(q: Query) -> Evidence | None:
    return level_growth(q.points, q.window, q.region, q.indicator)


def _proxy_level(q: Query) -> Evidence | None:
    ev, why = proxy_growth(
        q.data, q.region, q.indicator, q.measure, q.window, 5, q.assumptions.times_reading, q.assumptions.year
    )
    if why:
        q.reasons.append(why)
    return ev


def period_part(q: Query) -> dict[str, Any] | None:
    """The latest total reported for part (or all) of the plan period being judged (own or by relation)."""
    start = q.span[0]
    in_period = [p for p in q.points if is_total(p) and p["period_start"] == start and p["year"] <= q.target_year]
    return in_period[-1] if in_period else None


def covered_years(part: dict[str, Any]) -> tuple[int, ...]:
    """The years of its period a reported total covers (a related sum names them; else start to its year)."""
    return tuple(part.get("covered") or range(int(part["period_start"]), int(part["year"]) + 1))


def _partial(q: Query, related: bool) -> Evidence | None:
    """Part of the period reported: its total extrapolated pro rata over the years it covers.

    ``related``: only a part computed from a related series whose definition differs (a weaker grade);
    otherwise only the indicator's own part or one from a series of the same definition.
    """
    part = period_part(q)
    if part is None or related != (part["method"] == "relation" and not part.get("same_definition")):
        return None
    years = covered_years(part)
    central = part["value"] * q.length / len(years)
    source = str(part.get("related_indicator_id") or q.indicator)
    return Evidence(
        "related_partial" if related else "own_partial", 0.0, 0.0, "period", q.region, source, years[0],
        part["value"], years[-1], part["value"], len(years), central=central, low=part["value"], high=central,
        latest=part, covered=years,
    )


def _own_part(q: Query) -> Evidence | None:
    return _partial(q, related=False)


def _related_part(q: Query) -> Evidence | None:
    return _partial(q, related=True)


def _flow_growth(q: Query, region: str, kind: str) -> Evidence | None:
    """The growth of a total's annual flow (its ``sum_of_flow`` relation) in ``region``, as growth per period."""
    info = q.data.indicator(q.indicator)
    if info.get("relation") != "sum_of_flow":
        return None
    flow = str(info["relation_of"])
    pts = point_records(q.data, region, flow, q.assumptions.times_reading, q.assumptions.year)  # type: ignore[arg-type]
    ev = level_growth(pts, q.window, region, flow, kind=kind)
    if ev is None:
        return None
    return dataclasses.replace(ev, rate=(1 + ev.rate) ** q.length - 1, per="period")


def period_growth(q: Query, region: str, kind: str) -> Evidence | None:
    """Growth of a plan-period total in ``region`` per period: of its full totals, else of its annual flow."""
    pts = q.points if region == q.region else point_records(
        q.data, region, q.indicator, q.assumptions.times_reading, q.assumptions.year  # type: ignore[arg-type]
    )
    return total_growth(pts, q.length, region, q.indicator, kind=kind) or _flow_growth(q, region, kind)


def previous_total(q: Query) -> dict[str, Any] | None:
    """The total of the previous plan period (the basis a pace is applied to)."""
    previous = full_totals([p for p in q.points if p["year"] < q.span[0]], q.length)
    return previous[-1] if previous else None


def _paced(q: Query, ev: Evidence | None, kind: str) -> Evidence | None:
    """The previous period's total grown at ``ev``'s growth; None without a growth (the null is no evidence)."""
    prev = previous_total(q)
    if prev is None or ev is None:
        return None
    rate = q.assumptions.custom_growth if q.assumptions.custom_growth is not None else ev.rate
    ends = [prev["value"] * (1 + r) for r in (rate, rate * q.assumptions.damping)]
    central = prev["value"] * (1 + (rate * q.assumptions.damping if q.assumptions.growth_model == "damped" else rate))
    return dataclasses.replace(
        ev, kind=kind, rate=rate, central=central, low=min(ends), high=max(ends), latest=prev, observed=ev.rate,
        required_from=prev["value"],
    )


def pace_of_previous_total(q: Query) -> Evidence | None:
    return _paced(q, period_growth(q, q.region, "own"), "previous_pace")


def _benchmark_total(q: Query) -> Evidence | None:
    """The previous total grown at the parent's (else the nation's) growth of the same total or its flow."""
    if previous_total(q) is None:
        return None
    for parent in ancestors(q.data, q.region):
        ev = period_growth(q, parent, "benchmark")
        if ev is not None:
            return _paced(q, ev, "benchmark")
    return None


def ancestors(data: PlanData, region: str) -> list[str]:
    """The parent region, its parent, and so on up to the nation."""
    out: list[str] = []
    parent = data.lookup.regions.get(region, {}).get("parent_id")
    while parent and parent == parent and parent not in out and parent != region:
        out.append(str(parent))
        parent = data.lookup.regions.get(str(parent), {}).get("parent_id")
    return out


def _previous_record(q: Query) -> Evidence | None:
    record = previous_record(q.data, q.region, q.indicator, q.previous_plan)
    if record is None:
        return None
    delivered = float(record["actual_value_norm"])
    target = record["target_threshold_norm"]
    year = int(record["target_year"])
    shown = {"year": year, "period_start": None, "value": delivered, "method": "completion",
             "source_id": record["source_id"], "qualifier": "exact"}
    return Evidence(
        "previous_record", 0.0, 0.0, "period", q.region, str(record["indicator_id"]), year,
        float(target) if target == target and target is not None else float("nan"), year,
        delivered, 1, central=delivered, low=delivered, high=delivered, latest=shown,
    )


def higher_level_growth(q: Query) -> Evidence | None:
    if q.measure == "period_total":
        return _benchmark_total(q)
    return benchmark_growth(q.data, q.region, q.indicator, q.window, q.assumptions.times_reading, q.assumptions.year)


#: every evidence method, strongest first; the order is the order of the grades shown to readers
REGISTRY: tuple[Method, ...] = (
    Method("actual", False, ("level", "period_total"), "the target year's actual, or a latest value past the target"),
    Method("own_3", False, ("level",), "three or more actual points of the indicator itself", _own_level,
           hindcast="own"),
    Method("own_2", False, ("level",), "two actual points of the indicator itself", _own_level, hindcast="own"),
    Method("own_derived", False, ("level",), "a point derived from a growth statement", _own_level,
           hindcast="own"),
    Method(
        "own_partial", True, ("period_total",),
        "part of the plan period's total reported (directly, or as the sum of its annual flow)", _own_part,
        sentence="partial", other_series=True, hindcast="partial",
    ),
    Method(
        "previous_pace", True, ("period_total",),
        "the previous period's total and a growth of that total or of its annual flow (never the total repeated)",
        pace_of_previous_total, this_period=False, sentence="pace", hindcast="pace",
    ),
    Method(
        "previous_record", True, ("period_total",), "the previous plan's target and completion of a counterpart",
        _previous_record, this_period=False, sentence="record", hindcast="record",
    ),
    Method(
        "related_partial", True, ("period_total",),
        "part of the period from a related series whose definition differs (e.g. a stock's difference)",
        _related_part,
        sentence="partial", other_series=True,
    ),
    Method("proxy", True, ("level",), "a declared related series over the same years", _proxy_level,
           other_series=True, hindcast="stand_in"),
    Method("benchmark", True, ("level", "period_total"),
           "the parent region's or the nation's growth (of the same total or its annual flow)", higher_level_growth,
           other_series=True, this_period=False, sentence="level", hindcast="higher_level"),
    Method("custom", False, ("level", "period_total"), "a growth rate set by hand (a what-if)", graded=False),
    Method("none", False, ("level", "period_total"), "nothing: the missing number is named"),
)



def code_of(find: Finder) -> str:
    """The evidence code of the first registry entry found by ``find`` (what another module labels it with)."""
    return next(m.code for m in REGISTRY if m.find is find)


def method(code: object) -> Method | None:
    """The registry entry of an evidence code (None for empty cells and unknown codes)."""
    return next((m for m in REGISTRY if m.code == code), None) if isinstance(code, str) else None


def codes() -> tuple[str, ...]:
    """Every evidence code, strongest first."""
    return tuple(m.code for m in REGISTRY)


def grades() -> tuple[str, ...]:
    """The grades a report explains, strongest first (a what-if is not a grade)."""
    return tuple(m.code for m in REGISTRY if m.graded)


def is_weak(code: object) -> bool:
    """Whether a row graded ``code`` rests on weak evidence."""
    m = method(code)
    return m is not None and m.weak


def this_period() -> frozenset[str]:
    """Grades whose latest value of a plan-period total belongs to the period judged (drawn as progress)."""
    return frozenset(
        m.code
        for m in REGISTRY
        if (m.this_period and "period_total" in m.measures and m.find is not None) or m.code == "actual"
    )


def register(m: Method, before: str = "custom") -> None:
    """Add an evidence method to the registry, ahead of ``before`` (its words go in every catalogue)."""
    global REGISTRY
    at = codes().index(before)
    REGISTRY = (*REGISTRY[:at], m, *REGISTRY[at:])


def finders(measure: str) -> list[Finder]:
    """The functions that find evidence for a measure, strongest first, each once."""
    kind = "period_total" if measure == "period_total" else "level"
    out: list[Finder] = []
    for m in REGISTRY:
        if m.find is not None and kind in m.measures and m.find not in out:
            out.append(m.find)
    return out


def find(q: Query) -> Evidence | None:
    """The strongest evidence the registry finds for a query."""
    for finder in finders(q.measure):
        ev = finder(q)
        if ev is not None:
            return ev
    return None
