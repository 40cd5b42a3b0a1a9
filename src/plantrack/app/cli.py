"""Command line: ``plantrack validate|compare|review|project|export|render``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .. import __version__
from ..analysis.assumptions import GROWTH_MODELS, TIMES_READINGS
from ..analysis.backtest import backtest, summary
from ..analysis.comparison import compare, incomparable
from ..analysis.projection import Assumptions, group_tally, project_region
from ..analysis.review import review
from ..analysis.review import tally as review_tally
from ..data.params import ParameterError, check_region
from ..data.tables import PlanData, bundled_data_dir, load
from ..data.tables import read_all as read_all_tables
from ..present.export import export_xlsx


class UsageError(Exception):
    """A wrong parameter: printed as one line, exit status 1."""


def _data(args: argparse.Namespace) -> PlanData:
    return load(args.data)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every table; print counts on success, every problem on failure."""
    data_dir = Path(args.data).expanduser().resolve() if args.data else bundled_data_dir()
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    tables, problems = read_all_tables(data_dir)
    if problems:
        for p in problems:
            print(p)
        files = len({p.file for p in problems})
        print(f"\n{len(problems)} problem(s) in {files} file(s) under {data_dir}; nothing was changed.")
        return 1
    t = tables["targets"]
    print(f"Data in {data_dir}: all checks passed.")
    print(
        f"  {len(tables['regions'])} regions, {len(tables['plans'])} plans, {len(tables['sources'])} sources, "
        f"{len(tables['indicators'])} indicators, {len(t)} targets, {len(tables['observations'])} observations, "
        f"{len(tables['proxies'])} proxies"
    )
    counts = t.groupby(["region_id", "plan"]).size().rename("targets").reset_index()
    kinds = t.pivot_table(index=["region_id", "plan"], columns="target_kind", aggfunc="size", fill_value=0)
    table = counts.merge(kinds.reset_index(), on=["region_id", "plan"])
    obs = tables["observations"].groupby("region_id").size()
    print("\nTargets per region and plan (by kind of target):")
    print(table.to_string(index=False))
    print("\nObservations per region:")
    print(obs.to_string())
    return 0


def _show(df: pd.DataFrame, fmt: str, columns: list[str] | None = None) -> None:
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
        return
    shown = df[columns] if columns else df
    print(shown.to_string(index=False, float_format=lambda v: f"{v:,.4g}", na_rep="—"))


def _assumptions(args: argparse.Namespace) -> Assumptions:
    return Assumptions(
        times_reading=args.times_reading, damping=args.damping, growth_model=args.growth_model, as_of=args.as_of
    )


