"""Adding a newer actual value: checks per field, preview in memory, validated atomic save."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack import DataError, load
from plantrack.analysis.projection import project_region
from plantrack.data.entry import Entry, EntryError, check_entry, preview, save_entry
from plantrack.present.words import words

ZH = words("zh").sayer("entry_check")  # the form's checks worded in Chinese, as the explorer shows them

BULLETIN = {
    "title": "2023年苏州市知识产权发展与保护状况",
    "issuer": "苏州市知识产权局",
    "date": "2024-04-26",
    "tier": "A",
    "url": "https://example.org/suzhou-ip-2023",
}


def test_total_over_the_plan_gets_its_period_and_unit(data) -> None:
    e = Entry(
        "suzhou", "new_works_registrations", "2023", "30.2", "万件", "2021—2023年累计新增作品登记30.2万件", **BULLETIN
    )
    assert check_entry(data, e) == {}
    row = preview(data, e).lookup.observations[("suzhou", "new_works_registrations")][-1]
    assert (row["period_start"], row["year"], row["value_norm"]) == (2021, 2023, 302000.0)


def test_preview_leaves_the_loaded_data_alone(data) -> None:
    e = Entry("suzhou", "hv_invention_patents_per_10k", 2023, 27.5, "件")
    p = preview(data, e)
    assert len(p.observations) == len(data.observations) + 1
    assert project_region(p, "suzhou", indicators={"hv_invention_patents_per_10k"}).iloc[0]["latest_year"] == 2023
    assert project_region(data, "suzhou", indicators={"hv_invention_patents_per_10k"}).iloc[0]["latest_year"] == 2020


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": "1890"}, "year"),
        ({"value": "nan"}, "value"),
        ({"unit": "亿元"}, "unit"),
        ({"date": "26/04/2024"}, "date"),
        ({"url": "example.org"}, "url"),
        ({"quote": "拥有量达27件"}, "quote"),
        ({"source_id": "nope"}, "source"),
        ({"source_id": "suzhou_14th"}, "quote"),  # a source with a raw file: the quote must be in it
    ],
)
def test_each_field_is_checked(data, changes: dict[str, str], field: str) -> None:
    base = {"year": "2023", "value": "27.5", "unit": "件", "quote": "拥有量达27.5件", **BULLETIN}
    e = Entry("suzhou", "hv_invention_patents_per_10k", **{**base, **changes})
    assert field in check_entry(data, e)


def test_existing_year_is_refused_unless_replacing(data) -> None:
    e = Entry("suzhou", "invention_patents_per_10k", "2015", "27.43", "件", "拥有量27.43件", **BULLETIN)
    msgs = check_entry(data, e, say=ZH)
    assert "不会覆盖" in msgs["year"] and "observations.csv 第 2 行" in msgs["year"]
    assert "year" not in check_entry(data, e, replace=True)


def test_total_cannot_end_before_its_plan_starts(data) -> None:
    e = Entry("suzhou", "new_patent_grants", "2020", "40.25", "万件", "新增专利授权40.25万件", **BULLETIN)
    assert "不早于 2021 年" in check_entry(data, e, say=ZH)["year"]
    assert "2021 or later" in check_entry(data, e, say=words("en").sayer("entry_check"))["year"]
    assert check_entry(data, e)["year"] == "year_before_period (start=2021)"  # the key and values, unworded


def test_excel_style_file_keeps_its_bom_and_line_ends(dataset_copy: Path) -> None:
    data_copy = dataset_copy  # the bundled data, and a copy with one more prefecture
    path = data_copy / "observations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    e = Entry("suzhou", "hv_invention_patents_per_10k", "2023", "27.5", "件", "拥有量达27.5件", **BULLETIN)
    saved = save_entry(data_copy, e)
    after = path.read_bytes()
    assert (
        after.startswith(before) and after.endswith(b"\r\n") and b"\n" not in after[len(before) :].replace(b"\r\n", b"")
    )
    assert saved.line == before.count(b"\r\n") + 1 and saved.new_source


def test_invalid_folder_writes_nothing(data_copy: Path, edit_cell) -> None:
    edit_cell(data_copy / "targets.csv", 2, "target_year", "twenty")
    before = (data_copy / "observations.csv").read_bytes()
    e = Entry("suzhou", "hv_invention_patents_per_10k", "2023", "27.5", "件", "拥有量达27.5件", **BULLETIN)
    with pytest.raises(DataError):
        save_entry(data_copy, e)
    assert (data_copy / "observations.csv").read_bytes() == before


def test_full_validation_catches_what_the_form_cannot(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A problem only the dataset check finds (here: a forced unknown unit) is reported per field, nothing written."""
    import plantrack.data.entry.form as entry
    import plantrack.data.importer.check as importer

    monkeypatch.setattr(entry, "units_for", lambda data, indicator: ["件", "斤"])
    monkeypatch.setattr(importer, "units_for", lambda data, indicator: ["件", "斤"])
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    count = len(load(data_copy).observations)
    e = Entry("suzhou", "hv_invention_patents_per_10k", "2023", "27.5", "斤", "拥有量达27.5斤", **BULLETIN)
    with pytest.raises(EntryError) as err:
        save_entry(data_copy, e)
    assert "unit" in err.value.messages and "unit" in err.value.messages["unit"]
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before
    assert len(load(data_copy).observations) == count


def test_the_forms_messages_are_worded_by_the_caller() -> None:
    """data/entry names a catalogue key and its values; the explorer's language words them (zh, en or codes)."""
    from plantrack.data.entry import field_messages
    from plantrack.data.problems import Problem

    problem = [Problem("observations.csv", 12, "quote", "x", "the number is not in the quote")]
    assert field_messages(problem, ZH) == {"quote": "observations.csv 第 12 行，quote：the number is not in the quote"}
    english = words("en").sayer("entry_check")
    en = field_messages(problem, english)
    assert en == {"quote": "observations.csv line 12, quote: the number is not in the quote"}
    assert field_messages(problem)["quote"].startswith("problem_at (file='observations.csv', line=12")
    units = ("件", "", "万件")
    assert ZH("unit_not_offered", units=units) == "单位应为 件、（无）、万件 之一"
    assert english("unit_not_offered", units=units) == "the unit should be one of 件, (none), 万件"
