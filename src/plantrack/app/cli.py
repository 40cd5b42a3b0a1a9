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

import pandas as pd

from .. import __version__
from ..data.params import ParameterError
from ..present.texts import YEAR_COLUMNS
from .commands import assess, batch, nextplan, tables
from .commands.common import Command, UsageError, formatted, shared_options

#: every command, in the order of the command list
ALL: dict[str, Command] = {**tables.COMMANDS, **assess.COMMANDS, **batch.COMMANDS, **nextplan.COMMANDS}
ORDER = (
    "validate", "compare", "review", "backtest", "project", "outlook", "export", "template", "plan-template", "import",
    "render",
)
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {name: ALL[name].run for name in ORDER}
#: per command: the one line of the command list, and the paragraph of its own --help
DESCRIPTIONS: dict[str, tuple[str, str]] = {name: (ALL[name].short, ALL[name].long) for name in ORDER}

__all__ = ["COMMANDS", "DESCRIPTIONS", "YEAR_COLUMNS", "UsageError", "build_parser", "formatted", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="plantrack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"plantrack {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    shared = shared_options()
    for name in ORDER:
        cmd = ALL[name]
        p = sub.add_parser(name, parents=[shared[s] for s in cmd.parents], help=cmd.short, description=cmd.long)
        if cmd.arguments:
            cmd.arguments(p)
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
