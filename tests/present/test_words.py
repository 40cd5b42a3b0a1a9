"""The words catalogues: same keys and placeholders in both languages, an entry for every code of the analysis."""

from __future__ import annotations

import string

import pytest

from plantrack.analysis.methods import codes
from plantrack.analysis.projection import GROUPS
from plantrack.analysis.review import STATUSES
from plantrack.analysis.verdict import CATEGORIES
from plantrack.data.params import ParameterError
from plantrack.data.units import UNIT_FACTORS
from plantrack.data.vocabulary import ATTRIBUTES, MEASURES, PROXY_KINDS, READINGS, TIERS
from plantrack.present.words import ATTRIBUTES as ATTRIBUTE_CODES
from plantrack.present.words import CATALOGUE, catalogue, check_lang, languages, numeral, words

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
    first, *others = languages()
    for other in others:
        a, b = catalogue(first), catalogue(other)
        assert sorted(set(a) - set(b)) == [], f"{other}.toml lacks keys of {first}.toml"
        assert sorted(set(b) - set(a)) == [], f"{first}.toml lacks keys of {other}.toml"
        different = [k for k in a if _fields(a[k]) != _fields(b[k])]
        assert different == [], f"placeholders differ between {first}.toml and {other}.toml"


def test_languages_are_the_catalogue_files() -> None:
    """A language is a catalogue file: the default (``language.order`` 1) first; an unknown one is refused."""
    assert set(languages()) == {p.stem for p in CATALOGUE.glob("*.toml")}
    assert languages()[0] == "zh" and "en" in languages()
    assert [int(catalogue(lang)["language.order"]) for lang in languages()] == sorted(
        int(catalogue(lang)["language.order"]) for lang in languages()
    )
    assert check_lang("en") == "en"
    with pytest.raises(ParameterError, match=r"unknown lang 'fr'; valid values: zh, en"):
        check_lang("fr")
    with pytest.raises(ValueError, match="fr"):
        catalogue("fr")


def test_a_rows_name_in_each_language() -> None:
    """One helper picks a row's name: the catalogue name, or a target's indicator as its plan writes it."""
    indicator = {"name_zh": "每万人口高价值发明专利拥有量", "name_en": "High-value invention patents per 10 000 people"}
    target = {**indicator, "name_as_written": "每万人口高价值发明专利拥有量（件）"}
    assert words("zh").name(indicator) == indicator["name_zh"]
    assert words("en").name(indicator) == indicator["name_en"]
    assert words("zh").name(target, as_written=True) == target["name_as_written"]
    assert words("en").name(target, as_written=True) == target["name_en"]
    assert words("zh").field({"note_zh": "说明", "note": "note"}, "note") == "说明"
    assert words("en").field({"note_zh": "说明", "note": "note"}, "note") == "note"
    assert words("zh").as_written and not words("en").as_written


def test_no_language_is_named_in_the_code() -> None:
    """Languages are data: no LANGS list and no ``if zh`` / ``lang == "zh"`` branch in the package."""
    import re
    from pathlib import Path

    import plantrack

    branch = re.compile(r"""\bLANGS\b|lang\s*[!=]=\s*["'](zh|en)["']|\bif zh\b|\w\.zh\b(?!\.html)|else zh\b""")
    found = []
    for path in Path(plantrack.__file__).parent.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if branch.search(line):
                found.append(f"{path.name}:{n}: {line.strip()}")
    assert found == []


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
    for lang in languages():
        entries = catalogue(lang)
        missing = [c for c in codes if f"{section}.{c}" not in entries]
        assert missing == [], f"{lang}.toml [{section}] lacks {missing}"


def test_attributes_as_written_map_to_codes() -> None:
    assert set(ATTRIBUTE_CODES) == set(ATTRIBUTES)
    assert words("en").attribute("约束性") == "binding" and words("en").attribute("预期性") == "indicative"
    assert words("zh").attribute("约束性") == "约束性" and words("zh").attribute(None) == "—"


def test_english_units_are_words() -> None:
    w = words("en")
    # counts carry no unit word in English (the indicator's name says what is counted: no "pieces", "bodies")
    assert (w.unit("件"), w.unit("家"), w.unit("个"), w.unit("人")) == ("", "", "", "persons")
    assert w.unit("亿元") == "CNY 100 million" and w.amount(145, "亿元") == "CNY 14.5 bn"
    assert w.amount(1, "家") == "1" and w.amount(20000, "件") == "20,000" and w.amount(85, "%") == "85%"


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
    assert words("zh").period(2016, 2020.0) == "2016—2020" and words("en").period(2016, 2020) == "2016-2020"
    assert words("en").period(None, 2020) == "2020" == words("zh").period(2020, 2020)


def test_unknown_key_names_the_catalogue() -> None:
    with pytest.raises(KeyError, match=r"catalogue/en\.toml"):
        words("en")("verdict.nothing")


def test_benchmark_growth_is_not_called_the_parents() -> None:
    """The benchmark's growth comes from the nearest higher-level region with data, the nation included."""
    en = words("en")
    assert "parent" not in en.evidence("benchmark") and "higher-level" in en.evidence("benchmark")
    assert "nation" in en("evidence_meaning.benchmark")


@pytest.fixture
def catalogues_with_a_third_language(tmp_path, monkeypatch):
    """A copy of the catalogue folder with ``fr.toml`` added: English words, its own [language] settings."""
    import shutil

    from plantrack.present import words as words_module

    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, folder)
    text = (folder / "en.toml").read_text(encoding="utf-8")
    text = text.replace("order = 2 ", "order = 3 ").replace('html = "en"', 'html = "fr"')
    (folder / "fr.toml").write_text(text, encoding="utf-8")
    caches = (words_module.languages, words_module.catalogue, words_module.words)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(words_module, "CATALOGUE", folder)
    yield folder
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_a_language_is_one_more_catalogue_file(catalogues_with_a_third_language) -> None:
    """Adding a file adds a language: listed in its order, accepted, its words and settings used."""
    from plantrack.app.index import index_name
    from plantrack.present.page import page

    assert languages() == ("zh", "en", "fr")
    assert check_lang("fr") == "fr"
    assert words("fr").heading(3, "Distance") == "3. Distance" and not words("fr").as_written
    assert '<html lang="fr">' in page("<p>x</p>", "t", "fr")
    assert index_name("fr") == "index.fr.html" and index_name("zh") == "index.html"
    (catalogues_with_a_third_language / "fr.toml").write_text('[language]\norder = 3\n', encoding="utf-8")
    catalogue.cache_clear()
    with pytest.raises(AssertionError):
        test_both_catalogues_have_the_same_keys_and_placeholders()  # a catalogue lacking keys fails the suite
