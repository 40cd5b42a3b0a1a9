"""Hindcast: every evidence method applied as of every earlier cut year, set against every later actual.

METHOD §6 ("calibrate before you trust"). For every series — a region's indicator, its main
series as :func:`plantrack.analysis.series.point_records` gives it (values of another
definition, part-year figures and ``use=no`` rows stay out) — and every cut year ``c`` from
the series' first year to ``as_of − 1``, each method of :func:`projectors` (read from the registry) is asked to
project the series' later points from what was known at ``c``. Every method that could have
answered answers (not only the first the assessment would pick), and so does the no-growth
**null** (the latest value, or the previous period's total, repeated), as a reference that
shows how bad the null is.

**Known at the cut (vintage).** With ``vintage="publication"`` (the default) a point of
reference year ``y`` is known at cut ``c`` when ``y ≤ c`` and its source (``sources.csv``
``date``, its year) was published by the end of year ``c + 1`` — the year in which an
assessment "as of ``c``" is made, when year ``c``'s statistics come out. A source without a
date counts as published in time. ``vintage="reference_year"`` drops only the years after the
cut. The actuals a projection is judged against are every later point held now (up to
``as_of``), whenever published.

**Period totals from an annual flow.** The cumulative sum of an ``annual_flow`` indicator from
the first year of a plan period (``plans.csv``) up to a year whose every annual value is held is
a point of the series too (``method="sum"``): the pro rata method of a part-reported period
(``own_partial``) and the period methods are calibrated on them.

**Error and confirmation.** ``error`` = (projected − actual) / |actual|. A row is judged against
a threshold: the region's target of the indicator for the projected year (and the same period,
for totals), else — for single-year values — the target of the nearest year in the region's plans.
The projection "says met" when it reaches ``ON_TRACK_PROGRESS`` of the way from the value known
at the cut to the threshold (for totals: projected ÷ threshold ≥ ``ON_TRACK_PROGRESS``), the cut
point of the assessment's 符合预期; it is confirmed when the actual falls on the same side of
the threshold. A row without a target of its series, or whose value known at the cut already
met the threshold (the assessment then says 已实现 and applies no method), counts in the error
statistics but not in the confirmed share. A later cut that knew nothing more than an earlier
one makes the same projection (same method, starting point and growth): it is counted once, at
the earlier cut.

Numbers and codes only; the words are in ``present/catalogue``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from ..data.tables import PlanData
from . import growth, methods
from .assumptions import current_year
from .plans import growth_window
from .series import point_records
from .verdict import ON_TRACK_PROGRESS, meets, target_number

Vintage = Literal["publication", "reference_year"]
VINTAGES: tuple[str, ...] = ("publication", "reference_year")
#: a method needs this many hindcasts, and this share of them confirmed, to give a verdict by itself
MIN_HINDCASTS = 5
MIN_CONFIRMED_SHARE = 2 / 3
MIN_SERIES = 3  # a record from fewer series says how one or two series behaved, not how the method does
#: percentiles of the signed relative errors that make a method's band (where it has MIN_HINDCASTS)
BAND_PERCENTILES = (10, 90)

COLUMNS = [
    "method", "region_id", "indicator_id", "measure", "cut_year", "period_start", "year", "horizon", "from_year",
    "from_value", "growth", "projected", "actual", "actual_method", "error", "threshold", "threshold_year",
    "threshold_match", "predicted_met", "actual_met", "confirmed",
]

Point = dict[str, Any]
_PLAN_MEMO = "_hindcast_plan_at"  # on a lookup index: (region, indicator, year) -> the plan framing a cut
Key = tuple[int, int | None]  # (year, period_start): one point of a series


@dataclass(frozen=True)
class Projection:
    """What one method projected as of a cut: values per (year, period_start), from which point, at what growth.

    ``growth`` is per year for single-year values and per period for period totals (None for
    the null and for a pro rata or a previous record, which carry no rate).
    """

    values: dict[Key, float]
    from_year: int
    from_value: float
    growth: float | None = None


@dataclass(frozen=True)
class Record:
    """A method's hindcast record.

    ``n``: hindcasts with a projection and an error; ``median_abs_error`` and ``bias`` (median
    signed error) are relative to the actual; ``judged``: rows with a threshold, ``confirmed``:
    those whose actual fell on the projected side of it; ``band_low``/``band_high``: the
    10th and 90th percentiles of the signed relative errors (None below ``MIN_HINDCASTS``);
    ``series``: how many series (region, indicator) the hindcasts come from — they are not
    independent draws, and a record from one series says less than one from many.
    """

    n: int
    median_abs_error: float | None
    bias: float | None
    confirmed: int
    judged: int
    band_low: float | None
    band_high: float | None
    series: int = 0

    @property
    def share_confirmed(self) -> float | None:
        """Confirmed ÷ judged (None when nothing was judged)."""
        return self.confirmed / self.judged if self.judged else None


def band(record: Record | None, central: float | None) -> tuple[float, float] | None:
    """The range an actual fell in around a projection of ``central``, by the method's hindcast errors.

    error = (projected − actual) ÷ actual, so actual = projected ÷ (1 + error): the 90th and 10th
    percentile of the signed errors give the low and the high end. None below ``MIN_HINDCASTS``.
    """
    if record is None or central is None or record.band_low is None or record.band_high is None:
        return None
    ends = [central / (1 + e) for e in (record.band_high, record.band_low) if 1 + e > 0]
    return (min(ends), max(ends)) if len(ends) == 2 else None


def shortfall(record: Record | None) -> str | None:
    """Why a method's record does not let it give a verdict by itself (None: it does, it is calibrated).

    ``thin``: fewer than 5 hindcasts; ``series``: from fewer than ``MIN_SERIES`` series (how one or two series
    behaved); ``poor``: under 2/3 of the judged ones confirmed; ``unjudged``: none had a target to judge — its
    errors are known, its categories are not, so it decides only by its band (:func:`band_decides`).
    """
    if record is None or record.n < MIN_HINDCASTS:
        return "thin"
    if record.series < MIN_SERIES:
        return "series"
    if not record.judged:
        return "unjudged"
    return None if record.confirmed / record.judged >= MIN_CONFIRMED_SHARE - 1e-12 else "poor"


def band_decides(record: Record | None) -> bool:
    """True when a method with no category record may still decide by its error band: ≥ 5 hindcasts from
    ≥ ``MIN_SERIES`` series, none of them against a target (its errors are known, its categories are not).

    Such a method gives a verdict only where the target lies outside the band: where the actual would fall
    on the same side of the target at both ends of the errors the method made in 80 % of its hindcasts.
    """
    if record is None or shortfall(record) != "unjudged":
        return False
    return record.band_low is not None and record.band_high is not None


def calibrated(record: Record | None) -> bool:
    """True when a method may give a verdict by itself: ≥ 5 hindcasts from ≥ ``MIN_SERIES`` series and ≥ 2/3 of the
    judged ones confirmed."""
    return shortfall(record) is None


# --- what was known at a cut -------------------------------------------------------------------


def publication_years(data: PlanData) -> dict[str, int]:
    """Each dated source's year of publication (the first four digits of ``date``)."""
    out = {}
    for source, date in zip(data.sources["source_id"], data.sources["date"], strict=True):
        m = re.match(r"\s*(\d{4})", str(date)) if isinstance(date, str) else None
        if m:
            out[str(source)] = int(m.group(1))
    return out


