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
    from plantrack import load
    from plantrack.analysis.projection import project_region

    assert main(["project", "--region", "suzhou", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(project_region(load(), "suzhou"))  # one row per target of the region's plan
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


# ---------------------------------------------------------------- the table view on the fixture dataset

#: large numbers: a stock in the hundreds of thousands and a period total in the tens of millions, next to small ones
LARGE = {
    "indicators.csv": [
        ["big_f", "大存量", "Big F", "件", "stock", "higher", "", ""],
        ["huge_g", "新增庚", "New G", "件", "period_total", "higher", "", ""],
    ],
    "targets.csv": [
        ["city", "p14", "big_f", "大存量", "件", "约束性", "2020", "250000", "250000", "2025", "430000", "430000",
         "430000", "point", "", "", "doc", "表2", "大存量 250000 430000", "", ""],
        ["land", "p14", "big_f", "大存量", "件", "预期性", "2020", "1500000", "1500000", "2025", "2100000", "2100000",
         "2100000", "point", "", "", "doc", "纲要", "大存量 1500000 2100000", "", ""],
        ["city", "p14", "huge_g", "新增庚", "件", "预期性", "2020", "12000000", "12000000", "2025", "15000000",
         "15000000", "15000000", "point", "", "", "doc", "表2", "新增庚 12000000 15000000", "", ""],
    ],
    "observations.csv": [
        ["city", "big_f", "2015", "", "150000", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
         "大存量从150000件", ""],
        ["city", "big_f", "2020", "", "250000", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
         "增加到250000件", ""],
        ["city", "huge_g", "2020", "2016", "12000000", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
         "五年新增庚12000000件", ""],
    ],
}
#: codes of the analysis that the table view shows in the report's words
CODES = ("acceleration_needed", "on_track", "not_projectable", "own_2", "previous_pace", "benchmark", "not_met",
         "compared_point", "no_value", "unassessed")


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.fixture import build

    return str(build(tmp_path_factory.mktemp("cli_fixture"), LARGE))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["project", "--region", "city", "--as-of", "2024"],
        ["project", "--region", "land", "--as-of", "2026"],
        ["compare", "--as-of", "2024"],
        ["review", "--region", "city"],
        ["backtest"],
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fixture_tables_have_no_exponent_no_grouped_year_no_code(
    argv: list[str], lang: str, fixture_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every number through the one formatter, every code in the report's words, in both languages."""
    out = _run([*argv, "--data", fixture_dir, "--lang", lang], capsys)
    assert not re.search(r"\d[eE][+-]?\d", out), out
    assert not re.search(r"\b(19|20)\d\d\.0\b|\b2,0[12]\d\b", out), out
    assert not re.search(r"\bnan\b|<NA>|\bNone\b", out), out
    assert [c for c in CODES if re.search(rf"\b{c}\b", out)] == []


def test_fixture_project_prints_large_values_grouped_years_plain_and_the_report_labels(
    fixture_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from plantrack import load
    from plantrack.analysis.assumptions import Assumptions
    from plantrack.analysis.projection import project_region
    from plantrack.present.words import words

    out = _run(["project", "--region", "city", "--as-of", "2024", "--data", fixture_dir, "--lang", "en"], capsys)
    assert "430,000" in out and "250,000" in out and "15,000,000" in out and "12,000,000" in out
    assert re.search(r" 2020 ", out) and "As of 2024:" in out
    frame = project_region(load(fixture_dir), "city", "p14", assumptions=Assumptions(as_of=2024))
    w = words("en")
    for r in frame.to_dict("records"):  # each verdict as the report words it
        assert w.verdict(r["verdict"], r["R"], r["progress_ratio"], r["outcome"]) in out
    assert w.evidence("own_2") in out and w.code("group", "on_track") in out
    zh = _run(["project", "--region", "city", "--as-of", "2024", "--data", fixture_dir, "--lang", "zh"], capsys)
    assert "截至2024年：" in zh and words("zh").evidence("own_2") in zh and "430,000" in zh


def test_fixture_compare_and_review_words(fixture_dir: str, capsys: pytest.CaptureFixture[str]) -> None:
    from plantrack.present.words import words

    out = _run(["compare", "--as-of", "2024", "--data", fixture_dir, "--lang", "en"], capsys)
    assert "2,100,000" in out and "1,500,000" in out and " 2020 " in out
    assert "Big F" in out and "City" in out and "×" in out  # names and multiples in English
    review_out = _run(["review", "--region", "city", "--data", fixture_dir, "--lang", "en"], capsys)
    w = words("en")
    assert w.code("review_status", "not_met") in review_out and w.code("review_reason", "compared_point") in review_out
    assert w.attribute("预期性") in review_out


def test_fixture_csv_keeps_codes_and_plain_numbers(fixture_dir: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(["project", "--region", "city", "--as-of", "2024", "--data", fixture_dir, "--format", "csv"], capsys)
    rows = {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["big_f"]["target_value"] == "430000" and rows["huge_g"]["target_value"] == "15000000"
    assert rows["big_f"]["baseline_year"] == "2020" and rows["stock_a"]["verdict"] in ("on_track", "achieved")
    # the previous total with no growth is not evidence: unassessed, with the ambition and the missing number
    assert rows["total_d"]["evidence"] == "none" and rows["total_d"]["reason"] == "no_growth_total"
    assert rows["total_d"]["ambition"] == "1.25"


# ---------------------------------------------------------------- validate and import speak the reader's language

#: three English words in a row: a sentence left in English (ids, codes, file names and lists of codes are not)
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
#: a folder of the fixture with a problem of each layer: reading, schema, cross-checks, provenance (made-up rows)
BROKEN = {
    "regions.csv": [["town", "镇", "Town", "district", ""], ["town_b", "镇", "Town", "village", "nowhere"]],
    "plans.csv": [["p15", "十五五", "15th", "2030", "2026", "p99", ""]],
    "sources.csv": [["web_a", "标题", "机关", "2020", "web/missing.txt", "http://example.org/a", "2020/01/01", "A", ""],
                    ["web_b", "", "", "", "web/missing.txt", "http://example.org/b", "", "", ""]],
    "indicators.csv": [
        ["per_y", "万人辛拥有量", "Y", "件", "stock", "higher", "", "", "per_10k", "", "", "", "", "absolute"],
        ["tot_z", "新增壬", "Z", "件", "period_total", "higher", "unknown_one", "", "", "", "", "", "", "relative"],
        ["rate_x", "庚率", "X", "%", "rate", "sideways", "", "", "", "", "", "", "", ""],
    ],
    "targets.csv": [["city", "p14", "stock_b", "乙存量", "件", "预期性", "2027", "100", "99", "2025", "130", "140",
                     "130", "range", "5", "", "doc", "表9", "乙存量不在原文", "", ""]],
    "observations.csv": [
        ["city", "stock_a", "2099", "2098", "13", "件", "exact", "", "", "", "stated", "1", "", "", "", "doc", "一",
         "1-6月甲存量13件", "", "garbled"],
        ["city", "stock_a", "2016", "", "-5", "件", "exact", "", "", "", "derived", "", "", "", "", "doc", "一",
         "甲存量發(fā)明减少5件", "", ""],
        ["city", "total_d", "2021", "", "14", "人", "maybe", "", "", "", "guessed", "", "", "", "", "nodoc", "一",
         "=HYPERLINK(1)", "", "mangled"],
    ],
}  # fmt: skip


def _english(out: str) -> list[str]:
    """Lines of ``out`` holding an English sentence, paths and quoted values aside."""
    found = []
    for line in out.splitlines():
        text = re.sub(r"'[^']*'|/\S+|https?://\S+", "", line)
        if ENGLISH.search(text):
            found.append(line)
    return found


def test_validate_speaks_chinese_by_default(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zh run (the default) of validate prints no English sentence: on the bundled data and on broken files."""
    from tests.fixture import build

    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and not _english(out), _english(out)
    folder = build(tmp_path / "broken", BROKEN)
    assert main(["validate", "--data", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.count(" — ") >= 20, out  # a problem of each layer, each on its line
    assert not _english(out), _english(out)
    assert main(["validate", "--data", str(folder), "--lang", "en"]) == 1
    assert _english(capsys.readouterr().out), "English when asked for"


def test_import_speaks_chinese_by_default(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zh import prints no English sentence: bad rows refused, then a good row written and its changes."""
    from plantrack.data.importer import COLUMNS
    from tests.fixture import build

    folder = build(tmp_path / "data")
    good = {"region_id": "city", "indicator_id": "stock_b", "year": 2023, "value": 27, "unit": "件",
            "quote": "2023年乙存量27件", "source_title": "测试公报", "issuer": "测试机关", "date": "2024-03-01",
            "source_url": "https://example.org/2023.html", "tier": "A"}  # fmt: skip
    bad = [{**good, "region_id": "nowhere"}, {**good, "year": 2022, "value": "约六百"}, {**good, "year": 2021,
           "tier": "Z", "date": "soon"}, {**good, "year": 2020, "unit": "斤"}]  # fmt: skip

    def csv_file(name: str, rows: list[dict[str, object]]) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows([["" if r.get(c) is None else r.get(c) for c in COLUMNS] for r in rows])
        (tmp_path / name).write_text(buf.getvalue(), encoding="utf-8")
        return str(tmp_path / name)

    assert main(["import", csv_file("bad.csv", bad), "--data", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.count(" — ") >= 4 and not _english(out), _english(out)
    assert main(["import", csv_file("good.csv", [good]), "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "已向" in out and not _english(out), _english(out)
