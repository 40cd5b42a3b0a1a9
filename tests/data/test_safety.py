"""Safe with any file a researcher is sent (issue 25): one test per row of the issue's table, on tmp copies.

Bounded imports (rows 1-4, 13), formulas kept out of the CSV files (6), stored texts inside
``raw/`` (7, 8), a validation that stays linear and short (9), readers that see one state (10),
an index that never contradicts a page (11), stale temporaries removed (12), numbers as quotes
write them (14, 15) and report writes that stay inside ``--out`` (5, 16).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from plantrack.app.cli import main
from plantrack.data.importer import COLUMNS, SHEET, ImportProblems, read_rows
from plantrack.data.importer import sheet as sheet_module
from plantrack.present.context import ReportParameters
from tests import fixture


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    if args[0] in ("validate", "import") and "--lang" not in args:  # their messages in English
        args = [*args, "--lang", "en"]
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def _filled(**cells: object) -> dict[str, object]:
    """A filled row for the fixture dataset (made-up number, new source)."""
    row: dict[str, object] = {
        "region_id": "city",
        "indicator_id": "stock_a",
        "year": 2023,
        "value": 27,
        "unit": "件",
        "quote": "2023年甲存量27件",
        "source_title": "测试公报",
        "issuer": "测试机关",
        "date": "2024-03-01",
        "source_url": "https://example.org/2023.html",
        "tier": "A",
    }
    row.update(cells)
    return row


def _workbook(path: Path, rows: list[dict[str, object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([r.get(c) for c in COLUMNS])
    wb.save(path)
    return path


def _csv_file(path: Path, rows: list[dict[str, object]]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in COLUMNS])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _rezip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the workbook ``src`` with some parts replaced (or added)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info, zin.read(info.filename))
        for name, payload in replace.items():
            zout.writestr(name, payload)
    return dst


def _sheet_xml(src: Path) -> str:
    with zipfile.ZipFile(src) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """The made-up fixture dataset in a folder of this test."""
    return fixture.build(tmp_path / "data")


# ------------------------------------------------------------------ rows 1-4, 13: bounded reading of a file


def test_1_dimension_bomb_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """A sheet declaring A1:XFD1048576 with one cell on the last row: refused at the row limit, not padded."""
    good = _workbook(tmp_path / "good.xlsx", [_filled()])
    xml = _sheet_xml(good)
    xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                      "</sheetData>")
    bomb = _rezip(good, tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})
    assert bomb.stat().st_size < 20_000
    with pytest.raises(ImportProblems) as err:
        read_rows(bomb)
    assert len(err.value.problems) == 1
    assert "a template has at most 64 columns" in str(err.value) or "rows below the header" in str(err.value)


def test_1_a_value_far_right_is_refused_not_dropped(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [_filled()])
    xml = _sheet_xml(good).replace("</row></sheetData>", '<c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
                                                           "</sheetData>")
    wide = _rezip(good, tmp_path / "wide.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})
    with pytest.raises(ImportProblems, match=r"row 2 — a value in column 702: a template has at most 64 columns"):
        read_rows(wide)


def test_2_a_workbook_unpacking_too_big_is_refused_before_reading(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [_filled()])
    strings = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + (
        b"<si><t>" + b"a" * 1000 + b"</t></si>"
    ) * 60_000 + b"</sst>"
    bomb = _rezip(good, tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": strings})
    assert bomb.stat().st_size < sheet_module.MAX_FILE_BYTES
    with pytest.raises(ImportProblems) as err:
        read_rows(bomb)
    assert [p.expected for p in err.value.problems] == [
        f"the workbook unpacks to {sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()):,} bytes: "
        f"at most {sheet_module.MAX_UNPACKED_BYTES:,} bytes can be imported"
    ]


def test_2_a_part_packed_far_tighter_than_any_spreadsheet_writes_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _workbook(tmp_path / "good.xlsx", [_filled()])
    packed = _rezip(good, tmp_path / "packed.xlsx", {"xl/media/blank.bin": b"\0" * 5_000_000})
    with pytest.raises(ImportProblems, match=r"xl/media/blank.bin unpacks .* times its packed size"):
        read_rows(packed)


def test_2_a_file_too_big_is_refused_and_a_non_workbook_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(ImportProblems, match=r"not an \.xlsx file"):
        read_rows(fake)
    monkeypatch.setattr(sheet_module, "MAX_FILE_BYTES", 100)
    big = _csv_file(tmp_path / "big.csv", [_filled()])
    with pytest.raises(ImportProblems, match=r"bytes: at most 100 bytes can be imported"):
        read_rows(big)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_3_more_rows_than_the_limit_are_refused_without_reading_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 50)
    rows = [_filled(year=2000 + i % 20) for i in range(51)]
    path = _workbook(tmp_path / "many.xlsx", rows) if kind == "xlsx" else _csv_file(tmp_path / "many.csv", rows)
    with pytest.raises(ImportProblems, match="more than 50 rows below the header: import at most 50 rows at a time"):
        read_rows(path)
    read, _ = read_rows(_workbook(tmp_path / "fifty.xlsx", rows[:50]))
    assert len(read) == 50


def test_4_a_stale_dimension_drops_no_row(tmp_path: Path) -> None:
    """A file whose <dimension> says A1:T2 but holds 4 rows (other tools write such files): every row is read."""
    rows = [_filled(year=y) for y in (2021, 2022, 2023)]
    full = _workbook(tmp_path / "full.xlsx", rows)
    xml = _sheet_xml(full)
    last = get_column_letter(len(COLUMNS))
    assert f'<dimension ref="A1:{last}4"' in xml
    xml = xml.replace(f'<dimension ref="A1:{last}4"', f'<dimension ref="A1:{last}2"')
    stale = _rezip(full, tmp_path / "stale.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})
    read, _ = read_rows(stale)
    assert [r.get("year") for r in read] == ["2021", "2022", "2023"]


@pytest.mark.parametrize("size", [40_000, 1_000_000])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_13_a_cell_too_long_is_one_message_naming_the_limit(tmp_path: Path, kind: str, size: int) -> None:
    text = "".join(chr(0x4E00 + i * 7919 % 20_000) for i in range(size))  # packs like text, not like one repeated byte
    if kind == "csv":
        path = _csv_file(tmp_path / "long.csv", [_filled(quote=text)])
    else:  # openpyxl cuts a cell it writes at 32,767 characters; another program may not
        short = _workbook(tmp_path / "short.xlsx", [_filled(quote="QUOTE")])
        xml = _sheet_xml(short).replace("QUOTE", text)
        path = _rezip(short, tmp_path / "long.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})
    with pytest.raises(ImportProblems) as err:
        read_rows(path)
    (problem,) = err.value.problems
    assert problem.row == 2 and "32,767" in problem.expected and "characters" in problem.expected
    assert "malformed" not in problem.expected


def test_13_the_command_prints_one_line_without_traceback(tmp_path: Path, fixture_data: Path, capsys) -> None:
    path = _csv_file(tmp_path / "long.csv", [_filled(quote="甲" * 1_000_000)])
    code, out = run(["import", str(path), "--data", str(fixture_data)], capsys)
    assert code == 1 and "Traceback" not in out and "more than 32,767 characters" in out


# ------------------------------------------------------------------ row 6: nothing a spreadsheet would run


def _obs(**cells: str) -> list[str]:
    """An observations.csv row of the fixture dataset (made-up number), columns by name."""
    row = dict.fromkeys(fixture.HEADERS["observations.csv"].split(","), "")
    row.update(region_id="city", indicator_id="stock_a", year="2023", value="27", unit_as_written="件",
               value_qualifier="exact", method="stated", source_id="doc", locator="一", quote="2023年甲存量27件")
    row.update(cells)
    return list(row.values())


def _source(**cells: str) -> list[str]:
    row = dict.fromkeys(fixture.HEADERS["sources.csv"].split(","), "")
    row.update(source_id="other", title="另一文件", issuer="测试机关", date="2024", raw_file="other.txt")
    row.update(cells)
    return list(row.values())


FORMULA_CELLS = ['=HYPERLINK("http://x.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", FORMULA_CELLS)
def test_6_validation_refuses_a_formula_in_any_text_cell(tmp_path: Path, text: str, capsys) -> None:
    folder = fixture.build(tmp_path / "data", {
        "observations.csv": [_obs(note=text)],
        "sources.csv": [_source(title=text, issuer=text)],
    })  # fmt: skip
    (folder / "raw" / "other.txt").write_text("另一文件\n", encoding="utf-8")
    code, out = run(["validate", "--data", str(folder)], capsys)
    assert code == 1
    for where in ("observations.csv line 8, column note", "sources.csv line 3, column title",
                  "sources.csv line 3, column issuer"):  # fmt: skip
        assert f"{where}: {text[:60]!r} — begins with {text[0]!r}: a spreadsheet" in out


@pytest.mark.parametrize("column", ["quote", "note", "source_title", "issuer"])
def test_6_import_refuses_a_formula_and_writes_nothing(fixture_data: Path, tmp_path: Path, column: str) -> None:
    from plantrack.data.importer import import_rows

    before = {p.name: p.read_bytes() for p in fixture_data.glob("*.csv")}
    text = "=HYPERLINK(\"http://x.invalid\",\"27\")"
    rows, _ = read_rows(_csv_file(tmp_path / "f.csv", [_filled(**{column: text})]))
    result = import_rows(fixture_data, rows)
    assert result.written is None
    assert [(p.row, p.column) for p in result.checked.problems if "formula" in p.expected] == [(2, column)]
    assert {p.name: p.read_bytes() for p in fixture_data.glob("*.csv")} == before


@pytest.mark.parametrize("text", ["-26", "+5", "-26亿元，同比下降", "利润=收入-成本"])
def test_6_signed_numbers_and_plain_text_stay_valid(text: str) -> None:
    from plantrack.data.reading import formula_like

    assert not formula_like(text)


# ------------------------------------------------------------------ rows 7-8: stored texts inside raw/, not hidden


@pytest.mark.parametrize("raw_file", ["../../../outside.txt", "../outside.txt", "/etc/hostname", "web/.x.txt",
                                      ".hidden/x.txt", "link.txt"])  # fmt: skip
def test_7_8_a_stored_text_must_be_a_visible_file_inside_raw(tmp_path: Path, raw_file: str, capsys) -> None:
    from plantrack.data import load
    from plantrack.data.validation import DataError

    quote = "2023年甲存量27件"
    folder = fixture.build(tmp_path / "a" / "b" / "data", {
        "observations.csv": [_obs(source_id="other", quote=quote)],
        "sources.csv": [_source(raw_file=raw_file)],
    })  # fmt: skip
    outside = tmp_path / "a" / "outside.txt"
    outside.write_text(quote, encoding="utf-8")
    (folder / "outside.txt").write_text(quote, encoding="utf-8")
    (folder / "raw" / "web" / ".x.txt").parent.mkdir(parents=True)
    (folder / "raw" / "web" / ".x.txt").write_text(quote, encoding="utf-8")
    (folder / "raw" / ".hidden").mkdir()
    (folder / "raw" / ".hidden" / "x.txt").write_text(quote, encoding="utf-8")
    (folder / "raw" / "link.txt").symlink_to(outside)
    code, out = run(["validate", "--data", str(folder)], capsys)
    assert code == 1 and f"sources.csv line 3, column raw_file: {raw_file!r} — " in out
    assert "stored text" in out
    with pytest.raises(DataError):
        load(folder)  # nothing cached, so the next project or render cannot use the row either
    kept = load(folder, on_error="skip")
    assert "other" not in set(kept.sources["source_id"]) and len(kept.observations) == len(fixture.ROWS[
        "observations.csv"])


def test_8_a_stored_text_changed_is_never_served_from_the_cache(tmp_path: Path) -> None:
    from plantrack.data import load
    from plantrack.data.validation import DataError

    quote = "2023年甲存量27件"
    folder = fixture.build(tmp_path / "data", {
        "observations.csv": [_obs(source_id="other", quote=quote)],
        "sources.csv": [_source(raw_file="web/x.txt")],
    })  # fmt: skip
    (folder / "raw" / "web").mkdir()
    text = folder / "raw" / "web" / "x.txt"
    text.write_text(quote, encoding="utf-8")
    src = folder / "sources.csv"
    src.write_text(src.read_text(encoding="utf-8").replace(
        ",web/x.txt,,,,", ",web/x.txt,https://example.org/x,2024-03-01,A,"), encoding="utf-8")
    assert len(load(folder).observations) == len(fixture.ROWS["observations.csv"]) + 1  # now cached
    text.write_text("另一句话", encoding="utf-8")
    with pytest.raises(DataError, match=r"not found verbatim in web/x\.txt"):
        load(folder)


# ------------------------------------------------------------------ rows 14-15: numbers as the quote writes them


@pytest.mark.parametrize(
    ("quote", "value"),
    [("-26亿元", -26), ("利润为-26亿元", -26), ("负二十六亿元", -26), ("二十六亿元", 26), ("二十六亿元", 2.6e9),
     ("八家", 8), ("一千二百件", 1200), ("1.2万件", 12000), ("1.2万件", 1.2), ("增长两倍", 2), ("二〇二五年", 2025),
     ("三点五分", 3.5), ("−1,200万元", -1200)],
)  # fmt: skip
def test_14_15_numbers_as_a_quote_writes_them(quote: str, value: float) -> None:
    from plantrack.data.provenance import missing_number_reason

    assert missing_number_reason(value, quote) is None


@pytest.mark.parametrize(("quote", "value"), [("统一标准", 1), ("进一步", 1), ("十分重要", 10), ("三分之一", 3),
                                              ("2021-2025年", -2025), ("八家", 9)])  # fmt: skip
def test_15_words_are_not_numbers(quote: str, value: float) -> None:
    from plantrack.data.provenance import missing_number_reason

    assert missing_number_reason(value, quote) is not None


def test_14_a_negative_value_without_its_sign_is_told_so(fixture_data: Path, tmp_path: Path) -> None:
    from plantrack.data.importer import check_rows

    rows, _ = read_rows(_csv_file(tmp_path / "n.csv", [
        _filled(value=-26, quote="2023年甲存量-26件"),
        _filled(year=2022, value=-26, quote="2022年甲存量减少26件"),
        _filled(year=2021, value=26, quote="2021年甲存量二十六件"),
        _filled(year=2020, value=8, quote="2020年甲存量八件"),
    ]))  # fmt: skip
    checked = check_rows(fixture_data, rows)
    by_row = {(p.row, p.column): p.expected for p in checked.problems}
    assert (3, "value") in by_row and "without a minus sign" in by_row[(3, "value")]
    assert not any(row in (2, 4, 5) and col == "value" for row, col in by_row), by_row


def test_14_validation_names_the_missing_sign(tmp_path: Path, capsys) -> None:
    folder = fixture.build(tmp_path / "data", {"observations.csv": [_obs(value="-27")]})
    code, out = run(["validate", "--data", str(folder)], capsys)
    expected = "observations.csv line 8, column value: '-27' — the quote writes 27 without a minus sign"
    assert code == 1 and expected in out


# ------------------------------------------------------------------ row 13 (data side): a cell too long in the CSV


def test_13_a_megabyte_cell_in_the_data_is_one_line_naming_the_limit(tmp_path: Path, capsys) -> None:
    folder = fixture.build(tmp_path / "data", {"observations.csv": [_obs(note="甲" * 1_000_000)]})
    code, out = run(["validate", "--data", str(folder)], capsys)
    assert code == 1 and "Traceback" not in out and "malformed" not in out
    assert "observations.csv line 8 — a cell holds more than 131,072 characters: a spreadsheet cell holds at most " \
        "32,767" in out


# ------------------------------------------------------------------ row 9: validation linear and its output short


def test_9_junk_rows_give_a_short_output_with_counts(tmp_path: Path, capsys) -> None:
    """2,000 junk rows: at most 20 lines per file and column, then one line counting the rest, values cut short."""
    import random

    from plantrack.data.problems import SHOWN_PER_COLUMN

    header = fixture.HEADERS["observations.csv"].split(",")
    rnd = random.Random(25)
    junk = [["".join(rnd.choice("abxyz_0123") for _ in range(rnd.randint(1, 12))) for _ in header] for _ in range(2000)]
    junk[0][header.index("note")] = "甲" * 30_000
    folder = fixture.build(tmp_path / "data", {"observations.csv": junk})
    code, out = run(["validate", "--data", str(folder)], capsys)
    lines = out.splitlines()
    assert code == 1 and len(out) < 30_000
    counted = [line for line in lines if "more problem(s) of this column not shown" in line]
    assert {line.split(":")[0] for line in counted} >= {"observations.csv, column region_id",
                                                         "observations.csv, column indicator_id"}  # fmt: skip
    assert "observations.csv, column region_id: 1,980 more problem(s) of this column not shown (2,000 in all)" in lines
    per_column: dict[str, int] = {}
    for line in lines:
        if line.startswith("observations.csv line ") and ", column " in line:
            column = line.split(", column ")[1].split(":")[0]
            per_column[column] = per_column.get(column, 0) + 1
    assert per_column and max(per_column.values()) <= SHOWN_PER_COLUMN
    assert all(len(line) < 400 for line in lines)  # no list of every valid id, no 30,000-character value


def test_9_an_import_of_many_bad_rows_prints_a_short_list(fixture_data: Path, tmp_path: Path, capsys) -> None:
    path = _csv_file(tmp_path / "bad.csv", [_filled(region_id=f"nowhere_{i}") for i in range(60)])
    code, out = run(["import", str(path), "--data", str(fixture_data)], capsys)
    assert code == 1 and "nothing was written" in out and "60 problem(s) in 60 row(s)" in out
    assert out.count(", column region_id") == 21  # 20 shown, then the line counting the rest
    assert "bad.csv, column region_id: 40 more problem(s) of this column not shown (60 in all)" in out


def test_9_an_unknown_id_names_a_few_valid_ones_and_the_table() -> None:
    from plantrack.data import validation
    from plantrack.data.schema import TABLES

    ids = [f"source_{i:03}" for i in range(134)]
    text, code, _ = validation._expected_text("foreign_key", "source_id", TABLES["observations"], {"source_id": ids})
    assert code == "schema_unknown_id_many"
    assert text.startswith("unknown source_id: valid values are source_000, source_001") and len(text) < 200
    assert "(134 in all, see sources.csv)" in text


# ------------------------------------------------------------------ row 10: readers see one state of the folder


def test_10_a_reader_never_sees_half_an_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import commits a new source and the row citing it while a reader is between sources and observations."""
    from plantrack.data import tables, validation
    from plantrack.data.importer import import_rows

    folder = fixture.build(tmp_path / "data")
    rows, _ = read_rows(_csv_file(tmp_path / "new.csv", [_filled()]))
    real_read = validation.read_table
    done: list[bool] = []

    def read_then_import(path: Path, table: object) -> object:
        result = real_read(path, table)
        if path == folder / "sources.csv" and not done:
            done.append(True)
            assert import_rows(folder, rows).written is not None  # the writer commits now
        return result

    monkeypatch.setattr(validation, "read_table", read_then_import)
    read, problems = tables.read_all(folder)
    assert done and problems == []
    assert len(read["observations"]) == len(fixture.ROWS["observations.csv"]) + 1


