"""A new plan from its text: plan-template → fill in → import checked whole → the region's report moves on.

The plan text and every number below are made up; they live only in the temporary fixture folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.projection import project_region
from plantrack.analysis.review import review, review_plan
from plantrack.app.cli import main
from plantrack.data.importer import column_id
from plantrack.data.planimport import PLAN_SHEET, TARGETS_SHEET, import_plan, is_plan_workbook, read_drafts, read_plan
from plantrack.data.tables import load
from plantrack.present.plantemplate import write_plan_template
from tests.fixture import build

PLAN_TEXT = (
    "某市“十五五”知识产权规划（测试文本）\n"
    "到2030年，甲存量达到45件（2025年为28件）。\n"
    "丙比重达到10%。\n"
    "新增丁累计达到600件。\n"
    "知识产权示范园区超过12家。\n"
)
PLAN_FIELDS = {
    "name_zh": "某市“十五五”知识产权规划", "name_en": "City 15th plan (test)", "source_id": "city_p15",
    "source_title": "某市“十五五”知识产权规划（测试）", "issuer": "某市人民政府", "date": "2026-03",
    "raw_file": "city_p15.txt",
}
GOOD_TARGETS = [
    {"indicator_id": "stock_a", "name_as_written": "甲存量", "unit_as_written": "件", "attribute": "约束性",
     "baseline_year": 2025, "baseline_text": "28", "target_year": 2030, "target_text": "45", "target_kind": "point",
     "locator": "二", "quote": "到2030年，甲存量达到45件（2025年为28件）", "draft": 50},
    {"indicator_id": "share_c", "name_as_written": "丙比重", "unit_as_written": "%", "attribute": "预期性",
     "target_year": 2030, "target_text": "10", "locator": "二", "quote": "丙比重达到10%"},
    {"indicator_id": "total_d", "name_as_written": "新增丁", "unit_as_written": "件", "target_year": 2030,
     "target_text": "600", "locator": "二", "quote": "新增丁累计达到600件"},
    {"indicator_id": "demo_parks", "new_name_zh": "知识产权示范园区", "new_name_en": "IP demonstration parks",
     "new_unit": "家", "new_measure": "stock", "new_direction": "higher", "name_as_written": "知识产权示范园区",
     "unit_as_written": "家", "target_year": 2030, "target_text": "超过12", "target_kind": "lower_bound",
     "locator": "二", "quote": "知识产权示范园区超过12家"},
]
#: a 2025 actual for the fixture city (made up), so the finished 14th plan has an outcome to review
ACTUAL_2025 = ["city", "stock_a", "2025", "", "28", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
               "2025年甲存量28件", ""]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = build(tmp_path / "data", {"observations.csv": [ACTUAL_2025]})
    (data / "raw" / "city_p15.txt").write_text(PLAN_TEXT, encoding="utf-8")
    return data


def _fill(path: Path, fields: dict[str, object], targets: list[dict[str, object]]) -> None:
    """Type the plan's fields and targets into a plan-template (the way a researcher fills it in Excel)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[PLAN_SHEET]
    for row in ws.iter_rows(min_row=2):
        key = column_id(row[0].value)
        if key in fields:
            ws.cell(row=row[0].row, column=2, value=fields[key])
    ts = wb[TARGETS_SHEET]
    cols = {column_id(c.value): c.column for c in ts[1]}
    n = ts.max_row + 1
    for target in targets:
        for c, v in target.items():
            ts.cell(row=n, column=cols[c], value=v)
        n += 1
    wb.save(path)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_template_is_a_plan_workbook_prefilled_from_the_data(folder: Path, tmp_path: Path) -> None:
    path, n = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx", "en")
    assert is_plan_workbook(path) and n == len(load(folder).lookup.plan_targets[("city", "p14")])
    plan = read_plan(path)
    assert plan.fields["previous_plan"] == "p14"  # the current plan, the one before the new one
    assert (plan.fields["start_year"], plan.fields["end_year"]) == ("2026", "2030")
    assert plan.targets == []  # prefilled indicator rows are a head start, not targets


def test_valid_plan_import_makes_it_the_current_plan_and_reviews_the_previous(folder: Path, tmp_path: Path) -> None:
    path, _ = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx")
    _fill(path, PLAN_FIELDS, GOOD_TARGETS)
    result = import_plan(folder, read_plan(path))
    assert result.checked.problems == [] and result.written
    data = load(folder)
    assert data.lookup.region_plans["city"][-1] == "p15"
    assert data.lookup.plans["p15"]["previous_plan"] == "p14"
    assert "demo_parks" in data.lookup.indicators
    a = Assumptions(as_of=2026)
    table = project_region(data, "city", assumptions=a).set_index("indicator_id")
    assert list(table["plan"].unique()) == ["p15"] and len(table) == len(GOOD_TARGETS)
    stock = table.loc["stock_a"]  # projected from its own growth over the previous plan's period, 2020-2025
    assert (stock["growth_from_year"], stock["growth_to_year"]) == (2020, 2025)
    assert stock["evidence"] in ("own_2", "own_3")
    assert table.loc["demo_parks", "verdict"] == "not_projectable"  # a new indicator without data: no verdict
    assert review_plan(data, "city", 2026) == "p14"
    reviewed = review(data, "city", "p14", 2026).set_index("indicator_id")
    assert reviewed.loc["stock_a", "status"] == "not_met" and reviewed.loc["stock_a", "outcome_from"] == "observations"
    assert read_drafts(path) == {"stock_a": 50.0}


