"""Parse values as written in the plans: ``2-3``, ``>90``, ``超1200家``, ``22.9（2018年）``, ``未统计``.

A plan cell is kept as text and also parsed into a :class:`ParsedValue`, so that a
range stays a range, a lower bound stays a lower bound and a missing value stays
missing (with the reason written in the document), instead of being coerced to a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

#: Kinds a written value can take.
KINDS = ("point", "lower_bound", "upper_bound", "range", "qualitative", "missing")

#: Words the documents use for a value that does not exist, and what they mean.
MISSING_WORDS = {
    "未统计": "not counted (未统计)",
    "未开展": "activity not yet started (未开展)",
    "国家不再统计": "no longer counted nationally (国家不再统计)",
    "不再统计": "no longer counted (不再统计)",
}

_NUM = r"[0-9]+(?:\.[0-9]+)?"  # ASCII digits only: Python's \d and float() also take ٨٠, ８０ and 8_0
_YEAR_NOTE = re.compile(r"[（(]\s*((?:19|20)[0-9]{2})\s*年?\s*[）)]")
_RANGE = re.compile(rf"^({_NUM})\s*[-–—~～至到]\s*({_NUM})")
_LOWER_PREFIX = ("≥", ">=", ">", "＞", "超过", "超", "不低于", "不少于", "大于", "高于")
_UPPER_PREFIX = ("≤", "<=", "<", "＜", "不超过", "不高于", "低于", "小于")
_LOWER_SUFFIX = ("以上", "余", "多", "+")
_UPPER_SUFFIX = ("以下", "以内")
_APPROX_PREFIX = ("近", "约", "将近")
_UNIT_TAIL = re.compile(r"(万|亿)?(件|家|个|人次|人|项|次|笔|元|分|%|％|单|名)?$")


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_POINT = re.compile(r"(?<=[0-9０-９])．(?=[0-9０-９])")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits (０-９, and ``．`` between them) written as ASCII ones.

    The one rule for full-width digits, wherever a number is read (numeric columns, written
    values, quotes, the entry form): they are the same digits. Any other non-ASCII digit
    is not a digit to plantrack.
    """
    return _FULLWIDTH_POINT.sub(".", text).translate(_FULLWIDTH)


def parse_number(text: str) -> float | None:
    """A finite number written with digits 0-9 (full-width ones read as such), or None.

    Stricter than ``float()``, which also accepts ``8_0``, ``٨٠``, ``inf`` and ``nan``.
    """
    t = ascii_digits(text.strip())
    if not _PLAIN_NUMBER.fullmatch(t):
        return None
    v = float(t)
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class ParsedValue:
    """A written value in parsed form.

    ``low``/``high`` are in the unit as written; a point has ``low == high``; a lower
    bound has only ``low``; ``year`` is set when the text names the year it refers to.
    ``approximate`` marks 近/约 values. ``reason`` explains a missing value.
    """

    kind: str
    low: float | None = None
    high: float | None = None
    year: int | None = None
    approximate: bool = False
    strict: bool = False
    reason: str = ""

    @property
    def threshold(self) -> float | None:
        """The number a verdict compares against: the point, or the lower end of a range/bound."""
        return self.low if self.low is not None else self.high


def _strip_units(text: str) -> str:
    return _UNIT_TAIL.sub("", text).strip()


def parse_value_text(text: str) -> ParsedValue:
    """Parse one written value. Never raises: unknown wording becomes ``qualitative``."""
    raw = ascii_digits((text or "").strip())
    if not raw:
        return ParsedValue("missing", reason="not stated in the source")
    for word, reason in MISSING_WORDS.items():
        if raw == word:
            return ParsedValue("missing", reason=reason)
    year = None
    m = _YEAR_NOTE.search(raw)
    if m:
        year = int(m.group(1))
        raw = (raw[: m.start()] + raw[m.end() :]).strip()
    body = re.sub(r"[（(][^）)]*[）)]", "", raw).strip()  # drop notes such as （示范单位）
    body = body.replace(",", "").replace("，", "")
    if not re.search(r"[0-9]", body):
        return ParsedValue("qualitative", year=year)

    approx = False
    for p in _APPROX_PREFIX:
        if body.startswith(p):
            body, approx = body[len(p) :].strip(), True
    for p in _LOWER_PREFIX:
        if body.startswith(p):
            num = _first_number(body[len(p) :])
            strict = p not in ("≥", ">=", "不低于", "不少于")
            return ParsedValue("lower_bound", low=num, year=year, strict=strict)
    for p in _UPPER_PREFIX:
        if body.startswith(p):
            num = _first_number(body[len(p) :])
            strict = p not in ("≤", "<=", "不超过", "不高于")
            return ParsedValue("upper_bound", high=num, year=year, strict=strict)
    rm = _RANGE.match(body)
    if rm:
        lo, hi = float(rm.group(1)), float(rm.group(2))
        return ParsedValue("range", low=lo, high=hi, year=year)
    num_m = re.match(rf"^({_NUM})(.*)$", body)
    if not num_m:
        return ParsedValue("qualitative", year=year)
    num, tail = float(num_m.group(1)), num_m.group(2).strip()
    tail_wo_unit = tail
    for s in _LOWER_SUFFIX:
        if tail_wo_unit.endswith(s) or tail_wo_unit.startswith(s):
            return ParsedValue("lower_bound", low=num, year=year, strict=s in ("余", "多"))
    for s in _UPPER_SUFFIX:
        if tail_wo_unit.endswith(s):
            return ParsedValue("upper_bound", high=num, year=year)
    if _strip_units(tail) not in ("", "万", "亿"):
        return ParsedValue("qualitative", year=year)
    return ParsedValue("point", low=num, high=num, year=year, approximate=approx)


