"""Review of a finished plan: the outcome of every target, and a tally by attribute (codes and numbers).

A target's outcome comes from the plan's own completion table where it gives one (the 13th plans:
``actual_value`` in targets.csv), else from the actuals held in observations.csv, through the
assessment itself (:func:`plantrack.analysis.projection.project_region` as of the review's year):

* ``met`` / ``not_met``: the target-year actual (a completion, or an observation of the target year)
  against the target, with the margin (actual − target) ÷ |target|; ``met`` also when an earlier
  actual already reached it (the method's 提前实现);
* ``pending``: the target year passed, its actual not yet published: the projection from the
  latest actual and its verdict are kept as the likely outcome;
* ``not_assessable``: no target number (qualitative, none given) or no actual at all.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.params import ParameterError, Scope, check_region, latest_plan
from ..data.tables import PlanData
from ..data.values import present
from .assumptions import Assumptions
from .plans import finished_plans
from .projection import project_region
from .verdict import meets

STATUSES = ("met", "not_met", "pending", "not_assessable")
#: a completion table's row that states no target: a result the plan reports, not a target it set (never tallied)
RESULT_ONLY = "result_only"
#: how each row's status was reached (``review_reason`` in the catalogues)
REASONS = (
    "no_target_given", "qualitative", "no_completion_value", "compared_point", "compared_lower_bound",
    "compared_upper_bound", "compared_range", "actual_of_target_year", "met_before_target_year",
    "actual_not_published", "no_actual",
)
#: where a row's outcome comes from: the plan's completion table or the observations
OUTCOME_FROM = ("completion", "observations")
COLUMNS = [
    "region_id", "plan", "indicator_id", "name_as_written", "unit_as_written", "attribute", "target_text",
    "target_kind", "target_value", "target_low_norm", "target_high_norm", "target_strict",
    "actual_text", "actual_value", "completion_ratio", "status", "reason",
    "outcome_from", "actual_year", "margin", "evidence", "latest_year", "latest_value", "projection_central",
    "verdict",
]


def assess(row: dict) -> tuple[str, float | None, float | None, str]:
    """Status, threshold, completion ratio (actual / target) and a reason code for one finished target."""
    kind, actual = row["target_kind"], row["actual_value"]
    if kind == "missing":
        return (RESULT_ONLY if has_completion(row) else "not_assessable"), None, None, "no_target_given"
    if kind == "qualitative":
        return "not_assessable", None, None, "qualitative"
    if actual is None or pd.isna(actual):
        return "not_assessable", None, None, "no_completion_value"
    threshold = row["target_threshold"]
    ok = meets(float(actual), float(threshold), 1, bool(row["target_strict"]) and kind == "lower_bound")
    ratio = float(actual) / float(threshold) if threshold else None
    return "met" if ok else "not_met", float(threshold), ratio, f"compared_{kind}"


def has_completion(row: dict[str, Any]) -> bool:
    """True when the plan's own completion table gives this target's outcome (a figure or a text)."""
    return present(row.get("actual_value")) or (present(row.get("actual_text")) and str(row["actual_text"]) != "")


def _as_written(value: Any, factor: Any) -> float | None:
    """A value in the catalogue unit back in the unit the target is written in."""
    if not present(value):
        return None
    f = float(factor) if present(factor) and float(factor) else 1.0
    return float(value) / f


def _from_observations(row: dict[str, Any], assessed: dict[str, Any]) -> dict[str, Any]:
    """A review row from the assessment of the target as of the review's year (no completion table)."""
    factor = row.get("factor")
    target = _as_written(assessed["target_value"], factor)
    out: dict[str, Any] = {
        "outcome_from": "observations", "target_value": target, "evidence": assessed["evidence"],
        "latest_year": assessed["latest_year"], "latest_value": _as_written(assessed["latest_value"], factor),
        "projection_central": _as_written(assessed["projection_central"], factor), "verdict": assessed["verdict"],
    }
    if row["target_kind"] in ("missing", "qualitative") or target is None:
        reason = "qualitative" if row["target_kind"] == "qualitative" else "no_target_given"
        return {**out, "status": "not_assessable", "reason": reason}
    if assessed["outcome"] == "final":
        actual = _as_written(assessed["actual_value"], factor)
        return {
            **out, "status": "met" if assessed["verdict"] == "achieved" else "not_met",
            "reason": "actual_of_target_year", "actual_value": actual, "actual_year": assessed["latest_year"],
            "margin": assessed["margin"],
            "completion_ratio": actual / target if actual is not None and target else None,
        }
    if assessed["verdict"] == "achieved":  # an earlier actual already reached the target
        latest = out["latest_value"]
        margin = (latest - target) / abs(target) if latest is not None and target else None
        return {
            **out, "status": "met", "reason": "met_before_target_year", "actual_value": latest,
            "actual_year": assessed["latest_year"], "margin": margin,
            "completion_ratio": latest / target if latest is not None and target else None,
        }
    if assessed["outcome"] == "pending":
        return {**out, "status": "pending", "reason": "actual_not_published"}
    return {**out, "status": "not_assessable", "reason": "no_actual"}


