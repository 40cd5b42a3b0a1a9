"""Verdicts a leader can act on (issue: trust): relations as data, no verdict from a null, readings, flows vs stocks.

Every number is made up; each case adds the rows it needs to the fixture dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plantrack import load
from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.projection import project_region
from plantrack.analysis.series import point_records
from plantrack.analysis.tally import group_tally
from tests.fixture import build


def _obs(region: str, indicator: str, year: int, value: float, unit: str, start: str = "") -> list[str]:
    quote = f"{region}{indicator}{year}年{value:g}{unit}"
    return [region, indicator, str(year), start, f"{value:g}", unit, "exact", "", "", "", "stated", "", "", "", "",
            "doc", "一", quote, ""]


def _indicator(iid: str, unit: str, measure: str, relation: str = "", of: str = "", per: str = "",
               definitions: str = "") -> list[str]:
    rationale = "made up for a test" if relation else ""
    return [iid, iid, iid, unit, measure, "higher", "", "", relation, of, per, definitions, rationale]


def _target(
    region: str, indicator: str, target: str, baseline: str = "", reading: str = "", unit: str = "件"
) -> list[str]:
    base_year = "2020" if baseline else ""
    quote = f"{indicator} {baseline} {target}".replace("  ", " ")
    return [region, "p14", indicator, indicator, unit, "", base_year, baseline, baseline, "2025", target, target,
            target, "point", "", "", "doc", "表2", quote, "", reading]


def _data(tmp_path: Path, extra: dict[str, list[list[str]]]):
    return load(build(tmp_path / "d", extra))


def _row(data, indicator: str, as_of: int, region: str = "city", **assume):
    frame = project_region(data, region, "p14", assumptions=Assumptions(as_of=as_of, **assume))
    return frame.set_index("indicator_id").loc[indicator]


def test_a_period_total_from_the_sum_of_its_annual_flow(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("flow_f", "件", "annual_flow"),
                           _indicator("total_f", "件", "period_total", "sum_of_flow", "flow_f", definitions="same")],
        "targets.csv": [_target("city", "total_f", "500")],
        "observations.csv": [_obs("city", "flow_f", 2021, 150, "件"), _obs("city", "flow_f", 2022, 170, "件")],
    })
    r = _row(data, "total_f", 2023)
    assert (r["evidence"], r["basis_years"], r["growth_indicator_id"]) == ("own_partial", "2021;2022", "flow_f")
    assert r["latest_value"] == 320 and r["projection_central"] == pytest.approx(320 * 5 / 2)
    assert r["verdict"] == "on_track" and bool(r["weak"])


def test_a_period_new_from_the_difference_of_a_stock_whose_definition_differs(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("stock_g", "家", "stock"),
                           _indicator("new_g", "家", "period_total", "difference_of_stock", "stock_g",
                                      definitions="differ")],
        "targets.csv": [_target("city", "new_g", "50", unit="家")],
        "observations.csv": [_obs("city", "stock_g", 2020, 52, "家"), _obs("city", "stock_g", 2022, 80, "家")],
    })
    r = _row(data, "new_g", 2023)
    assert r["evidence"] == "related_partial" and bool(r["weak"])  # a weaker grade than own_partial
    assert r["latest_value"] == 28 and r["projection_central"] == pytest.approx(28 * 5 / 2)
    assert r["basis_years"] == "2021;2022"


def test_a_per_10k_value_from_a_count_and_the_population(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("count_h", "件", "stock"), _indicator("people", "人", "stock"),
                           _indicator("per_h", "件", "stock", "per_10k", "count_h", "people", "same")],
        "observations.csv": [_obs("city", "count_h", 2020, 2000, "件"), _obs("city", "people", 2020, 400, "万人"),
                             _obs("city", "count_h", 2023, 3000, "件"), _obs("city", "people", 2023, 500, "万人")],
    })
    pts = point_records(data, "city", "per_h")
    assert [(p["year"], p["method"]) for p in pts] == [(2020, "relation"), (2023, "relation")]
    assert [p["value"] for p in pts] == pytest.approx([5.0, 6.0])


def test_a_relation_that_does_not_fit_the_measures_is_refused(tmp_path: Path) -> None:
    from plantrack.data.validation import DataError

    with pytest.raises(DataError, match="relation_of"):
        _data(tmp_path, {"indicators.csv": [_indicator("bad", "件", "period_total", "sum_of_flow", "stock_a", "",
                                                       "same")]})


def test_the_null_never_gives_a_verdict_and_a_growth_does(tmp_path: Path) -> None:
    null = _data(tmp_path / "a", {})
    r = _row(null, "total_d", 2023)
    assert r["evidence"] == "none" and r["reason"] == "no_growth_total"
    assert all(v["evidence"] != "previous_pace" or v["observed_growth"] == v["observed_growth"]
               for v in project_region(null, "city", "p14", assumptions=Assumptions(as_of=2023)).to_dict("records"))
    grown = _data(tmp_path / "b", {"observations.csv": [_obs("city", "total_d", 2015, 200, "件", "2011")]})
    r = _row(grown, "total_d", 2023)
    assert r["evidence"] == "previous_pace" and r["observed_growth"] == pytest.approx(1.0)
    assert r["projection_central"] == pytest.approx(800) and r["verdict"] == "on_track"


def test_a_total_judged_by_the_parents_growth_of_its_flow(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("flow_k", "件", "annual_flow"),
                           _indicator("total_k", "件", "period_total", "sum_of_flow", "flow_k", definitions="same")],
        "targets.csv": [_target("city", "total_k", "500", "400")],
        "observations.csv": [_obs("prov", "flow_k", 2015, 100, "件"), _obs("prov", "flow_k", 2020, 200, "件")],
    })
    r = _row(data, "total_k", 2023)
    assert (r["evidence"], r["growth_region_id"]) == ("benchmark", "prov")
    # the flow doubled over 2015-2020: a total over the next five years twice the previous one
    assert r["observed_growth"] == pytest.approx(1.0) and r["projection_central"] == pytest.approx(800)


def test_a_two_way_column_makes_a_verdict_fragile_where_the_readings_differ(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("flow_m", "件", "annual_flow"),
                           _indicator("total_m", "件", "period_total", "sum_of_flow", "flow_m", definitions="same")],
        "targets.csv": [_target("city", "total_m", "500", "400", reading="previous_total_as_baseline")],
        # this period so far: 2021 alone, 120 → 600 over five years (on track as a total); as one year's value
        # the flow fell from 400 (2020, the baseline read as a year) to 120 (2021), and the target needs 500
        "observations.csv": [_obs("city", "flow_m", 2021, 120, "件"), _obs("prov", "flow_m", 2019, 100, "件"),
                             _obs("prov", "flow_m", 2021, 81, "件")],
    })
    r = _row(data, "total_m", 2022)
    assert r["verdict"] == "on_track" and r["evidence"] == "own_partial"
    assert bool(r["fragile"]) and r["fragile_under"] == "reading" and r["verdict_alt"] != "on_track"


def test_a_flow_above_target_before_the_target_year_is_provisional_a_stock_is_achieved(tmp_path: Path) -> None:
    data = _data(tmp_path, {
        "indicators.csv": [_indicator("flow_n", "件", "annual_flow")],
        "targets.csv": [_target("city", "flow_n", "100")],
        "observations.csv": [_obs("city", "flow_n", 2023, 120, "件"), _obs("city", "stock_a", 2023, 31, "件")],
    })
    flow = _row(data, "flow_n", 2024)
    stock = _row(data, "stock_a", 2024)
    assert (flow["verdict"], flow["outcome"]) == ("above_target", "projected")
    assert stock["verdict"] == "achieved"
    later = _row(data, "flow_n", 2026)
    assert (later["verdict"], later["outcome"]) == ("above_target", "pending")  # 2025 not in the data: pending
    tally = group_tally(project_region(data, "city", "p14", assumptions=Assumptions(as_of=2024)))
    assert tally["above_target"][0] == 1 and tally["achieved"][0] >= 1


def test_a_verdict_by_an_uncalibrated_method_is_only_a_lean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plantrack.analysis import hindcast
    from plantrack.analysis.tally import row_group

    data = _data(tmp_path, {})
    r = _row(data, "stock_b", 2025)  # the province's growth: a benchmark with too few hindcasts in the fixture
    assert r["evidence"] == "benchmark" and r["verdict"] in ("on_track", "acceleration_needed", "insufficient")
    assert bool(r["lean"]) and row_group(r.to_dict()) == "lean" and r["method_hindcasts"] < hindcast.MIN_HINDCASTS
    tally = group_tally(project_region(data, "city", "p14", assumptions=Assumptions(as_of=2025)))
    assert tally["lean"][0] >= 1
    earned = hindcast.Record(12, 0.05, 0.01, 9, 10, -0.1, 0.1, series=4)  # 9 of 10 confirmed, 4 series: a verdict
    monkeypatch.setattr(hindcast, "method_records", lambda *a, **k: {"benchmark": earned})
    data.refresh()  # projections are kept with the lookup index: other records ask again
    r = _row(data, "stock_b", 2025)
    assert not bool(r["lean"]) and r["method_confirmed"] == 9
    assert r["band_low"] == pytest.approx(r["projection_central"] / 1.1)
    assert r["band_high"] == pytest.approx(r["projection_central"] / 0.9)


def test_a_method_with_no_target_in_its_hindcasts_decides_only_where_its_band_clears_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Errors known, categories not (hindcasts of series without targets): a verdict where the actual the band
    allows lies on the same side of the target at both ends, a lean where the band straddles it or comes from
    too few series."""
    from plantrack.analysis import hindcast

    data = _data(tmp_path, {})
    central = _row(data, "stock_b", 2025)
    assert central["evidence"] == "benchmark"
    target = float(central["target_value"])
    margin = float(central["projection_central"]) / target - 1  # how far the central projection is from the target
    assert abs(margin) > 0.02, "the fixture's benchmark row is not at its target"
    narrow, wide = abs(margin) / 4, abs(margin) * 3

    def verdict_with(record: hindcast.Record) -> Any:
        monkeypatch.setattr(hindcast, "method_records", lambda *a, **k: {"benchmark": record})
        data.refresh()
        return _row(data, "stock_b", 2025)

    clears = verdict_with(hindcast.Record(20, 0.05, 0.0, 0, 0, -narrow, narrow, series=4))
    assert bool(clears["band_clears"]) and not bool(clears["lean"]) and clears["verdict"] == central["verdict"]
    low, high = float(clears["band_low"]), float(clears["band_high"])
    assert (low >= target) == (high >= target), "the band lies on one side of the target"
    straddles = verdict_with(hindcast.Record(20, 0.05, 0.0, 0, 0, -wide, wide, series=4))
    assert not bool(straddles["band_clears"]) and bool(straddles["lean"])
    assert straddles["lean_reason"] == "straddles"
    few_series = verdict_with(hindcast.Record(20, 0.05, 0.0, 0, 0, -narrow, narrow, series=2))
    assert not bool(few_series["band_clears"]) and bool(few_series["lean"])
    assert few_series["lean_reason"] == "series", "not 'straddles': its band was never asked"
    poor_record = verdict_with(hindcast.Record(20, 0.05, 0.0, 1, 4, -narrow, narrow, series=4))  # 1 of 4 confirmed
    assert not bool(poor_record["band_clears"]) and bool(poor_record["lean"])
    assert poor_record["lean_reason"] == "poor"


def test_a_record_from_too_few_series_earns_no_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """9 of 9 confirmed from one series says how that series behaved: a lean, as the proxy of the bundled data was."""
    from plantrack.analysis import hindcast

    data = _data(tmp_path, {})
    for series, lean in ((1, True), (hindcast.MIN_SERIES, False)):
        record = hindcast.Record(12, 0.05, 0.01, 9, 9, -0.1, 0.1, series=series)
        monkeypatch.setattr(hindcast, "method_records", lambda *a, _r=record, **k: {"benchmark": _r})
        data.refresh()
        assert bool(_row(data, "stock_b", 2025)["lean"]) is lean, series
