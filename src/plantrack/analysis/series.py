"""History points of one indicator in one region, gathered from all tables.

Points come from ``observations.csv`` (stated or derived), from target baselines
(e.g. Suzhou 表2's 2020 values) and from completions of finished plans (Suzhou 表1).
Values are in the catalogue unit. Derived points follow the chosen reading of
"增长N倍" (``times_reading``: ``increase`` = ×(1+N), the standard usage; ``multiple`` = ×N).
"""

from __future__ import annotations

import pandas as pd

from ..data.tables import PlanData
from ..data.values import derive, present
from .assumptions import TIMES_READINGS, TimesReading
from .plans import plan_span

COLUMNS = ["year", "period_start", "value", "qualifier", "method", "source_id", "detail"]
_PRIORITY = {"stated": 0, "completion": 1, "baseline": 2, "derived": 3}


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
