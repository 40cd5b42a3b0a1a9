"""Backtest: the projection that could have been made at the end of the previous plan, against what happened.

For every target whose target-year actual is known now, the assessment is run again as of
the last year of the previous plan (its growth, data up to that year) and set against the
final outcome: projected, actual, error and whether the outcome confirmed the verdict.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

import pandas as pd

from ..data.tables import PlanData
from .assumptions import Assumptions
from .plans import plan_span, previous_plan
from .projection import GROUPS, assess_target

COLUMNS = [
    "region_id", "plan", "indicator_id", "name_as_written", "unit", "target_value", "as_of_then", "evidence_then",
    "projected", "verdict_then", "actual", "actual_year", "error", "outcome_now", "confirmed",
]


def _confirmed(verdict_then: str, outcome_now: str) -> bool | None:
    """True when the verdict then pointed the way the outcome went; None when there was no verdict."""
    if verdict_then in GROUPS["unknown"]:
        return None
    expected_met = verdict_then in ("achieved", "on_track")
    return expected_met == (outcome_now == "achieved")


def backtest(data: PlanData, region: str | None = None, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """One row per target with a final outcome whose plan has a previous plan to project from.

    A target repeated by two plans of a region (the same indicator, year and value, e.g. in a
    long-range outline and the five-year plan) is counted once, under the later of the two.
    """
    a = assumptions or Assumptions()
    rows = data.targets if region is None else data.targets[data.targets["region_id"] == region]
    out = []
    for row in rows.to_dict("records"):
        prev = previous_plan(data, row["plan"])
        if prev is None or row["target_kind"] in ("qualitative", "missing"):
            continue
        now = assess_target(data, row, None, a)
        if now["outcome"] != "final":
            continue
        as_of_then = plan_span(data, prev)[1]
        then = assess_target(data, row, None, replace(a, as_of=as_of_then, custom_growth=None))
        projected = then["projection_central"] if then["verdict"] != "achieved" else then["latest_value"]
        actual = now["actual_value"]
        error = (projected - actual) / abs(actual) if projected is not None and actual else None
        out.append(
            {
                "region_id": row["region_id"], "plan": row["plan"], "indicator_id": row["indicator_id"],
                "name_as_written": row["name_as_written"], "unit": now["unit"], "target_value": now["target_value"],
                "as_of_then": as_of_then, "evidence_then": then["evidence"], "projected": projected,
                "verdict_then": then["verdict"], "actual": actual, "actual_year": now["latest_year"],
                "error": error, "outcome_now": now["verdict"], "confirmed": _confirmed(then["verdict"], now["verdict"]),
            }
        )
    frame = pd.DataFrame(out, columns=COLUMNS)
    return _once(data, frame)


def _once(data: PlanData, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop a target that a later plan of the same region repeats with the same year and value."""
    if frame.empty:
        return frame
    rank = {(r, p): i for r, plans in data.lookup.region_plans.items() for i, p in enumerate(plans)}
    order = [rank.get((r, p), -1) for r, p in zip(frame["region_id"], frame["plan"], strict=True)]
    key = ["region_id", "indicator_id", "target_value", "actual_year"]
    later_first = frame.assign(_rank=order).sort_values("_rank", ascending=False, kind="stable")
    kept = later_first.drop_duplicates(key).index
    return frame.loc[sorted(kept)].reset_index(drop=True)


def summary(frame: pd.DataFrame) -> dict[str, float | int | None]:
    """Targets backtested, median absolute error of the projections, share of verdicts the outcome confirmed."""
    errors = [abs(e) for e in frame["error"] if e is not None and e == e]
    judged = [c for c in frame["confirmed"] if c is not None and c == c]
    return {
        "n": len(frame),
        "n_projected": len(errors),
        "median_abs_error": statistics.median(errors) if errors else None,
        "n_judged": len(judged),
        "share_confirmed": sum(bool(c) for c in judged) / len(judged) if judged else None,
    }