# ------------------------------------------------------------------ row 12: stale temporaries removed


def test_12_temporaries_of_a_killed_save_are_removed_when_the_lock_is_next_taken(tmp_path: Path) -> None:
    from plantrack.data.edit import editing

    folder = fixture.build(tmp_path / "data")
    (folder / "raw" / "web").mkdir()
    stale = [folder / ".observations.csv.ab12_x9z.tmp", folder / "raw" / "web" / ".added_city_2024.txt.k3j2h1g0.tmp"]
    kept = [folder / ".notes", folder / "raw" / ".keep.tmp", folder / "observations.csv.tmp"]
    for p in stale + kept:
        p.write_text("half a file", encoding="utf-8")
    with editing(folder):
        assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in kept)


# ------------------------------------------------------------------ row 5: report writes stay inside --out


def test_5_a_link_at_the_name_is_refused_and_the_outside_file_kept(tmp_path: Path) -> None:
    from plantrack.data.files import UnsafeWrite, write_inside

    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    out.mkdir()
    outside.write_text("keep me", encoding="utf-8")
    (out / "city.zh.html").symlink_to(outside)
    with pytest.raises(UnsafeWrite, match="it is a link"):
        write_inside(out, "city.zh.html", "<html>report</html>")
    assert outside.read_text(encoding="utf-8") == "keep me" and list(out.iterdir()) == [out / "city.zh.html"]


