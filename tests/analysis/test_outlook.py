"""The outlook to 2030 (latest actual, last period's growth, value reached with a band, drafts against past growth)
and the final review of a finished plan from the actuals held: on the made-up fixture, invariants on the bundled data.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.outlook import BAND_FROM, REASONS, outlook
from plantrack.analysis.review import REASONS as REVIEW_REASONS
from plantrack.analysis.review import RESULT_ONLY, STATUSES, has_completion, review, review_plan, tally
from plantrack.analysis.verdict import categorise
from plantrack.app.cli import main
from plantrack.data.params import ParameterError
from plantrack.data.tables import PlanData, load
from plantrack.present.words import catalogue
from tests.fixture import build

AS_OF = Assumptions(as_of=2026)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    return load(build(tmp_path_factory.mktemp("outlook")))


def test_outlook_row_per_indicator_with_data_and_a_band(fixture: PlanData) -> None:
    table = outlook(fixture, "city", 2030, assumptions=AS_OF).set_index("indicator_id")
    assert table["latest_value"].notna().all()  # indicators without data are left out
    assert "score_e" not in table.index and "share_c" not in table.index
    stock = table.loc["stock_a"]  # 10 (2015) → 20 (2020): no two points inside 2020-2025, so all points
    rate = (20 / 10) ** (1 / 5) - 1
    assert math.isclose(stock["observed_growth"], rate) and stock["evidence"] == "own_2"
    assert math.isclose(stock["outlook_central"], 20 * (1 + rate) ** 10)
    assert stock["outlook_low"] <= stock["outlook_central"] <= stock["outlook_high"]
    assert math.isclose(stock["outlook_low"], min(20 * (1 + rate * 0.5) ** 10, 20 * (1 + 0.1 * 10)))
    assert stock["band_from"] == "scenarios" and set(table["band_from"].dropna()) <= set(BAND_FROM)
    total = table.loc["total_d"]  # a period total with no growth anywhere: no outlook (the total repeated is a null)
    assert total["growth_per"] == "period" and total["latest_value"] == 400
    assert total["outlook_central"] != total["outlook_central"] and total["reason"] == "no_growth"


def test_draft_target_against_past_parent_and_national_growth(fixture: PlanData) -> None:
    table = outlook(fixture, "city", 2030, {"stock_a": 40, "stock_b": 60}, AS_OF).set_index("indicator_id")
    stock = table.loc["stock_a"]
    required = (40 / 20) ** (1 / 10) - 1
    assert math.isclose(stock["required_growth"], required)
    assert math.isclose(stock["R"], stock["observed_growth"] / required) and stock["verdict"] == categorise(stock["R"])
    assert stock["parent_growth"] is None or stock["parent_growth"] != stock["parent_growth"]  # the province: none
    assert math.isclose(stock["national_growth"], (15 / 6) ** (1 / 5) - 1)  # the nation: 6 (2020) → 15 (2025)
    assert table.loc["stock_b", "reason"] == "draft_met"  # 100 held already reaches 60


def test_outlook_checks_its_parameters(fixture: PlanData) -> None:
    with pytest.raises(ParameterError):
        outlook(fixture, "city", 2030, {"no_such_indicator": 1.0}, AS_OF)
    with pytest.raises(ParameterError):
        outlook(fixture, "city", 2019, assumptions=AS_OF)


def test_outlook_and_review_commands_on_the_fixture(fixture: PlanData, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(fixture.data_dir)
    for lang in ("en", "zh"):
        argv = ["outlook", "--region", "city", "--target", "stock_a=40", "--as-of", "2026", "--data", folder]
        assert main([*argv, "--lang", lang]) == 0
        out = capsys.readouterr().out
        assert "stock_a" in out and not re.search(r"\de[+-]\d", out) and "own_2" not in out  # codes in words
        assert catalogue(lang)["band_from.scenarios"] in out
    assert main(["outlook", "--region", "city", "--target", "stock_a", "--data", folder]) == 1


def test_review_from_actuals_held(fixture: PlanData) -> None:
    assert review_plan(fixture, "land", 2026) == "p14"  # ended, its 2025 actuals held
    assert review_plan(fixture, "land", 2025) is None  # not yet ended
    assert review_plan(fixture, "city", 2026) == "p13"  # p14 has no outcome yet: the plan with completions
    land = review(fixture, "land", "p14", 2026).set_index("indicator_id")
    assert land.loc["stock_a", "status"] == "met" and math.isclose(land.loc["stock_a", "margin"], (15 - 12) / 12)
    assert land.loc["share_c", "status"] == "not_met" and land.loc["share_c", "margin"] < 0
    assert set(land["outcome_from"]) == {"observations"}
    city = review(fixture, "city", "p14", 2026).set_index("indicator_id")
    assert city.loc["stock_a", "status"] == "pending" and city.loc["stock_a", "projection_central"] > 20
    assert city.loc["score_e", "reason"] == "qualitative"
    assert "pending" in tally(review(fixture, "city", "p14", 2026)).columns
    completions = review(fixture, "city", "p13", 2026)
    assert "pending" not in tally(completions).columns and set(completions["outcome_from"].dropna()) == {"completion"}


def test_review_and_outlook_words_in_both_catalogues() -> None:
    for lang in ("zh", "en"):
        entries = catalogue(lang)
        for section, codes in (("review_status", STATUSES), ("review_reason", REVIEW_REASONS),
                               ("outlook_reason", REASONS), ("band_from", BAND_FROM)):
            assert all(f"{section}.{c}" in entries for c in codes), (lang, section)


def test_bundled_review_of_finished_plans(data: PlanData) -> None:
    """Invariants: a reviewed plan has ended and holds completions or a final outcome; met/missed agree with margins."""
    for region in data.lookup.region_plans:
        plan = review_plan(data, region, 2026)
        if plan is None:
            continue
        assert int(data.lookup.plans[plan]["end_year"]) < 2026
        table = review(data, region, plan, 2026)
        completions = any(has_completion(r) for r in data.lookup.plan_targets[(region, plan)])
        assert set(table["status"]) <= {*STATUSES, RESULT_ONLY}  # results without a target listed apart
        assert completions or table["status"].isin(["met", "not_met"]).any()
        judged = table[table["margin"].notna()]
        assert ((judged["status"] == "met") == (judged["margin"] >= -1e-9)).all()
    assert review_plan(data, "china", 2026) == "ip_plan_14th"


def test_bundled_outlook_has_a_band_for_every_projection(data: PlanData) -> None:
    table = outlook(data, "suzhou", 2030, {"hv_invention_patents_per_10k": 50}, AS_OF)
    assert len(table) and table["latest_value"].notna().all()
    projected = table[table["outlook_central"].notna()]
    assert ((projected["outlook_low"] <= projected["outlook_central"] + 1e-9)
            & (projected["outlook_central"] <= projected["outlook_high"] + 1e-9)).all()
    hv = table.set_index("indicator_id").loc["hv_invention_patents_per_10k"]
    assert hv["required_growth"] > 0 and hv["observed_growth"] == hv["observed_growth"]


def test_review_command_for_the_national_14th_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["review", "--region", "china", "--plan", "ip_plan_14th", "--as-of", "2026", "--lang", "en"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "High-value invention patents per 10 000 people" in out and catalogue("en")["review_status.met"] in out


def test_china_report_reviews_the_national_14th_plan_from_actuals(data: PlanData) -> None:
    from markupsafe import escape

    from plantrack.present.context import context
    from plantrack.present.sections.review import review_section

    for lang in ("zh", "en"):
        ctx = context("china", lang, data=data, as_of=2026)
        assert ctx.reviewed_plan == "ip_plan_14th"
        html = str(review_section(ctx))
        assert catalogue(lang)["review_status.met"] in html
        assert str(escape(catalogue(lang)["review.source"].split("{")[0])) in html  # where the outcomes come from


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outlook_chapter_in_both_languages(fixture: PlanData, lang: str) -> None:
    from plantrack.present.context import context
    from plantrack.present.sections.outlook import draft_table, intro_outlook, outlook_table

    ch = context("city", lang, data=fixture, as_of=2026)
    intro = intro_outlook(ch, 2030, {"stock_a": 40})
    name = "甲存量" if lang == "zh" else "Stock A"
    assert name in intro and "own_2" not in intro
    drafts = draft_table(ch, 2030, {"stock_a": 40})
    assert catalogue(lang)["verdict.ahead"] in drafts  # R = 14.9 %/yr past ÷ 7.2 %/yr required > 1
    table = outlook_table(ch, 2030)
    assert catalogue(lang)["band_from.scenarios"] in table and "nan" not in table
