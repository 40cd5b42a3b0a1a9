"""The one helper for synthetic regions (scale tests, the benchmark, the copy with one more prefecture)."""

from __future__ import annotations

from pathlib import Path

from plantrack import load
from plantrack.data import PlanData
from plantrack.data.synthetic import synthetic_data, synthetic_id, synthetic_names


def test_copies_are_valid_rows_of_their_base(data: PlanData, tmp_path: Path) -> None:
    ids = synthetic_data(tmp_path / "data", 3, base="wujiang")
    copied = load(tmp_path / "data")  # validated: every quote is checked again
    assert ids == [synthetic_id(i) for i in (1, 2, 3)] == copied.region_ids()[-3:]
    base = data.lookup.regions["wujiang"]
    for i, new in enumerate(ids, 1):
        row = copied.lookup.regions[new]
        assert (row["name_zh"], row["name_en"]) == synthetic_names(i)
        assert (row["level"], row["parent_id"]) == (base["level"], base["parent_id"])
        for table in ("targets", "observations"):
            mine, theirs = getattr(copied, table), getattr(data, table)
            assert (mine["region_id"] == new).sum() == (theirs["region_id"] == "wujiang").sum()
    assert len({synthetic_names(i)[0] for i in range(1, 501)}) == 500  # every region a name of its own


def test_an_added_prefecture_cites_a_copy_of_its_source(data: PlanData, augmented_dir: Path) -> None:
    added = load(augmented_dir)
    row = added.lookup.regions["added_city"]
    assert (row["level"], row["parent_id"]) == ("prefecture", "jiangsu")
    targets = added.targets[added.targets["region_id"] == "added_city"]
    assert len(targets) == (data.targets["region_id"] == "tongzhou").sum()
    cited = set(targets["source_id"])
    assert cited and not cited & set(data.sources["source_id"])  # its own sources, not Tongzhou's
    sources = added.sources.set_index("source_id")
    for source in cited:
        copy = augmented_dir / "raw" / str(sources.loc[source, "raw_file"])
        original = data.sources.set_index("source_id").loc[source.removeprefix("added_city_"), "raw_file"]
        assert copy.read_bytes() == (data.data_dir / "raw" / str(original)).read_bytes()