def test_5_a_link_planted_after_the_last_check_is_replaced_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The final rename replaces whatever is at the name: a link planted at the last moment is not written through."""
    from plantrack.data import files

    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    out.mkdir()
    outside.write_text("keep me", encoding="utf-8")
    real_check = files._plain_file_mode
    calls: list[int] = []

    def check_then_plant(dir_fd: int, folder: Path, name: str) -> int | None:
        result = real_check(dir_fd, folder, name)
        calls.append(1)
        if len(calls) == 2:  # after the check just before the rename
            (folder / name).symlink_to(outside)
        return result

    monkeypatch.setattr(files, "_plain_file_mode", check_then_plant)
    files.write_inside(out, "city.zh.html", "<html>report</html>")
    page = out / "city.zh.html"
    assert not page.is_symlink() and page.read_text(encoding="utf-8") == "<html>report</html>"
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["city.zh.html"]  # no temporary left


def test_5_a_folder_swapped_for_a_link_is_refused(tmp_path: Path) -> None:
    from plantrack.data.files import UnsafeWrite, write_inside

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    with pytest.raises(UnsafeWrite):
        write_inside(tmp_path / "out", "city.zh.html", "x")
    assert list(elsewhere.iterdir()) == []


def test_5_render_region_rechecks_at_write_time(
    fixture_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's name becomes a link while the notebook runs: the write is refused, the linked file untouched."""
    import nbformat
    import papermill

    from plantrack.app import pipeline, region
    from plantrack.data.files import UnsafeWrite

    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    out.mkdir()
    outside.write_text("keep me", encoding="utf-8")

    from plantrack.analysis.projection import GROUPS
    from plantrack.present.report import INDEX_ENTRY_MIME

    record = {"name": "City", "plan": "p14", "as_of": 2025, "data_year": None,
              "tally": {g: [0, 0] for g in GROUPS}, "pressing": None}

    def run_notebook(*args: object, **kwargs: object) -> nbformat.NotebookNode:
        (out / "city.en.html").symlink_to(outside)  # swapped in while the kernel works
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={INDEX_ENTRY_MIME: record})]
        nb.cells.append(cell)
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", run_notebook)
    monkeypatch.setattr(pipeline, "start", lambda *a, **k: object())
    monkeypatch.setattr(pipeline, "stop", lambda *a, **k: None)
    with pytest.raises(UnsafeWrite):
        region.render_region("city", ReportParameters.of("en", as_of=2025), out, str(fixture_data))
    assert outside.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------ row 11: the index never contradicts a page


