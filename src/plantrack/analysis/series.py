"""History points of one indicator in one region, gathered from all tables.

Points come from ``observations.csv`` (stated or derived), from target baselines
(e.g. Suzhou 表2's 2020 values) and from completions of finished plans (Suzhou 表1).
Values are in the catalogue unit. Derived points follow the chosen reading of
"增长N倍" (``times_reading``: ``increase`` = ×(1+N), the standard usage; ``multiple`` = ×N).
"""

from __future__ import annotations

import pandas as pd

from ..data.provenance import quote_issues
from ..data.tables import PlanData
from ..data.values import derive, present
from .assumptions import TIMES_READINGS, TimesReading
from .plans import plan_span

COLUMNS = ["year", "period_start", "value", "qualifier", "method", "source_id", "detail"]
_PRIORITY = {"stated": 0, "completion": 1, "baseline": 2, "derived": 3, "relation": 4}


def points(
    data: PlanData, region: str, indicator: str, times_reading: TimesReading = "increase", as_of: int | None = None
) -> pd.DataFrame:
    """All points of ``indicator`` in ``region``, one per (year, period), oldest first.

    ``period_start`` is set for totals over a period. Where two tables give the same
    point, a stated observation wins over a completion, a baseline and a derivation.
    """
    return pd.DataFrame(point_records(data, region, indicator, times_reading, as_of), columns=COLUMNS)


def point_records(
    data: PlanData, region: str, indicator: str, times_reading: TimesReading = "increase", as_of: int | None = None
) -> list[dict[str, object]]:
    """The rows of :func:`points` as dicts (``period_start`` None for single-year points); cheaper in loops.

    Only the indicator's main series counts: values of another definition (``series``), part-year
    figures (``covers``) and values marked ``use=no`` stay in the data but are no points of growth.
    ``as_of`` drops every point after that year.
    """
    if times_reading not in TIMES_READINGS:
        raise ValueError(f"times_reading must be one of {', '.join(TIMES_READINGS)}, not {times_reading!r}")
    measure = data.indicator(indicator)["measure"]
    rows: list[dict[str, object]] = []
    for r in data.lookup.observations.get((region, indicator), []):
        if present(r.get("series")) or present(r.get("covers")) or r.get("use") == "no":
            continue
        value = r["value_norm"]
        detail = r["derivation"] or r["locator"]
        if r["method"] == "derived":
            value = derive(r["growth_phrase"], r["derived_from_norm"], r["growth_number"], times_reading)
            if r["growth_phrase"] == "times_increase" and times_reading == "multiple":
                detail = f"{r['derivation']} — under the other reading: ÷ {r['growth_number']:g}"
        rows.append(
            {
                "year": int(r["year"]),
                "period_start": None if pd.isna(r["period_start"]) else int(r["period_start"]),
                "value": float(value),
                "qualifier": r["value_qualifier"],
                "method": r["method"],
                "source_id": r["source_id"],
                "detail": detail,
                "quote_issue": r.get("quote_issue") if present(r.get("quote_issue")) else None,
            }
        )
    for r in data.lookup.targets.get((region, indicator), []):
        start, end = plan_span(data, r["plan"])
        length = end - start + 1
        if pd.notna(r["baseline_value_norm"]):
            year = int(r["baseline_year"])
            rows.append(
                {
                    "year": year,
                    "period_start": year - length + 1 if measure == "period_total" else None,
                    "value": float(r["baseline_value_norm"]),
                    "qualifier": "exact",
                    "method": "baseline",
                    "source_id": r["source_id"],
                    "detail": f"{r['locator']}: {r['baseline_text']}",
                }
            )
        if pd.notna(r["actual_value_norm"]):
            year = int(r["target_year"])
            rows.append(
                {
                    "year": year,
                    "period_start": start if measure == "period_total" else None,
                    "value": float(r["actual_value_norm"]),
                    "qualifier": "lower_bound" if "余" in str(r["actual_text"]) else "exact",
                    "method": "completion",
                    "source_id": r["source_id"],
                    "detail": f"{r['locator']}: {r['actual_text']}",
                }
            )
    if as_of is not None:
        rows = [r for r in rows if int(r["year"]) <= as_of]  # type: ignore[call-overload]
    rows += related_points(data, region, indicator, times_reading, as_of)
    rows.sort(key=lambda r: (r["year"], _period_key(r), _PRIORITY[str(r["method"])]))
    kept, seen = [], set()
    for r in rows:
        if (r["year"], _period_key(r)) not in seen:
            seen.add((r["year"], _period_key(r)))
            kept.append(r)
    return kept


