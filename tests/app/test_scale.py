"""Many regions: a report reads its own slice of the data, and its work does not grow with the dataset.

Synthetic regions are copies of Suzhou's rows under new ids, in a temporary copy of the data.
No test here measures time: work is counted (projected targets, rows read).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

import plantrack.present.report as rpt
from plantrack import load
from plantrack.analysis import projection
from plantrack.analysis.comparison import SHOW_ALL, report_regions, shown_regions
from plantrack.app import render as render_module
from plantrack.app.index import entry_of
from plantrack.app.render import render
from plantrack.data import PlanData
from plantrack.data.prepared import SliceError, Slicer, dumps, loads, read, subset, write
from plantrack.data.synthetic import synthetic_data, synthetic_id, synthetic_names
from plantrack.present.context import ReportParameters
from tests.conftest import read_rows, write_rows

REAL = ["china", "jiangsu", "suzhou", "tongzhou", "wujiang"]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    """20 regions: the real five and 15 copies of Suzhou (more than SHOW_ALL target Suzhou's indicators)."""
    dest = tmp_path_factory.mktemp("big") / "data"
    synthetic_data(dest, 15)
    return load(dest)


@pytest.fixture(scope="module")
def bigger(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    """35 regions: 30 copies of Suzhou."""
    dest = tmp_path_factory.mktemp("bigger") / "data"
    synthetic_data(dest, 30)
    return load(dest)


def _slice(data: PlanData, region: str, folder: Path) -> Path:
    keep, targeting = report_regions(data, region)
    return write(subset(data, keep, targeting), folder)


def test_every_table_comes_back_with_its_types_and_missing_values(data: PlanData) -> None:
    back = loads(dumps(data))
    for name in ("regions", "plans", "sources", "indicators", "targets", "observations", "proxies"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(data, name), check_exact=True)
        for col in getattr(data, name).columns:  # None stays None and NaN stays NaN in text columns
            assert [type(v) for v in getattr(back, name)[col]] == [type(v) for v in getattr(data, name)[col]], col


@pytest.mark.parametrize("region", REAL)
def test_a_report_from_its_slice_equals_one_from_the_whole_data(data: PlanData, region: str, tmp_path: Path) -> None:
    path = _slice(data, region, tmp_path)
    for lang in ("zh", "en"):
        whole = rpt.full_report(rpt.context(region, lang, data=data))
        # the slice alone: the data folder it names is not read
        sliced = rpt.full_report(rpt.context(region, lang, data_dir="/nonexistent", prepared=str(path)))
        assert sliced == whole


def test_the_batch_slicer_writes_what_subset_and_dumps_give(big: PlanData) -> None:
    slicer = Slicer(big)
    for region in ("synthetic_002", "jiangsu", "wujiang"):
        keep, targeting = report_regions(big, region)
        assert slicer.dumps(keep, targeting) == dumps(subset(big, keep, targeting))


def test_a_slice_whose_bytes_do_not_match_its_name_is_refused(data: PlanData, tmp_path: Path) -> None:
    path = _slice(data, "wujiang", tmp_path)
    assert read(path).region_ids()
    payload = path.read_bytes().replace(b"wujiang_demo", b"wujiang_demx", 1)
    path.write_bytes(payload)
    with pytest.raises(SliceError, match="does not match its digest"):
        read(path)
    other = tmp_path / f"{hashlib.sha256(b'{}').hexdigest()}.json"
    other.write_bytes(b"{}")
    with pytest.raises(SliceError, match="not a plantrack-slice"):
        read(other)
    with pytest.raises(SliceError, match="prepared data"):
        read(tmp_path / "missing.json")


def test_small_datasets_compare_every_region(dataset: PlanData) -> None:
    ind = "hv_invention_patents_per_10k"
    targeting = dataset.lookup.targeting[ind]
    assert len(targeting) <= SHOW_ALL
    shown = shown_regions(dataset, "suzhou", ind)
    assert shown == sorted(targeting, key=targeting.__getitem__)  # every region targeting it, in regions.csv order
    assert {"china", "jiangsu", "suzhou", "tongzhou"} <= set(shown)
    assert "另有" not in rpt.comparison(rpt.context("suzhou", data=dataset))


@pytest.fixture(scope="module")
def big_any(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    """:func:`dataset_dir` (the bundled data, then a copy with one more prefecture) plus 15 copies of Suzhou."""
    dest = tmp_path_factory.mktemp("big_any") / "data"
    synthetic_data(dest, 15, source=dataset_dir)
    return load(dest)


def test_beyond_show_all_a_report_compares_its_own_line(big_any: PlanData) -> None:
    big, ind = big_any, "hv_invention_patents_per_10k"
    assert len(big.lookup.targeting[ind]) > SHOW_ALL
    assert shown_regions(big, "synthetic_007", ind) == ["china", "jiangsu", "synthetic_007"]
    assert shown_regions(big, "suzhou", ind) == ["china", "jiangsu", "suzhou"]  # no cousin, no sibling copies
    below = shown_regions(big, "jiangsu", ind)  # a province: the country, itself and its cities
    regions = big.regions
    cities = [r for r in regions.loc[regions["parent_id"] == "jiangsu", "region_id"] if r in big.lookup.targeting[ind]]
    assert below == ["china", "jiangsu", *cities]
    assert {"suzhou", *(synthetic_id(i) for i in range(1, 16))} <= set(cities)
    html = rpt.comparison(rpt.context("synthetic_007", data=big))
    assert synthetic_names(7)[0] in html and synthetic_names(8)[0] not in html
    assert big.region_name("tongzhou", "zh") not in html
    assert "另有" in html and "plantrack compare" in html


def test_a_report_projects_the_same_targets_whatever_the_number_of_regions(
    big: PlanData, bigger: PlanData, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    projected: list[str] = []
    real = projection.assess_target

    def counting(data: PlanData, row: dict, *args: object) -> dict:
        projected.append(row["region_id"])
        return real(data, row, *args)

    monkeypatch.setattr(projection, "assess_target", counting)
    counts, sizes = [], []
    for data in (big, bigger):
        projected.clear()
        rpt.full_report(rpt.context("synthetic_003", data=data))
        counts.append(sorted(projected))
        path = _slice(data, "synthetic_003", tmp_path)
        sliced = read(path)
        sizes.append((len(sliced.targets), len(sliced.observations), len(sliced.regions)))
    assert counts[0] == counts[1]
    assert set(counts[0]) == {"synthetic_003", "jiangsu", "china"}
    assert sizes[0] == sizes[1]


def test_render_validates_once_and_hands_each_kernel_its_slice(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "loads.txt"  # loads happen in a forked process: each writes its pid here
    real_load = render_module.load

    def logged_load(*args: object, **kwargs: object) -> PlanData:
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(render_module, "load", logged_load)
    handed: dict[str, str] = {}

    def fake_region(*args: object, **_: object) -> tuple[str, Path, dict]:
        region, params, out, prepared = str(args[0]), args[1], Path(str(args[2])), str(args[5])
        handed[region] = prepared
        sliced = read(prepared)
        assert region in sliced.lookup.region_plans
        assert log.read_text().count("\n") == 1, "the data was validated once, before any region"
        assert isinstance(params, ReportParameters)
        return region, out / f"{region}.{params.lang}.html", entry_of(region, params, sliced)

    monkeypatch.setattr(render_module, "render_region", fake_region)
    regions = ["tongzhou", "wujiang"]
    result = render(regions, out_dir=tmp_path / "out", jobs=1, progress=False, data_dir=str(data_copy))
    assert sorted(result.tallies) == regions
    loaded_in = log.read_text().split()
    assert len(loaded_in) == 1 and loaded_in[0] != str(os.getpid()), "validated once, in a process of its own"
    assert set(handed) == set(regions) and all(handed.values())
    assert not any(Path(p).exists() for p in handed.values()), "slices are removed with the batch"


def test_render_reports_bad_data_and_bad_parameters_as_before(data_copy: Path, tmp_path: Path) -> None:
    from plantrack.data.params import ParameterError
    from plantrack.data.validation import DataError

    with pytest.raises(ParameterError, match="unknown region 'nowhere'"):
        render(["nowhere"], out_dir=tmp_path, jobs=1, progress=False)
    rows = read_rows(data_copy / "plans.csv")
    rows[2][rows[0].index("start_year")] = "20x16"
    write_rows(data_copy / "plans.csv", rows)
    with pytest.raises(DataError, match=r"plans\.csv line 3, column start_year") as err:
        render(["suzhou"], out_dir=tmp_path, jobs=1, progress=False, data_dir=str(data_copy))
    assert err.value.problems and not list(tmp_path.glob("*.html"))
