"""The numbers a quote writes, each with the unit beside it, and whether a row's value and unit agree with one.

A value agrees with its quote when the quote writes the same amount: the same number with no unit
beside it (a table cell "58"), or a number and a unit that come to the same amount in the
indicator's unit (5.39万件 for 53 900 件 or for 5.39 with 万件). A number written as a year (2025年),
a month or a day is never the value; ``12,3456`` is 12 and 3456, not 123 456; ``1e5`` is not a number
of the quote at all. The unit table (:mod:`.units`) resolves scale prefixes and counters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from .units import COUNTERS, SCALES, UNIT_FACTORS, normalise_unit
from .values import ascii_digits, decimal_text

#: a number as a quote writes it: ASCII thousands separators only in groups of three; not part of a word (1e5, 5G)
_NUMBER = re.compile(r"(?<![0-9A-Za-z.])((?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]))|[0-9]+)(\.[0-9]+)?(?![0-9A-Za-z])")
_CALENDAR = re.compile(r"\s*(年|月|日|号)")
_WRITTEN_UNITS = sorted(
    {u for u in UNIT_FACTORS if u} | {s + u for s in SCALES for u in UNIT_FACTORS if u} | set(SCALES),
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class QuotedNumber:
    """One number of a quote: its value, the unit written right after it ('' none), and whether it is a date."""

    number: float
    unit: str
    written: str
    calendar: bool = False

    def amount(self, base_of: str) -> tuple[str, float] | None:
        """The number in normalised units, (unit, amount); a bare scale (40.25万) takes ``base_of``'s base unit."""
        if self.unit in SCALES:
            base = _base(base_of)
            norm = normalise_unit(base) if base is not None else None
            return (norm[0], self.number * SCALES[self.unit] * norm[1]) if norm else None
        norm = normalise_unit(self.unit)
        return (norm[0], self.number * norm[1]) if norm else None


def _base(unit: str) -> str | None:
    """``unit`` without its scale prefix (万件 → 件), or None when it has none."""
    for scale in sorted(SCALES, key=len, reverse=True):
        rest = unit[len(scale) :]
        if unit.startswith(scale) and rest in UNIT_FACTORS and rest:
            return rest
    return unit if unit in UNIT_FACTORS and unit else None


def quoted_numbers(quote: str) -> list[QuotedNumber]:
    """Every number of ``quote`` with the unit written right after it (full-width digits read as digits)."""
    text = ascii_digits(quote or "")
    out = []
    for m in _NUMBER.finditer(text):
        number = float((m.group(1) + (m.group(2) or "")).replace(",", ""))
        rest = text[m.end() :]
        cal = _CALENDAR.match(rest)
        if cal:
            out.append(QuotedNumber(number, cal.group(1), m.group(0) + cal.group(1), True))
            continue
        stripped = rest.lstrip()
        unit = next((u for u in _WRITTEN_UNITS if stripped.startswith(u) and _ends_word(stripped, u)), "")
        gap = rest[: len(rest) - len(stripped)] if unit else ""
        out.append(QuotedNumber(number, unit, m.group(0) + gap + unit))
    return out


def _ends_word(text: str, unit: str) -> bool:
    """An English unit must end a word (pieces, not piecemeal); a Chinese one is one character or more."""
    if not unit[-1].isascii() or not unit[-1].isalpha():
        return True
    nxt = text[len(unit) : len(unit) + 1]
    return not (nxt.isascii() and nxt.isalpha())


@dataclass(frozen=True)
class QuoteMismatch:
    """Why a value and its unit do not agree with the quote, and what to write instead.

    ``code``: ``unit`` (the quote writes the number with another unit: ``write_unit`` or ``write_value``),
    ``counter`` (the quote counts in a counter the indicator's plan does not write), ``year``
    (the value is only a year, month or day of the quote), ``missing`` (the quote does not write it).
    """

    code: str
    quoted: str = ""
    write_unit: str = ""
    write_value: str = ""


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def quote_mismatch(
    value: float, unit: str, quote: str, units: Collection[str] = (), counters: Collection[str] = ()
) -> QuoteMismatch | None:
    """``None`` when the quote writes ``value`` in ``unit`` (or the same amount in another unit), else why not.

    ``units`` are the units the indicator may be written in (to suggest one); ``counters`` the
    counters its plan writes (个 for 家 is the same amount only then).
    """
    own = normalise_unit(unit)
    numbers = quoted_numbers(quote)
    if own is None:  # an unknown unit has its own message; only the bare number can be checked
        return None if any(_close(q.number, value) for q in numbers if not q.calendar) else QuoteMismatch("missing")
    amount = value * own[1]
    for q in numbers:
        if q.calendar:
            continue
        if not q.unit:
            if _close(q.number, value):
                return None
            continue
        theirs = q.amount(unit)
        if theirs is None:
            if _close(q.number, value):
                return None
            continue
        same_kind = theirs[0] == own[0] or unit == "" or (
            {theirs[0], own[0]} <= COUNTERS and theirs[0] in counters
        )
        if same_kind and _close(theirs[1], amount):
            return None
    same = [q for q in numbers if not q.calendar and _close(q.number, value)]
    if same:
        q = same[0]
        theirs = q.amount(unit)
        if theirs is not None and {theirs[0], own[0]} <= COUNTERS and theirs[0] != own[0]:
            return QuoteMismatch("counter", q.written, write_unit=q.unit)
        if q.unit in units:
            return QuoteMismatch("unit", q.written, write_unit=q.unit)
        if theirs is not None and theirs[0] == own[0]:
            return QuoteMismatch("unit", q.written, write_value=decimal_text(theirs[1] / own[1]))
        return QuoteMismatch("unit", q.written)
    dates = [q for q in numbers if q.calendar and _close(q.number, value)]
    if dates:
        return QuoteMismatch("year", dates[0].written)
    return QuoteMismatch("missing")
