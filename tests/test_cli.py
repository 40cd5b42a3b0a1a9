"""The command line: one number format, help for every option, a description per command, quiet pipes."""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys

import pytest

from plantrack.app.cli import COMMANDS, DESCRIPTIONS, build_parser, main

#: a year written as a float (2018.0) or a number in exponent notation (4e+04)
BAD_NUMBER = re.compile(r"\b(19|20)\d\d\.0\b|\d[eE][+-]?\d")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_has_a_description_and_every_option_help() -> None:
    parser = build_parser()
    assert "Command line:" not in (parser.description or "") and "``" not in (parser.description or "")
    subs = _subparsers(parser)
    assert set(subs) == set(COMMANDS) == set(DESCRIPTIONS)
    for name, p in subs.items():
        assert p.description and len(p.description) > 30, name
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest}"


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["project", "--region", "suzhou"],
        ["project", "--region", "jiangsu"],
        ["compare"],
        ["review", "--region", "suzhou"],
        ["backtest"],
    ],
)
def test_table_numbers_are_formatted(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert not BAD_NUMBER.search(out), BAD_NUMBER.search(out).group(0)  # type: ignore[union-attr]
    assert not re.search(r"\bnan\b|<NA>|\bNone\b", out)


def test_years_and_thousands_in_project_table(capsys: pytest.CaptureFixture[str]) -> None:
    from plantrack import load
    from plantrack.analysis.projection import project_region
    from plantrack.app.cli import YEAR_COLUMNS, formatted

    shown = formatted(project_region(load(), "suzhou"))
    for col in YEAR_COLUMNS & set(shown.columns):
        assert all(v == "—" or re.fullmatch(r"\d{4}", v) for v in shown[col]), (col, set(shown[col]))
    assert main(["project", "--region", "suzhou"]) == 0
    out = capsys.readouterr().out
    assert " 2020 " in out and "2,020" not in out
    assert "450,000" in out  # 新增作品登记量 target
    assert "%" in out


def test_csv_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--region", "suzhou", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 35
    for r in rows:
        for col in ("baseline_year", "latest_year", "target_year"):
            assert r[col] == "" or re.fullmatch(r"\d{4}", r[col]), (col, r[col])
        for col in ("target_value", "latest_value", "required_growth", "R"):
            assert r[col] == "" or re.fullmatch(r"-?\d+(\.\d+)?", r[col]), (col, r[col])
    assert any(r["target_value"] == "450000" for r in rows)


def test_piping_into_head_ends_quietly() -> None:
    for argv in (["validate"], ["compare"], ["project", "--region", "suzhou"]):
        proc = subprocess.run(
            f"{sys.executable} -m plantrack.app.cli {' '.join(argv)} | head -n 2",
            shell=True, capture_output=True, text=True, timeout=120,
        )
        assert proc.stdout.count("\n") == 2
        assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
