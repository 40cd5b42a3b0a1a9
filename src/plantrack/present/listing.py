"""Text tables of the command line: every number through :mod:`.formats`, every code through :mod:`.words`.

:func:`shown` is the table view (``plantrack project``, ``compare``, ``review``, ``backtest``): column
headers in the chosen language, codes of the analysis (verdict, outcome, evidence, status, reason,
attribute, unit, kind of target, missing years) as the report words them, years plain, rates signed,
growth per year or per period, shares of another's target for absolute amounts and multiples for
relative ones. :func:`machine` is
``--format csv``: codes and ids kept, plain numbers (no separator, no exponent), empty when absent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..data.values import present
from . import formats, texts
from .words import Words, words

Label = Callable[[Words, Mapping[str, Any], object], str]


def _verdict(w: Words, row: Mapping[str, Any], v: object) -> str:
    """The verdict as the report words it (快于预期 / Ahead when on track with R or progress ≥ 1)."""
    return w.verdict(str(v), row.get("R"), row.get("progress_ratio"), row.get("outcome"))


def _growth(w: Words, row: Mapping[str, Any], v: object) -> str:
    return w.growth(v, "period" if row.get("measure") == "period_total" else "year")


def relative(w: Words, row: Mapping[str, Any], v: object) -> str:
    """A share of the other target for an absolute amount, a multiple of it for a relative one (``compared_as``)."""
    if row.get("compared_as") == "share":
        return w("cli.share", value=formats.percent(v, 1))
    return w("cli.times", value=formats.ratio(v))


def _as_written(w: Words, row: Mapping[str, Any], v: object) -> str:
    """A target or completion as the plan writes it, with the unit where the text ends with its number."""
    return formats.as_written(v, row.get("unit_as_written"))


def _code(section: str) -> Label:
    return lambda w, row, v: w.code(section, v)


#: column → its words (the report's): applied to present values in the table view
LABELS: dict[str, Label] = {
    "verdict": _verdict,
    "verdict_alt": lambda w, row, v: w.verdict(str(v)),
    "verdict_then": lambda w, row, v: w.verdict(str(v)),
    "outcome_now": lambda w, row, v: w.verdict(str(v)),
    "outcome": lambda w, row, v: w.code("outcome", v, "unassessed"),
    "evidence": lambda w, row, v: w.evidence(v),
    "evidence_then": lambda w, row, v: w.evidence(v),
    "status": _code("review_status"),
    "attribute": lambda w, row, v: attribute(w, v),
    "unit": lambda w, row, v: w.unit(v, row.get("name_en")),
    "target_kind": _code("target_kind"),
    "missing_years": lambda w, row, v: w.years(v),
    "required_growth": _growth,
    "assumed_growth": _growth,
    "observed_growth": _growth,
    "parent_growth": _growth,
    "national_growth": _growth,
    "band_from": _code("band_from"),
    "vs_compared": relative,
    "vs_national": relative,
    "target_text": _as_written,
    "actual_text": _as_written,
}
#: reason codes: a review's (how completion was judged) or an assessment's (what is missing)
REASONS = {"review": "review_reason", "assessment": "reason_short", "outlook": "outlook_reason"}
#: headers of columns whose codes are shown as words (the others: :func:`texts.header`)
WORD_HEADERS = {"verdict": "verdict_words", "reason": "why", "status": "status_words", "indicator": "indicator_zh"}


def attribute(w: Words, value: object) -> str:
    """约束性/预期性 in ``w``'s language; a tally's ``unspecified`` and ``total`` rows as the report names them."""
    named = {"unspecified": "table.unspecified", "total": "table.total"}
    return w(named[str(value)]) if str(value) in named else w.attribute(value)


def header(column: str, lang: str) -> str:
    """A column's header in the table view."""
    return texts.header(WORD_HEADERS.get(column, column), lang)


def cell(w: Words, row: Mapping[str, Any], column: str, reasons: str = "assessment") -> str:
    """One value of the table view: words for codes, the one formatter for numbers, — if absent."""
    v = row.get(column)
    if not present(v):
        return formats.DASH
    if column == "reason":
        return w.code(REASONS[reasons], v)
    label = LABELS.get(column)
    return label(w, row, v) if label else texts.cell(column, v)


def formatted(
    frame: pd.DataFrame, lang: str = "en", columns: Sequence[str] | None = None, reasons: str = "assessment"
) -> pd.DataFrame:
    """``frame`` (its ``columns``, default all) as text, column ids kept: codes as words, numbers formatted."""
    w = words(lang)
    cols = [str(c) for c in (columns or frame.columns)]
    records = frame.to_dict("records")
    return pd.DataFrame({c: [cell(w, r, c, reasons) for r in records] for c in cols}, columns=cols, index=frame.index)


def shown(
    frame: pd.DataFrame, lang: str = "en", columns: Sequence[str] | None = None, reasons: str = "assessment"
) -> pd.DataFrame:
    """The table view: :func:`formatted` with headers in ``lang``."""
    view = formatted(frame, lang, columns, reasons)
    return view.set_axis([header(c, lang) for c in view.columns], axis=1)


def machine(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for ``--format csv``: codes and ids as they are, plain numbers, years as integers, empty if absent."""
    out = {}
    for c in frame.columns:
        values = frame[c].astype(object).where(frame[c].notna(), None)
        out[c] = [_plain(v) for v in values]
    return pd.DataFrame(out, columns=frame.columns, index=frame.index)


def _plain(v: object) -> str:
    if v is None or isinstance(v, str):
        return v or ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return formats.plain(v)
    return "" if not present(v) else str(v)


def text(frame: pd.DataFrame, lang: str = "en") -> str:
    """A text table for reading, or (none) when it is empty."""
    if frame.empty:
        return words(lang)("cli.none")
    return frame.to_string(index=False)


def tally(counts: Mapping[str, tuple[int, int]], lang: str = "en") -> str:
    """``Achieved 1, On track 3 (2 on weak evidence), …``: groups as the report names them."""
    w = words(lang)
    parts = [
        f"{w.code('group', g)} {formats.number(n)}"
        + (w("report.parenthesis", text=w("summary.weak", n=formats.number(weak))) if weak else "")
        for g, (n, weak) in counts.items()
    ]
    return w("report.list_sep").join(parts)


def review_tally(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A review's tally by attribute (rows) and status (columns) in words, counts by the one formatter."""
    w = words(lang)
    index = [attribute(w, a) for a in table.index]
    columns = {c: (w("table.total") if c == "total" else w.code("review_status", c)) for c in table.columns}
    body = {columns[c]: [formats.number(v) for v in table[c]] for c in table.columns}
    return pd.DataFrame(body, index=pd.Index(index, name=texts.header("attribute", lang)))


def summary(values: Mapping[str, object], lang: str = "en") -> str:
    """A backtest summary in words: counts by the one formatter, the error and the share as percentages."""
    w = words(lang)
    shares = {"median_abs_error", "share_confirmed"}
    parts = [
        f"{w(f'backtest_summary.{k}')} {formats.percent(v, 1) if k in shares else formats.number(v)}"
        for k, v in values.items()
    ]
    return w("cli.line", label=w("cli.summary"), text=w("report.list_sep").join(parts))
