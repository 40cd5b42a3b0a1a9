"""The assessment commands: project, compare, review, backtest (a table view in the report's words, or CSV)."""

from __future__ import annotations

import argparse

import pandas as pd

from ...analysis.backtest import backtest, summary
from ...analysis.comparison import compare, incomparable
from ...analysis.projection import group_tally, project_region
from ...analysis.review import review
from ...analysis.review import tally as review_tally
from ...data.params import check_region
from ...data.tables import PlanData
from ...present import formats, listing
from ...present.words import words
from .common import Command, assumptions_of, data_of, show

COMPARE_COLUMNS = [
    "indicator", "region", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "compared_with", "vs_compared", "vs_national", "note",
]
REVIEW_COLUMNS = [
    "plan", "indicator", "attribute", "target_text", "actual_text", "completion_ratio", "status", "reason",
]
PROJECT_COLUMNS = [
    "indicator", "unit", "baseline_year", "baseline_value", "latest_year", "latest_value", "target_value",
    "outcome", "evidence", "required_growth", "assumed_growth", "projection_central", "R", "progress_ratio",
    "verdict", "fragile", "verdict_alt", "reason", "missing_years",
]


def _named(data: PlanData, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A comparison with indicator, region and compared-with names and the note in ``lang``."""
    if table.empty:
        return table.assign(indicator=[], region=[])
    ids = {data.region_name(r): r for r in data.region_ids()}
    return table.assign(
        indicator=[str(data.indicator(i)["name_zh" if lang == "zh" else "name_en"]) for i in table["indicator_id"]],
        region=[data.region_name(r, lang) for r in table["region_id"]],
        compared_with=[data.region_name(ids[c], lang) if c in ids else c for c in table["compared_with"]],
        note=table["note_zh"] if lang == "zh" else table["note"],
    )


def cmd_compare(args: argparse.Namespace) -> int:
    """Targets of the same indicator side by side across levels."""
    data = data_of(args)
    table = compare(data, args.indicator, assumptions_of(args))
    if args.format == "csv":
        show(table, args)
        return 0
    show(_named(data, table, args.lang), args, COMPARE_COLUMNS)
    if args.indicator is None:
        print("\n" + words(args.lang)("cli.incomparable"))
        show(incomparable(data), args)
    return 0


def _with_names(data: PlanData, table: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """For the table view, an ``indicator`` column with each indicator's name in ``--lang`` (CSV keeps the ids only)."""
    if args.format == "csv":
        return table
    key = "name_zh" if args.lang == "zh" else "name_en"
    return table.assign(indicator=[str(data.indicator(i)[key]) for i in table["indicator_id"]])


def cmd_review(args: argparse.Namespace) -> int:
    """Completion of a finished plan of one region."""
    data = data_of(args)
    reviewed = review(data, check_region(data, args.region), args.plan)
    show(_with_names(data, reviewed, args), args, REVIEW_COLUMNS, reasons="review")
    if args.format == "table":
        print("\n" + words(args.lang)("cli.by_attribute"))
        print(listing.review_tally(review_tally(reviewed), args.lang).to_string())
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """Projection and verdict for every target of one region's plan."""
    data = data_of(args)
    table = project_region(data, args.region, args.plan, args.target_year, assumptions_of(args))
    show(_with_names(data, table, args), args, PROJECT_COLUMNS)
    if args.format == "table":
        w = words(args.lang)
        as_of = w("cli.as_of", year=formats.year(table["as_of"].iloc[0])) if len(table) else ""
        print("\n" + w("cli.line", label=as_of, text=listing.tally(group_tally(table), args.lang)))
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Projections as of the end of the previous plan against the outcomes now known."""
    data = data_of(args)
    region = check_region(data, args.region) if args.region else None
    table = backtest(data, region, assumptions_of(args))
    show(table, args)
    if args.format == "table":
        print("\n" + listing.summary(summary(table), args.lang))
    return 0


def _compare_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--indicator", metavar="ID", help="one indicator id (default: all shared ones)")


def _review_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest finished plan with completions)")


def _backtest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", metavar="ID", help="region id (default: every region)")


def _project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest plan)")
    p.add_argument(
        "--target-year", type=int, metavar="YEAR", help="project every target to this year instead of its own"
    )


COMMANDS: dict[str, Command] = {
    "compare": Command(
        cmd_compare,
        "targets side by side across levels",
        "The same indicator's targets for the nation, the province and the cities side by side: multiples for "
        "levels and shares, share of the parent's total for totals over a plan period.",
        ("common", "assume", "format"),
        _compare_options,
    ),
    "review": Command(
        cmd_review,
        "completion of a finished plan of a region",
        "Every target of a finished plan of one region: met, not met or not assessable, with a tally by attribute.",
        ("common", "format"),
        _review_options,
    ),
    "backtest": Command(
        cmd_backtest,
        "past projections against known outcomes",
        "The projection that could have been made at the end of the previous plan, set against the outcome now "
        "known: error and whether the outcome confirmed the verdict.",
        ("common", "assume", "format"),
        _backtest_options,
    ),
    "project": Command(
        cmd_project,
        "assessment of every target of a region's plan",
        "Outcome or projection, evidence grade and verdict for every target of one region's plan, as of a year; "
        "missing_years names the numbers an assessment lacks.",
        ("common", "assume", "format"),
        _project_options,
    ),
}
