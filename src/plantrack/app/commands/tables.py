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
from ...present import formats, texts
from ...present.export import export_xlsx
from ...present.problems import more_line, problem_line
from ...present.words import Words
from .common import Command, add_lang_option, assumptions_of, data_dir_of, data_of


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every table; print counts on success, every problem on failure."""
    data_dir = data_dir_of(args)
    tables, problems = read_all_tables(data_dir)
    if problems:
        say = Words(args.lang)
        for line in summarised(problems, lambda p: problem_line(p, say), more=more_line(say)):  # type: ignore[arg-type]
            print(line)
        files = len({p.file for p in problems})
        print("\n" + say("problem.validate_failed", n=formats.number(len(problems)), files=files, folder=data_dir))
        return 1
    w = Words(args.lang)
    t = tables["targets"]
    n = {name: formats.number(len(table)) for name, table in tables.items()}
    print(w("problem.validate_passed", folder=data_dir))
    print("  " + w("cli.validate_counts", **{k: v for k, v in n.items() if k != "published"}))
    counts = t.groupby(["region_id", "plan"]).size().rename("targets").reset_index()
    kinds = t.pivot_table(index=["region_id", "plan"], columns="target_kind", aggfunc="size", fill_value=0)
    table = counts.merge(kinds.reset_index(), on=["region_id", "plan"])
    numbers = [c for c in table.columns if c not in ("region_id", "plan")]
    print("\n" + w("cli.targets_by_kind"))
    shown = table.assign(**{str(c): table[c].map(formats.number) for c in numbers})
    heads = {c: w("cli.targets_column") if c == "targets" else w.code("target_kind", c) for c in numbers}
    heads |= {"region_id": texts.header("region_id", args.lang), "plan": texts.header("plan", args.lang)}
    print(shown.rename(columns=heads).to_string(index=False))
    if "missing" in numbers and int(table["missing"].sum()):
        print(w("cli.kind_missing"))
    print("\n" + w("cli.observations_by_region"))
    per_region = tables["observations"].groupby("region_id").size().map(formats.number)
    frame = pd.DataFrame({texts.header("region_id", args.lang): per_region.index, w("cli.observations_column"):
                          per_region.to_numpy()})
    print(frame.to_string(index=False))
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
    path, n = write_template(data, region, args.xlsx, plan, assumptions_of(args), every_year=args.all)
    print(f"wrote {path}: {n} number(s) for {region}, one row each, the most decisive first")
    print("  sheet 待补数据 lists them; sheet 填写说明 explains each column and the rules for outside statistics")
    print(f"fill in year, value, unit, quote and source, then: plantrack import {path}")
    return 0


def _assessment(data: PlanData, a: Assumptions) -> pd.DataFrame:
    from ...analysis.comparison import current_targets

    return current_targets(data, a)


def _changes(before: pd.DataFrame, after: pd.DataFrame, w: Words) -> list[str]:
    """One line per target whose verdict, outcome or evidence changed, in ``w``'s words (ids as they are)."""
    key = ["region_id", "plan", "indicator_id"]
    cols = ["verdict", "outcome", "evidence"]
    merged = before[key + cols].merge(after[key + cols], on=key, how="outer", suffixes=("_b", "_a"))
    lines = []
    for r in merged.to_dict("records"):
        if all(r[f"{c}_b"] == r[f"{c}_a"] for c in cols):
            continue
        said = {
            "verdict": lambda v: w.verdict(str(v)) if isinstance(v, str) else "—",
            "outcome": lambda v: w.code("outcome", v, "unassessed"),
            "evidence": lambda v: w.evidence(v),
        }
        target = f"{r['region_id']} {r['plan']} {r['indicator_id']}"
        lines.append("  " + w("problem.assessment_change", target=target,
                              **{f"{c}_{when}": said[c](r[f"{c}_{x}"]) for c in cols
                                 for when, x in (("before", "b"), ("after", "a"))}))
    return lines


def _tally_text(table: pd.DataFrame, region: str, w: Words) -> str:
    part = table[table["region_id"] == region]
    return w("report.list_sep").join(f"{w.code('group', g)} {formats.number(n)}" for g, (n, _) in
                                     group_tally(part).items())