def test_report_renders_the_new_plan_and_reviews_the_previous(folder: Path, tmp_path: Path) -> None:
    path, _ = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx")
    _fill(path, PLAN_FIELDS, GOOD_TARGETS)
    assert import_plan(folder, read_plan(path)).written
    from plantrack.present.context import context
    from plantrack.present.report import full_report
    from plantrack.present.words import words

    for lang in ("zh", "en"):
        ctx = context("city", lang, data_dir=str(folder), as_of=2026)
        html = str(full_report(ctx))
        assert ctx.plan == "p15" and ctx.reviewed_plan == "p14"
        assert words(lang)("section.review", plan=ctx.plan_name("p14")) in html


def test_broken_plan_lists_every_problem_and_writes_nothing(folder: Path, tmp_path: Path) -> None:
    path, _ = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx")
    broken = [
        {**GOOD_TARGETS[0], "quote": "到2030年，甲存量达到46件"},  # quote not in the stored text
        {**GOOD_TARGETS[1], "unit_as_written": "件"},  # a count's unit for a share
        {**GOOD_TARGETS[2], "indicator_id": "no_such_indicator"},  # unknown, and no new indicator given
        {**GOOD_TARGETS[1]},  # the same indicator twice
    ]
    _fill(path, PLAN_FIELDS, broken)
    before = _snapshot(folder)
    result = import_plan(folder, read_plan(path))
    assert not result.written and _snapshot(folder) == before
    rows = read_plan(path).target_rows
    found = {(p.row, p.column.rsplit("（", 1)[-1].rstrip("）")) for p in result.checked.problems}
    assert (rows[0], "quote") in found
    assert (rows[1], "unit_as_written") in found
    assert (rows[2], "indicator_id") in found
    assert (rows[3], "indicator_id") in found  # the duplicate of row rows[1]
    assert all(p.sheet == TARGETS_SHEET for p in result.checked.problems)


def test_an_existing_plan_must_agree_and_a_raw_file_stays_inside_raw(folder: Path, tmp_path: Path) -> None:
    path, _ = write_plan_template(load(folder), "city", "p14", tmp_path / "p14.xlsx")
    _fill(path, {**PLAN_FIELDS, "end_year": 2030, "raw_file": "../outside.txt"}, GOOD_TARGETS[1:2])
    before = _snapshot(folder)
    result = import_plan(folder, read_plan(path))
    fields = {p.column for p in result.checked.problems if p.sheet == PLAN_SHEET}
    assert {"end_year", "raw_file"} <= fields and _snapshot(folder) == before


def test_import_command_recognises_a_plan_workbook(folder: Path, tmp_path: Path, capsys) -> None:
    xlsx = tmp_path / "p15.xlsx"
    assert main(["plan-template", "--region", "city", "--plan", "p15", "--xlsx", str(xlsx), "--data", str(folder)]) == 0
    _fill(xlsx, PLAN_FIELDS, [{**GOOD_TARGETS[1], "quote": "丙比重达到11%"}])
    assert main(["import", str(xlsx), "--data", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "nothing was written" in out and f"{TARGETS_SHEET} row" in out
    fresh = tmp_path / "fresh.xlsx"  # the row corrected: a fresh template filled in again
    argv = ["plan-template", "--region", "city", "--plan", "p15", "--xlsx", str(fresh), "--data", str(folder)]
    assert main(argv) == 0
    _fill(fresh, PLAN_FIELDS, GOOD_TARGETS)
    assert main(["import", str(fresh), "--data", str(folder)]) == 0
    assert "targets.csv" in capsys.readouterr().out
    assert load(folder).lookup.region_plans["city"][-1] == "p15"


def test_outlook_reads_the_draft_column_of_a_plan_workbook(folder: Path, tmp_path: Path, capsys) -> None:
    path, _ = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx")
    _fill(path, PLAN_FIELDS, GOOD_TARGETS)
    assert main(["outlook", "--region", "city", "--drafts", str(path), "--as-of", "2026", "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    draft_part = out.split("\n\n", 1)[1]  # the draft table follows the outlook table
    assert "stock_a" in draft_part and "50" in draft_part


def test_a_plan_workbook_is_read_within_the_import_s_limits(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan import opened its workbook without the data import's limits (file size, rows): a plan
    workbook is opened and read by the same code, so the same file is refused with the same message."""
    from plantrack.data.importer import sheet as sheet_module
    from plantrack.data.importer.sheet import ImportProblems

    path, _ = write_plan_template(load(folder), "city", "p15", tmp_path / "p15.xlsx", "en")
    _fill(path, {}, [{"indicator_id": "stock_a", "target_year": 2030, "target_text": str(i), "quote": "q"}
                     for i in range(60)])
    assert len(read_plan(path).targets) == 60
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 50)
    with pytest.raises(ImportProblems, match="import at most 50 rows at a time"):
        read_plan(path)
    monkeypatch.setattr(sheet_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportProblems, match="at most 100 bytes can be imported"):
        read_plan(path)
