"""Codes of the analysis turned into Chinese or English, from the catalogues in ``catalogue/<lang>.toml``.

One :class:`Words` per language serves the report, the index page, the explorer and the command
line. Keys are dotted (``verdict.on_track``); both catalogues have the same keys and placeholders.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..analysis.verdict import is_ahead
from ..data.params import ParameterError
from ..data.provenance import quote_issues
from ..data.values import present
from . import formats

CATALOGUE = Path(__file__).with_name("catalogue")
#: attribute values as the plans write them → catalogue codes
ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


def _read(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        return _flatten(tomllib.load(f))


@cache
def languages() -> tuple[str, ...]:
    """The languages there are words for: one per catalogue file ``catalogue/<lang>.toml``, the default first.

    Each catalogue's ``language.order`` places it (1: the default language of reports and the index page).
    """
    files = sorted(CATALOGUE.glob("*.toml"))
    return tuple(p.stem for p in sorted(files, key=lambda p: (int(_read(p).get("language.order", "99")), p.stem)))


def check_lang(lang: str) -> str:
    """``lang`` if there is a catalogue for it; a :class:`ParameterError` naming the valid ones otherwise."""
    if lang not in languages():
        raise ParameterError(f"unknown lang {lang!r}; valid values: {', '.join(languages())}")
    return lang


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every entry of one language's catalogue, keyed ``section.code``."""
    return _read(CATALOGUE / f"{check_lang(lang)}.toml")


