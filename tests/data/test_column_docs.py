"""Column metadata declared once beside the models: README tables, workbook and template headers agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from plantrack.app.cli import main
from plantrack.data.importer import COLUMNS, column_id
from plantrack.data.schema import TABLES
from plantrack.present import texts
from plantrack.present.export import DATA_SHEETS
from plantrack.present.template import header_label
from plantrack.present.words import words
from tests import fixture

ROOT = Path(__file__).resolve().parents[2]


def _readme_rows(section: str) -> dict[str, str]:
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\| (`[^|]+`) \| (.*) \|$", line)
        if m:
            for name in re.findall(r"`([a-z_0-9]+)`", m.group(1)):
                rows[name] = m.group(2)
    return rows


def test_every_column_has_titles_and_a_description_the_readme_begins_with() -> None:
    doc = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        rows = _readme_rows(doc.split(f"## {table.file}", 1)[1].split("\n## ", 1)[0])
        for name, col in table.columns.items():
            assert col.title.get("zh") and col.title.get("en") and col.description, (table.name, name)
            assert "\n" not in col.description and len(col.description) <= 120, (table.name, name)
            assert rows[name].startswith(col.description), (table.file, name, col.description, rows[name][:80])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_sheet_headers_are_the_declared_titles(tmp_path: Path, lang: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = fixture.build(tmp_path / "data")
    path = tmp_path / "all.xlsx"
    assert main(["export", "--data", str(folder), "--xlsx", str(path), "--lang", lang]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(path, read_only=True)
    for key, table in DATA_SHEETS.items():
        header = next(wb[words(lang)(f"sheet.{key}")].iter_rows(values_only=True))
        for h in header:
            col = TABLES[table].columns.get(column_id(h))
            title = col.title[lang] if col is not None else texts.header(column_id(h), lang)  # added on loading
            if title == column_id(h):  # an English title that is the id itself: the id alone
                assert h == title
            else:
                assert h == (f"{title}（{column_id(h)}）" if lang == "zh" else f"{title} ({column_id(h)})"), h


def test_template_and_other_sheets_agree_with_the_declared_titles() -> None:
    for c in COLUMNS:
        declared = TABLES["observations"].columns.get(c) or TABLES["sources"].columns.get(c)
        if declared is not None and c not in texts.TEMPLATE_NAMES:
            assert header_label(c) == f"{declared.title['zh']}（{c}）"
    # the analysis sheets name a data column as its model does
    for table in DATA_SHEETS.values():
        for name, col in TABLES[table].columns.items():
            if texts.header(name, "en") != name:  # a header the catalogues name
                assert texts.header(name, "zh") == col.title["zh"], (table, name)
                assert texts.header(name, "en") == col.title["en"], (table, name)
