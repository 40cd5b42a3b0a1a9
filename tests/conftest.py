"""Shared fixtures: the bundled data, and editable copies of it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from plantrack import bundled_data_dir, load
from plantrack.data import PlanData
from plantrack.data.synthetic import add_region, read_rows, write_rows

__all__ = ["read_rows", "write_rows"]

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


@pytest.fixture(scope="session")
def augmented_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled data with one more prefecture, added as rows: Tongzhou's, under Jiangsu, own source."""
    dest = tmp_path_factory.mktemp("augmented") / "data"
    shutil.copytree(bundled_data_dir(), dest)
    add_region(dest, "tongzhou", "added_city", ("新增市", "Added City"), parent="jiangsu", level="prefecture")
    return dest


@pytest.fixture(scope="session", params=["bundled", "augmented"])
def dataset_dir(request: pytest.FixtureRequest) -> Path:
    """The bundled data folder, then its copy with one more prefecture (tests that must hold for any data)."""
    return bundled_data_dir() if request.param == "bundled" else request.getfixturevalue("augmented_dir")


@pytest.fixture(scope="session")
def dataset(dataset_dir: Path) -> PlanData:
    """The dataset of :func:`dataset_dir`, loaded once."""
    return load(dataset_dir)


@pytest.fixture
def dataset_copy(dataset_dir: Path, tmp_path: Path) -> Path:
    """A private copy of :func:`dataset_dir` that a test may change."""
    dest = tmp_path / "data"
    shutil.copytree(dataset_dir, dest)
    return dest


@pytest.fixture
def edit_cell() -> Callable[[Path, int, str, str], None]:
    """Set one cell: ``edit_cell(csv_path, file_line, column, value)``; line 2 is the first data row."""

    def _edit(path: Path, line: int, column: str, value: str) -> None:
        rows = read_rows(path)
        col = rows[0].index(column)
        rows[line - 1][col] = value
        write_rows(path, rows)

    return _edit
