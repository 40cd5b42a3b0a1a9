"""The researcher's loop on a copy of the data: template → fill in → import checked → validate → assessment changed.

The values below are made up for the test and live only in the temporary copy.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest

from plantrack.analysis.projection import project_region
from plantrack.app.cli import main
from plantrack.data.importer import COLUMNS, SHEET, column_id, import_rows, read_rows
from plantrack.data.tables import load
from plantrack.present.words import words

SUZHOU_FILL = {
    # indicator, wanted year → what a researcher types (made-up numbers and sources)
    ("madrid_tm_registrations", "2015"): {
        "year": 2015, "value": 820, "unit": "件",
        "quote": "截至2015年底，全市马德里商标有效注册累计量达820件。",
        "source_title": "2015年苏州市知识产权发展状况（测试）", "issuer": "苏州市知识产权局", "date": "2016-04-20",
        "source_url": "https://example.org/sz/2015.html", "tier": "A",
    },
    ("firms_per_10k_with_ip", "2015"): {
        "year": 2015, "value": 610, "unit": "家",
        "quote": "每万户企业中拥有知识产权的企业为610家。",
        "source_title": "2015年苏州市知识产权发展状况（测试）", "issuer": "苏州市知识产权局", "date": "2016-04-20",
        "source_url": "https://example.org/sz/2015.html", "tier": "A",
    },
    ("ip_service_employees", "2015"): {
        "year": 2015, "value": "4,500", "unit": "人",
        "quote": "全市知识产权服务业从业人员4500人。",
        "source_title": "苏州知识产权服务业调查（测试）", "issuer": "苏州市知识产权局", "date": "2016",
        "source_url": "https://example.org/sz/service.html", "tier": "B", "note": "made-up value for a test",
    },
    ("ip_intensive_firms", "2015"): {  # the bad row: the value is not a number
        "year": 2015, "value": "约六百", "unit": "家",
        "quote": "知识产权密集型企业约600家。",
        "source_title": "苏州知识产权服务业调查（测试）", "issuer": "苏州市知识产权局", "date": "2016",
        "source_url": "https://example.org/sz/service.html", "tier": "B",
    },
}


def _fill(path: Path, fills: dict[tuple[str, str], dict[str, object]]) -> dict[tuple[str, str], int]:
    """Type ``fills`` into the template rows they belong to; returns each one's sheet row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    cols = {column_id(c.value): c.column for c in ws[1]}
    where = {}
    for row in ws.iter_rows(min_row=2):
        key = (row[cols["indicator_id"] - 1].value, row[cols["years_wanted"] - 1].value)
        if key in fills:
            where[key] = row[0].row
            for c, v in fills[key].items():
                ws.cell(row=row[0].row, column=cols[c], value=v)
    wb.save(path)
    return where


def _verdicts(data_dir: Path) -> dict[str, tuple[str, str]]:
    p = project_region(load(data_dir), "suzhou", fragility=False)
    return {r["indicator_id"]: (r["verdict"], r["evidence"]) for r in p.to_dict("records")}


