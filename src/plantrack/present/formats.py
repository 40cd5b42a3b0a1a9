"""The one number formatter of every output: report, index page, explorer, command line.

* thousands separators everywhere (``12,345``; a year stays ``2025``);
* values as stated keep up to two decimals (``20.23``, ``68.85``); projections are rounded to
  three significant digits below 1,000 (``50.8``) and to whole numbers above;
* shares and ratios as percentages, growth rates signed and per year or per period;
* a target as the plan writes it, with its unit and 万 kept (``2万件``, ``超过200亿元``).

Absent values (None, NaN, NA) print as ``—``.
"""

from __future__ import annotations

import math
import re

from ..data.units import in_written
from ..data.values import present

DASH = "—"


def _num(v: object) -> float:
    return float(v)  # type: ignore[arg-type]


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(v: object, decimals: int = 2) -> str:
    """A value as stated: thousands separated, up to ``decimals`` decimals without trailing zeros."""
    if not present(v):
        return DASH
    x = float(v)  # type: ignore[arg-type]
    if abs(x) >= 1000:
        return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 or abs(x) >= 10000 else _strip(f"{x:,.1f}")
    text = _strip(f"{x:,.{decimals}f}")
    return "0" if text in ("-0", "") else text


def approx(v: object) -> str:
    """A computed value (projection): three significant digits below 1,000, whole numbers above."""
    if not present(v):
        return DASH
    x = float(v)  # type: ignore[arg-type]
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x == 0:
        return "0"
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return _strip(f"{round(x, digits):,.{digits}f}")


def plain(v: object) -> str:
    """A value for machine-readable output (``--format csv``): no thousands separator, no exponent, empty if absent."""
    if not present(v):
        return ""
    x = float(v)  # type: ignore[arg-type]
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return _strip(f"{x:.10f}")


def year(v: object) -> str:
    """A year as a plain integer (``2025``, never ``2,025``)."""
    if not present(v):
        return DASH
    x = _num(v)
    return DASH if math.isnan(x) else str(int(x))


def percent(v: object, decimals: int = 0) -> str:
    """A share (0.81 → ``81%``)."""
    if not present(v):
        return DASH
    return f"{float(v) * 100:,.{decimals}f}%"  # type: ignore[arg-type]


def signed_percent(v: object) -> str:
    """A change as a signed percentage with one decimal (``+9.6%``, ``−3.0%``)."""
    if not present(v):
        return DASH
    x = float(v) * 100  # type: ignore[arg-type]
    text = f"{abs(x):,.1f}%"
    return ("+" if x >= 0 else "−") + text


def signed_number(v: object, decimals: int = 2) -> str:
    """A change as a signed number with ``decimals`` decimals, one more below 0.1 (``+0.25``, ``+0.020``)."""
    if not present(v):
        return DASH
    x = float(v)  # type: ignore[arg-type]
    decimals += 1 if 0 < abs(x) < 0.1 else 0
    text = f"{abs(x):,.{decimals}f}"
    return ("−" if x < 0 and text.strip("0.,") else "+") + text


def ratio(v: object) -> str:
    """A ratio such as R with two decimals (``1.25``)."""
    return DASH if not present(v) else f"{float(v):,.2f}"  # type: ignore[arg-type]


def _group_digits(match: re.Match[str]) -> str:
    whole, frac = match.group(1), match.group(2) or ""
    return f"{int(whole):,}{frac}" if len(whole) >= 4 else whole + frac


def digits_grouped(text: str) -> str:
    """Numbers inside a written text with thousands separators (``20000件以上`` → ``20,000件以上``)."""
    return re.sub(r"(?<![\d.,])(\d+)(\.\d+)?", _group_digits, text)


def as_written(text: object, unit_as_written: object) -> str:
    """A target or value as the plan writes it, with its unit: ``45`` + 万件 → ``45万件``; ``>90`` + % → ``>90%``.

    The unit is added only where the text ends with its number (``15家以上`` stays as it is).
    """
    if not present(text):
        return DASH
    t = digits_grouped(str(text).strip())
    unit = "" if not present(unit_as_written) else str(unit_as_written)
    return t + unit if unit and re.search(r"\d$", t) else t


def in_written_unit(v: object, unit_as_written: object, unit: object, approximate: bool = False) -> str:
    """A value held in the catalogue unit, shown in the unit the plan writes (430000, 万件 → ``43万件``)."""
    if not present(v):
        return DASH
    written = "" if not present(unit_as_written) else str(unit_as_written)
    shown = in_written(float(v), written)  # type: ignore[arg-type]
    if shown is None:
        written, shown = ("" if not present(unit) else str(unit)), float(v)  # type: ignore[arg-type]
    return (approx(shown) if approximate else number(shown)) + written


def with_unit(v: object, unit_words: str, approximate: bool = False) -> str:
    """A value and an English unit word: ``20,000 pieces``, ``85%``, ``200 (100 million yuan)``."""
    if not present(v):
        return DASH
    return unit_suffix(approx(v) if approximate else number(v), unit_words)


def unit_suffix(text: str, unit_words: str) -> str:
    """Formatted number(s) followed by an English unit word (``2–3 units``, ``85%``)."""
    if not unit_words:
        return text
    if unit_words == "%":
        return text + "%"
    if unit_words[0].isdigit():
        return f"{text} ({unit_words})"
    return f"{text} {unit_words}"