def known_at(data: PlanData, cut: int, vintage: Vintage, published: dict[str, int] | None = None) -> PlanData:
    """``data`` as an assessor saw it at the end of ``cut + 1``: rows whose source came out later are left out.

    Only the lookup index is filtered (points, baselines, completions, previous records come
    from it); the years after ``cut`` are dropped by ``as_of`` where the methods read points.
    """
    return _Vintages(data, vintage, published).at(cut)


class _Vintages:
    """Views of one dataset as known at each cut, the publication year of every row looked up once."""

    def __init__(self, data: PlanData, vintage: Vintage, published: dict[str, int] | None = None) -> None:
        self.data, self.vintage = data, vintage
        published = publication_years(data) if published is None else published
        lookup = data.lookup
        year = published.get
        self.years = {
            name: {k: [year(str(r["source_id"]), 0) for r in rows] for k, rows in getattr(lookup, name).items()}
            for name in ("observations", "targets")
        }

    def at(self, cut: int) -> PlanData:
        """The view as of ``cut`` (undated sources count as published in time)."""
        view = dataclasses.replace(self.data)
        lookup = self.data.lookup
        if self.vintage == "publication":
            lookup = dataclasses.replace(
                lookup, **{name: self._by(getattr(lookup, name), self.years[name], cut + 1) for name in self.years}
            )
        view.__dict__["lookup"] = lookup
        return view

    @staticmethod
    def _by(rows_by_key: dict[Any, list], years: dict[Any, list[int]], year: int) -> Mapping[Any, list]:
        return _PublishedBy(rows_by_key, years, year)


