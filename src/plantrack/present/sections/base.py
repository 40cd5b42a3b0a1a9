"""The helpers of the notebook chapters' parts: a table of a frame's chosen columns, a paragraph, a count."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .. import texts
from ..context import Fragment
from ..htmltable import Cell, Row, html
from ..htmltable import table as html_table
from ..words import words

_NUMERIC = re.compile(r"[+\-−]?\d[\d,.]*%?")


def frame_table(
    frame: pd.DataFrame, columns: Sequence[str], lang: str = "zh", names: dict[str, str] | None = None
) -> Fragment:
    """An HTML table of the chosen ``columns``: headers in ``lang``, every value by the one formatter, — if absent.

    Text is left-aligned, numbers right-aligned; short cells do not wrap (:mod:`plantrack.present.htmltable`).
    """
    names = names or {}
    head = [Cell(names.get(c) or texts.header(c, lang), style="text-align:left") for c in columns]
    rows = []
    for r in frame.to_dict("records"):
        cells = []
        for c in columns:
            v = r.get(c)
            text = texts.cell(c, None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
            first = text.split("/")[0].split("（")[0].split(" ")[0]
            numeric = text == texts.DASH or bool(_NUMERIC.fullmatch(first))
            style = "text-align:right" if numeric and text else "text-align:left"
            if len(text) <= 12:
                style += ";white-space:nowrap"
            cells.append(Cell(text, style=style))
        rows.append(Row(cells))
    if not rows:
        rows.append(Row([Cell(words(lang)("chapter.none"), span=len(columns))]))
    return Fragment(html_table(head, rows))


def para(sentences: list[str]) -> Fragment:
    """One paragraph of sentences (escaped); nothing when there are none."""
    return Fragment(html("<p>{}</p>", "".join(sentences)) if sentences else "")


def count(n: int, lang: str) -> str:
    """``3 项`` / ``3 targets``."""
    return words(lang)("chapter.count_one" if n == 1 else "chapter.count", n=n)
