"""A region's report, section by section, as HTML fragments for notebooks and rendered pages.

The sections live in :mod:`plantrack.present.sections`; words come from the catalogues
(:mod:`plantrack.present.words`), numbers from :mod:`plantrack.present.formats`, tables from
:mod:`plantrack.present.htmltable`. Every text that comes from the data files is escaped.
"""

from __future__ import annotations

from typing import Any

from ..analysis.projection import GROUPS, group_tally
from ..data.params import check_indicator
from . import formats, rows
from .charts import path_figure, to_img
from .context import ORDER, Fragment, ReportContext, context, tally_line
from .htmltable import Row, html, table
from .rows import verdict_chip
from .sections.backtest import backtest_section
from .sections.comparison import comparison
from .sections.distance import distance_chart
from .sections.first import summary, title
from .sections.gaps import gaps
from .sections.method import method
from .sections.review import review_section
from .sections.sources import sources
from .sections.targets import target_table

__all__ = [
    "ORDER",
    "SECTIONS",
    "Fragment",
    "ReportContext",
    "backtest_section",
    "comparison",
    "context",
    "distance_chart",
    "fmt_number",
    "fmt_percent",
    "full_report",
    "gaps",
    "index_entry",
    "index_head",
    "index_row",
    "indicator_chart",
    "method",
    "plan_table",
    "review_section",
    "sources",
    "summary",
    "tally_line",
    "target_table",
    "title",
    "verdict_chip",
]

#: the report's sections in order; report.ipynb displays them from one cell
SECTIONS = (
    title,
    summary,
    target_table,
    distance_chart,
    comparison,
    review_section,
    backtest_section,
    method,
    sources,
    gaps,
)

#: the explorer's names for the one number formatter
fmt_number = formats.number
fmt_percent = formats.signed_percent


def full_report(ctx: ReportContext) -> Fragment:
    """All sections in order (what the report notebook shows)."""
    return Fragment("\n".join(f(ctx) for f in SECTIONS))


def index_entry(ctx: ReportContext) -> dict[str, Any]:
    """What the index page shows for one region: plan, as-of year, data year, the four counts, most pressing target."""
    pressing = rows.pressing_order(ctx.projection) or rows.leaning_at_risk(ctx.projection)
    top = pressing[0] if pressing else None
    return {
        "region": ctx.region,
        "name": ctx.name,
        "plan": ctx.plan_name(),
        "as_of": ctx.as_of,
        "data_year": ctx.data_year,
        "tally": group_tally(ctx.projection),
        "pressing": None if top is None else html("{} {}", rows.chip(ctx.w, top), rows.name_text(ctx.w, top)),
        "pressing_row": top,  # what the chip is drawn from: a page's record keeps it (app/region.page_record)
    }


def index_row(entry: dict[str, Any], link: str, lang: str) -> Row:
    """One row of the index table."""
    from .words import words

    w = words(lang)
    cells: list[Any] = [
        html("<a href='{}'>{}</a>", link, entry["name"]),
        entry["plan"],
        formats.year(entry["as_of"]),
        formats.year(entry["data_year"]) if entry["data_year"] is not None else w("summary.index_no_data"),
    ]
    for g in GROUPS:
        n, weak = entry["tally"][g]
        cells.append(w("summary.index_weak", n=n, weak=weak) if weak else str(n))
    cells.append(entry["pressing"] if entry["pressing"] is not None else w("report.none"))
    return Row(cells)


def index_head(lang: str) -> list[str]:
    """Column headers of the index table."""
    from .words import words

    w = words(lang)
    return [
        w("summary.index_region"),
        w("summary.index_plan"),
        w("summary.index_as_of"),
        w("summary.index_data_year"),
        *(w(f"group.{g}") for g in GROUPS),
        w("summary.index_pressing"),
    ]


def plan_table(ctx: ReportContext) -> Fragment:
    """What the documents say: every target of the region's plan as written, with its source location."""
    w = ctx.w
    head = [w(f"table.{k}") for k in ("indicator", "unit", "attribute", "baseline", "target", "kind", "locator")]
    head.append(w("table.reading"))
    body = []
    for r in ctx.targets_of().to_dict("records"):
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = {**r, "name_en": info["name_en"], "unit": info["unit"]}
        body.append(
            [
                rows.name(w, shown),
                w.unit(info["unit"], info["name_en"]),
                w.attribute(r.get("attribute")),
                formats.as_written(r.get("baseline_text"), r.get("unit_as_written")),
                rows.target(w, shown),
                w(f"target_kind.{r['target_kind']}"),
                r["locator"] if ctx.zh else rows.zh_text(r["locator"]),
                w(f"reading.{r['reading']}") if rows.has(r.get("reading")) else "",
            ]
        )
    heading = f"{ctx.name} · {ctx.plan_name()}"
    return Fragment(html("<section><h2>{}</h2>{}</section>", heading, table(head, body)))


def indicator_chart(ctx: ReportContext, indicator: str) -> Fragment:
    """History, projection band, target and required path of one indicator of this report."""
    from ..analysis.plans import plan_span
    from ..analysis.series import points

    check_indicator(ctx.data, indicator)
    found = ctx.projection[ctx.projection["indicator_id"] == indicator]
    if found.empty:
        valid = ", ".join(ctx.projection["indicator_id"])
        raise ValueError(f"{ctx.region} has no target for {indicator!r}; its indicators: {valid}")
    row = found.iloc[0].to_dict()
    pts = points(ctx.data, ctx.region, indicator, ctx.assumptions.times_reading, ctx.as_of)
    chart = path_figure(pts, row, ctx.lang, years=plan_span(ctx.data, ctx.plan))
    return Fragment(to_img(chart, str(row["name_as_written"])))
