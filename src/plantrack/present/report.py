"""A region's report, section by section, as HTML fragments for notebooks and rendered pages.

The sections live in :mod:`plantrack.present.sections`; words come from the catalogues
(:mod:`plantrack.present.words`), numbers from :mod:`plantrack.present.formats`, tables from
:mod:`plantrack.present.htmltable`. Every text that comes from the data files is escaped.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..analysis.projection import GROUPS, group_tally
from . import formats, rows
from .context import ORDER, Fragment, ReportContext, ReportParameters, context, context_for, tally_line
from .htmltable import Row, html
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
    "INDEX_ENTRY_MIME",
    "ORDER",
    "SECTIONS",
    "Fragment",
    "ReportContext",
    "ReportParameters",
    "backtest_section",
    "comparison",
    "context",
    "context_for",
    "distance_chart",
    "fmt_number",
    "fmt_percent",
    "full_report",
    "gaps",
    "index_entry",
    "index_entry_from",
    "index_head",
    "index_row",
    "method",
    "publish_index_entry",
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
    pressing = rows.pressing_order(ctx.projection)
    top = pressing[0] if pressing else None
    return {
        "region": ctx.region,
        "name": ctx.name,
        "plan": ctx.plan_name(),
        "as_of": ctx.as_of,
        "data_year": ctx.data_year,
        "tally": group_tally(ctx.projection),
        "pressing": None if top is None else html("{} {}", rows.chip(ctx.w, top), rows.name_text(ctx.w, top)),
    }


#: the type of the output in which a report's kernel hands its index entry to the batch (a hidden cell; never shown)
INDEX_ENTRY_MIME = "application/vnd.plantrack.index-entry+json"


def publish_index_entry(ctx: ReportContext) -> None:
    """Hand this report's index entry to the batch as an output of the kernel (its counts are computed once, here)."""
    from IPython.display import publish_display_data

    entry = index_entry(ctx)
    pressing = entry["pressing"]
    publish_display_data({INDEX_ENTRY_MIME: {**entry, "pressing": None if pressing is None else str(pressing)}})


def index_entry_from(outputs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The index entry a kernel published among a notebook's ``outputs`` (None: the notebook published none).

    The most pressing target is HTML the kernel built with every data text escaped; it stays HTML.
    """
    for output in outputs:
        found = output.get("data", {}).get(INDEX_ENTRY_MIME)
        if found is not None:
            entry = dict(found)
            entry["tally"] = {g: (int(n), int(weak)) for g, (n, weak) in entry["tally"].items()}
            entry["pressing"] = None if entry["pressing"] is None else Markup(entry["pressing"])
            return entry
    return None


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