def test_11_the_index_shows_each_page_s_own_record(fixture_data: Path, tmp_path: Path) -> None:
    from plantrack.analysis.projection import GROUPS
    from plantrack.app.index import read_record, write_index
    from plantrack.app.region import with_record
    from plantrack.present.page import page

    out = tmp_path / "out"
    out.mkdir()
    counts = {g: [1 + 3 * i, i % 2] for i, g in enumerate(GROUPS)}  # made up: not what the data gives
    record = {"name": "City <b>x</b>", "plan": "14th plan", "as_of": 2024, "data_year": 2023, "tally": counts,
              "pressing": {"verdict": "insufficient", "lean": False, "R": 0.5, "progress": None, "outcome": None,
                           "name": "<i>A</i>"}}
    (out / "city.en.html").write_text(with_record(page("<p>x</p>", "City", "en"), record), encoding="utf-8")
    entry = read_record(out / "city.en.html", "en")
    assert entry is not None and entry["tally"] == {g: tuple(v) for g, v in counts.items()}
    params = ReportParameters.of("en", as_of=2024)
    index = write_index(out, params, str(fixture_data), entries={}, regions=["city"]).read_text("utf-8")
    row = re.search(r"<tr><td><a href='city\.en\.html'>.*?</tr>", index, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]
    assert [c.split(" ")[0] for c in cells[4:4 + len(GROUPS)]] == [str(v[0]) for v in counts.values()]
    assert "<b>x</b>" not in index and "City &lt;b&gt;x&lt;/b&gt;" in index  # text from a page stays text
    assert "<i>A</i>" not in index and "&lt;i&gt;A&lt;/i&gt;" in index
    record["pressing"]["verdict"] = "<script>"  # type: ignore[index]
    (out / "city.en.html").write_text(with_record(page("<p>x</p>", "City", "en"), record), encoding="utf-8")
    assert read_record(out / "city.en.html", "en") is None  # an unknown verdict: the record is not used


