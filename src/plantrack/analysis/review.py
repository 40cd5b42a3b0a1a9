"""Review of a finished plan: completion of every target, and a tally by attribute (codes and numbers)."""

from __future__ import annotations

import pandas as pd

from ..data.params import ParameterError, check_region
from ..data.tables import PlanData
from ..data.values import parse_value_text
from .plans import finished_plans
from .verdict import meets

STATUSES = ("met", "not_met", "not_assessable")
#: a completion table's row that states no target: a result the plan reports, not a target it set (never tallied)
RESULT_ONLY = "result_only"
COLUMNS = [
    "region_id",
    "plan",
    "indicator_id",
    "name_as_written",
    "unit_as_written",
    "attribute",
    "target_text",
    "target_kind",
    "target_value",
    "actual_text",
    "actual_value",
    "completion_ratio",
    "status",
    "reason",
]


def assess(row: dict) -> tuple[str, float | None, float | None, str]:
    """Status, threshold, completion ratio (actual / target) and a reason code for one finished target."""
    kind, actual = row["target_kind"], row["actual_value"]
    if kind == "missing":
        has_result = row.get("actual_text") is not None and not pd.isna(row.get("actual_text"))
        return (RESULT_ONLY if has_result else "not_assessable"), None, None, "no_target_given"
    if kind == "qualitative":
        return "not_assessable", None, None, "qualitative"
    if actual is None or pd.isna(actual):
        return "not_assessable", None, None, "no_completion_value"
    threshold = row["target_low"] if kind in ("point", "lower_bound", "range") else row["target_high"]
    strict = kind == "lower_bound" and parse_value_text(str(row["target_text"])).strict
    ok = meets(float(actual), float(threshold), 1, strict)
    ratio = float(actual) / float(threshold) if threshold else None
    return "met" if ok else "not_met", float(threshold), ratio, f"compared_{kind}"


def review(data: PlanData, region: str, plan: str | None = None) -> pd.DataFrame:
    """One row per target of a finished plan of ``region`` (default: its latest finished plan with completions)."""
    check_region(data, region)
    if plan is None:
        plan = review_plan(data, region)
        if plan is None:
            return pd.DataFrame(columns=COLUMNS)
    rows = data.targets[(data.targets["region_id"] == region) & (data.targets["plan"] == plan)]
    if rows.empty:
        plans = sorted(set(data.targets.loc[data.targets["region_id"] == region, "plan"]))
        raise ParameterError(f"{region} has no {plan} targets in the data (plans: {', '.join(plans)})")
    out = []
    for r in rows.to_dict("records"):
        status, threshold, ratio, reason = assess(r)
        rec = {c: r.get(c) for c in COLUMNS}
        rec.update(target_value=threshold, completion_ratio=ratio, status=status, reason=reason)
        out.append(rec)
    return pd.DataFrame(out, columns=COLUMNS)


def review_plan(data: PlanData, region: str, as_of: int = 9999) -> str | None:
    """The region's latest finished plan whose completions the data give (the plan a report reviews)."""
    candidates = []
    for plan in finished_plans(data, region, as_of):
        t = data.targets[(data.targets["region_id"] == region) & (data.targets["plan"] == plan)]
        if t["actual_text"].notna().any() or t["actual_value"].notna().any():
            candidates.append(plan)
    return candidates[-1] if candidates else None


def targets_of(reviewed: pd.DataFrame) -> pd.DataFrame:
    """The reviewed rows that are targets (a result reported without a target is not one)."""
    return reviewed[reviewed["status"] != RESULT_ONLY]


def results_only(reviewed: pd.DataFrame) -> pd.DataFrame:
    """The reviewed rows that report a result without stating a target (Tongzhou's 13th-plan completion table)."""
    return reviewed[reviewed["status"] == RESULT_ONLY]


def tally(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Counts of met / not met / not assessable targets by attribute (empty: ``unspecified``) and in total.

    Results reported without a target are not targets and are not counted.
    """
    reviewed = targets_of(reviewed)
    if reviewed.empty:
        return pd.DataFrame(0, index=pd.Index(["total"], name="attribute"), columns=[*STATUSES, "total"])
    df = reviewed.assign(attribute=reviewed["attribute"].fillna("unspecified"))
    table = df.pivot_table(index="attribute", columns="status", aggfunc="size", fill_value=0)
    for s in STATUSES:
        if s not in table.columns:
            table[s] = 0
    table = table[list(STATUSES)]
    table.loc["total"] = table.sum()
    table["total"] = table.sum(axis=1)
    return table.astype(int)
