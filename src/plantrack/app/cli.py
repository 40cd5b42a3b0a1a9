"""plantrack: five-year IP plan targets as data. Check the tables, assess each target as of a year,
compare levels, review a finished plan, backtest, list the missing numbers as a template to fill in,
import it checked, export a workbook and render the reports.

Run 'plantrack COMMAND --help' for a command's options.
"""

from __future__ import annotations

import argparse
import os
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
from ..data.params import ParameterError, check_plan, check_region
from ..data.tables import PlanData, bundled_data_dir, load
from ..data.tables import read_all as read_all_tables
from ..present import texts
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


YEAR_COLUMNS = texts.YEAR_COLUMNS


def _cell(column: str, v: object) -> str:
    """One value for the table view (the one formatter: :func:`plantrack.present.texts.cell`)."""
    if not isinstance(v, str | bool) and v is not None and not pd.notna(v):  # type: ignore[call-overload]
        return texts.DASH
    return texts.cell(column, v)


def _plain(column: str, v: object) -> str:
    """One value for --format csv: plain numbers (no separator, no exponent), years as integers, empty if absent."""
    if v is None or isinstance(v, str):
        return v or ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return texts.plain(v)
    return "" if not pd.notna(v) else str(v)  # type: ignore[call-overload]


def formatted(df: pd.DataFrame, plain: bool = False) -> pd.DataFrame:
    """The frame as text, each value formatted by the one formatter (``plain`` for machine-readable output)."""
    out = {}
    for c in df.columns:
        values = df[c].astype(object).where(df[c].notna(), None)
        out[c] = [(_plain if plain else _cell)(str(c), v) for v in values]
    return pd.DataFrame(out, columns=df.columns, index=df.index)