class _PublishedBy(Mapping[Any, list]):
    """A lookup table's rows per key whose source was published by ``year``, filtered when first read."""

    def __init__(self, rows_by_key: dict[Any, list], years: dict[Any, list[int]], year: int) -> None:
        self.rows, self.years, self.year = rows_by_key, years, year
        self.done: dict[Any, list] = {}

    def __getitem__(self, key: Any) -> list:
        if key not in self.done:
            rows, when = self.rows[key], self.years[key]
            late = max(when, default=0) > self.year
            self.done[key] = [r for r, y in zip(rows, when, strict=True) if y <= self.year] if late else rows
        return self.done[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


# --- the series ------------------------------------------------------------------------------


def plan_at(data: PlanData, region: str, indicator: str, year: int) -> str | None:
    """The plan running in ``year`` that frames a cut of a series (its growth window and period length).

    The region's plan targeting the indicator comes first, then the region's other plans, then
    the plan most regions have targets in; ties go to the plan listed first in ``plans.csv``.
    """
    memo = data.lookup.__dict__.setdefault(_PLAN_MEMO, {})
    key = (region, indicator, year)
    if key not in memo:
        if "users" not in memo:  # regions with targets in each plan, counted once per index
            memo["users"] = Counter(p for plans in data.lookup.region_plans.values() for p in plans)
        plans = list(data.lookup.plans)
        running = [p for p in plans if _span(data, p)[0] <= year <= _span(data, p)[1]]
        own = {str(t["plan"]) for t in data.lookup.targets.get((region, indicator), [])}
        regional = set(data.lookup.region_plans.get(region, []))
        users = memo["users"]
        ranked = sorted(running, key=lambda p: (p not in own, p not in regional, -users[p], plans.index(p)))
        memo[key] = ranked[0] if ranked else None
    return memo[key]


def _span(data: PlanData, plan: str) -> tuple[int, int]:
    row = data.lookup.plans[plan]
    return int(row["start_year"]), int(row["end_year"])  # type: ignore[call-overload]


def series_points(data: PlanData, region: str, indicator: str, as_of: int) -> list[Point]:
    """The main series' points up to ``as_of``; for an annual flow also its cumulative sums over plan periods."""
    pts = point_records(data, region, indicator, "increase", as_of)
    if data.indicator(indicator)["measure"] != "annual_flow":
        return pts
    annual = {int(p["year"]): p for p in methods.level_points(pts)}
    sums: dict[Key, Point] = {}
    for start, end in sorted({_span(data, p) for p in data.lookup.plans}):
        total = 0.0
        for year in range(start, min(end, as_of) + 1):
            if year not in annual:
                break
            total += float(annual[year]["value"])
            sums.setdefault(
                (year, start),
                {"year": year, "period_start": start, "value": total, "qualifier": "exact", "method": "sum",
                 "source_id": annual[year]["source_id"], "detail": f"{start}-{year}"},
            )
    held = {(int(p["year"]), p["period_start"]) for p in pts}
    return pts + [p for k, p in sums.items() if k not in held]


# --- the projectors: one per evidence code -----------------------------------------------------


def _window(data: PlanData, region: str, indicator: str, cut: int) -> tuple[int, int] | None:
    plan = plan_at(data, region, indicator, cut + 1)
    return growth_window(data, plan) if plan else None


def _length(data: PlanData, region: str, indicator: str, cut: int) -> int | None:
    plan = plan_at(data, region, indicator, cut + 1)
    if plan is None:
        return None
    start, end = _span(data, plan)
    return end - start + 1


def _levels_from(latest: Point, rate: float, later: list[Point]) -> dict[Key, float]:
    """Single-year points grown from ``latest`` at ``rate`` a year."""
    return {
        (int(p["year"]), None): growth.compound(float(latest["value"]), rate, int(p["year"]) - int(latest["year"]))
        for p in methods.level_points(later)
    }


def _totals_from(last: Point, rate: float, length: int, later: list[Point]) -> dict[Key, float]:
    """Full-period totals ``k`` periods after ``last``, grown at ``rate`` a period."""
    out = {}
    for p in methods.full_totals(later, length):
        steps, rest = divmod(int(p["year"]) - int(last["year"]), length)
        if rest == 0 and steps > 0:
            out[(int(p["year"]), int(p["period_start"]))] = float(last["value"]) * (1 + rate) ** steps
    return out


def _known(view: PlanData, region: str, indicator: str, cut: int) -> list[Point]:
    """The series' points known at the cut, read once per view (every projector asks)."""
    memo = view.__dict__.setdefault("_hindcast_known", {})
    if (region, indicator, cut) not in memo:
        memo[(region, indicator, cut)] = series_points(view, region, indicator, cut)
    return memo[(region, indicator, cut)]


def _is_total(data: PlanData, indicator: str) -> bool:
    return data.indicator(indicator)["measure"] == "period_total"


def _own_series(code: str) -> Projector:
    """Own series (METHOD §6): the CAGR of the indicator's own points, graded ``own_2``/``own_3``/``own_derived``."""

    def project(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
        if _is_total(view, indicator):
            return None
        pts = _known(view, region, indicator, cut)
        ev = methods.level_growth(pts, _window(view, region, indicator, cut), region, indicator)
        if ev is None or ev.kind != code:
            return None
        latest = [p for p in methods.level_points(pts) if p["value"] > 0][-1]
        return Projection(_levels_from(latest, ev.rate, later), int(latest["year"]), float(latest["value"]), ev.rate)

    project.__doc__ = f"The own-series CAGR where the assessment would grade it {code}."
    return project


def _own_partial(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """A part-reported period total extrapolated pro rata to the later totals of the same period."""
    parts = [p for p in _known(view, region, indicator, cut) if methods.is_total(p)]
    if not parts:
        return None
    part = max(parts, key=lambda p: (int(p["period_start"]), int(p["year"])))
    start, elapsed = int(part["period_start"]), int(part["year"]) - int(part["period_start"]) + 1
    values = {
        (int(p["year"]), start): float(part["value"]) * (int(p["year"]) - start + 1) / elapsed
        for p in later
        if methods.is_total(p) and int(p["period_start"]) == start and int(p["year"]) > int(part["year"])
    }
    return Projection(values, int(part["year"]), float(part["value"])) if values else None


def _previous_pace(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """The last full-period total grown at the growth between the two last ones."""
    length = _length(view, region, indicator, cut)
    if length is None:
        return None
    pts = _known(view, region, indicator, cut)
    ev = methods.total_growth(pts, length, region, indicator)
    if ev is None:
        return None
    last = methods.full_totals(pts, length)[-1]
    return Projection(_totals_from(last, ev.rate, length, later), int(last["year"]), float(last["value"]), ev.rate)


def _previous_record(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """The previous plan's completion of the declared counterpart as the total of the plan running after the cut."""
    plan = plan_at(view, region, indicator, cut + 1)
    if plan is None:
        return None
    previous = view.lookup.plans[plan].get("previous_plan")
    record = methods.previous_record(view, region, indicator, str(previous) if previous == previous else None)
    if record is None or int(record["target_year"]) > cut:
        return None
    start, end = _span(view, plan)
    delivered = float(record["actual_value_norm"])
    if not any(methods.is_total(p) and (p["year"], p["period_start"]) == (end, start) for p in later):
        return None
    return Projection({(end, start): delivered}, int(record["target_year"]), delivered)


def _proxy(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """The declared stand-in's growth (``proxies.csv``) applied to the indicator's own last value."""
    measure = str(view.indicator(indicator)["measure"])
    length = _length(view, region, indicator, cut)
    if length is None:
        return None
    window = _window(view, region, indicator, cut)
    ev, _ = methods.proxy_growth(view, region, indicator, measure, window, length, "increase", cut)
    if ev is None:
        return None
    pts = _known(view, region, indicator, cut)
    if measure == "period_total":
        full = methods.full_totals(pts, length)
        if not full:
            return None
        return Projection(_totals_from(full[-1], ev.rate, length, later), int(full[-1]["year"]),
                          float(full[-1]["value"]), ev.rate)
    usable = [p for p in methods.level_points(pts) if p["value"] > 0]
    if not usable:
        return None
    return Projection(_levels_from(usable[-1], ev.rate, later), int(usable[-1]["year"]), float(usable[-1]["value"]),
                      ev.rate)


def _benchmark(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """The growth the parent region (else further up) achieved, applied to the indicator's own last value."""
    if _is_total(view, indicator):
        return None
    usable = [p for p in methods.level_points(_known(view, region, indicator, cut)) if p["value"] > 0]
    if not usable:
        return None
    ev = methods.benchmark_growth(view, region, indicator, _window(view, region, indicator, cut), "increase", cut)
    if ev is None:
        return None
    latest = usable[-1]
    return Projection(_levels_from(latest, ev.rate, later), int(latest["year"]), float(latest["value"]), ev.rate)


def _null(view: PlanData, region: str, indicator: str, cut: int, later: list[Point]) -> Projection | None:
    """The reference: the latest value repeated (single years), the previous period's total repeated (totals)."""
    pts = _known(view, region, indicator, cut)
    if _is_total(view, indicator):
        length = _length(view, region, indicator, cut)
        full = methods.full_totals(pts, length) if length else []
        if not full:
            return None
        values = _totals_from(full[-1], 0.0, int(length or 0), later)
        base = full[-1]
    else:
        levels = methods.level_points(pts)
        if not levels:
            return None
        base = levels[-1]
        values = {(int(p["year"]), None): float(base["value"]) for p in methods.level_points(later)}
    return Projection(values, int(base["year"]), float(base["value"]), 0.0) if values else None


Projector = Callable[[PlanData, str, str, int, list[Point]], "Projection | None"]

#: how each family of methods is replayed as of a cut (``Method.hindcast`` in the registry names one)
FAMILIES: dict[str, Callable[[str], Projector]] = {
    "own": _own_series,
    "partial": lambda code: _own_partial,
    "pace": lambda code: _previous_pace,
    "record": lambda code: _previous_record,
    "stand_in": lambda code: _proxy,
    "higher_level": lambda code: _benchmark,
}


def projectors() -> dict[str, Projector]:
    """Every method the hindcast calibrates, from the registry (:data:`plantrack.analysis.methods.REGISTRY`),
    keyed by its evidence code, and the no-growth null (``no_growth``) as the reference."""
    found = {m.code: FAMILIES[m.hindcast](m.code) for m in methods.REGISTRY if m.hindcast}
    return {**found, "no_growth": _null}


# --- the engine ------------------------------------------------------------------------------


def _threshold(data: PlanData, region: str, indicator: str, key: Key) -> tuple[float, bool, int, str] | None:
    """The yardstick of a row: the target of that year (and period), else the nearest year's (single years only)."""
    year, start = key
    rows = []
    for t in data.lookup.targets.get((region, indicator), []):
        value, strict = target_number(t)
        if value is None or value != value:
            continue
        t_year = int(t["target_year"])  # type: ignore[call-overload]
        if start is not None:
            if t_year == year and _span(data, str(t["plan"]))[0] == start:
                rows.append((0, -t_year, float(value), strict, t_year))
        else:
            rows.append((abs(t_year - year), -t_year, float(value), strict, t_year))
    if not rows:
        return None
    distance, _, value, strict, t_year = min(rows)
    return value, strict, t_year, "same_year" if distance == 0 else "nearest"


def _judge(base: float, projected: float, actual: float, threshold: float, strict: bool, direction: int,
           total: bool) -> tuple[bool, bool] | None:
    """(projection says met, actual met); None when the value known at the cut already met the threshold."""
    if not total and meets(base, threshold, direction, strict):
        return None
    if total:
        ratio = projected / threshold if threshold else None
        said = ratio is not None and (ratio >= ON_TRACK_PROGRESS if direction > 0 else ratio <= 1 / ON_TRACK_PROGRESS)
    else:
        said = (projected - base) / (threshold - base) >= ON_TRACK_PROGRESS
    return said, meets(actual, threshold, direction, strict)


def _first_cut(data: PlanData, key: tuple[str, str], pts: list[Point]) -> int | None:
    """The series' first cut year: its first point's (two points are needed), or — for a task target with a
    declared counterpart of the previous plan — the year that counterpart's completion was reached."""
    proxy = data.lookup.proxies.get(key)
    if proxy is not None and proxy["proxy_kind"] == "previous_plan_record" and pts:
        counterpart = data.lookup.targets.get((key[0], str(proxy["proxy_indicator_id"])), [])
        done = [int(t["target_year"]) for t in counterpart]  # type: ignore[call-overload]
        if done:
            return min([*done, *(int(p["year"]) for p in pts)])
    return min(int(p["year"]) for p in pts) if len(pts) >= 2 else None


def _series(data: PlanData) -> list[tuple[str, str]]:
    """Every (region, indicator) with an observation or a target, in a stable order."""
    keys = dict.fromkeys([*data.lookup.observations, *data.lookup.targets])
    return sorted(k for k in keys if k[1] in data.lookup.indicators)


def hindcast(data: PlanData, as_of: int | None = None, vintage: Vintage = "publication") -> pd.DataFrame:
    """One row per method, series, cut year and later point projected (:data:`COLUMNS`); see the module text."""
    if vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {', '.join(VINTAGES)}, not {vintage!r}")
    as_of = current_year() if as_of is None else int(as_of)
    vintages = _Vintages(data, vintage)
    series = {k: series_points(data, *k, as_of) for k in _series(data)}
    starts = {k: _first_cut(data, k, pts) for k, pts in series.items()}
    series = {k: pts for k, pts in series.items() if starts[k] is not None}
    first_cut = min((int(c) for k, c in starts.items() if k in series), default=as_of)
    views = {c: vintages.at(c) for c in range(first_cut, as_of)}
    out, seen = [], set()
    for (region, indicator), pts in series.items():
        info = data.indicator(indicator)
        direction = 1 if info["direction"] == "higher" else -1
        last = max(int(p["year"]) for p in pts)
        for cut in range(int(starts[(region, indicator)] or as_of), min(last, as_of)):
            later = [p for p in pts if int(p["year"]) > cut]
            actual = {(int(p["year"]), p["period_start"] if methods.is_total(p) else None): p for p in later}
            for code, project in projectors().items():
                made = project(views[cut], region, indicator, cut, later)
                if made is None:
                    continue
                for key, value in sorted(made.values.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
                    same = (code, region, indicator, key, made.from_year, made.from_value, made.growth)
                    if same in seen:  # a later cut that knew nothing more: the same projection, counted once
                        continue
                    seen.add(same)
                    out.append(_row(data, code, region, indicator, str(info["measure"]), cut, key, value, made,
                                    actual[key], direction))
    frame = pd.DataFrame(out, columns=COLUMNS)
    for col in ("period_start", "threshold_year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _row(data: PlanData, code: str, region: str, indicator: str, measure: str, cut: int, key: Key, value: float,
         made: Projection, point: Point, direction: int) -> dict[str, Any]:
    """One hindcast row: the projection, the actual, the error and the judgement against the threshold."""
    actual = float(point["value"])
    error = (value - actual) / abs(actual) if actual and math.isfinite(value) else None
    row = {
        "method": code, "region_id": region, "indicator_id": indicator, "measure": measure, "cut_year": cut,
        "period_start": key[1], "year": key[0], "horizon": key[0] - cut, "from_year": made.from_year,
        "from_value": made.from_value, "growth": made.growth, "projected": value, "actual": actual,
        "actual_method": point["method"], "error": error, "threshold": None, "threshold_year": None,
        "threshold_match": None, "predicted_met": None, "actual_met": None, "confirmed": None,
    }
    found = _threshold(data, region, indicator, key)
    if found is not None:
        threshold, strict, t_year, match = found
        row.update(threshold=threshold, threshold_year=t_year, threshold_match=match)
        judged = _judge(made.from_value, value, actual, threshold, strict, direction, key[1] is not None)
        if judged is not None:
            row.update(predicted_met=judged[0], actual_met=judged[1], confirmed=judged[0] == judged[1])
    return row


def records(frame: pd.DataFrame) -> dict[str, Record]:
    """Each method's :class:`Record` from the rows of :func:`hindcast`, in the order of :func:`projectors`."""
    out = {}
    for code in projectors():
        rows = frame[frame["method"] == code]
        scored = rows[rows["error"].notna()]
        errors = sorted(float(e) for e in scored["error"])
        judged = [bool(c) for c in rows["confirmed"] if c is not None and c == c]
        band = _percentiles(errors) if len(errors) >= MIN_HINDCASTS else (None, None)
        out[code] = Record(
            n=len(errors),
            median_abs_error=statistics.median(abs(e) for e in errors) if errors else None,
            bias=statistics.median(errors) if errors else None,
            confirmed=sum(judged),
            judged=len(judged),
            band_low=band[0],
            band_high=band[1],
            series=len(set(zip(scored["region_id"], scored["indicator_id"], strict=True))),
        )
    return out


def _percentiles(values: list[float]) -> tuple[float, float]:
    """The :data:`BAND_PERCENTILES` of sorted ``values``, by linear interpolation."""

    def at(q: float) -> float:
        pos = (len(values) - 1) * q / 100
        low = math.floor(pos)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (pos - low)

    return at(BAND_PERCENTILES[0]), at(BAND_PERCENTILES[1])


def method_records(data: PlanData, as_of: int | None = None, vintage: Vintage = "publication") -> dict[str, Record]:
    """Each evidence method's hindcast record on ``data`` as of ``as_of`` (default: this year), keyed by its code.

    Computed once per dataset: the rows are kept with the dataset's lookup index (so a
    :meth:`PlanData.refresh` after an edit recomputes them); a slice of a larger dataset
    (:mod:`plantrack.data.prepared`) carries the whole dataset's records, computed by the batch.
    """
    as_of = current_year() if as_of is None else int(as_of)
    carried = _carried(data, as_of, vintage)
    if carried is not None:
        return carried
    memo = data.lookup.__dict__.setdefault(_ROWS_MEMO, {})
    if ("records", as_of, vintage) not in memo:
        memo[("records", as_of, vintage)] = records(hindcast_rows(data, as_of, vintage))
    return dict(memo[("records", as_of, vintage)])


def hindcast_rows(data: PlanData, as_of: int | None = None, vintage: Vintage = "publication") -> pd.DataFrame:
    """:func:`hindcast`, computed once per dataset, as-of year and vintage rule (a copy may be changed freely)."""
    as_of = current_year() if as_of is None else int(as_of)
    memo = data.lookup.__dict__.setdefault(_ROWS_MEMO, {})
    if (as_of, vintage) not in memo:
        memo[(as_of, vintage)] = hindcast(data, as_of, vintage)
    return memo[(as_of, vintage)].copy()


_ROWS_MEMO = "_hindcast"  # on a lookup index: (as_of, vintage) -> rows; ("records", as_of, vintage) -> records


def _fact_name(as_of: int, vintage: str) -> str:
    return f"hindcast.records/{as_of}/{vintage}"


def facts(data: PlanData, as_of: int | None = None, vintage: Vintage = "publication") -> dict[str, object]:
    """The method records as plain values for a slice's :class:`~plantrack.data.tables.Whole` (``facts``)."""
    as_of = current_year() if as_of is None else int(as_of)
    found = method_records(data, as_of, vintage)
    return {_fact_name(as_of, vintage): {code: dataclasses.asdict(r) for code, r in found.items()}}


_FIELDS = {f.name: f.type for f in dataclasses.fields(Record)}


def _carried(data: PlanData, as_of: int, vintage: str) -> dict[str, Record] | None:
    """The records a slice carries for this as-of year and vintage rule; None when absent or malformed."""
    if data.whole is None:
        return None
    found = data.whole.facts.get(_fact_name(as_of, vintage))
    if not isinstance(found, dict) or set(found) != set(projectors()):
        return None
    out = {}
    for code, values in found.items():
        if not isinstance(values, dict) or set(values) != set(_FIELDS):
            return None
        if not all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values.values()):
            return None
        out[code] = Record(**values)
    return out