def review(data: PlanData, region: str | Scope, plan: str | None = None, as_of: int | None = None) -> pd.DataFrame:
    """One row per target of a finished plan of ``region`` (default: the plan :func:`review_plan` picks).

    ``as_of`` (default: this year) limits the observations an outcome may come from. ``region`` may be a
    :class:`Scope` checked already (a report's context): its plan is reviewed and nothing is checked again.
    """
    year = Assumptions(as_of=as_of).year
    if isinstance(region, Scope):
        return _review(data, region, year)
    check_region(data, region)
    if plan is None:
        plan = review_plan(data, Scope(region, latest_plan(data, region)), year)
        if plan is None:
            return pd.DataFrame(columns=COLUMNS)
    if (region, plan) not in data.lookup.plan_targets:
        plans = data.lookup.region_plans.get(region, [])
        raise ParameterError(f"{region} has no {plan} targets in the data (plans: {', '.join(plans)})")
    return _review(data, Scope(region, plan), year)


def _review(data: PlanData, checked: Scope, year: int) -> pd.DataFrame:
    """:func:`review` of a checked region and plan, with observations up to ``year``."""
    region, plan = checked.region, checked.plan
    rows = data.lookup.plan_targets.get((region, plan), [])
    assessed = {}
    if not all(has_completion(r) for r in rows):
        table = project_region(data, checked, assumptions=Assumptions(as_of=year), fragility=False)
        assessed = {r["indicator_id"]: r for r in table.to_dict("records")}
    out = []
    for r in rows:
        rec: dict[str, Any] = {c: r.get(c) for c in COLUMNS}
        rec.update(dict.fromkeys(COLUMNS[COLUMNS.index("target_value"):]), actual_text=r.get("actual_text"))
        rec.update({k: r.get(k) for k in ("target_low_norm", "target_high_norm", "target_strict")})  # parsed once
        if has_completion(r) or r["indicator_id"] not in assessed:
            status, threshold, ratio, reason = assess(r)
            rec.update(target_value=threshold, completion_ratio=ratio, status=status, reason=reason,
                       actual_value=r.get("actual_value"))
            if status != "not_assessable":
                rec.update(outcome_from="completion", actual_year=int(r["target_year"]), evidence="actual",
                           margin=(ratio - 1) if ratio is not None else None)
        else:
            rec.update(_from_observations(r, assessed[r["indicator_id"]]))
        out.append(rec)
    frame = pd.DataFrame(out, columns=COLUMNS)
    for col in ("actual_year", "latest_year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def has_outcomes(reviewed: pd.DataFrame) -> bool:
    """True when at least one target of a review has a final outcome (met or not met at its target year)."""
    final = reviewed["reason"] != "met_before_target_year"
    return bool((reviewed["status"].isin(("met", "not_met")) & final).any())


def review_plan(data: PlanData, region: str | Scope, as_of: int | None = None) -> str | None:
    """The region's latest finished plan whose outcomes the data hold (the plan a report reviews).

    Outcomes are held when the plan's completion table gives one, or when an actual of a target's
    own year is in the observations (up to ``as_of``, default: this year). ``region`` may be a checked
    :class:`Scope` (its region is used).
    """
    year = Assumptions(as_of=as_of).year
    region = region.region if isinstance(region, Scope) else check_region(data, region, with_targets=False)
    for plan in reversed(finished_plans(data, region, year)):
        rows = data.lookup.plan_targets.get((region, plan), [])
        if any(has_completion(r) for r in rows) or has_outcomes(_review(data, Scope(region, plan), year)):
            return plan
    return None


def targets_of(reviewed: pd.DataFrame) -> pd.DataFrame:
    """The reviewed rows that are targets (a result reported without a target is not one)."""
    return reviewed[reviewed["status"] != RESULT_ONLY]


def results_only(reviewed: pd.DataFrame) -> pd.DataFrame:
    """The reviewed rows that report a result without stating a target (Tongzhou's 13th-plan completion table)."""
    return reviewed[reviewed["status"] == RESULT_ONLY]


def tally(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Counts of met / not met / (pending) / not assessable by attribute (empty: ``unspecified``) and in total.

    The ``pending`` column is there only when a target's outcome is pending (never for a completion table).
    Results reported without a target are not targets and are not counted.
    """
    reviewed = targets_of(reviewed)
    if reviewed.empty:
        shown = [s for s in STATUSES if s != "pending"]
        return pd.DataFrame(0, index=pd.Index(["total"], name="attribute"), columns=[*shown, "total"])
    df = reviewed.assign(attribute=reviewed["attribute"].fillna("unspecified"))
    table = df.pivot_table(index="attribute", columns="status", aggfunc="size", fill_value=0)
    shown = [s for s in STATUSES if s != "pending" or s in table.columns]
    for s in shown:
        if s not in table.columns:
            table[s] = 0
    table = table[shown]
    table.loc["total"] = table.sum()
    table["total"] = table.sum(axis=1)
    return table.astype(int)