def test_template_fill_import(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "suzhou.xlsx"
    assert main(["template", "--data", str(data_copy), "--region", "suzhou", "--xlsx", str(xlsx)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[:2] == [SHEET, "填写说明"]
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    assert "年份（year）" in headers and "数值（value）" in headers and "原文（quote）" in headers
    assert "来源网址（source_url）" in headers
    assert [column_id(h) for h in headers] == list(COLUMNS)
    asked = {(r[1], r[3]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    wanted = project_region(load(data_copy), "suzhou", fragility=False)
    expected = {(r["missing_indicator_id"], y) for r in wanted.to_dict("records") if isinstance(r["missing_years"], str)
                for y in r["missing_years"].split(";")}
    assert expected <= asked and set(SUZHOU_FILL) <= asked  # and the actuals of assessed targets
    kinds = {v.type for v in ws.data_validations.dataValidation}
    assert {"list", "whole"} <= kinds
    listed = " ".join(str(v.formula1) for v in ws.data_validations.dataValidation)
    assert '"A,B,C"' in listed and "lists" in listed
    assert "§8" in str(wb["填写说明"]["A1"].value) or any(
        "第8节" in str(c.value) for row in wb["填写说明"].iter_rows() for c in row
    )

    rows_at = _fill(xlsx, SUZHOU_FILL)
    before_files = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    before = _verdicts(data_copy)
    capsys.readouterr()

    # one bad row: listed with sheet, row, column and value; nothing written
    assert main(["import", str(xlsx), "--data", str(data_copy), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    bad_row = rows_at[("ip_intensive_firms", "2015")]
    assert f"{SHEET} row {bad_row}, column 数值（value）: '约六百'" in out
    assert "nothing was written" in out
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before_files
    assert not list((data_copy / "raw" / "web").glob("added_*"))

    # fixed (the researcher clears the row they cannot source): three rows written, validate passes
    wb = openpyxl.load_workbook(xlsx)
    for cell in wb[SHEET][bad_row][5:]:
        cell.value = None
    wb.save(xlsx)
    assert main(["import", str(xlsx), "--data", str(data_copy), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "wrote 3 row(s)" in out
    assert "added 2 source(s)" in out
    # the change of assessment in words (ids as they are): the verdict as the report names it
    assert f"madrid_tm_registrations: {words('en').verdict('not_projectable')} → " in out
    assert main(["validate", "--data", str(data_copy), "--lang", "en"]) == 0
    assert "all checks passed" in capsys.readouterr().out
    after = _verdicts(data_copy)
    assert after != before
    for ind in ("madrid_tm_registrations", "firms_per_10k_with_ip", "ip_service_employees"):
        assert before[ind] == ("not_projectable", "none")
        assert after[ind][0] != "not_projectable" and after[ind][1].startswith("own")
    # the new sources keep their quoted text as retrieved text, with a header
    with (data_copy / "sources.csv").open(encoding="utf-8", newline="") as f:
        added = [r for r in csv.DictReader(f) if r["source_id"].startswith("added_suzhou")]
    assert len(added) == 2 and all(r["tier"] in "AB" and r["retrieved"] and r["url"] for r in added)
    text = (data_copy / "raw" / added[0]["raw_file"]).read_text(encoding="utf-8")
    assert text.startswith("url: https://example.org/") and "\n---\n" in text

    # importing the same file again: refused, nothing overwritten without --replace
    assert main(["import", str(xlsx), "--data", str(data_copy), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "already holds a value" in out and "--replace" in out
    assert main(["import", str(xlsx), "--data", str(data_copy), "--replace", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count("replaced observations.csv line") == 3 and "source(s) to sources.csv" not in out  # reused
    assert main(["validate", "--data", str(data_copy), "--lang", "en"]) == 0


def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(COLUMNS))
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


def _row(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "region_id": "suzhou", "indicator_id": "madrid_tm_registrations", "year": 2015, "value": 820, "unit": "件",
        "quote": "马德里商标有效注册累计量达820件。", "source_title": "测试来源", "issuer": "苏州市知识产权局",
        "date": "2016-04-20", "source_url": "https://example.org/a.html", "tier": "A",
    }
    base.update(kw)
    return base


def test_csv_replace_prints_what_it_replaced(data_copy: Path, tmp_path: Path, capsys) -> None:
    first = _csv(tmp_path / "a.csv", [_row()])
    assert main(["import", str(first), "--data", str(data_copy), "--lang", "en"]) == 0
    second = _csv(tmp_path / "b.csv", [_row(value=830, quote="马德里商标有效注册累计量达830件。",
                                            source_url="https://example.org/b.html")])
    capsys.readouterr()
    assert main(["import", str(second), "--data", str(data_copy), "--lang", "en"]) == 1
    assert "already holds a value" in capsys.readouterr().out
    assert main(["import", str(second), "--data", str(data_copy), "--replace", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "replaced observations.csv line" in out and "820" in out
    values = [r for r in csv.DictReader((data_copy / "observations.csv").open(encoding="utf-8"))
              if r["indicator_id"] == "madrid_tm_registrations" and r["region_id"] == "suzhou" and r["year"] == "2015"]
    assert [r["value"] for r in values] == ["830"]


def test_every_bad_row_listed_and_skip_bad(data_copy: Path, tmp_path: Path, capsys) -> None:
    rows = [
        _row(),
        _row(indicator_id="no_such_indicator", quote="x 1", value=1),
        _row(indicator_id="firms_per_10k_with_ip", value=610, unit="件", quote="拥有知识产权的企业为610家。"),
        _row(indicator_id="ip_service_employees", value=4500, unit="人", quote="从业人员4600人。", tier="D",
             source_url="ftp://x"),
    ]
    path = _csv(tmp_path / "rows.csv", rows)
    assert main(["import", str(path), "--data", str(data_copy), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "rows.csv row 3, column indicator_id: 'no_such_indicator'" in out
    assert "rows.csv row 4, column unit: '件'" in out
    assert "rows.csv row 5, column tier: 'D'" in out
    assert "rows.csv row 5, column source_url: 'ftp://x'" in out
    assert "rows.csv row 5, column value: '4500'" in out  # not in the quote
    assert "row 2" not in out
    assert "nothing was written" in out
    assert main(["import", str(path), "--data", str(data_copy), "--skip-bad", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "wrote 1 row(s)" in out and "skipped 3 bad row(s)" in out
    assert main(["validate", "--data", str(data_copy), "--lang", "en"]) == 0


def test_dataset_check_catches_what_row_checks_cannot(data_copy: Path, tmp_path: Path) -> None:
    """A part-year quote without covers passes the row checks; the whole-dataset validation names the row."""
    path = _csv(tmp_path / "part.csv", [_row(quote="1-9月，马德里商标有效注册累计量达820件。")])
    rows, _ = read_rows(path)
    result = import_rows(data_copy, rows)
    assert result.written is None
    assert any(p.row == 2 and p.column == "covers" for p in result.checked.problems)


def test_write_keeps_mode_and_symlink(data_copy: Path, tmp_path: Path) -> None:
    obs = data_copy / "observations.csv"
    real = tmp_path / "real_observations.csv"
    real.write_bytes(obs.read_bytes())
    obs.unlink()
    obs.symlink_to(real)
    os.chmod(real, 0o664)
    rows, _ = read_rows(_csv(tmp_path / "r.csv", [_row()]))
    assert import_rows(data_copy, rows).written is not None
    assert obs.is_symlink() and oct(real.stat().st_mode & 0o777) == oct(0o664)
    assert "820" in real.read_text(encoding="utf-8")


def test_csv_with_the_template_headers(data_copy: Path, tmp_path: Path) -> None:
    """A CSV saved from the template keeps headers such as 年份（year）; they are read by their ids."""
    from plantrack.present.template import header_label

    path = tmp_path / "zh.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([header_label(c) for c in COLUMNS])
        w.writerow([_row().get(c, "") for c in COLUMNS])
    rows, _ = read_rows(path)
    assert rows[0].get("year") == "2015" and rows[0].label("value") == "数值（value）"
    assert import_rows(data_copy, rows).written is not None


def test_two_imports_at_once_both_land(data_copy: Path, tmp_path: Path) -> None:
    """Two processes importing different rows into one folder: the lock serialises them, neither row is lost."""
    import subprocess
    import sys

    a = _csv(tmp_path / "a.csv", [_row()])
    b = _csv(tmp_path / "b.csv", [_row(indicator_id="firms_per_10k_with_ip", value=610, unit="家",
                                       quote="拥有知识产权的企业为610家。", source_url="https://example.org/b.html")])
    procs = [
        subprocess.Popen([sys.executable, "-m", "plantrack.app.cli", "import", str(f), "--data", str(data_copy)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in (a, b)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert main(["validate", "--data", str(data_copy), "--lang", "en"]) == 0
    text = (data_copy / "observations.csv").read_text(encoding="utf-8")
    assert "马德里商标有效注册累计量达820件" in text and "拥有知识产权的企业为610家" in text


def test_a_garbled_quote_is_imported_only_when_declared(tmp_path: Path) -> None:
    """A garbled quote from a copy is refused until the row says so (quote_issue and a note), then stored with it."""
    from plantrack.data.importer import SheetRow
    from tests.fixture import build

    folder = build(tmp_path / "data")
    cells = {"region_id": "city", "indicator_id": "stock_b", "year": "2023", "value": "27", "unit": "件",
             "quote": "2023年乙存量發(fā)明27件", "source_title": "测试公报", "issuer": "测试机关",
             "date": "2024-03-01", "source_url": "https://example.org/2023.html", "tier": "C"}  # fmt: skip
    refused = import_rows(folder, [SheetRow("sheet", 2, cells)])
    assert refused.written is None
    assert [p.code for p in refused.checked.problems] == ["quote_garbled"]
    unexplained = import_rows(folder, [SheetRow("sheet", 2, {**cells, "quote_issue": "garbled"})])
    assert [p.code for p in unexplained.checked.problems] == ["quote_issue_note"]
    declared = {**cells, "quote_issue": "garbled", "note": "pinyin residues in the copy"}
    assert import_rows(folder, [SheetRow("sheet", 2, declared)]).written is not None
    stored = load(folder).observations.set_index(["region_id", "indicator_id", "year"])
    assert stored.loc[("city", "stock_b", 2023), "quote_issue"] == "garbled"
