"""The evidence-method registry: one entry declares a method; grades, weak sets and words follow from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plantrack import load
from plantrack.analysis import methods
from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.projection import project_region
from plantrack.present.words import catalogue, words
from tests.fixture import build

SRC = Path(__file__).resolve().parents[2] / "src" / "plantrack"


ONE_POINT = ["city", "share_c", "2024", "", "6", "%", "exact", "", "", "", "stated", "", "", "", "", "doc", "一",
             "2024年丙比重6%", ""]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    """The fixture with one value of the city's share: a latest value and no growth anywhere."""
    return load(build(tmp_path_factory.mktemp("fixture"), {"observations.csv": [ONE_POINT]}))


def _sibling_series(q: methods.Query) -> methods.Evidence | None:
    """A made-up method: a flat 10 % a year for the fixture's share indicator (which has one point, no growth)."""
    if q.indicator != "share_c":
        return None
    return methods.Evidence("sibling", 0.1, 0.1, "year", q.region, q.indicator, 2020, 6.0, 2024, 8.0, 2)


def test_a_new_method_is_one_registry_entry_and_its_words(data, monkeypatch: pytest.MonkeyPatch) -> None:
    before = project_region(data, "city", "p14", assumptions=Assumptions(as_of=2025)).set_index("indicator_id")
    assert before.loc["share_c", "evidence"] == "benchmark"
    monkeypatch.setattr(methods, "REGISTRY", methods.REGISTRY)
    methods.register(methods.Method("sibling", True, ("level",), "a sibling series", _sibling_series), "proxy")
    for lang in ("zh", "en"):  # its words: one entry per catalogue
        monkeypatch.setitem(catalogue(lang), "evidence.sibling", "兄弟序列" if lang == "zh" else "sibling series")
        monkeypatch.setitem(catalogue(lang), "evidence_meaning.sibling", "测试" if lang == "zh" else "a test")
    data.refresh()  # projections are kept with the lookup index: a new registry asks again
    after = project_region(data, "city", "p14", assumptions=Assumptions(as_of=2025)).set_index("indicator_id")
    row = after.loc["share_c"]
    assert row["evidence"] == "sibling" and bool(row["weak"]) and row["outcome"] == "projected"
    assert "sibling" in methods.grades() and methods.is_weak("sibling")
    assert (after.drop(index="share_c")["evidence"] == before.drop(index="share_c")["evidence"]).all()
    assert words("en").evidence("sibling", methods.is_weak("sibling")).startswith("sibling series")


def test_every_method_has_words_in_every_catalogue() -> None:
    for lang in ("zh", "en"):
        cat = catalogue(lang)
        missing = [c for c in methods.codes() if f"evidence.{c}" not in cat or f"evidence_meaning.{c}" not in cat]
        assert missing == [], (lang, missing)


def test_no_module_outside_the_registry_names_an_evidence_code() -> None:
    codes = [c for c in methods.codes() if c not in ("actual", "none", "custom")]
    pattern = re.compile("[\"']({})[\"']".format("|".join(codes)))
    found = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if p != SRC / "analysis" / "methods.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_a_target_is_parsed_once_in_the_data_layer() -> None:
    """Strictness, bounds and normalised values are columns: no value parser or unit factor on a target above data/."""
    calls = re.compile(r"\b(parse_value_text|factor)\(")
    found = [
        f"{p.relative_to(SRC)}:{n}"
        for layer in ("analysis", "present", "app")
        for p in (SRC / layer).rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if calls.search(line) and "def " not in line
    ]
    assert found == []


def test_strict_and_inclusive_bounds_are_columns(data) -> None:
    t = data.targets.set_index(["region_id", "plan", "indicator_id"])
    assert {"target_strict", "target_threshold", "target_threshold_norm"} <= set(t.columns)
    assert not t["target_strict"].any()  # the fixture's targets are points and a qualitative one
