"""The assessment engine on the fixture dataset: each method, grade and outcome state."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack import load
from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.backtest import backtest, summary
from plantrack.analysis.projection import COLUMNS, group_tally, project_region
from plantrack.data.params import ParameterError
from tests.fixture import build


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    return load(build(tmp_path_factory.mktemp("fixture")))


def _row(data, region: str, indicator: str, **assume):
    frame = project_region(data, region, "p14", assumptions=Assumptions(**assume))
    return frame.set_index("indicator_id").loc[indicator]


def test_own_series_projects_from_the_previous_plans_growth(data) -> None:
    r = _row(data, "city", "stock_a", as_of=2023)
    assert r["evidence"] == "own_2" and r["outcome"] == "projected"
    assert r["observed_growth"] == pytest.approx(2 ** (1 / 5) - 1)
    assert r["projection_central"] == pytest.approx(40.0)  # 20 doubled again over 2020-2025
    assert r["verdict"] == "on_track" and r["R"] > 1


def test_the_previous_total_repeated_is_no_evidence(data) -> None:
    """A total whose previous period is known but no growth: unassessed, with the ambition and the missing number."""
    r = _row(data, "city", "total_d", as_of=2023)
    assert (r["evidence"], r["verdict"], r["reason"]) == ("none", "not_projectable", "no_growth_total")
    assert r["ambition"] == pytest.approx(500 / 400) and r["latest_value"] == 400
    assert r["missing_region_id"] == "city" and r["missing_years"]


def test_task_target_from_the_previous_plans_record(data) -> None:
    r = _row(data, "city", "new_centres", as_of=2023)
    assert r["evidence"] == "previous_record"
    assert r["progress_ratio"] == pytest.approx(52 / 50) and r["verdict"] == "on_track"


def test_benchmark_only_uses_the_parents_growth_over_the_same_years(data) -> None:
    r = _row(data, "city", "stock_b", as_of=2025)
    assert r["evidence"] == "benchmark" and r["growth_region_id"] == "prov"
    assert (r["growth_from_year"], r["growth_to_year"]) == (2020, 2024)
    assert r["required_growth"] == pytest.approx(1.3 ** (1 / 5) - 1)


def test_outcomes_after_the_target_year(data) -> None:
    achieved = _row(data, "land", "stock_a", as_of=2026)
    missed = _row(data, "land", "share_c", as_of=2026)
    assert (achieved["outcome"], achieved["verdict"]) == ("final", "achieved")
    assert (missed["outcome"], missed["verdict"]) == ("final", "missed")
    assert missed["margin"] == pytest.approx((12.5 - 13) / 13)


def test_outcome_pending_while_the_actual_is_not_published(data) -> None:
    r = _row(data, "city", "stock_a", as_of=2026)
    assert r["outcome"] == "pending" and r["verdict"] == "on_track"


def test_as_of_ignores_later_observations(data) -> None:
    r = _row(data, "land", "stock_a", as_of=2024)
    # as of 2024 the latest year published is 2023
    assert r["outcome"] == "unassessed" and r["missing_years"] == "2015;2023"


def test_unassessed_targets_name_the_missing_number(data) -> None:
    r = _row(data, "city", "share_c", as_of=2026)
    assert (r["verdict"], r["evidence"], r["reason"]) == ("not_projectable", "none", "no_value")
    assert (r["missing_indicator_id"], r["missing_region_id"], r["missing_years"]) == ("share_c", "city", "2020;2025")
    q = _row(data, "city", "score_e")
    assert q["verdict"] == "not_quantifiable"


def test_zero_latest_value_gives_no_verdict(tmp_path: Path) -> None:
    zero = [["city", "share_c", "2022", "", "0", "%", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
             "2022年丙比重0%", ""]]
    d = load(build(tmp_path, {"observations.csv": zero}))
    r = _row(d, "city", "share_c", as_of=2023)
    assert (r["verdict"], r["reason"]) == ("not_projectable", "nonpositive_value")


def test_fragile_when_damping_changes_the_category(tmp_path: Path) -> None:
    # 20 -> 30 needs +8.4 %/yr; 2015-2020 growth of +9.0 %/yr passes, half of it does not
    extra = {
        "targets.csv": [["prov", "p14", "stock_a", "甲存量", "件", "", "2020", "20", "20", "2025", "30", "30", "30",
                         "point", "", "", "doc", "省表", "全省甲存量 20 30", "", ""]],
        "observations.csv": [["prov", "stock_a", "2015", "", "13", "件", "exact", "", "", "", "stated", "", "", "",
                              "", "doc", "一", "全省甲存量2015年13件", ""]],
    }
    d = load(build(tmp_path, extra))
    r = _row(d, "prov", "stock_a", as_of=2023)
    assert r["verdict"] == "on_track" and bool(r["fragile"])
    assert (r["verdict_alt"], r["fragile_under"]) == ("insufficient", "damped")


def test_backtest_sets_the_projection_then_against_the_outcome(tmp_path: Path) -> None:
    history = [["land", "stock_a", "2015", "", "3", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
                "2015年全国甲存量3件", ""]]
    d = load(build(tmp_path, {"observations.csv": history}))
    bt = backtest(d, assumptions=Assumptions(as_of=2026))
    row = bt.set_index("indicator_id").loc["stock_a"]
    assert row["as_of_then"] == 2020 and row["projected"] == pytest.approx(12.0)
    assert row["error"] == pytest.approx((12 - 15) / 15) and bool(row["confirmed"])
    assert summary(bt)["n_projected"] == 1


def test_backtest_counts_a_target_two_plans_share_once(tmp_path: Path) -> None:
    outline = [["outline", "纲要", "Outline", "2021", "2035", "p13", ""]]
    same = [["land", "outline", "stock_a", "甲存量", "件", "预期性", "", "", "", "2025", "12", "12", "12", "point", "",
             "", "doc", "纲要", "甲存量 6 12", "", ""]]
    history = [["land", "stock_a", "2015", "", "3", "件", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
                "2015年全国甲存量3件", ""]]
    d = load(build(tmp_path, {"plans.csv": outline, "targets.csv": same, "observations.csv": history}))
    bt = backtest(d, assumptions=Assumptions(as_of=2026))
    rows = bt[(bt["region_id"] == "land") & (bt["indicator_id"] == "stock_a")]
    assert list(rows["plan"]) == ["p14"], "kept once, under the five-year plan (the region's current plan)"


def test_rows_are_codes_and_numbers_and_tallies_add_up(data) -> None:
    frame = project_region(data, "city", "p14", assumptions=Assumptions(as_of=2026))
    assert list(frame.columns) == COLUMNS and not any(c.endswith(("_zh", "_en")) for c in COLUMNS if c != "name_en")
    assert sum(n for n, _ in group_tally(frame).values()) == len(frame)


def test_as_of_is_checked_where_it_is_made() -> None:
    with pytest.raises(ParameterError):
        Assumptions(as_of=1850)


def test_a_new_plan_as_rows_projects_from_the_plan_before_it(tmp_path: Path) -> None:
    extra = {
        "plans.csv": [["p15", "十五五", "15th plan", "2026", "2030", "p14", ""]],
        "targets.csv": [["city", "p15", "stock_a", "甲存量", "件", "", "2025", "40", "40", "2030", "60", "60", "60",
                         "point", "", "", "doc", "表3", "甲存量 40 60", "", ""]],
        "observations.csv": [["city", "stock_a", "2022", "", "25", "件", "exact", "", "", "", "stated", "", "", "",
                              "", "doc", "一", "2022年甲存量25件", ""]],
    }
    d = load(build(tmp_path, extra))
    r = project_region(d, "city", "p15", assumptions=Assumptions(as_of=2026)).iloc[0]
    assert (r["growth_from_year"], r["growth_to_year"]) == (2020, 2025)  # the 14th plan: its baseline to its end


def test_a_new_region_as_rows_is_assessed_and_compared(tmp_path: Path) -> None:
    """A district added with rows only (region, source text, target, observations) needs no code change."""
    extra = {
        "regions.csv": [["town", "镇", "Town", "district", "city"]],
        "targets.csv": [["town", "p14", "stock_a", "甲存量", "件", "预期性", "2020", "2", "2", "2025", "3", "3", "3",
                         "point", "", "", "doc", "镇表", "全镇甲存量 2 3", "", ""]],
        "observations.csv": [["town", "stock_a", "2015", "", "1", "件", "exact", "", "", "", "stated", "", "", "", "",
                              "doc", "一", "全镇甲存量2015年1件", ""]],
    }
    d = load(build(tmp_path, extra))
    r = project_region(d, "town", assumptions=Assumptions(as_of=2023)).iloc[0]
    assert (r["evidence"], r["verdict"]) == ("own_2", "on_track")
    from plantrack.analysis.comparison import compare

    table = compare(d, "stock_a", Assumptions(as_of=2023))
    assert "town" in set(table["region_id"]) and "city" in set(table["region_id"])