class Words:
    """The words of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.entries = catalogue(lang)
        #: the plans' own language: names, targets and units are quoted as the documents write them
        self.as_written = self("language.as_written") == "yes"

    def __call__(self, key: str, **values: object) -> str:
        """The catalogue entry ``key`` with ``values`` filled in."""
        try:
            text = self.entries[key]
        except KeyError:
            raise KeyError(f"no entry {key!r} in catalogue/{self.lang}.toml") from None
        return text.format(**values) if values else text

    def name(self, row: Mapping[str, Any], as_written: bool = False) -> str:
        """A row's name in this language: an indicator's, plan's or region's (``name_zh``/``name_en``), or with
        ``as_written`` a target's indicator as its plan writes it (``name_as_written``; the English name in English)."""
        return str(row[self("language.name_as_written" if as_written else "language.name")])

    def field(self, row: Mapping[str, Any], what: str) -> object:
        """A row's text in this language: ``what`` is a key of the catalogue's ``[language]`` (note, rationale)."""
        return row.get(self(f"language.{what}"))

    def code(self, section: str, code: object, default: str = "none") -> str:
        """The entry for a code of ``section`` (``default`` when the code is absent)."""
        c = str(code) if present(code) and str(code) != "" else default
        return self(f"{section}.{c}")

    # ------------------------------------------------------------ labels of codes

    def verdict(self, code: str, r: object = None, progress: object = None, outcome: object = None) -> str:
        """A verdict's label; 快于预期/Ahead for on track with R ≥ 1 (or a projected total at or above the target)."""
        if code == "achieved" and outcome == "projected":
            return self("verdict.achieved_early")
        r_f = float(r) if present(r) else None  # type: ignore[arg-type]
        p_f = float(progress) if present(progress) else None  # type: ignore[arg-type]
        if is_ahead(code, r_f, p_f):
            return self("verdict.ahead")
        return self(f"verdict.{code}")

    def attribute(self, value: object) -> str:
        """约束性/预期性 in the report's language (— when the plan does not say)."""
        return self(f"attribute.{ATTRIBUTES.get(str(value), 'none')}")

    def unit(self, unit: object, name_en: object = None) -> str:
        """A catalogue unit in the report's language (亿元 → CNY 100 million; counts such as 件 and 家: none in English,
        the indicator's name says what is counted). ``name_en`` is accepted for callers that pass it."""
        u = str(unit) if present(unit) else ""
        return self.entries.get(f"unit.{u}", u)

    def amount(self, v: object, unit: object, approximate: bool = False) -> str:
        """A value in a catalogue unit with its unit in words: ``CNY 14.5 bn`` for 145 亿元, ``20,000`` for 件.

        Units with a ``unit_amount`` pattern are scaled by ``unit_scale`` first; others: the number and the unit word.
        """
        if not present(v) or v != v:
            return formats.DASH
        u = str(unit) if present(unit) else ""
        pattern = self.entries.get(f"unit_amount.{u}")
        if pattern is None:
            return formats.with_unit(v, self.unit(u), approximate)
        n = float(v) * float(self.entries.get(f"unit_scale.{u}", "1"))  # type: ignore[arg-type]
        return pattern.format(n=formats.approx(n) if approximate else formats.number(n))

    def evidence(self, code: object, weak: bool = False) -> str:
        """An evidence grade's label, marked when weak."""
        return self.code("evidence", code) + (self("summary.weak_mark") if weak else "")

    def quote_issues(self, value: object) -> str:
        """What is wrong with a quote (``garbled;wording_differs`` → both, joined), or an empty string."""
        return self.join([self.code("quote_issue", c) for c in quote_issues(value)])

    def fragile(self, row: Mapping[str, Any]) -> str:
        """The fragility line (both categories), or an empty string."""
        if not row.get("fragile"):
            return ""
        alt = self.verdict(str(row["verdict_alt"]))
        return self("fragile.line", under=self(f"fragile_under.{row['fragile_under']}"), alt=alt)

    def sayer(self, section: str) -> Callable[..., str]:
        """Words for a lower layer's messages: ``say(key, **values)`` gives the entry ``section.key``.

        A tuple value is listed (``a、b`` / ``a, b``), an empty item as ``section.empty``.
        """

        def say(key: str, **values: object) -> str:
            sep = self("report.list_sep")
            shown = {
                k: sep.join(str(i) or self(f"{section}.empty") for i in v) if isinstance(v, tuple) else v
                for k, v in values.items()
            }
            return self(f"{section}.{key}", **shown)

        return say

    # ------------------------------------------------------------ small phrases

    def join(self, items: Iterable[str], last: str = "and") -> str:
        """``a、b和c`` / ``a, b and c``."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return self("report.list_sep").join(items[:-1]) + self(f"report.{last}") + items[-1]

    def year(self, y: object) -> str:
        """``2025年`` / ``2025``."""
        return self("report.year", year=formats.year(y))

    def years(self, codes: object, last: str = "and") -> str:
        """``2020;2025`` → ``2020年和2025年`` / ``2020 and 2025``."""
        if not present(codes) or codes != codes:
            return ""
        ys = [y for y in str(codes).split(";") if y]
        return self.join([self.year(y) for y in ys], last)

    def span(self, start: object, end: object) -> str:
        """``2016—2020年`` / ``2016-2020``."""
        return self("report.years_span", start=formats.year(start), end=formats.year(end))

    def period(self, start: object, end: object) -> str:
        """Years ``2016—2020`` / ``2016-2020``; one year when ``start`` is absent or the same."""
        if not present(start) or formats.year(start) in (formats.year(end), formats.DASH):
            return formats.year(end)
        return self("report.period", start=formats.year(start), end=formats.year(end))

    def heading(self, n: int, title: str) -> str:
        """A numbered section heading: ``三、距离目标`` / ``3. Distance to target``."""
        chinese = self("language.numerals") == "chinese"
        return self("report.heading", n=numeral(n) if chinese else str(n), title=title)

    def percent_of(self, v: object) -> str:
        """A share of a target (81%)."""
        return formats.percent(v)

    def growth(self, v: object, per: object) -> str:
        """A growth rate with what it is per: ``+9.6%/年`` (a year), ``+37.9%（较上期）`` (over the previous period)."""
        rate = formats.signed_percent(v)
        if rate == formats.DASH:
            return rate
        return self("growth_per.period" if per == "period" else "growth_per.year", rate=rate)


def numeral(n: int) -> str:
    """Chinese numerals for section numbers 1-99."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@cache
def words(lang: str) -> Words:
    """The :class:`Words` of ``lang`` (one per process)."""
    return Words(lang)
