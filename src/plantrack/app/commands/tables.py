"""The data folder's commands: validate, export, template, import."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ...analysis.projection import Assumptions, group_tally
from ...data.params import check_plan, check_region
from ...data.problems import summarised
from ...data.tables import PlanData, load
from ...data.tables import read_all as read_all_tables
from ...present import formats
from ...present.export import export_xlsx
from ...present.words import words
from .common import Command, add_lang_option, assumptions_of, data_dir_of, data_of


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every table; print counts on success, every problem on failure."""
    data_dir = data_dir_of(args)
    tables, problems = read_all_tables(data_dir)
    if problems:
        for line in summarised(problems):
            print(line)
        files = len({p.file for p in problems})
        print(f"\n{formats.number(len(problems))} problem(s) in {files} file(s) under {data_dir}; nothing was changed.")
        return 1
    t = tables["targets"]
    n = {name: formats.number(len(table)) for name, table in tables.items()}
    print(f"Data in {data_dir}: all checks passed.")
    print(
        f"  {n['regions']} regions, {n['plans']} plans, {n['sources']} sources, {n['indicators']} indicators, "
        f"{n['targets']} targets, {n['observations']} observations, {n['proxies']} proxies"
    )
    counts = t.groupby(["region_id", "plan"]).size().rename("targets").reset_index()
    kinds = t.pivot_table(index=["region_id", "plan"], columns="target_kind", aggfunc="size", fill_value=0)
    table = counts.merge(kinds.reset_index(), on=["region_id", "plan"])
    numbers = [c for c in table.columns if c not in ("region_id", "plan")]
    print("\nTargets per region and plan (by kind of target):")
    print(table.assign(**{str(c): table[c].map(formats.number) for c in numbers}).to_string(index=False))
    if "missing" in numbers and int(table["missing"].sum()):
        print(words(args.lang)("cli.kind_missing"))
    print("\nObservations per region:")
    print(tables["observations"].groupby("region_id").size().map(formats.number).to_string())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """All tables as sheets of one Excel workbook."""
    path = export_xlsx(data_of(args), args.xlsx, assumptions_of(args), lang=args.lang)
    print(f"wrote {path}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """A workbook listing the numbers the assessment of one region misses, to fill in and import."""
    from ...present.template import write_template

    data = data_of(args)
    region = check_region(data, args.region)
    plan = check_plan(data, region, args.plan) if args.plan else None
    path, n = write_template(data, region, args.xlsx, plan, assumptions_of(args))
    print(f"wrote {path}: {n} missing number(s) for {region}, one row each")
    print("  sheet 待补数据 lists them; sheet 填写说明 explains each column and the rules for outside statistics")
    print(f"fill in year, value, unit, quote and source, then: plantrack import {path}")
    return 0


def _assessment(data: PlanData, a: Assumptions) -> pd.DataFrame:
    from ...analysis.comparison import current_targets

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
    from ...data.importer import ImportProblems, import_rows, read_rows
    from ...data.planimport import is_plan_workbook

    if is_plan_workbook(args.file):  # a plan-template: a new plan and its targets
        from .nextplan import run_plan_import

        return run_plan_import(args)
    data_dir = data_dir_of(args)
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
    a = assumptions_of(args)
    before = _assessment(load(data_dir), a)
    result = import_rows(data_dir, rows, args.replace, args.skip_bad, f"imported from {Path(args.file).name}", ignored)
    problems = result.checked.problems
    if problems:
        bad = {(p.sheet, p.row) for p in problems if p.row}
        print(f"\n{len(problems)} problem(s) in {len(bad)} row(s):" if bad else f"\n{len(problems)} problem(s):")
        for line in summarised(problems):
            print(f"  {line}")
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
    print(f"\nassessment as of {formats.year(a.year)}, before → after:")
    print("\n".join(changes) if changes else "  no verdict changed")
    for region in sorted({r.get("region_id") for r in rows} & set(after["region_id"])):
        print(f"  {region}: {_tally_text(before, region)} → {_tally_text(after, region)}")
    return 1 if result.skipped else 0


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    add_lang_option(p, "the headers")


def _template_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region whose missing numbers to list")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest plan)")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a filled template (.xlsx) or a CSV file with the same columns")
    p.add_argument(
        "--replace", action="store_true", help="replace a value already stored for the same region, indicator and year"
    )
    p.add_argument("--skip-bad", action="store_true", help="write the good rows even when some rows are bad")


COMMANDS: dict[str, Command] = {
    "validate": Command(
        cmd_validate,
        "check the tables and their provenance",
        "Check every table of the data folder: types, allowed values, ids, quotes found in their stored texts. "
        "Prints counts when all is well, else every problem with file, line and column.",
        arguments=lambda p: add_lang_option(p, "the explanations"),
    ),
    "export": Command(
        cmd_export,
        "all tables as one Excel workbook",
        "Targets, assessment, comparison, review, backtest, observations, sources and data gaps as sheets of one "
        "workbook, headers in one language, with filters and number formats.",
        ("common", "assume"),
        _export_options,
    ),
    "template": Command(
        cmd_template,
        "workbook of the missing numbers, to fill in",
        "A workbook with one row per number the assessment of a region misses (ids filled in, empty cells for "
        "year, value, unit, quote and source, drop-down lists) and a sheet explaining the columns and rules.",
        ("common", "assume"),
        _template_options,
    ),
    "import": Command(
        cmd_import,
        "add a filled template's numbers, checked",
        "Check every filled row of a template workbook (or a CSV with the same columns) together with the whole "
        "dataset; list every bad row and write nothing unless all are good (or --skip-bad); never overwrite a "
        "stored value without --replace; then show how the assessment changed.",
        ("common", "assume"),
        _import_options,
    ),
}