def _period_key(row: dict[str, object]) -> int:
    start = row["period_start"]
    return -1 if start is None else int(start)  # type: ignore[call-overload]


def _spans(data: PlanData) -> list[tuple[int, int]]:
    """Every plan period of the dataset, once."""
    return sorted({plan_span(data, str(p)) for p in data.plans["plan_id"]})


def _exact_levels(pts: list[dict[str, object]]) -> dict[int, dict[str, object]]:
    return {int(p["year"]): p for p in pts if p["period_start"] is None and p["qualifier"] == "exact"}  # type: ignore[call-overload]


def related_points(
    data: PlanData, region: str, indicator: str, times_reading: TimesReading = "increase", as_of: int | None = None
) -> list[dict[str, object]]:
    """Points of ``indicator`` computed from another indicator by its declared relation (``indicators.csv``).

    ``sum_of_flow``: a plan period's total (or the part reported so far) is the sum of the annual flow's
    exact values in its years; ``difference_of_stock``: what was added over a period so far is the stock at
    the latest year minus the stock at the end of the previous period; ``per_10k``: a count per 10 000 people
    from the count and the population (held in 人: 万人 as written is normalised on loading). Each point has
    ``method`` ``relation``, names the series it comes from
    (``related_indicator_id``), the years it covers (``covered``) and whether the definitions match.
    """
    info = data.indicator(indicator)
    relation = info.get("relation")
    if not relation or relation != relation:
        return []
    other = str(info["relation_of"])
    same = info.get("relation_definitions") == "same"
    levels = _exact_levels(point_records(data, region, other, times_reading, as_of))
    out: list[dict[str, object]] = []

    def point(
        year: int, start: int | None, value: float, covered: tuple[int, ...], src: object, what: str,
        parts: list[dict[str, object]],
    ) -> None:
        issues = ";".join(dict.fromkeys(c for p in parts for c in quote_issues(p.get("quote_issue"))))
        out.append(
            {
                "year": year, "period_start": start, "value": float(value), "qualifier": "exact", "method": "relation",
                "source_id": src, "detail": what, "covered": covered, "related_indicator_id": other,
                "same_definition": same, "quote_issue": issues or None,
            }
        )

    if relation == "sum_of_flow":
        for start, end in _spans(data):
            years = tuple(y for y in sorted(levels) if start <= y <= end)
            if years:
                total = sum(float(levels[y]["value"]) for y in years)  # type: ignore[arg-type]
                point(years[-1], start, total, years, levels[years[-1]]["source_id"], f"sum of {other}",
                      [levels[y] for y in years])
    elif relation == "difference_of_stock":
        for start, end in _spans(data):
            later = [y for y in sorted(levels) if start <= y <= end]
            if start - 1 in levels and later:
                y = later[-1]
                added = float(levels[y]["value"]) - float(levels[start - 1]["value"])  # type: ignore[arg-type]
                point(y, start, added, tuple(range(start, y + 1)), levels[y]["source_id"], f"difference of {other}",
                      [levels[start - 1], levels[y]])
    elif relation == "per_10k":
        per = str(info["relation_per"])
        people = _exact_levels(point_records(data, region, per, times_reading, as_of))
        for y in sorted(set(levels) & set(people)):
            if float(people[y]["value"]) > 0:  # type: ignore[arg-type]
                value = float(levels[y]["value"]) / float(people[y]["value"]) * 10_000  # type: ignore[arg-type]
                what = f"{other} per 10 000 people"
                point(y, None, value, (y,), levels[y]["source_id"], what, [levels[y], people[y]])
    return out
