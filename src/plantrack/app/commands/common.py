"""What the commands share: the command record, the shared options, the data, the assumptions, the table view."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...analysis.assumptions import GROWTH_MODELS, TIMES_READINGS
from ...analysis.projection import Assumptions
from ...data.tables import PlanData, bundled_data_dir, load
from ...present import listing
from ...present.words import languages


class UsageError(Exception):
    """A wrong parameter: printed as one line, exit status 1."""


@dataclass(frozen=True)
class Command:
    """One sub-command: what it runs, its line in the command list, its --help paragraph, its options."""

    run: Callable[[argparse.Namespace], int]
    short: str
    long: str
    parents: tuple[str, ...] = ("common",)  # shared option groups of :func:`shared_options`
    arguments: Callable[[argparse.ArgumentParser], None] | None = None


def add_lang_option(parser: argparse.ArgumentParser, what: str, checked_here: bool = True) -> None:
    """``--lang`` with the one default of the whole command line: the reports' language, the first of
    :func:`languages` (the catalogue whose ``language.order`` is 1).

    ``checked_here`` False leaves the check of the value to the command (``render`` names the valid values itself).
    """
    default = languages()[0]
    parser.add_argument(
        "--lang",
        choices=languages() if checked_here else None,
        default=default,
        help=f"language of {what}, one of {', '.join(languages())} (default: {default})",
    )


def shared_options() -> dict[str, argparse.ArgumentParser]:
    """Option groups several commands take: the data folder, the assumptions, the output format, the view's language."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", help="folder with the CSV tables (default: the bundled data/)")
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
        help="table: aligned columns for reading, in the report's words (default); csv: machine-readable, codes and "
        "plain numbers",
    )
    add_lang_option(fmt, "the table's headers and words")
    return {"common": common, "assume": assume, "format": fmt}


def data_of(args: argparse.Namespace) -> PlanData:
    """The dataset of ``--data`` (default: the bundled one)."""
    return load(args.data)


def data_dir_of(args: argparse.Namespace) -> Path:
    """The folder of ``--data`` (default: the bundled one); a :class:`UsageError` when it is missing."""
    folder = Path(args.data).expanduser().resolve() if args.data else bundled_data_dir()
    if not folder.is_dir():
        raise UsageError(f"data folder not found: {folder}")
    return folder


def assumptions_of(args: argparse.Namespace) -> Assumptions:
    """The assumptions of ``--times-reading``, ``--damping``, ``--growth-model`` and ``--as-of``."""
    return Assumptions(
        times_reading=args.times_reading, damping=args.damping, growth_model=args.growth_model, as_of=args.as_of
    )


def show(
    df: pd.DataFrame, args: argparse.Namespace, columns: Sequence[str] | None = None, reasons: str = "assessment"
) -> None:
    """Print ``df``: as CSV (every column, codes, plain numbers) or as the table view (``columns``, in words)."""
    if args.format == "csv":
        listing.machine(df).to_csv(sys.stdout, index=False)
        return
    print(listing.text(listing.shown(df, args.lang, columns, reasons), args.lang))


def formatted(df: pd.DataFrame, plain: bool = False, lang: str = "en") -> pd.DataFrame:
    """The frame as text, column ids kept: for reading (codes as words, numbers by the one formatter) or ``plain``."""
    return listing.machine(df) if plain else listing.formatted(df, lang)
