"""The researcher's round trip: an exported workbook imports back without loss (fixture dataset)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from plantrack.app.cli import main
from plantrack.data.importer import column_id
from plantrack.data.tables import PlanData
from tests import fixture


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return fixture.build(tmp_path / "data")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _export(folder: Path, path: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["export", "--data", str(folder), "--xlsx", str(path), "--lang", lang]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_sheets_carry_column_ids(folder: Path, tmp_path: Path, lang: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.load_workbook(_export(folder, tmp_path / "all.xlsx", lang, capsys), read_only=True)
    sheet = wb["数据点" if lang == "zh" else "observations"]
    header = next(sheet.iter_rows(values_only=True))
    ids = [column_id(h) for h in header]
    assert {"region_id", "indicator_id", "year", "value", "unit_as_written", "quote", "source_id"} <= set(ids)
    if lang == "zh":
        assert "年份（year）" in header and "指标代码（indicator_id）" in header
    else:
        assert "indicator id (indicator_id)" in header


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unchanged_export_imports_as_no_change(folder: Path, tmp_path: Path, lang: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(folder, tmp_path / "all.xlsx", lang, capsys)
    before = _files(folder)
    assert main(["import", str(path), "--data", str(folder), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert ("0 处改动" if lang == "zh" else "0 changes") in out
    assert _files(folder) == before


def test_one_edited_value_is_one_change_written_with_replace(folder: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(folder, tmp_path / "all.xlsx", "en", capsys)
    wb = openpyxl.load_workbook(path)
    ws = wb["observations"]
    ids = [column_id(c.value) for c in ws[1]]
    col = {c: i for i, c in enumerate(ids)}
    rows = list(ws.iter_rows(min_row=2))
    edited = next(r for r in rows if r[col["indicator_id"]].value == "stock_b" and r[col["year"]].value == 2024)
    edited[col["value"]].value = 20  # the quote "全市乙存量2024年70件" must then be edited too
    edited[col["quote"]].value = "甲存量从10件增加到20件"  # a sentence of the stored text that writes 20件
    deleted = next(r for r in rows if r[col["indicator_id"]].value == "share_c")
    ws.delete_rows(deleted[0].row)  # a row deleted in the workbook is not deleted from the data
    wb.save(path)
    before = (folder / "observations.csv").read_text(encoding="utf-8")

    assert main(["import", str(path), "--data", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "1 change(s)" in out and "--replace" in out
    assert (folder / "observations.csv").read_text(encoding="utf-8") == before

    assert main(["import", str(path), "--data", str(folder), "--lang", "en", "--replace"]) == 0
    out = capsys.readouterr().out
    assert "wrote 1 row(s)" in out and out.count("replaced observations.csv line") == 1
    after = (folder / "observations.csv").read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())  # one replaced, none deleted
    assert "2025年丙比重12.5%" in after
    lines = [line for line in after.splitlines() if line.startswith("prov,stock_b,2024")]
    assert len(lines) == 1 and ",20," in lines[0]

    again = _export(folder, tmp_path / "again.xlsx", "en", capsys)
    assert main(["import", str(again), "--data", str(folder), "--lang", "en"]) == 0
    assert "0 changes" in capsys.readouterr().out


def test_template_asks_first_for_what_decides_the_first_screen(data: PlanData) -> None:
    from plantrack.analysis.projection import project_region
    from plantrack.analysis.tally import AT_RISK, GROUPS
    from plantrack.present.template import PRIORITIES, missing_numbers

    proj = project_region(data, "suzhou", fragility=False)
    wanted = missing_numbers(data, "suzhou")
    ranks = [PRIORITIES.index(p) for p in wanted["priority"]]
    assert ranks == sorted(ranks)  # ordered by priority
    assert wanted["why_asked"].str.len().gt(0).all() and wanted["would_do"].str.len().gt(0).all()
    at_risk = set(proj.loc[proj["verdict"].isin(AT_RISK), "indicator_id"])
    weak = set(proj.loc[proj["verdict"].isin(GROUPS["on_track"]) & proj["weak"].astype(bool), "indicator_id"])
    assert at_risk and weak  # the bundled Suzhou plan has both
    first = wanted.loc[wanted["priority"].isin(["at_risk", "weak"])]
    assert set(first["indicator_id"]) == at_risk | weak
    assert (wanted.index[wanted["priority"] == "unassessed"].min() > first.index.max())
    risk_rows = wanted[wanted["indicator_id"].isin(at_risk)]
    assert {"决定“存在风险”的判断", "2025年结果待公布"} <= set(risk_rows["why_asked"])
    # the numbers behind unassessed targets are still asked for
    unassessed = {(r["missing_indicator_id"], y) for r in proj.to_dict("records")
                  if isinstance(r["missing_years"], str) for y in r["missing_years"].split(";")}
    assert unassessed <= set(zip(wanted["indicator_id"], wanted["years_wanted"], strict=True))
    # --all keeps every year of every assessed target, also the years stored
    every = missing_numbers(data, "suzhou", every_year=True)
    assert len(every) >= len(wanted)
    for ind in at_risk | weak:
        years = set(every.loc[every["indicator_id"] == ind, "years_wanted"])
        assert {str(y) for y in range(2021, 2026)} <= years


def test_template_offers_the_units_the_plan_writes(tmp_path: Path) -> None:
    from plantrack.data.importer import units_for
    from plantrack.data.tables import load

    folder = fixture.build(tmp_path / "data", {
        "indicators.csv": [["sites", "基地", "Sites", "家", "stock", "higher", "", ""]],
        "targets.csv": [["city", "p14", "sites", "基地", "个", "", "", "", "", "2025", "20", "20", "20", "point", "",
                         "", "doc", "二", "建设基地20个", "", ""]],
    })
    data = load(folder)
    assert units_for(data, "sites")[0] == "家" and "个" in units_for(data, "sites")
    assert "个" not in units_for(data, "centres")  # its plan writes 家 only


def test_the_bundled_data_survives_its_own_round_trip(data_copy: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(data_copy, tmp_path / "all.xlsx", "zh", capsys)
    before = _files(data_copy)
    assert main(["import", str(path), "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert "0 处改动：未写入任何内容" in out and "与数据不同" not in out
    assert _files(data_copy) == before