def test_11_a_page_without_a_readable_record_is_computed_from_the_data(fixture_data: Path, tmp_path: Path) -> None:
    from plantrack.app.index import read_record

    page = tmp_path / "city.en.html"
    page.write_text('<meta name="plantrack-record" content="{&quot;tally&quot;: 1}">', encoding="utf-8")
    assert read_record(page, "en") is None
    page.write_text("<html>no record</html>", encoding="utf-8")
    assert read_record(page, "en") is None


# ------------------------------------------------------------------ row 16: --out checked before any work


def test_16_out_a_regular_file_is_one_line_before_any_work(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plantrack.app import render as render_module

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data was validated before --out was checked")

    monkeypatch.setattr(render_module, "_validated", no_work)
    target = tmp_path / "report.html"
    target.write_text("x", encoding="utf-8")
    code, out = run(["render", "--out", str(target), "--quiet"], capsys)
    assert code == 1 and out.strip().splitlines() == [f"plantrack render: --out {target} is a file, not a folder"]


def test_16_out_read_only_is_one_line_before_any_work(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from plantrack.app import render as render_module
    from plantrack.data import files

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data was validated before --out was checked")

    monkeypatch.setattr(render_module, "_validated", no_work)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:  # the superuser writes into a read-only folder anyway: a read-only mount, as it refuses

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(30, "Read-only file system")

        monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    try:
        for out_dir, what in ((locked, "cannot be written"), (locked / "new", f"cannot be created in {locked}")):
            code, out = run(["render", "--out", str(out_dir), "--quiet"], capsys)
            lines = out.strip().splitlines()
            assert code == 1 and len(lines) == 1 and lines[0].startswith(f"plantrack render: --out {out_dir} {what}")
    finally:
        locked.chmod(0o755)
