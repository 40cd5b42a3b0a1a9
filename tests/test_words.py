"""The words catalogues: same keys and placeholders in both languages, an entry for every code of the analysis."""

from __future__ import annotations

import string

import pytest

from plantrack.analysis.methods import codes
from plantrack.analysis.projection import GROUPS
from plantrack.analysis.review import STATUSES
from plantrack.analysis.verdict import CATEGORIES
from plantrack.data.units import UNIT_FACTORS
from plantrack.data.vocabulary import ATTRIBUTES, MEASURES, PROXY_KINDS, READINGS, TIERS
from plantrack.present.words import ATTRIBUTES as ATTRIBUTE_CODES
from plantrack.present.words import catalogue, numeral, words

EVIDENCE = (*codes(),)  # every method of the registry needs its words
REASONS = (
    "no_value",
    "no_growth",
    "nonpositive_value",
    "required_not_positive",
    "proxy_incompatible",
    "proxy_thin",
    "qualitative",
    "no_target",
    "actual_lower_bound",
)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert sorted(zh) == sorted(en)
    different = [k for k in zh if _fields(zh[k]) != _fields(en[k])]
    assert different == []


@pytest.mark.parametrize(
    ("section", "codes"),
    [
        ("verdict", CATEGORIES),
        ("group", tuple(GROUPS)),
        ("group_hint", tuple(GROUPS)),
        ("outcome", ("final", "pending", "projected", "unassessed")),
        ("evidence", EVIDENCE),
        ("evidence_meaning", EVIDENCE),
        ("reason", REASONS),
        ("reason_short", REASONS),
        ("reading", READINGS),
        ("measure", MEASURES),
        ("review_status", STATUSES),
        ("proxy_kind", PROXY_KINDS),
        ("tier", TIERS),
        ("unit", tuple({u for u, _ in UNIT_FACTORS.values()})),
    ],
)
def test_every_code_has_words(section: str, codes: tuple[str, ...]) -> None:
    for lang in ("zh", "en"):
        entries = catalogue(lang)
        missing = [c for c in codes if f"{section}.{c}" not in entries]
        assert missing == [], f"{lang}.toml [{section}] lacks {missing}"


def test_attributes_as_written_map_to_codes() -> None:
    assert set(ATTRIBUTE_CODES) == set(ATTRIBUTES)
    assert words("en").attribute("约束性") == "binding" and words("en").attribute("预期性") == "expected"
    assert words("zh").attribute("约束性") == "约束性" and words("zh").attribute(None) == "—"


def test_english_units_are_words() -> None:
    w = words("en")
    assert (w.unit("件"), w.unit("人"), w.unit("亿元")) == ("pieces", "persons", "100 million yuan")
    assert w.unit("家", "Firms owning IP rights per 10 000 firms") == "firms"
    assert w.unit("家", "Industry IP operation centres") == "bodies"


def test_ahead_when_r_or_progress_reaches_one() -> None:
    zh = words("zh")
    assert zh.verdict("on_track", 1.2) == "快于预期"
    assert zh.verdict("on_track", 0.97) == "符合预期"
    assert zh.verdict("on_track", None, 1.02) == "快于预期"
    assert zh.verdict("achieved", outcome="projected") == "已提前实现"
    assert words("en").verdict("on_track", None, 0.96) == "On track"


def test_years_and_numerals() -> None:
    assert words("zh").years("2020;2025") == "2020年和2025年"
    assert words("en").years("2015;2025", "or") == "2015 or 2025"
    assert words("zh").years(float("nan")) == ""
    assert [numeral(n) for n in (1, 5, 10, 11, 20, 23)] == ["一", "五", "十", "十一", "二十", "二十三"]
    assert words("zh").heading(3, "距离目标") == "三、距离目标"
    assert words("en").heading(3, "Distance") == "3. Distance"


def test_unknown_key_names_the_catalogue() -> None:
    with pytest.raises(KeyError, match=r"catalogue/en\.toml"):
        words("en")("verdict.nothing")


def test_benchmark_growth_is_not_called_the_parents() -> None:
    """The benchmark's growth comes from the nearest higher-level region with data, the nation included."""
    en = words("en")
    assert "parent" not in en.evidence("benchmark") and "higher-level" in en.evidence("benchmark")
    assert "nation" in en("evidence_meaning.benchmark")
