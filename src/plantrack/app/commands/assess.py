"""The assessment commands: project, compare, review, backtest (a table view in the report's words, or CSV)."""

from __future__ import annotations

import argparse

import pandas as pd

from ...analysis.comparison import compare, incomparable
from ...analysis.hindcast import VINTAGES, hindcast_rows, records
from ...analysis.projection import group_tally, project_region
from ...analysis.review import review
from ...analysis.review import tally as review_tally
from ...data.params import check_region
from ...data.tables import PlanData
from ...present import calibration, formats, listing
from ...present.words import words
from .common import Command, assumptions_of, data_of, show

COMPARE_COLUMNS = [
    "indicator", "region", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "compared_with", "vs_compared", "vs_national", "note",
]
REVIEW_COLUMNS = [
    "plan", "indicator", "attribute", "target_text", "actual_text", "actual_value", "actual_year", "margin",
    "status", "reason", "evidence", "projection_central",
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
    w = words(lang)
    return table.assign(
        indicator=[w.name(data.indicator(i)) for i in table["indicator_id"]],
        region=[data.region_name(r, lang) for r in table["region_id"]],
        compared_with=[data.region_name(ids[c], lang) if c in ids else c for c in table["compared_with"]],
        note=table[w("language.note")],
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
    w = words(args.lang)
    return table.assign(indicator=[w.name(data.indicator(i)) for i in table["indicator_id"]])


def cmd_review(args: argparse.Namespace) -> int:
    """The final review of a finished plan of one region: outcome per target, from completions or actuals."""
    data = data_of(args)
    reviewed = review(data, check_region(data, args.region), args.plan, args.as_of)
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
    """Every method's hindcasts (as of every earlier year, against every later actual) and its record per method."""
    data = data_of(args)
    rows = hindcast_rows(data, assumptions_of(args).year, args.vintage)
    if args.region:
        rows = rows[rows["region_id"] == check_region(data, args.region)].reset_index(drop=True)
    if args.format == "csv":
        show(rows, args)
        return 0
    w = words(args.lang)
    found = records(rows)
    print(calibration.lead(w, found, args.vintage) + "\n")
    print(listing.text(calibration.method_table(found, args.lang), args.lang))
    print("\n" + w("hindcast.null_note"))
    print("\n" + w("cli.line", label=w("hindcast.rows"), text=formats.number(len(rows))))
    print(listing.text(calibration.rows_view(data, rows, args.lang), args.lang))
    return 0


def _compare_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--indicator", metavar="ID", help="one indicator id (default: all shared ones)")


def _review_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument(
        "--plan", metavar="ID", help="plan id (default: the region's latest finished plan whose outcomes are held)"
    )
    p.add_argument(
        "--as-of", type=int, metavar="YEAR", help="review with the actuals up to this year (default: this year)"
    )


def _backtest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", metavar="ID", help="region id: only its series' hindcasts (default: every region)")
    p.add_argument(
        "--vintage",
        choices=VINTAGES,
        default="publication",
        help="what was known at a cut year c: 'publication' (default) = values of years up to c whose source was "
        "published by the end of c+1; 'reference_year' = every value of years up to c",
    )


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
        "final review of a finished plan of a region",
        "Every target of a finished plan of one region: met, not met, pending statistics or not assessable, from "
        "the plan's completion table or else the actuals held in observations.csv, with the margin, the evidence "
        "and a tally by attribute.",
        ("common", "format"),
        _review_options,
    ),
    "backtest": Command(
        cmd_backtest,
        "every method's hindcasts and its record",
        "Each evidence method (and the no-growth null, as a reference) applied as of every earlier year to every "
        "series with later values, against every later actual: per method the number of hindcasts, median error, "
        "bias, verdicts confirmed and error band, then the rows (--format csv: one row per hindcast).",
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
