"""Plan periods from the data: each plan's span and the plan before it, whose period gives the growth window."""

from __future__ import annotations

from ..data.tables import PlanData


def plan_span(data: PlanData, plan: str) -> tuple[int, int]:
    """First and last year of a plan."""
    row = data.lookup.plans[plan]
    return int(row["start_year"]), int(row["end_year"])  # type: ignore[call-overload]


def previous_plan(data: PlanData, plan: str) -> str | None:
    """The plan before ``plan`` (``previous_plan`` in plans.csv), if any."""
    prev = data.lookup.plans[plan].get("previous_plan")
    return str(prev) if prev and prev == prev else None


def growth_window(data: PlanData, plan: str) -> tuple[int, int] | None:
    """Years whose end points measure the previous plan's growth: end of the year before it to its last year."""
    prev = previous_plan(data, plan)
    if prev is None:
        return None
    start, end = plan_span(data, prev)
    return start - 1, end


def finished_plans(data: PlanData, region: str, as_of: int) -> list[str]:
    """The region's plans with targets whose period ended before ``as_of``, oldest first."""
    ids = set(data.targets.loc[data.targets["region_id"] == region, "plan"])
    ended = [p for p in ids if plan_span(data, p)[1] < as_of]
    return sorted(ended, key=lambda p: plan_span(data, p))