def _first_number(text: str) -> float | None:
    m = re.search(_NUM, text)
    return float(m.group(0)) if m else None


def numbers_in(text: str) -> set[float]:
    """All decimal numbers written in ``text`` (used by the provenance check)."""
    cleaned = re.sub(r"(?<=[0-9])[,，](?=[0-9]{3})", "", ascii_digits(text or ""))
    return {float(x) for x in re.findall(_NUM, cleaned)}


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+[万亿]?)?")
#: measure words after which a single Chinese numeral counts as a number (八家, 三倍); alone, 一 is mostly a word
_CN_MEASURE = "家个件项名人次位所座条种台套批部元倍篇本户支"
_SCALED = re.compile(rf"({_NUM})\s*([万亿])")


def _cn_integer(run: str) -> int:
    """``二十六`` → 26, ``一千二百`` → 1200, ``三亿五千万`` → 350000000, ``二〇二五`` → 2025."""
    if len(run) > 1 and all(ch in _CN_DIGIT for ch in run):  # digit by digit, as years are written
        return int("".join(str(_CN_DIGIT[ch]) for ch in run))
    total = section = number = 0
    for ch in run:
        if ch in _CN_DIGIT:
            number = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (number or 1) * _CN_SMALL[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * _CN_BIG[ch]
            section = number = 0
        else:  # 亿 scales everything before it (一万亿 is 10^12)
            total = (total + section + number) * _CN_BIG[ch]
            section = number = 0
    return total + section + number


def chinese_numbers(text: str) -> set[float]:
    """Numbers written in Chinese numerals (``二十六亿``: 26 and 2.6e9, ``八家``: 8) or scaled (``1.2万``: 12000).

    A number followed by 万 or 亿 is also found at that scale, so either way of writing the
    value (26 in 亿元, or 2600000000 in 元) matches. A single numeral counts only before a
    measure word (八家, 三倍): 一 in 统一 or 进一步 is no number.
    """
    found: set[float] = set()
    for m in _CN_RUN.finditer(text or ""):
        run = m.group(0)
        after = text[m.end() : m.end() + 1]
        if len(run) == 1 and (not after or after not in _CN_MEASURE):  # 统一, 十分, 三分之一
            continue
        whole, _, rest = run.partition("点")
        scale = 1
        if rest and rest[-1] in _CN_BIG:
            scale, rest = _CN_BIG[rest[-1]], rest[:-1]
        elif not rest and whole[-1] in _CN_BIG and len(whole) > 1 and not set(whole[:-1]) & set(_CN_BIG):
            found.add(float(_cn_integer(whole[:-1])))  # 二十六亿: 26 (in 亿) as well as 2600000000
        if not whole.strip("万亿"):
            continue
        value = float(_cn_integer(whole))
        if rest:
            value += float("0." + "".join(str(_CN_DIGIT[ch]) for ch in rest))
        found.add(value * scale)
        if scale > 1:
            found.add(value)
    for m in _SCALED.finditer(re.sub(r"(?<=[0-9])[,，](?=[0-9]{3})", "", ascii_digits(text or ""))):
        found.add(float(m.group(1)) * _CN_BIG[m.group(2)])
    return found


_MINUS = re.compile(r"(?:(?<![0-9A-Za-z])[-−－]|负)\s*")


def negative_numbers(text: str) -> set[float]:
    """Numbers written with a minus sign or 负 before them (``-26亿元``, ``负二十六``), as negative numbers.

    A dash between two numbers (``2021-2025``) is a range, not a sign.
    """
    plain = re.sub(r"(?<=[0-9])[,，](?=[0-9]{3})", "", ascii_digits(text or ""))
    found: set[float] = set()
    for m in _MINUS.finditer(plain):
        tail = plain[m.end() : m.end() + 40]
        digits = re.match(rf"{_NUM}\s*[万亿]?", tail)
        if digits:
            found |= {-v for v in numbers_in(digits.group(0)) | chinese_numbers(digits.group(0))}
        elif run := _CN_RUN.match(tail):
            found |= {-v for v in chinese_numbers(tail[: run.end() + 1])}
    return found


def present(v: object) -> bool:
    """True for a value: not None, NaN (of any type), pandas' NA or empty text — the one "is there a value" test."""
    return v is not None and v is not pd.NA and v == v and not (isinstance(v, str) and v == "")


def optional_float(v: object) -> float | None:
    """A present cell as a float, an empty one as ``None``."""
    return float(v) if present(v) else None  # type: ignore[arg-type]


def same_number(a: float | None, b: float | None, rel: float = 1e-9) -> bool:
    """Equal within rounding, or both missing."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def plain_number(v: float | None) -> str:
    """A number as a problem message shows it (``1e+06`` for big ones is fine there); empty for ``None``."""
    if v is None:
        return ""
    return f"{v:g}"


#: How a derived observation follows from the figure it is derived from, per reading of "增长N倍".
def derive(phrase: str, anchor: float, number: float, times_reading: str = "increase") -> float:
    """Value at the earlier point implied by ``anchor`` and a growth phrase.

    ``times_reading`` decides "增长(了)N倍": ``increase`` (standard statistical usage: grew by
    N×100 %, so ×(1+N)) or ``multiple`` (read as ×N).
    """
    if phrase == "times_increase":
        return anchor / (1 + number) if times_reading == "increase" else anchor / number
    if phrase == "ratio":
        return anchor / number
    if phrase == "percent_increase":
        return anchor / (1 + number / 100)
    if phrase == "pp_increase":
        return anchor - number
    raise ValueError(f"unknown growth phrase {phrase!r}")
