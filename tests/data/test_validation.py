"""Broken copies of the data fail clearly (file, line, column); valid rows are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack import DataError, bundled_data_dir, load
from plantrack.app.cli import main
from tests.conftest import read_rows, write_rows


def run_validate(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--data", str(data_dir)])
    out = capsys.readouterr()
    return code, out.out + out.err


def line_of(path: Path, **match: str) -> int:
    """File line (1-based, header = 1) of the first row whose columns equal ``match``."""
    rows = read_rows(path)
    header = rows[0]
    for i, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return i
    raise AssertionError(f"no row matching {match}")


def test_bundled_data_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate"])
    out = capsys.readouterr().out
    assert code == 0
    assert "all checks passed" in out
    rows = len(read_rows(bundled_data_dir() / "targets.csv")) - 1
    assert f"{rows} targets" in out  # every row of targets.csv counted


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("target_year", "twenty25", "expected a whole number"),
        ("baseline_value", "二十", "expected a number"),
        ("region_id", "mars", "unknown region_id: valid values are {regions}"),  # every region of regions.csv
        ("indicator_id", "no_such_indicator", "unknown indicator_id"),
        ("source_id", "nowhere", "unknown source_id"),
        ("plan", "15th", "unknown plan"),
        ("target_kind", "maybe", "expected one of point, lower_bound"),
        ("attribute", "binding", "expected one of 约束性, 预期性"),
        ("target_year", "2525", "expected a year between 1990 and 2050"),
        ("unit_as_written", "斤", "unknown unit"),
        ("unit_as_written", "%", "cannot be converted to the indicator's unit"),
        ("region_id", "suzhou ", "stray whitespace"),
    ],
)
def test_bad_cell_in_targets(
    data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str], column: str, value: str, expected: str
) -> None:
    path = data_copy / "targets.csv"
    rows = len(read_rows(path)) - 1
    line = line_of(path, region_id="suzhou", plan="14th", indicator_id="hv_invention_patents_per_10k")
    edit_cell(path, line, column, value)
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"targets.csv line {line}, column {column}" in out
    assert expected.format(regions=", ".join(sorted(r[0] for r in read_rows(data_copy / "regions.csv")[1:]))) in out
    assert "Traceback" not in out
    # nothing else is lost: every other row still loads
    kept = load(data_copy, on_error="skip")
    assert len(kept.targets) == rows - 1
    assert kept.problems


def test_duplicate_row(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    rows = read_rows(path)
    rows.append(rows[5])
    write_rows(path, rows)
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"targets.csv line {len(rows)}" in out
    assert "duplicate row: the same key is already on line 6" in out


def test_reversed_range(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    line = line_of(path, region_id="suzhou", plan="14th", indicator_id="new_natl_prov_protection_demo_zones")
    edit_cell(path, line, "target_low", "3")
    edit_cell(path, line, "target_high", "2")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"line {line}, column target_low: '3 > 2' — range is reversed" in out


def test_parsed_form_must_match_text(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    line = line_of(path, region_id="suzhou", plan="13th", indicator_id="ip_public_education_platforms")
    edit_cell(path, line, "target_kind", "point")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "column target_kind: 'point' — does not match target_text '2-3', which reads as range" in out


def test_baseline_year_from_text(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    line = line_of(path, region_id="suzhou", plan="14th", indicator_id="patent_intensive_industry_gdp_share")
    edit_cell(path, line, "baseline_year", "2020")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "baseline_text '22.9（2018年）' names the year 2018" in out


def test_quote_not_in_source(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    line = line_of(path, region_id="jiangsu", indicator_id="hv_invention_patents_per_10k")
    edit_cell(path, line, "quote", "万人高价值发明专利拥有量达71件")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"line {line}, column quote" in out
    assert "not found verbatim in 003_490c044983d1bc4d.txt" in out


def test_number_not_in_quote(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    line = line_of(path, region_id="jiangsu", indicator_id="hv_invention_patents_per_10k")
    edit_cell(path, line, "target_text", "18")
    edit_cell(path, line, "target_low", "18")
    edit_cell(path, line, "target_high", "18")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"line {line}, column target_low: '18' — this number does not appear in the quote" in out


def test_derivation_must_reproduce_value(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "observations.csv"
    line = line_of(path, region_id="suzhou", indicator_id="invention_patents_per_10k", year="2015")
    edit_cell(path, line, "value", "45.6")  # 68.85 / 1.51: the misreading of 增长了1.51倍
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "does not follow from the derivation: expected 27.43" in out


def test_missing_column(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    rows = read_rows(path)
    idx = rows[0].index("quote")
    write_rows(path, [r[:idx] + r[idx + 1 :] for r in rows])
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "targets.csv line 1, column quote — required column is missing" in out


def test_empty_file(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_copy / "observations.csv").write_text("", encoding="utf-8")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "observations.csv — file is empty" in out


def test_wrong_encoding(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "regions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "regions.csv line 2" in out
    assert "not UTF-8 text" in out and "CSV UTF-8" in out


def test_ragged_row(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "suzhou,invention_patents_per_10k,2016\n", encoding="utf-8")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    n = len(text.splitlines()) + 1
    columns = len(text.splitlines()[0].split(","))
    assert f"observations.csv line {n}" in out and f"row has 3 fields but the header has {columns}" in out
    assert len(load(data_copy, on_error="skip").observations) == n - 2  # every valid row is kept


def test_excel_bom_and_crlf_accepted(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = len(load(data_copy).targets)
    for name in ("targets.csv", "observations.csv", "regions.csv"):
        path = data_copy / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, out = run_validate(data_copy, capsys)
    assert code == 0, out
    assert len(load(data_copy).targets) == rows


def test_every_problem_is_listed(data_copy: Path, edit_cell, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "targets.csv"
    edit_cell(path, 2, "region_id", "mars")
    edit_cell(path, 3, "target_year", "soon")
    edit_cell(data_copy / "observations.csv", 2, "value", "x")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "targets.csv line 2, column region_id" in out
    assert "targets.csv line 3, column target_year" in out
    assert "observations.csv line 2, column value" in out
    assert "3 problem(s) in 2 file(s)" in out


def test_load_raises_with_all_problems(data_copy: Path, edit_cell) -> None:
    edit_cell(data_copy / "targets.csv", 2, "region_id", "mars")
    with pytest.raises(DataError) as err:
        load(data_copy)
    assert "targets.csv line 2, column region_id" in str(err.value)


def test_missing_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_validate(tmp_path / "nope", capsys)
    assert code == 1
    assert "data folder not found" in out
