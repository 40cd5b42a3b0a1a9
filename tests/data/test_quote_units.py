"""Units checked against the quote (one unit table), and import/validate messages with the fix, zh and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack.app.cli import main
from plantrack.data.importer import SheetRow, check_rows
from plantrack.data.quoted import quote_mismatch, quoted_numbers
from plantrack.data.tables import read_all
from plantrack.data.units import UNITS, normalise_unit, offered_units
from plantrack.present.problems import problem_line
from plantrack.present.words import Words
from tests import fixture

#: an indicator in 亿元, and one counted in 家 whose plan writes 个
EXTRA = {
    "indicators.csv": [
        ["revenue", "收入", "Revenue", "亿元", "annual_flow", "higher", "", ""],
        ["sites", "基地", "Sites", "家", "stock", "higher", "", ""],
    ],
    "targets.csv": [
        ["city", "p14", "sites", "基地", "个", "", "", "", "", "2025", "20", "20", "20", "point", "", "",
         "doc", "二", "建设基地20个", "", ""],
    ],
}


def _obs(indicator: str, value: str, unit: str, quote: str, year: str = "2024") -> list[str]:
    empty = ["", "", "", ""]
    return ["city", indicator, year, "", value, unit, "exact", "", "", "", "stated", *empty, "doc", "一", quote, ""]


def _validate(tmp_path: Path, *rows: list[str]) -> list:
    folder = fixture.build(tmp_path / "data", {**EXTRA, "observations.csv": list(rows)})
    return read_all(folder)[1]


def test_unit_table_is_consistent() -> None:
    for u in UNITS.values():
        assert normalise_unit(u.normalised) == (u.normalised, 1.0)
    assert normalise_unit("26亿件") is None or normalise_unit("亿件") == ("件", 1e8)
    assert normalise_unit("万元") == ("亿元", 1e-4)


def test_the_number_matched_is_the_values_own() -> None:
    units = offered_units("亿元")
    assert quote_mismatch(26, "亿元", "2025年主营业务收入达26亿元", units) is None
    wrong = quote_mismatch(26, "万元", "2025年主营业务收入达26亿元", units)
    assert wrong is not None and wrong.code == "unit" and wrong.write_unit == "亿元" and wrong.quoted == "26亿元"
    year = quote_mismatch(2025, "亿元", "2025年主营业务收入达26亿元", units)
    assert year is not None and year.code == "year"
    assert {q.number for q in quoted_numbers("达12,3456件")} == {12, 3456}
    assert quote_mismatch(123456, "件", "达12,3456件", ["件"]) is not None
    assert quote_mismatch(1, "件", "达1e5件", ["件"]) is not None
    assert quote_mismatch(53900, "件", "发明专利授权5.39万件", ["件", "万件"]) is None  # the same amount
    assert quote_mismatch(40.25, "万件", "新增专利授权40.25万", ["件", "万件"]) is None  # a bare scale


def test_validate_checks_the_unit_beside_the_number(tmp_path: Path) -> None:
    assert _validate(tmp_path, _obs("revenue", "26", "亿元", "全市收入达26亿元")) == []
    problems = _validate(tmp_path, _obs("revenue", "26", "万元", "全市收入达26亿元"))
    assert [(p.column, p.code, dict(p.params)["unit"]) for p in problems] == [("unit_as_written", "quote_unit", "亿元")]
    problems = _validate(tmp_path, _obs("revenue", "2025", "亿元", "2025年全市收入达26亿元"))
    assert [p.code for p in problems] == ["quote_year"]


def test_a_counter_stands_for_another_only_where_the_plan_writes_it(tmp_path: Path) -> None:
    # the plan of `sites` writes 个: 10 家 against "10个" passes
    assert _validate(tmp_path, _obs("sites", "10", "家", "建成10个基地")) == []
    # the plan of `centres` writes only 家: the quote's 个 is another thing
    problems = _validate(tmp_path, _obs("centres", "10", "家", "建成10个中心"))
    assert [p.code for p in problems] == ["quote_counter"]
    assert "个" in offered_units("家", ["个"]) and "个" not in offered_units("家", ["家"])


def test_bundled_data_passes_the_unit_check() -> None:
    problems = read_all(Path(__file__).resolve().parents[2] / "data")[1]
    assert [p for p in problems if p.code.startswith("quote_")] == []


def _row(n: int, **cells: str) -> SheetRow:
    base = {"region_id": "city", "indicator_id": "revenue", "year": "2024", "value": "26", "unit": "亿元",
            "quote": "全市收入达26亿元", "source_id": "doc"}
    base.update(cells)
    return SheetRow("待补数据", n, base, {c: f"{c}" for c in base})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    built = fixture.build(tmp_path / "data", EXTRA)
    with (built / "raw" / fixture.RAW).open("a", encoding="utf-8") as f:
        f.write("全市收入达26亿元\n甲存量12300件\n")
    return built


def _problems(folder: Path, **cells: str) -> list:
    return check_rows(folder, [_row(2, **cells)]).problems


@pytest.mark.parametrize(
    ("cells", "code", "zh", "en"),
    [
        ({"unit": "万元"}, "quote_unit", "单位应为 亿元", "write the unit 亿元"),
        ({"value": "2025", "quote": "2025年全市收入达26亿元"}, "quote_year", "是年份或日期", "is a year or a date"),
        ({"year": "2024年"}, "year_suffix", "写 2024（去掉“年”）", "write 2024 (without 年)"),
        ({"value": "2.6万", "indicator_id": "stock_a", "unit": "件", "quote": "甲存量2.6万件"}, "value_scale",
         "写 2.6，单位选 万件", "write 2.6 and choose the unit 万件"),
        ({"value": "78%", "indicator_id": "share_c", "unit": "%", "quote": "丙比重78%"}, "value_percent",
         "去掉 %，写 78", "drop the %: write 78"),
        ({"value": "12.300", "indicator_id": "stock_a", "unit": "件", "quote": "甲存量12300件"}, None, "", ""),
        ({"value": "12 300", "indicator_id": "stock_a", "unit": "件", "quote": "甲存量12300件"}, "value_separator",
         "写 12300", "write 12300"),
        ({"value": "1.234,5", "indicator_id": "stock_a", "unit": "件", "quote": "甲存量1234.5件"}, "value_separator",
         "写 1234.5", "write 1234.5"),
        ({"value": "２６亿"}, "value_scale", "写 26，单位选 亿元", "write 26 and choose the unit 亿元"),
        ({"value": "－２６"}, "value_fullwidth", "半角", "half-width"),
        ({"unit": "斤"}, "unit_not_offered", "单位从下拉列表中选：亿元, 万元, 万亿元",
         "choose the unit from the drop-down list: 亿元, 万元, 万亿元"),
        ({"quote": ""}, "quote_missing", "粘贴数值所在的原文句子", "paste the sentence the value comes from"),
    ],
)
def test_common_mistakes_get_the_fix_in_both_languages(
    folder: Path, cells: dict[str, str], code: str | None, zh: str, en: str
) -> None:
    problems = _problems(folder, **cells)
    if code is None:  # 12.300 is a decimal number here, read as 12.3: the quote says it is not
        assert [p.code for p in problems] == ["quote_absent"]
        return
    assert code in [p.code for p in problems]
    p = next(p for p in problems if p.code == code)
    zh_line, en_line = problem_line(p, Words("zh")), problem_line(p, Words("en"))
    assert zh_line.startswith("待补数据 第 2 行，列 ") and zh in zh_line
    assert en_line.startswith("待补数据 row 2, column ") and en in en_line


def test_full_width_digits_are_digits(folder: Path) -> None:
    assert _problems(folder, value="２６", year="２０２４") == []
    assert _problems(folder, value="１２，３００", indicator_id="stock_a", unit="件", quote="甲存量12300件") == []


def test_import_names_the_fix_in_the_chosen_language(folder: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("region_id,indicator_id,year,value,unit,quote,source_id\n"
                   "city,revenue,2024,26,万元,全市收入达26亿元,doc\n", encoding="utf-8")
    assert main(["import", str(csv), "--data", str(folder)]) == 1
    assert "rows.csv 第 2 行，列 unit：'万元' — 原文写的是“26亿元”：单位应为 亿元" in capsys.readouterr().out
    assert main(["import", str(csv), "--data", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "rows.csv row 2, column unit: '万元' — the quote writes 26亿元: write the unit 亿元" in out


def test_validate_speaks_the_chosen_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = fixture.build(tmp_path / "data", {**EXTRA, "observations.csv": [_obs("revenue", "26", "万元",
                                                                                  "全市收入达26亿元")]})
    assert main(["validate", "--data", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "observations.csv 第 8 行，列 unit_as_written：'万元' — 原文写的是“26亿元”：单位应为 亿元" in out
    assert "个问题；未做任何改动" in out
    assert main(["validate", "--data", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "observations.csv line 8, column unit_as_written: '万元' — the quote writes 26亿元: write the unit 亿元" \
        in out
    fixture.build(tmp_path / "good")
    assert main(["validate", "--data", str(tmp_path / "good")]) == 0
    assert "全部检查通过" in capsys.readouterr().out