def _show(df: pd.DataFrame, fmt: str, columns: list[str] | None = None) -> None:
    if fmt == "csv":
        formatted(df, plain=True).to_csv(sys.stdout, index=False)
        return
    shown = df[columns] if columns else df
    if shown.empty:
        print("(none)")
        return
    print(formatted(shown).to_string(index=False))


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
        shown = {k: texts.percent(v, signed=False) if k in ("median_abs_error", "share_confirmed") else str(v)
                 for k, v in summary(table).items()}
        print("\nSummary: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """All tables as sheets of one Excel workbook."""
    path = export_xlsx(_data(args), args.xlsx, _assumptions(args), lang=args.lang)
    print(f"wrote {path}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """A workbook listing the numbers the assessment of one region misses, to fill in and import."""
    from ..present.template import write_template

    data = _data(args)
    region = check_region(data, args.region)
    plan = check_plan(data, region, args.plan) if args.plan else None
    path, n = write_template(data, region, args.xlsx, plan, _assumptions(args))
    print(f"wrote {path}: {n} missing number(s) for {region}, one row each")
    print("  sheet 待补数据 lists them; sheet 填写说明 explains each column and the rules for outside statistics")
    print(f"fill in year, value, unit, quote and source, then: plantrack import {path}")
    return 0


def _assessment(data: PlanData, a: Assumptions) -> pd.DataFrame:
    from ..analysis.comparison import current_targets

    return current_targets(data, a)


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """One line per target whose verdict, outcome or evidence changed."""
    key = ["region_id", "plan", "indicator_id"]
    cols = ["verdict", "outcome", "evidence"]
    merged = before[key + cols].merge(after[key + cols], on=key, how="outer", suffixes=("_b", "_a"))
    lines = []
    for r in merged.to_dict("records"):
        if all(r[f"{c}_b"] == r[f"{c}_a"] for c in cols):
            continue
        lines.append(
            f"  {r['region_id']} {r['plan']} {r['indicator_id']}: {r['verdict_b']} → {r['verdict_a']}"
            f" (outcome {r['outcome_b']} → {r['outcome_a']}, evidence {r['evidence_b']} → {r['evidence_a']})"
        )
    return lines


def _tally_text(table: pd.DataFrame, region: str) -> str:
    part = table[table["region_id"] == region]
    return ", ".join(f"{g} {n}" for g, (n, _) in group_tally(part).items())


def cmd_import(args: argparse.Namespace) -> int:
    """Check a filled template (or CSV) against the whole dataset and add its rows to the data folder."""
    from ..data.importer import ImportProblems, import_rows, read_rows

    data_dir = Path(args.data).expanduser().resolve() if args.data else bundled_data_dir()
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    try:
        rows, ignored = read_rows(args.file)
    except ImportProblems as err:
        for p in err.problems:
            print(p)
        print("\nnothing was written.")
        return 1
    left = f"; {ignored} template row(s) left empty" if ignored else ""
    print(f"read {len(rows)} filled row(s) from {args.file}{left}")
    if not rows:
        print("nothing to import: fill in year, value, unit, quote and source in some rows first.")
        return 1
    a = _assumptions(args)
    before = _assessment(load(data_dir), a)
    result = import_rows(data_dir, rows, args.replace, args.skip_bad, f"imported from {Path(args.file).name}", ignored)
    problems = result.checked.problems
    if problems:
        bad = {(p.sheet, p.row) for p in problems if p.row}
        print(f"\n{len(problems)} problem(s) in {len(bad)} row(s):" if bad else f"\n{len(problems)} problem(s):")
        for p in problems:
            print(f"  {p}")
    if result.written is None:
        if problems:
            hint = "" if args.skip_bad else " (or --skip-bad to write only the good rows)"
            print(f"\nnothing was written: correct the rows above and import again{hint}.")
        return 1
    w = result.written
    where = ", ".join(map(str, w.lines))
    print(f"\nwrote {len(w.lines)} row(s) to {data_dir / 'observations.csv'} (line(s) {where})")
    if w.new_sources:
        print(f"added {len(w.new_sources)} source(s) to sources.csv with their quoted text under raw/web/: "
              + ", ".join(w.new_sources))
    for r in w.replaced:
        print(f"replaced {r}")
    if result.skipped:
        print(f"skipped {len(result.skipped)} bad row(s): " + ", ".join(f"{s} row {n}" for s, n in result.skipped))
    after = _assessment(load(data_dir), a)
    changes = _changes(before, after)
    print(f"\nassessment as of {a.year}, before → after:")
    print("\n".join(changes) if changes else "  no verdict changed")
    for region in sorted({r.get("region_id") for r in rows} & set(after["region_id"])):
        print(f"  {region}: {_tally_text(before, region)} → {_tally_text(after, region)}")
    return 1 if result.skipped else 0


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
    import warnings

    from . import pipeline
    from .render import render

    # a stop signal can leave a kernel client's coroutine unawaited: Python would say so at exit, after the one line
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)

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
    "template": cmd_template,
    "import": cmd_import,
}

#: per command: the one line of the command list, and the paragraph of its own --help
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "validate": (
        "check the tables and their provenance",
        "Check every table of the data folder: types, allowed values, ids, quotes found in their stored texts. "
        "Prints counts when all is well, else every problem with file, line and column.",
    ),
    "compare": (
        "targets side by side across levels",
        "The same indicator's targets for the nation, the province and the cities side by side: multiples for "
        "levels and shares, share of the parent's total for totals over a plan period.",
    ),
    "review": (
        "completion of a finished plan of a region",
        "Every target of a finished plan of one region: met, not met or not assessable, with a tally by attribute.",
    ),
    "backtest": (
        "past projections against known outcomes",
        "The projection that could have been made at the end of the previous plan, set against the outcome now "
        "known: error and whether the outcome confirmed the verdict.",
    ),
    "project": (
        "assessment of every target of a region's plan",
        "Outcome or projection, evidence grade and verdict for every target of one region's plan, as of a year; "
        "missing_years names the numbers an assessment lacks.",
    ),
    "export": (
        "all tables as one Excel workbook",
        "Targets, assessment, comparison, review, backtest, observations, sources and data gaps as sheets of one "
        "workbook, headers in one language, with filters and number formats.",
    ),
    "template": (
        "workbook of the missing numbers, to fill in",
        "A workbook with one row per number the assessment of a region misses (ids filled in, empty cells for "
        "year, value, unit, quote and source, drop-down lists) and a sheet explaining the columns and rules.",
    ),
    "import": (
        "add a filled template's numbers, checked",
        "Check every filled row of a template workbook (or a CSV with the same columns) together with the whole "
        "dataset; list every bad row and write nothing unless all are good (or --skip-bad); never overwrite a "
        "stored value without --replace; then show how the assessment changed.",
    ),
    "render": (
        "HTML report per region (papermill + nbconvert)",
        "Execute the report notebook per region and write self-contained HTML reports and an index page.",
    ),
}


def _sub(
    sub: argparse._SubParsersAction, name: str, parents: list[argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    short, long = DESCRIPTIONS[name]
    return sub.add_parser(name, parents=parents, help=short, description=long)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="plantrack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"plantrack {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", help="folder with the CSV tables (default: the bundled data/)")
    _sub(sub, "validate", [common])
    assume = argparse.ArgumentParser(add_help=False)
    assume.add_argument(
        "--times-reading",
        choices=TIMES_READINGS,
        default="increase",
        help="增长N倍 read as ×(1+N) ('increase', standard) or ×N ('multiple')",
    )
    assume.add_argument(
        "--damping", type=float, default=0.5, help="share of observed growth in the damped scenario, 0-1 (default 0.5)"
    )
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
    fmt.add_argument(
        "--format",
        choices=("table", "csv"),
        default="table",
        help="table: aligned columns for reading (default); csv: machine-readable, plain numbers",
    )
    p = _sub(sub, "compare", [common, assume, fmt])
    p.add_argument("--indicator", metavar="ID", help="one indicator id (default: all shared ones)")
    p = _sub(sub, "review", [common, fmt])
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest finished plan with completions)")
    p = _sub(sub, "backtest", [common, assume, fmt])
    p.add_argument("--region", metavar="ID", help="region id (default: every region)")
    p = _sub(sub, "project", [common, assume, fmt])
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest plan)")
    p.add_argument(
        "--target-year", type=int, metavar="YEAR", help="project every target to this year instead of its own"
    )
    p = _sub(sub, "export", [common, assume])
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the headers (default: zh)")
    p = _sub(sub, "template", [common, assume])
    p.add_argument("--region", required=True, metavar="ID", help="region whose missing numbers to list")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest plan)")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p = _sub(sub, "import", [common, assume])
    p.add_argument("file", metavar="FILE", help="a filled template (.xlsx) or a CSV file with the same columns")
    p.add_argument(
        "--replace", action="store_true", help="replace a value already stored for the same region, indicator and year"
    )
    p.add_argument("--skip-bad", action="store_true", help="write the good rows even when some rows are bad")
    p = _sub(sub, "render", [common, assume])
    p.add_argument(
        "--region", action="append", help="region id; repeat for several (default: every region with targets)"
    )
    p.add_argument("--lang", default="zh", help="zh (default) or en")
    p.add_argument("--jobs", type=int, help="parallel notebooks (default: all cores)")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports/)")
    p.add_argument("--target-year", type=int, help="project every target to this year")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``plantrack validate | head``): stop without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # as a program stopped by SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``plantrack`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except BrokenPipeError:
        return _quiet_broken_pipe()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_colwidth", 40)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except (UsageError, ParameterError) as err:
        print(f"plantrack {args.command}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # data problems and the like: one clear message, no traceback
        from ..data.importer import WriteConflict
        from ..data.validation import DataError

        if isinstance(err, DataError | FileNotFoundError | ValueError | WriteConflict):
            print(f"plantrack {args.command}: {err}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
