"""Shared fixtures: the bundled data, and editable copies of it."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from plantrack import bundled_data_dir, load
from plantrack.data import PlanData

#: each test's reports by phase ("setup", "call", "teardown"), for fixtures acting on failure
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Keep each phase's report on the test item (the browser tests take a screenshot when a test failed)."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Caches (validated data, font subsets) go to a folder of this test session, not the user's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["PLANTRACK_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def data() -> PlanData:
    """The bundled dataset, loaded once."""
    return load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled data folder that a test may break."""
    dest = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), dest)
    return dest


def read_rows(path: Path) -> list[list[str]]:
    """All rows of a CSV file, header first."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows back as UTF-8 CSV with LF line ends."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture
def edit_cell() -> Callable[[Path, int, str, str], None]:
    """Set one cell: ``edit_cell(csv_path, file_line, column, value)``; line 2 is the first data row."""

    def _edit(path: Path, line: int, column: str, value: str) -> None:
        rows = read_rows(path)
        col = rows[0].index(column)
        rows[line - 1][col] = value
        write_rows(path, rows)

    return _edit
