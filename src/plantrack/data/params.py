"""Checks of user parameters (region, indicator, years) with one clear message each.

The language is checked where its words are, against the catalogue files (:func:`plantrack.present.words.check_lang`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .tables import PlanData
from .values import present


class ParameterError(ValueError):
    """A wrong parameter: the message names the parameter and the valid values."""


def one_of(name: str, value: object, valid: Iterable[object]) -> None:
    valid = list(valid)
    if value not in valid:
        raise ParameterError(f"unknown {name} {value!r}; valid values: {', '.join(map(str, valid))}")


def check_region(data: PlanData, region: str, with_targets: bool = True) -> str:
    """The region id, if it exists (and has targets when ``with_targets``)."""
    plans = data.lookup.region_plans
    if region in (plans if with_targets else data.lookup.regions):
        return region
    valid = sorted(plans) if with_targets else data.region_ids()
    if with_targets and region in data.lookup.regions:
        raise ParameterError(f"region {region!r} has no targets in the data; regions with targets: {', '.join(valid)}")
    one_of("region", region, valid)
    return region


def check_indicator(data: PlanData, indicator: str) -> str:
    """The indicator id, if it is in the catalogue."""
    one_of("indicator", indicator, sorted(data.indicators["indicator_id"]))
    return indicator


def check_plan(data: PlanData, region: str, plan: str) -> str:
    """A plan the region has targets in."""
    one_of(f"plan for {region}", plan, sorted(data.lookup.region_plans.get(region, [])))
    return plan


LAST_TARGET_YEAR = 2050


def target_year_floor(data: PlanData, region: str, plan: str) -> int:
    """The earliest year a region's plan can be projected to: its latest baseline year or the plan's start."""
    rows = data.lookup.plan_targets.get((region, plan), [])
    years = [int(r["baseline_year"]) for r in rows if present(r["baseline_year"])]  # type: ignore[call-overload]
    floor = max(years) if years else 2000
    start = int(data.lookup.plans[plan]["start_year"])  # type: ignore[call-overload]
    return max(floor, start)


def check_target_year(data: PlanData, region: str, plan: str, year: int | None) -> int | None:
    """A projection year no earlier than any baseline or latest value of the region's plan."""
    if year is None:
        return None
    floor = target_year_floor(data, region, plan)
    if not floor <= year <= LAST_TARGET_YEAR:
        raise ParameterError(
            f"target year {year} is before the baseline or plan start ({floor}); valid: {floor}-{LAST_TARGET_YEAR}"
        )
    return year


def default_plan(data: PlanData, region: str) -> str:
    """The region's most recent plan with targets (the region checked)."""
    return latest_plan(data, check_region(data, region))


def latest_plan(data: PlanData, region: str) -> str:
    """The most recent plan with targets of a region the data list as having targets (nothing checked)."""
    return data.lookup.region_plans[region][-1]


@dataclass(frozen=True)
class Scope:
    """A region, its plan and the year to project to, known to the data: checked once by :func:`scope` where
    parameters enter, or taken from the data's own ids (a region's plans, the plan a report reviews).

    Passed on as one value from where the parameters enter (a report's context, the command line) to the
    projection, which then checks nothing again.
    """

    region: str
    plan: str
    target_year: int | None = None


def scope(data: PlanData, region: str, plan: str | None = None, target_year: int | None = None) -> Scope:
    """Check a region, its plan (default: its latest) and a target year once; the checked :class:`Scope`."""
    check_region(data, region)
    plan = check_plan(data, region, plan) if plan else latest_plan(data, region)
    return Scope(region, plan, check_target_year(data, region, plan, target_year))


def national_region(data: PlanData) -> str | None:
    """The region whose level is ``national`` (the country), if the data hold one."""
    ids = data.regions.loc[data.regions["level"] == "national", "region_id"]
    return str(ids.iloc[0]) if len(ids) else None
