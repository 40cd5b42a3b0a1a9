"""Analysis engine: hand-computed cases, coverage of every target, newer actuals, readings."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from plantrack import load
from plantrack.analysis.comparison import compare, incomparable
from plantrack.analysis.growth import cagr, compound
from plantrack.analysis.projection import Assumptions, observed_growth, project_region, verdict_tally
from plantrack.analysis.review import review, tally
from plantrack.analysis.series import points
from plantrack.app.cli import main
from plantrack.data import PlanData
from plantrack.data.params import default_plan
from tests.conftest import read_rows, write_rows

REGIONS = ("china", "jiangsu", "suzhou", "tongzhou", "wujiang")


def row(df, indicator: str) -> dict:
    hit = df[df["indicator_id"] == indicator]
    assert len(hit) == 1, indicator
    return hit.iloc[0].to_dict()


def test_tongzhou_invention_patents_growth(data: PlanData) -> None:
    # 18.17 (2015) → 44.3 (2020): (44.3 / 18.17) ** (1/5) - 1 = 2.438 ** 0.2 - 1 = 0.1953
    g = observed_growth(points(data, "tongzhou", "invention_patents_per_10k"), "stock", 5, "same indicator")
    assert g is not None
    assert g.rate == pytest.approx(0.1953, abs=5e-4)
    # 2025 projection: 44.3 * 1.1953 ** 5 = 44.3 * 2.438 = 108.0
    assert compound(44.3, g.rate, 5) == pytest.approx(108.0, abs=0.1)
    assert "2015 18.17 [stated]" in g.points and "2020 44.3 [plan completion]" in g.points


def test_suzhou_high_value_patents(data: PlanData) -> None:
    p = row(project_region(data, "suzhou"), "hv_invention_patents_per_10k")
    # required: (32 / 20.23) ** (1/5) - 1 = 1.5818 ** 0.2 - 1 = 0.0961
    assert p["required_growth"] == pytest.approx(0.0961, abs=5e-4)
    # proxy growth: 2015 = 68.85 / 2.51 = 27.43; (68.85 / 27.43) ** 0.2 - 1 = 0.2021
    assert p["observed_growth"] == pytest.approx(0.2021, abs=5e-4)
    assert p["growth_source"].startswith("proxy: 万人发明专利拥有量")
    # R = 0.2021 / 0.0961 = 2.10 → on track, ahead of schedule
    assert p["R"] == pytest.approx(2.104, abs=0.01)
    assert (p["verdict"], p["verdict_zh"]) == ("on_track", "快于预期")
    # central: 20.23 * 1.2021 ** 5 = 50.78 (also the high end)
    # damped: 20.23 * 1.1010 ** 5 = 32.74
    # linear: proxy rose (68.85 - 27.43) / 5 = 8.28 a year = 12.03 % of 68.85
    #         20.23 * (1 + 0.1203 * 5) = 32.40 (the low end)
    assert p["projection_central"] == pytest.approx(50.78, abs=0.05)
    assert p["projection_high"] == p["projection_central"]
    assert p["projection_low"] == pytest.approx(32.40, abs=0.02)
    assert p["method_zh"].startswith("年均复合增速 +20.2%/年（替代指标：万人发明专利拥有量（苏州市）")
    assert "2015年 27.43（推算）；2020年 68.85（规划完成值）" in p["method_zh"]


def test_method_is_stated_in_both_languages_without_exponents(data: PlanData) -> None:
    for region in ("suzhou", "tongzhou", "jiangsu"):
        proj = project_region(data, region)
        projected = proj[proj["projection_central"].notna()]
        assert projected["method"].notna().all() and projected["method_zh"].notna().all()
        text = " ".join(str(v) for c in ("method", "method_zh", "reason", "reason_zh") for v in proj[c])
        assert "e+0" not in text, "numbers are written out, not in exponent form"


def test_times_reading_changes_the_verdict(data: PlanData) -> None:
    other = Assumptions(times_reading="multiple")
    p = row(project_region(data, "suzhou", assumptions=other), "hv_invention_patents_per_10k")
    # 2015 = 68.85 / 1.51 = 45.60; (68.85 / 45.60) ** 0.2 - 1 = 0.0859; R = 0.0859 / 0.0961 = 0.89
    assert p["observed_growth"] == pytest.approx(0.0859, abs=5e-4)
    assert p["R"] == pytest.approx(0.894, abs=0.01)
    assert p["verdict"] == "acceleration_needed"
    assert "other reading" in p["growth_points"]


def test_period_total_growth(data: PlanData) -> None:
    p = row(project_region(data, "suzhou"), "new_overseas_invention_grants")
    # required per period: 5000 / 4041 - 1 = 0.2373; proxy PCT 10932 vs 10932 / 4.4 = 2484.5 → +340 %
    assert p["required_growth"] == pytest.approx(0.2373, abs=5e-4)
    assert p["observed_growth"] == pytest.approx(3.4, abs=1e-6)
    assert p["R"] == pytest.approx(3.4 / 0.2373, rel=1e-3)
    assert "period-over-period" in p["method"]


@pytest.mark.parametrize("region", REGIONS)
def test_every_target_is_projected(data: PlanData, region: str) -> None:
    plan = default_plan(data, region)
    expected = ((data.targets["region_id"] == region) & (data.targets["plan"] == plan)).sum()
    out = project_region(data, region)
    assert len(out) == expected > 0
    assert set(out["indicator_id"]) == set(
        data.targets.loc[(data.targets["region_id"] == region) & (data.targets["plan"] == plan), "indicator_id"]
    )
    assert out["verdict_zh"].notna().all() and out["verdict_en"].notna().all()
    no_proj = out[out["verdict"] == "not_projectable"]
    assert (no_proj["reason"].str.len() > 10).all(), "every unprojectable target says why"
    assert verdict_tally(out).sum() == expected


def test_ranges_use_their_lower_end(data: PlanData) -> None:
    p = row(project_region(data, "suzhou"), "new_natl_prov_protection_demo_zones")
    assert p["target_value"] == 2 and "lower end of the range 2-3" in p["target_note"]
    q = row(project_region(data, "suzhou"), "prov_ip_demo_county_coverage")
    assert q["verdict"] == "not_quantifiable"


def stated(region: str, indicator: str, year: int, value: float, unit: str, quote: str) -> list[str]:
    """An observations.csv row stated by the test bulletin source."""
    return [
        region,
        indicator,
        str(year),
        "",
        f"{value:g}",
        unit,
        "exact",
        "stated",
        "",
        "",
        "",
        "",
        "suzhou_bulletin_2023",
        "p. 1",
        quote,
        "",
    ]


def add_observation(data_dir: Path, values: list[str]) -> None:
    obs = data_dir / "observations.csv"
    rows = read_rows(obs)
    rows.append(values)
    write_rows(obs, rows)
    src = data_dir / "sources.csv"
    rows = read_rows(src)
    rows.append(
        [
            "suzhou_bulletin_2023",
            "苏州市2023年知识产权发展与保护状况（示例）",
            "苏州市知识产权局",
            "2024-04-26",
            "",
            "https://example.org/suzhou-2023",
            "test source",
        ]
    )
    write_rows(src, rows)


def test_newer_actual_changes_the_verdict(data_copy: Path, data: PlanData) -> None:
    before = row(project_region(data, "suzhou"), "ip_intensive_firms")
    assert before["verdict"] == "not_projectable"
    add_observation(
        data_copy,
        stated("suzhou", "ip_intensive_firms", 2023, 1250, "家", "全市知识产权密集型企业达1250家"),
    )
    after = row(project_region(load(data_copy), "suzhou"), "ip_intensive_firms")
    assert (after["latest_year"], after["latest_value"]) == ("2023", 1250)
    assert after["verdict"] == "achieved"


def test_newer_actual_becomes_the_projection_start(data_copy: Path) -> None:
    add_observation(
        data_copy,
        stated("suzhou", "hv_invention_patents_per_10k", 2023, 28.5, "件", "万人高价值发明专利拥有量达28.5件"),
    )
    p = row(project_region(load(data_copy), "suzhou"), "hv_invention_patents_per_10k")
    assert p["latest_year"] == "2023"
    # own series now has 2020 20.23 and 2023 28.5: CAGR (28.5/20.23)^(1/3) - 1 = 0.1211, no proxy needed
    assert p["growth_source"] == "same indicator"
    assert p["observed_growth"] == pytest.approx((28.5 / 20.23) ** (1 / 3) - 1, rel=1e-6)
    assert p["projection_central"] == pytest.approx(28.5 * (1 + p["observed_growth"]) ** 2, rel=1e-6)


def test_cross_level_ratios(data: PlanData) -> None:
    c = compare(data, "hv_invention_patents_per_10k").set_index("region_id")
    assert c.loc["suzhou", "vs_compared"] == pytest.approx(32 / 17)
    assert c.loc["suzhou", "vs_national"] == pytest.approx(32 / 12)
    assert c.loc["jiangsu", "vs_national"] == pytest.approx(17 / 12)
    assert "Nantong has no target" in c.loc["tongzhou", "note"]
    assert "南通市无此指标目标" in c.loc["tongzhou", "note_zh"]
    totals = compare(data, "new_overseas_invention_grants").set_index("region_id")
    assert totals.loc["suzhou", "vs_compared"] == pytest.approx(5000 / 20000)  # a share of Jiangsu's total


def test_lookalikes_are_not_compared(data: PlanData) -> None:
    table = incomparable(data)
    sat = table[table["indicator_a"].str.contains("满意度")]
    assert len(sat) == 1 and "units differ (分 vs %)" in sat.iloc[0]["why_not_compared"]
    shared = set(compare(data)["indicator_id"])
    assert "ip_protection_satisfaction_pct" not in shared


def test_review_suzhou(data: PlanData) -> None:
    r = review(data, "suzhou")
    assert len(r) == 35
    t = tally(r)
    assert t.loc["合计", "met"] == 27 and t.loc["合计", "not_met"] == 4 and t.loc["合计", "not_assessable"] == 4
    assert t.loc["约束性", "total"] == 14 and t.loc["约束性", "met"] == 12
    gone = r[r["indicator_id"] == "own_brand_firms_gdp_share"].iloc[0]
    assert gone["status"] == "not_assessable" and "不再统计" in gone["reason"]
    assert r[r["indicator_id"] == "exporters_with_overseas_ip_share"].iloc[0]["status"] == "not_met"


def test_review_tongzhou_has_no_targets(data: PlanData) -> None:
    r = review(data, "tongzhou")
    assert len(r) == 17 and (r["status"] == "not_assessable").all()
    assert r["reason"].str.contains("no target").all()


def test_cli_unknown_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--region", "mars"]) == 1
    err = capsys.readouterr().err
    assert "unknown region 'mars'; valid values: china, jiangsu, suzhou, tongzhou, wujiang" in err
    assert main(["compare", "--indicator", "nope"]) == 1
    assert "unknown indicator 'nope'" in capsys.readouterr().err
    assert main(["project", "--region", "suzhou", "--target-year", "2019"]) == 1
    assert "before the baseline" in capsys.readouterr().err


@pytest.mark.parametrize("region", REGIONS)
def test_cli_project_csv(region: str, capsys: pytest.CaptureFixture[str], data: PlanData) -> None:
    assert main(["project", "--region", region, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    plan = default_plan(data, region)
    assert len(lines) - 1 == ((data.targets["region_id"] == region) & (data.targets["plan"] == plan)).sum()


def test_cli_data_option(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--region", "suzhou", "--data", str(data_copy)]) == 0
    assert "完成" in capsys.readouterr().out


def test_export_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "plantrack.xlsx"
    assert main(["export", "--xlsx", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目标", "跨级比较", "不可比指标", "十三五回顾", "预测"]
    headers = [c.value for c in wb["预测"][1]]
    assert "判断" in headers and "所需增速" in headers
    assert wb["目标"].max_row == 156


def test_cagr_reference_values() -> None:
    assert math.isclose(cagr(100, 200, 5), 2**0.2 - 1)
    assert cagr(0, 10, 5) is None and cagr(10, -1, 5) is None and cagr(10, 20, 0) is None
