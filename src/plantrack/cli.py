"""Command line: ``plantrack validate|compare|review|project|export|render``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .data import PlanData, bundled_data_dir, load
from .data import read_all as read_all_tables


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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"validate": cmd_validate}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(prog="plantrack", description=__doc__)
    parser.add_argument("--version", action="version", version=f"plantrack {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", help="folder with the CSV tables (default: the bundled data/)")
    sub.add_parser("validate", parents=[common], help="check the tables and their provenance")
    _add_analysis_commands(sub, common)
    return parser


def _add_analysis_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Sub-commands provided by the analysis modules (registered when they exist)."""
    for register in _REGISTRARS:
        register(sub, common)


_REGISTRARS: list[Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``plantrack`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_colwidth", 40)
    try:
        return COMMANDS[args.command](args)
    except UsageError as err:
        print(f"plantrack {args.command}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # data problems and the like: one clear message, no traceback
        from .validation import DataError

        if isinstance(err, DataError | FileNotFoundError):
            print(f"plantrack {args.command}: {err}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
