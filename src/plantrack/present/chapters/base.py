"""What every chapter is computed from (:class:`Chapter`), and the chapters' table and paragraph helpers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields

import pandas as pd

from ...data.tables import PlanData
from .. import texts
from ..context import ReportContext, context
from ..htmltable import Cell, Row, html
from ..htmltable import table as html_table
from ..words import words


class Html(str):
    """HTML text that Jupyter shows as HTML (and as one line of plain text elsewhere)."""

    def _repr_html_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        from IPython.display import publish_display_data

        publish_display_data({"text/html": str(self), "text/plain": "[HTML]"})


class Chapter(ReportContext):
    """A report's context, with the phrases the chapter notebooks add to it."""

    def whose_plan(self, plan: str | None = None) -> str:
        """``苏州市“十四五”规划`` / ``Suzhou's 14th Five-Year Plan``; the plan's name alone when it names the region."""
        name = self.plan_name(plan)
        if name.startswith(self.name):
            return name
        return self.w("chapter.whose_plan", region=self.name, plan=name)

    def indicator_name(self, indicator: str) -> str:
        """An indicator's catalogue name in the chapter's language."""
        return self.w.name(self.data.indicator(indicator))


def chapter(
    region: str,
    lang: str = "zh",
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    data_dir: str | None = None,
    growth_model: str = "observed",
    as_of: int | None = None,
    data: PlanData | None = None,
) -> Chapter:
    """Load the data, check the parameters and assess the region's latest plan (as a report does)."""
    ctx = context(region, lang, target_year, times_reading, damping, data_dir, data=data, growth_model=growth_model,
                  as_of=as_of)
    return Chapter(**{f.name: getattr(ctx, f.name) for f in fields(ctx)})


# ---------------------------------------------------------------- the formatted-table helper


_NUMERIC = re.compile(r"[+\-−]?\d[\d,.]*%?")


def table(frame: pd.DataFrame, columns: Sequence[str], lang: str = "zh", names: dict[str, str] | None = None) -> Html:
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
    return Html(html_table(head, rows))


def para(sentences: list[str]) -> Html:
    """One paragraph of sentences (escaped); nothing when there are none."""
    return Html(html("<p>{}</p>", "".join(sentences)) if sentences else "")


def count(n: int, lang: str) -> str:
    """``3 项`` / ``3 targets``."""
    return words(lang)("chapter.count_one" if n == 1 else "chapter.count", n=n)