def cmd_compare(args: argparse.Namespace) -> int:
    """Targets of the same indicator side by side across levels."""
    data = _data(args)
    table = compare(data, args.indicator, _assumptions(args))
    cols = [
        "indicator_zh",
        "region_zh",
        "unit",
        "baseline_year",
        "baseline_value",
        "target_text",
        "target_value",
        "required_growth",
        "compared_with",
        "vs_compared",
        "vs_national",
        "note",
    ]
    _show(table, args.format, cols)
    if args.format == "table" and args.indicator is None:
        print("\nLook-alike indicators not put on one scale:")
        _show(incomparable(data), "table")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Completion of the 13th plan for one region."""
    data = _data(args)
    reviewed = review(data, check_region(data, args.region), args.plan)
    cols = ["plan", "indicator_id", "attribute", "target_text", "actual_text", "completion_ratio", "status", "reason"]
    _show(reviewed, args.format, cols)
    if args.format == "table":
        print("\nTally by attribute:")
        print(review_tally(reviewed).to_string())
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """Projection and verdict for every target of one region's plan."""
    data = _data(args)
    table = project_region(data, args.region, args.plan, args.target_year, _assumptions(args))
    cols = [
        "indicator_id", "unit", "baseline_year", "baseline_value", "latest_year", "latest_value", "target_value",
        "outcome", "evidence", "required_growth", "assumed_growth", "projection_central", "R", "progress_ratio",
        "verdict", "fragile", "verdict_alt", "reason", "missing_years",
    ]
    _show(table, args.format, cols)
    if args.format == "table":
        counts = group_tally(table)
        print("\nAs of " + str(table["as_of"].iloc[0]) + ": " + ", ".join(
            f"{g} {n} ({w} on weak evidence)" for g, (n, w) in counts.items()
        ))
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Projections as of the end of the previous plan against the outcomes now known."""
    data = _data(args)
    region = check_region(data, args.region) if args.region else None
    table = backtest(data, region, _assumptions(args))
    _show(table, args.format)
    if args.format == "table":
        print("\nSummary: " + ", ".join(f"{k} {v if v is None else round(v, 3)}" for k, v in summary(table).items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """All tables as sheets of one Excel workbook."""
    path = export_xlsx(_data(args), args.xlsx, _assumptions(args))
    print(f"wrote {path}")
    return 0


def _skip_iri_grammars() -> None:
    """Keep jsonschema, imported by nbformat, from building rfc3987-syntax's IRI grammars.

    That import takes about 1 s (jsonschema issue #1428) and serves only the ``iri`` and
    ``iri-reference`` formats, which no notebook schema uses; jsonschema then simply skips
    those two formats. Only the ``render`` command's own process is affected.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def cmd_render(args: argparse.Namespace) -> int:
    """Execute the report notebook per region (papermill) and export HTML (nbconvert)."""
    _skip_iri_grammars()
    from . import pipeline
    from .render import render

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    try:
        with pipeline.stop_on_signals():
            result = render(
                regions=args.region or None,
                lang=args.lang,
                jobs=args.jobs,
                out_dir=args.out,
                data_dir=args.data,
                target_year=args.target_year,
                times_reading=args.times_reading,
                damping=args.damping,
                growth_model=args.growth_model,
                progress=not args.quiet,
                as_of=args.as_of,
            )
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: pipeline.Stopped, or a plain interrupt before it
        code = stop.code if isinstance(stop, pipeline.Stopped) else 130
        name = "SIGTERM" if code == 143 else "SIGINT"
        print(
            f"plantrack render: stopped by {name}; reports finished before it are kept, nothing was written after it",
            file=sys.stderr,
        )
        return code
    for path in sorted(result.written):
        print(f"wrote {path}")
    if result.index:
        print(f"wrote {result.index}")
    for region, error in sorted(result.failed.items()):
        print(f"plantrack render: region {region} failed: {error.splitlines()[0]}", file=sys.stderr)
    return 1 if result.failed else 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "render": cmd_render,
    "validate": cmd_validate,
    "compare": cmd_compare,
    "review": cmd_review,
    "project": cmd_project,
    "export": cmd_export,
    "backtest": cmd_backtest,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(prog="plantrack", description=__doc__)
    parser.add_argument("--version", action="version", version=f"plantrack {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", help="folder with the CSV tables (default: the bundled data/)")
    sub.add_parser("validate", parents=[common], help="check the tables and their provenance")
    assume = argparse.ArgumentParser(add_help=False)
    assume.add_argument(
        "--times-reading",
        choices=TIMES_READINGS,
        default="increase",
        help="增长N倍 read as ×(1+N) ('increase', standard) or ×N ('multiple')",
    )
    assume.add_argument("--damping", type=float, default=0.5, help="share of observed growth in the damped scenario")
    assume.add_argument(
        "--growth-model",
        choices=GROWTH_MODELS,
        default="observed",
        help="central projection: the previous plan's observed growth, damped (× --damping) or linear trend",
    )
    assume.add_argument(
        "--as-of", type=int, metavar="YEAR", help="assess as of this year, using data up to it (default: this year)"
    )
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("table", "csv"), default="table")
    p = sub.add_parser("compare", parents=[common, assume, fmt], help="targets side by side across levels")
    p.add_argument("--indicator", metavar="ID", help="one indicator id (default: all shared ones)")
    p = sub.add_parser("review", parents=[common, fmt], help="completion of a finished plan of a region")
    p.add_argument("--region", required=True, help="region id")
    p.add_argument("--plan", help="plan id (default: the region's latest finished plan with completions)")
    p = sub.add_parser("backtest", parents=[common, assume, fmt], help="past projections against known outcomes")
    p.add_argument("--region", help="region id (default: every region)")
    p = sub.add_parser("project", parents=[common, assume, fmt], help="projection and verdict per target")
    p.add_argument("--region", required=True)
    p.add_argument("--plan", help="plan id (default: the region's latest plan)")
    p.add_argument("--target-year", type=int, help="project every target to this year instead of its own")
    p = sub.add_parser("export", parents=[common, assume], help="all tables as one Excel workbook")
    p.add_argument("--xlsx", required=True, metavar="FILE")
    p = sub.add_parser("render", parents=[common, assume], help="HTML report per region (papermill + nbconvert)")
    p.add_argument(
        "--region", action="append", help="region id; repeat for several (default: every region with targets)"
    )
    p.add_argument("--lang", default="zh", help="zh (default) or en")
    p.add_argument("--jobs", type=int, help="parallel notebooks (default: all cores)")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports/)")
    p.add_argument("--target-year", type=int, help="project every target to this year")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``plantrack`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_colwidth", 40)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # output piped into a reader that stopped (head, less): nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush would fail again
        return 1
    except (UsageError, ParameterError) as err:
        print(f"plantrack {args.command}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # data problems and the like: one clear message, no traceback
        from ..data.validation import DataError

        if isinstance(err, DataError | FileNotFoundError | ValueError):
            print(f"plantrack {args.command}: {err}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