def cmd_import(args: argparse.Namespace) -> int:
    """Check a filled template (or CSV) against the whole dataset and add its rows to the data folder."""
    from ...data.importer import ImportProblems, export_changes, import_rows, read_export, read_rows
    from ...data.planimport import is_plan_workbook

    if is_plan_workbook(args.file):  # a plan-template: a new plan and its targets
        from .nextplan import run_plan_import

        return run_plan_import(args)
    data_dir = data_dir_of(args)
    words = Words(args.lang)
    exported = read_export(args.file)
    if exported is not None:  # a workbook of plantrack export: only what was edited is a change
        diff = export_changes(data_dir, exported)
        rows, ignored = diff.rows, 0
        print(words("problem.export_read", file=args.file, unchanged=diff.unchanged, changes=len(rows)))
        for sheet, row, file in diff.not_imported:
            print("  " + words("problem.export_not_imported", sheet=sheet, row=row, file=file))
        if not rows:
            print(words("problem.export_unchanged"))
            return 0
    else:
        try:
            rows, ignored = read_rows(args.file)
        except ImportProblems as err:
            for p in err.problems:
                print(problem_line(p, words))
            print("\n" + words("problem.nothing_written"))
            return 1
        left = words("problem.rows_left_empty", n=ignored) if ignored else ""
        print(words("problem.rows_read", n=len(rows), file=args.file, left=left))
    if not rows:
        print(words("problem.nothing_to_import"))
        return 1
    a = assumptions_of(args)
    before = _assessment(load(data_dir), a)
    result = import_rows(data_dir, rows, args.replace, args.skip_bad, f"imported from {Path(args.file).name}", ignored)
    problems = result.checked.problems
    if problems:
        bad = {(p.sheet, p.row) for p in problems if p.row}
        print("\n" + (words("problem.problems_in_rows", n=len(problems), rows=len(bad)) if bad
                      else words("problem.problems", n=len(problems))))
        for line in summarised(problems, lambda p: problem_line(p, words), more=more_line(words)):  # type: ignore[arg-type]
            print(f"  {line}")
    if result.written is None:
        if problems:
            key = "problem.correct_rows" if args.skip_bad else "problem.correct_rows_or_skip"
            print("\n" + words(key))
        return 1
    w = result.written
    where = ", ".join(map(str, w.lines))
    print("\n" + words("problem.wrote", n=len(w.lines), file=data_dir / "observations.csv", lines=where))
    if w.new_sources:
        print(words("problem.added_sources", n=len(w.new_sources), ids=", ".join(w.new_sources)))
    for r in w.replaced:
        print(words("problem.replaced", row=r))
    if result.skipped:
        rows_skipped = ", ".join(words("problem.where_row", sheet=s, row=n) for s, n in result.skipped)
        print(words("problem.skipped", n=len(result.skipped), rows=rows_skipped))
    after = _assessment(load(data_dir), a)
    changes = _changes(before, after, words)
    print("\n" + words("problem.assessment_changes", year=formats.year(a.year)))
    print("\n".join(changes) if changes else "  " + words("problem.no_verdict_changed"))
    for region in sorted({r.get("region_id") for r in rows} & set(after["region_id"])):
        print(f"  {region}: {_tally_text(before, region, words)} → {_tally_text(after, region, words)}")
    return 1 if result.skipped else 0


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    add_lang_option(p, "the headers")


def _template_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region whose missing numbers to list")
    p.add_argument("--plan", metavar="ID", help="plan id (default: the region's latest plan)")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p.add_argument("--all", action="store_true",
                   help="every year of every assessed target, also the years already stored")


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a filled template (.xlsx) or a CSV file with the same columns")
    p.add_argument(
        "--replace", action="store_true", help="replace a value already stored for the same region, indicator and year"
    )
    p.add_argument("--skip-bad", action="store_true", help="write the good rows even when some rows are bad")
    add_lang_option(p, "the problems found and how to correct them")


COMMANDS: dict[str, Command] = {
    "validate": Command(
        cmd_validate,
        "check the tables and their provenance",
        "Check every table of the data folder: types, allowed values, ids, quotes found in their stored texts. "
        "Prints counts when all is well, else every problem with file, line and column.",
        arguments=lambda p: add_lang_option(p, "the problems found and how to correct them"),
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
