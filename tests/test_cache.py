"""The cache of validated data: a hit gives the same tables, any change to the data validates again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from plantrack import DataError, load
from plantrack.analysis.comparison import compare
from plantrack.analysis.projection import project_region
from plantrack.data.tables import fingerprint


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "data").glob("*.pickle"))


def test_cached_load_equals_validated_load(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    first = load(data_copy)
    assert len(_entries(tmp_path / "c")) == 1
    second = load(data_copy)
    for name in ("targets", "observations", "indicators", "sources", "proxies", "plans", "regions"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    assert second.data_dir == data_copy.resolve()


def test_edited_data_is_validated_again(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit_cell
) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    load(data_copy)
    edit_cell(data_copy / "targets.csv", 2, "target_year", "twenty")
    with pytest.raises(DataError, match=r"targets\.csv line 2, column target_year"):
        load(data_copy)
    skipped = load(data_copy, on_error="skip")
    assert skipped.problems and len(_entries(tmp_path / "c")) == 1  # data with problems is never cached


def test_raw_text_is_part_of_the_key(data_copy: Path) -> None:
    before = fingerprint(data_copy)
    raw = next((data_copy / "raw").glob("*.txt"))
    raw.write_text(raw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(data_copy) != before


def test_corrupt_entry_falls_back_to_validation(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    load(data_copy)
    entry = _entries(tmp_path / "c")[0]
    entry.write_bytes(b"not a pickle")
    assert len(load(data_copy).targets) == 155


def test_cache_off_writes_nothing(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    load(data_copy)
    assert not any(tmp_path.rglob("*.pickle"))


def test_known_rows_give_the_same_comparison(data) -> None:
    own = project_region(data, "suzhou")
    mine = set(own["indicator_id"])
    pd.testing.assert_frame_equal(compare(data, among=mine), compare(data, among=mine, known=own))
