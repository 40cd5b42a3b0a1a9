"""What every chapter is computed from (:class:`Chapter`), and the chapters' table and paragraph helpers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ...analysis.assumptions import Assumptions
from ...analysis.projection import project_region
from ...data.params import check_lang, check_region, check_target_year, default_plan
from ...data.tables import PlanData, load
from .. import texts
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


@dataclass
class Chapter:
    """What a chapter is computed from: the data, the region, its plan, the assumptions and the assessment."""

    data: PlanData
    region: str
    lang: str
    plan: str
    target_year: int | None
    assumptions: Assumptions
    projection: pd.DataFrame

    @property
    def zh(self) -> bool:
        """True for Chinese text."""
        return self.lang == "zh"

    @property
    def name(self) -> str:
        """The region's name in the chapter's language."""
        return self.data.region_name(self.region, self.lang)

    def plan_name(self, plan: str | None = None) -> str:
        """A plan's name in the chapter's language."""
        row = self.data.lookup.plans[plan or self.plan]
        return str(row["name_zh"] if self.zh else row["name_en"])

    def whose_plan(self, plan: str | None = None) -> str:
        """``苏州市“十四五”规划`` / ``Suzhou's 14th Five-Year Plan``; the plan's name alone when it names the region."""
        name = self.plan_name(plan)
        if name.startswith(self.name):
            return name
        return f"{self.name}{name}" if self.zh else f"{self.name}'s {name}"

    def indicator_name(self, indicator: str) -> str:
        """An indicator's catalogue name in the chapter's language."""
        row = self.data.indicator(indicator)
        return str(row["name_zh"] if self.zh else row["name_en"])


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
    """Load the data, check the parameters and assess the region's latest plan."""
    check_lang(lang)
    a = Assumptions(times_reading=times_reading, damping=damping, growth_model=growth_model, as_of=as_of)  # type: ignore[arg-type]
    data = data or load(data_dir or None)
    check_region(data, region)
    plan = default_plan(data, region)
    check_target_year(data, region, plan, target_year)
    proj = project_region(data, region, plan, target_year, a)
    return Chapter(data, region, lang, plan, target_year, a, proj)


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


def count(n: int, zh: bool, what_en: str = "target") -> str:
    """``3 项`` / ``3 targets``."""
    return f"{n} 项" if zh else f"{n} {what_en}{'' if n == 1 else 's'}"


def listed(items: list[str], zh: bool) -> str:
    """``a、b、c`` / ``a, b and c``."""
    if zh:
        return "、".join(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""
