"""The next plan's commands: plan-template (a workbook to enter a new plan) and outlook (to 2030, with drafts)."""

from __future__ import annotations

import argparse

from ...analysis.outlook import outlook, parse_drafts
from ...data.params import ParameterError, check_region
from ...present import formats
from ...present.problems import problem_line
from ...present.words import languages, words
from .common import Command, assumptions_of, data_dir_of, data_of, show

OUTLOOK_COLUMNS = [
    "indicator_id", "unit", "latest_year", "latest_value", "observed_growth", "evidence", "outlook_year",
    "outlook_low", "outlook_central", "outlook_high", "band_from", "reason",
]
DRAFT_COLUMNS = [
    "indicator_id", "unit", "latest_year", "latest_value", "draft_value", "required_growth", "observed_growth",
    "evidence", "R", "verdict", "parent_growth", "national_growth", "reason",
]


def cmd_outlook(args: argparse.Namespace) -> int:
    """Per indicator: latest actual, last period's growth, the value it reaches by --to with a band; drafts judged."""
    data = data_of(args)
    region = check_region(data, args.region)
    drafts = parse_drafts(args.target)
    if args.drafts:
        from ...data.planimport import read_drafts

        drafts = {**read_drafts(args.drafts), **drafts}
    table = outlook(data, region, args.to, drafts, assumptions_of(args))
    show(table, args, OUTLOOK_COLUMNS, reasons="outlook")
    if args.format == "table" and drafts:
        w = words(args.lang)
        print("\n" + w("outlook.drafts", year=formats.year(args.to)))
        show(table[table["draft_value"].notna()], args, DRAFT_COLUMNS, reasons="outlook")
    return 0


def cmd_plan_template(args: argparse.Namespace) -> int:
    """A workbook to enter a new plan of a region from its text."""
    from ...present.plantemplate import write_plan_template

    data = data_of(args)
    region = check_region(data, args.region, with_targets=False)
    if not args.plan or not args.plan.replace("_", "").isalnum() or args.plan.lower() != args.plan:
        raise ParameterError(f"plan id {args.plan!r}: a-z, 0-9 and _ only (e.g. 15th)")
    path, n = write_plan_template(data, region, args.plan, args.xlsx, args.lang)
    w = words(args.lang)
    print(w("cli.plan_template_written", path=str(path), n=formats.number(n), region=region))
    return 0


def run_plan_import(args: argparse.Namespace) -> int:
    """Import a filled plan-template workbook: every problem listed and nothing written, or every row written."""
    from ...data.importer import ImportProblems
    from ...data.planimport import import_plan, read_plan

    data_dir = data_dir_of(args)
    w = words(args.lang)
    try:
        plan = read_plan(args.file)
    except ImportProblems as err:
        for p in err.problems:
            print(problem_line(p, w))
        print("\n" + w("problem.nothing_written"))
        return 1
    result = import_plan(data_dir, plan)
    problems = result.checked.problems
    if problems:
        rows = {(p.sheet, p.row) for p in problems if p.row}
        print(w("problem.problems_in_rows", n=len(problems), rows=len(rows)))
        for p in problems:
            print(f"  {problem_line(p, w)}")
        print("\n" + w("problem.correct_rows"))
        return 1
    added = {t: len(r) for t, r in result.checked.rows.items() if r}
    files = w("report.list_sep").join(w("problem.plan_wrote_file", n=n, file=f"{t}.csv") for t, n in added.items())
    print(w("problem.plan_wrote", files=files, folder=data_dir))
    region, plan_id = plan.fields.get("region_id"), plan.fields.get("plan_id")
    print(w("problem.plan_next", region=region, plan=plan_id))
    return 0


def _plan_template_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region the new plan is for")
    p.add_argument("--plan", required=True, metavar="ID", help="id of the new plan (e.g. 15th; an id of plans.csv "
                   "reuses its period)")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    default = languages()[0]
    p.add_argument(
        "--lang", choices=languages(), default=default, help=f"language of the headers and help (default: {default})"
    )


def _outlook_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", required=True, metavar="ID", help="region id (see plantrack validate)")
    p.add_argument("--to", type=int, default=2030, metavar="YEAR", help="the year to look out to (default: 2030)")
    p.add_argument(
        "--target", action="append", metavar="INDICATOR=VALUE",
        help="a draft target for --to, in the indicator's unit (repeatable): the growth it requires vs the past",
    )
    p.add_argument("--drafts", metavar="FILE", help="a plan-template workbook whose draft column holds draft targets")


COMMANDS: dict[str, Command] = {
    "plan-template": Command(
        cmd_plan_template,
        "workbook to enter a new plan from its text",
        "A workbook to enter a region's new plan: sheet 规划 (name, period, previous plan, the stored document under "
        "data/raw/), sheet 目标 (one target a row: indicator id or a new indicator, wording, baseline and target as "
        "written, kind, attribute, locator, quote, optional draft for the outlook). plantrack import reads it back.",
        ("common",),
        _plan_template_options,
    ),
    "outlook": Command(
        cmd_outlook,
        "outlook to 2030 and draft targets against past growth",
        "Per indicator of a region's latest plan with data: the latest actual, the growth of the last plan period, "
        "the value that growth reaches by --to with a band; for each draft target (--target, or the draft column "
        "of a plan-template workbook) the growth it requires against the past period's, the parent's and the "
        "nation's.",
        ("common", "assume", "format"),
        _outlook_options,
    ),
}
