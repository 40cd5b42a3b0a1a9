"""The hindcast engine: known errors on a hand-built series, the vintage rule, records, calibration, CSV, slices."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from plantrack import load
from plantrack.analysis import hindcast as h
from plantrack.app.cli import main
from plantrack.data import prepared
from tests.fixture import RAW, build

AS_OF = 2026

# land's stock_b: 100 (2010, published 2011), 121 (2012) and 150 (2014), both published in 2015, 180 (2016,
# published 2017); a target of 170 for 2020. flow_f: an annual flow of 10, 14, 12 over 2021-2023.
EXTRA = {
    "sources.csv": [
        # statistical bulletins (sources of results, not plans) are graded
        [f"y{y}", f"统计公报{y}", "测试局", str(y), RAW, "", "", "A", ""] for y in (2011, 2015, 2017, 2024)
    ],
    "indicators.csv": [["flow_f", "戊流量", "Flow F", "件", "annual_flow", "higher", "", ""]],
    "proxies.csv": [["land", "share_c", "city", "stock_a", "related_indicator", "甲存量增速代替丙比重"]],
    "targets.csv": [
        ["land", "p13", "stock_b", "乙存量", "件", "预期性", "", "", "", "2020", "170", "170", "170", "point", "", "",
         "doc", "纲要", "乙存量达到170件", "", ""],
    ],
    "observations.csv": [
        ["land", "stock_b", str(y), "", str(v), "件", "exact", "", "", "", "stated", "", "", "", "", src, "一",
         f"{y}年乙存量{v}件", ""]
        for y, v, src in ((2010, 100, "y2011"), (2012, 121, "y2015"), (2014, 150, "y2015"), (2016, 180, "y2017"))
    ]
    + [
        # city: 112 of stock_b in 2023; totals of total_d over 2011-2015 (320) and 2021-2025 (450); 60 new centres
        ["city", ind, str(y), start, str(v), unit, "exact", "", "", "", "stated", "", "", "", "", src, "一",
         f"{ind} {y} {v}", ""]
        for ind, y, start, v, unit, src in (
            ("stock_b", 2023, "", 112, "件", "y2024"), ("total_d", 2015, "2011", 320, "件", "y2017"),
            ("total_d", 2025, "2021", 450, "件", "y2024"), ("new_centres", 2025, "2021", 60, "家", "y2024"),
        )
    ]
    + [
        ["land", "flow_f", str(y), "", str(v), "件", "exact", "", "", "", "stated", "", "", "", "", "y2024", "一",
         f"{y}年戊流量{v}件", ""]
        for y, v in ((2021, 10), (2022, 14), (2023, 12))
    ],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("hindcast"), EXTRA)


@pytest.fixture(scope="module")
def data(folder: Path):
    return load(folder)


def _rows(data, vintage: str = "publication", indicator: str = "stock_b", region: str = "land") -> pd.DataFrame:
    rows = h.hindcast(data, AS_OF, vintage)  # type: ignore[arg-type]
    return rows[(rows["region_id"] == region) & (rows["indicator_id"] == indicator)].reset_index(drop=True)


def _one(rows: pd.DataFrame, method: str, cut: int, year: int) -> dict:
    found = rows[(rows["method"] == method) & (rows["cut_year"] == cut) & (rows["year"] == year)]
    assert len(found) == 1, rows[["method", "cut_year", "year"]].to_string()
    return found.iloc[0].to_dict()


def test_known_projections_and_errors_under_the_publication_rule(data) -> None:
    rows = _rows(data)
    # as of 2014 the values of 2012 and 2014 were out (published 2015): three points, own series
    own = _one(rows, "own_3", 2014, 2016)
    assert own["growth"] == pytest.approx(1.5 ** 0.25 - 1)
    assert own["projected"] == pytest.approx(150 * 1.5 ** 0.5)
    assert own["error"] == pytest.approx((150 * 1.5 ** 0.5 - 180) / 180)
    # the null repeats the latest value known: 100 as of 2010, 150 as of 2014
    assert _one(rows, "no_growth", 2010, 2012)["error"] == pytest.approx((100 - 121) / 121)
    assert _one(rows, "no_growth", 2010, 2016)["error"] == pytest.approx((100 - 180) / 180)
    assert _one(rows, "no_growth", 2014, 2016)["projected"] == pytest.approx(150)
    # cuts that knew nothing more (2011-2013 knew only 2010) repeat no projection
    assert set(rows["cut_year"]) == {2010, 2014}
    assert set(rows["method"]) == {"own_3", "no_growth"}


def test_threshold_and_confirmation(data) -> None:
    rows = _rows(data)
    own = _one(rows, "own_3", 2014, 2016)
    assert own["threshold"] == 170 and own["threshold_year"] == 2020 and own["threshold_match"] == "nearest"
    assert own["predicted_met"] and own["actual_met"] and own["confirmed"]  # 183.7 and 180 both reach 170
    null = _one(rows, "no_growth", 2014, 2016)
    assert not null["predicted_met"] and null["confirmed"] is False  # no growth says short, the actual reached it
    assert _one(rows, "no_growth", 2010, 2012)["confirmed"] is True  # 121: short of 170, as the null said


def test_vintage_rule_keeps_values_published_late_out(data) -> None:
    published = _rows(data, "publication")
    assert "own_2" not in set(published["method"])  # the 2012 value appeared in 2015: unknown as of 2012 or 2013
    assert (published["from_year"] <= published["cut_year"]).all()
    by_year = _rows(data, "reference_year")
    own = _one(by_year, "own_2", 2012, 2014)  # reference years only: 100 → 121, +10 % a year
    assert own["growth"] == pytest.approx(0.1)
    assert own["projected"] == pytest.approx(146.41)
    assert own["error"] == pytest.approx((146.41 - 150) / 150)
    assert _one(by_year, "own_2", 2012, 2016)["projected"] == pytest.approx(121 * 1.1 ** 4)
    view = h.known_at(data, 2012, "publication")
    assert [int(r["year"]) for r in view.lookup.observations[("land", "stock_b")]] == [2010]
    with pytest.raises(ValueError, match="vintage"):
        h.hindcast(data, AS_OF, "whenever")  # type: ignore[arg-type]


def test_part_of_a_period_from_an_annual_flow_pro_rata(data) -> None:
    rows = _rows(data, "reference_year", "flow_f")
    partial = rows[rows["method"] == "own_partial"]
    # sums over the plan period from 2021: 10, 24, 36
    assert _one(partial, "own_partial", 2021, 2022)["projected"] == pytest.approx(20)
    assert _one(partial, "own_partial", 2021, 2023)["error"] == pytest.approx((30 - 36) / 36)
    assert _one(partial, "own_partial", 2022, 2023)["error"] == pytest.approx(0)
    assert set(partial["period_start"]) == {2021}


def test_previous_pace_and_the_null_on_period_totals(data) -> None:
    rows = _rows(data, indicator="total_d", region="city")
    pace = _one(rows, "previous_pace", 2020, 2025)  # 320 → 400: +25 % a period, so 500 for 2021-2025
    assert pace["period_start"] == 2021 and pace["growth"] == pytest.approx(0.25)
    assert pace["projected"] == pytest.approx(500) and pace["error"] == pytest.approx(50 / 450)
    assert pace["threshold"] == 500 and pace["threshold_match"] == "same_year"
    assert pace["predicted_met"] and not pace["actual_met"] and pace["confirmed"] is False
    null = _one(rows, "no_growth", 2020, 2025)
    assert null["projected"] == 400 and null["confirmed"] is True  # 400 ÷ 500 short, and 450 was short
    early = _one(rows, "no_growth", 2016, 2020)  # the 2011-2015 total came out in 2017
    assert early["projected"] == 320 and early["error"] == pytest.approx(-0.2) and pd.isna(early["threshold"])
    assert 2015 not in set(rows["cut_year"])


def test_previous_record_projects_the_counterparts_completion(data) -> None:
    rows = _rows(data, indicator="new_centres", region="city")
    record = _one(rows, "previous_record", 2020, 2025)  # 52 centres delivered under the 13th plan
    assert record["projected"] == 52 and record["from_year"] == 2020
    assert record["error"] == pytest.approx((52 - 60) / 60)
    assert record["confirmed"] is True  # 52 ÷ 50 and 60 both reach the target of 50
    assert len(rows[rows["method"] == "previous_record"]) == 1  # later cuts knew nothing more


def test_proxy_growth_on_the_own_last_value(data) -> None:
    rows = _rows(data, indicator="share_c")
    proxy = _one(rows, "proxy", 2020, 2025)  # the city's stock_a doubled over 2015-2020
    assert proxy["growth"] == pytest.approx(2 ** 0.2 - 1) and proxy["from_value"] == 11
    assert proxy["projected"] == pytest.approx(22) and proxy["error"] == pytest.approx((22 - 12.5) / 12.5)
    assert proxy["predicted_met"] and proxy["confirmed"] is False  # the target of 13 was not reached


def test_benchmark_takes_the_nearest_ancestor_with_growth(data) -> None:
    rows = _rows(data, indicator="stock_b", region="city")
    bench = _one(rows, "benchmark", 2020, 2023)  # the province has one point then: the nation's 2010-2016 growth
    assert bench["growth"] == pytest.approx(1.8 ** (1 / 6) - 1)
    assert bench["projected"] == pytest.approx(100 * 1.8 ** 0.5)
    assert bench["error"] == pytest.approx((100 * 1.8 ** 0.5 - 112) / 112)


def test_records_medians_band_and_calibration(data) -> None:
    rows = _rows(data)
    found = h.records(rows)
    assert list(found) == list(h.projectors())
    null = found["no_growth"]
    errors = sorted(e for e in rows.loc[rows["method"] == "no_growth", "error"])
    assert null.n == len(errors) == 4  # 2012, 2014, 2016 as of 2010; 2016 as of 2014
    sizes = sorted(abs(e) for e in errors)
    assert null.median_abs_error == pytest.approx((sizes[1] + sizes[2]) / 2)
    assert null.bias == pytest.approx((errors[1] + errors[2]) / 2)
    assert null.band_low is None and null.band_high is None  # fewer than five hindcasts: no band
    assert null.series == 1
    assert (null.confirmed, null.judged) == (2, 4)  # 121 and 150 short of 170 as said; 180 twice not
    assert not h.calibrated(null) and not h.calibrated(found["own_3"])  # one hindcast only
    assert found["previous_pace"].n == 0 and found["previous_pace"].median_abs_error is None


def test_calibrated_needs_five_hindcasts_from_three_series_and_two_thirds_confirmed() -> None:
    def record(n: int, confirmed: int, judged: int, series: int = h.MIN_SERIES) -> h.Record:
        return h.Record(n, 0.1, 0.0, confirmed, judged, None, None, series)

    assert not h.calibrated(record(4, 4, 4))
    assert h.calibrated(record(5, 4, 5))
    assert h.calibrated(record(9, 2, 3))  # exactly two thirds
    assert not h.calibrated(record(9, 3, 5))
    assert not h.calibrated(record(9, 0, 0))  # never judged
    assert not h.calibrated(record(10, 9, 9, series=1))  # one series: how it behaved, not how the method does
    assert not h.calibrated(None)


def test_band_is_the_10th_to_90th_percentile_of_signed_errors() -> None:
    rows = pd.DataFrame(
        {"method": "own_2", "error": [-0.4, -0.1, 0.0, 0.1, 0.2, 0.3], "confirmed": None}, columns=h.COLUMNS
    )
    r = h.records(rows)["own_2"]
    assert r.n == 6 and r.bias == pytest.approx(0.05) and r.median_abs_error == pytest.approx(0.15)
    assert r.band_low == pytest.approx(-0.4 + 0.5 * 0.3) and r.band_high == pytest.approx(0.2 + 0.5 * 0.1)


def test_computed_once_per_dataset_and_again_after_a_refresh(data, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = h.hindcast
    monkeypatch.setattr(h, "hindcast", lambda *a: calls.append(a) or real(*a))
    first = h.method_records(data, AS_OF)
    assert h.method_records(data, AS_OF) == first and len(calls) == 1
    h.hindcast_rows(data, AS_OF).iloc[0:0]  # a copy: the memo is not changed through it
    data.refresh()
    assert h.method_records(data, AS_OF) == first and len(calls) == 2


def test_a_slice_carries_the_whole_datasets_records(data) -> None:
    whole = h.method_records(data, AS_OF)
    facts = h.facts(data, AS_OF)
    piece = prepared.loads(prepared.dumps(prepared.subset(data, {"city"}, {}, facts)))
    assert h.method_records(piece, AS_OF) == whole
    assert h.method_records(piece, AS_OF) != h.records(h.hindcast(piece, AS_OF))  # the slice alone knows less
    tampered = prepared.subset(data, {"city"}, {}, {next(iter(facts)): {"own_3": "import os"}})
    assert h.method_records(tampered, AS_OF) == h.records(h.hindcast(tampered, AS_OF))  # malformed: recomputed


def test_backtest_csv_has_one_row_per_hindcast(folder: Path, data, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--format", "csv", "--data", str(folder), "--as-of", str(AS_OF)]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == h.COLUMNS
    assert len(table) - 1 == len(h.hindcast(data, AS_OF))
    for needed in ("method", "cut_year", "year", "projected", "actual", "error", "threshold", "confirmed"):
        assert needed in table[0]


def test_backtest_table_words_in_both_languages(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from plantrack.present.words import words

    for lang in ("en", "zh"):
        assert main(["backtest", "--data", str(folder), "--as-of", str(AS_OF), "--lang", lang]) == 0
        out = capsys.readouterr().out
        w = words(lang)
        assert w("hindcast.median_abs_error") in out and w.code("evidence", "no_growth") in out
        assert "own_3" not in out and "nan" not in out


def test_bundled_data_gives_hindcasts_from_at_least_three_methods() -> None:
    rows = h.hindcast(load(), AS_OF)
    scored = rows[rows["projected"].notna() & rows["error"].notna()]
    methods = scored.loc[scored["method"] != "no_growth", "method"]
    assert len(scored) >= 30 and methods.nunique() >= 3
    assert (rows["cut_year"] < rows["year"]).all() and (rows["from_year"] <= rows["cut_year"]).all()
    assert rows["error"].map(lambda e: e is None or math.isfinite(e)).all()
    judged = rows[rows["confirmed"].notna()]
    assert (judged["confirmed"] == (judged["predicted_met"] == judged["actual_met"])).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reports_backtest_section_shows_every_methods_record(data, lang: str) -> None:
    from markupsafe import escape

    from plantrack.present import report as rpt
    from plantrack.present.words import words

    w = words(lang)
    page = str(rpt.full_report(rpt.context("city", lang, data=data, as_of=AS_OF)))
    section = page[page.index(w("hindcast.heading")):]
    found = h.method_records(data, AS_OF)
    for code in found:
        assert str(escape(w.code("evidence", code))) in section
    null = found["no_growth"]
    assert w("hindcast.confirmed_value", confirmed=null.confirmed, judged=null.judged) in section
    assert "own_3" not in section and "nan" not in section


def test_bundled_rows_start_from_a_value_known_at_their_cut() -> None:
    """The vintage rule on the real data: each projection's starting point was published by the end of cut + 1."""
    data = load()
    rows = h.hindcast(data, AS_OF)
    views: dict[int, object] = {}
    for r in rows[rows["method"] != "previous_record"].to_dict("records"):
        view = views.setdefault(r["cut_year"], h.known_at(data, r["cut_year"], "publication"))
        known = h.series_points(view, r["region_id"], r["indicator_id"], r["cut_year"])  # type: ignore[arg-type]
        assert any(int(p["year"]) == r["from_year"] and p["value"] == pytest.approx(r["from_value"]) for p in known), r


def test_shortfall_says_why_a_record_cannot_decide_alone() -> None:
    """The reason a lean is one, decided where its verdict is (the report words the code)."""

    def record(n: int, confirmed: int, judged: int, series: int = h.MIN_SERIES) -> h.Record:
        return h.Record(n, 0.1, 0.0, confirmed, judged, -0.1, 0.1, series)

    assert h.shortfall(record(4, 4, 4)) == "thin" and h.shortfall(None) == "thin"
    assert h.shortfall(record(10, 9, 9, series=1)) == "series"
    assert h.shortfall(record(9, 3, 5)) == "poor"
    assert h.shortfall(record(40, 0, 0)) == "unjudged" and h.band_decides(record(40, 0, 0))
    assert h.shortfall(record(9, 2, 3)) is None and h.calibrated(record(9, 2, 3))
    assert not h.band_decides(record(40, 0, 0, series=2)), "a band from two series decides nothing"
