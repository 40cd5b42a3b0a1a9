"""Review of a finished plan: completion of every target, and a tally by attribute (codes and numbers)."""

from __future__ import annotations

import pandas as pd

from ..data.params import ParameterError, check_region
from ..data.tables import PlanData
from .plans import finished_plans
from .verdict import meets

STATUSES = ("met", "not_met", "not_assessable")
COLUMNS = [
    "region_id", "plan", "indicator_id", "name_as_written", "unit_as_written", "attribute", "target_text",
    "target_kind", "target_value", "target_low_norm", "target_high_norm", "target_strict",
    "actual_text", "actual_value", "completion_ratio", "status", "reason",
]


def assess(row: dict) -> tuple[str, float | None, float | None, str]:
    """Status, threshold, completion ratio (actual / target) and a reason code for one finished target."""
    kind, actual = row["target_kind"], row["actual_value"]
    if kind == "missing":
        return "not_assessable", None, None, "no_target_given"
    if kind == "qualitative":
        return "not_assessable", None, None, "qualitative"
    if actual is None or pd.isna(actual):
        return "not_assessable", None, None, "no_completion_value"
    threshold = row["target_threshold"]
    ok = meets(float(actual), float(threshold), 1, bool(row["target_strict"]) and kind == "lower_bound")
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


def tally(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Counts of met / not met / not assessable by attribute (empty attribute: ``unspecified``) and in total."""
    df = reviewed.assign(attribute=reviewed["attribute"].fillna("unspecified"))
    table = df.pivot_table(index="attribute", columns="status", aggfunc="size", fill_value=0)
    for s in STATUSES:
        if s not in table.columns:
            table[s] = 0
    table = table[list(STATUSES)]
    table.loc["total"] = table.sum()
    table["total"] = table.sum(axis=1)
    return table.astype(int)
