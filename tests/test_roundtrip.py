"""The researcher's round trip: an exported workbook imports back without loss (fixture dataset)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from plantrack.app.cli import main
from plantrack.data.importer import column_id
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
