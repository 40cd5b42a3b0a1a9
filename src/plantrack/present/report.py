"""A region's report, section by section, as HTML fragments for notebooks and rendered pages.

The sections live in :mod:`plantrack.present.sections`; words come from the catalogues
(:mod:`plantrack.present.words`), numbers from :mod:`plantrack.present.formats`, tables from
:mod:`plantrack.present.htmltable`. Every text that comes from the data files is escaped.
"""

from __future__ import annotations

from typing import Any

from ..analysis.projection import GROUPS, group_tally
from ..analysis.tally import row_group
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


def index_record(ctx: ReportContext) -> dict[str, Any]:
    """What the index shows for this report, as plain JSON values (a page keeps it; the batch receives it).

    The most pressing target (at risk, else the worst lean towards at risk) is kept as its verdict, whether
    it is a lean, its R, progress and outcome, and its name (text): the chip is drawn again from these
    (:func:`entry_from_record`), so a record can never put markup into the index.
    """
    pressing = rows.pressing_order(ctx.projection) or rows.leaning_at_risk(ctx.projection)
    top = pressing[0] if pressing else None
    return {
        "name": str(ctx.name),
        "plan": str(ctx.plan_name()),
        "as_of": int(ctx.as_of),
        "data_year": None if ctx.data_year is None else int(ctx.data_year),
        "tally": {str(g): [int(n), int(weak)] for g, (n, weak) in group_tally(ctx.projection).items()},
        "pressing": None
        if top is None
        else {
            "verdict": str(top["verdict"]),
            "lean": row_group(top) == "lean",
            "R": _plain(top.get("R")),
            "progress": _plain(top.get("progress_ratio")),
            "outcome": _plain(top.get("outcome")),
            "name": ctx.w.name(top, as_written=True),
        },
    }


def _plain(v: object) -> object:
    """A number or text of a row as a JSON value (NaN and NA as null)."""
    if not rows.has(v):
        return None
    if isinstance(v, bool | str):
        return v
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)


def entry_from_record(record: object, lang: str) -> dict[str, Any] | None:
    """An index entry (counts, most pressing target as a chip) from a record; None when it is not well-formed.

    Checked field by field; the chip is drawn from the verdict, so nothing in a record can put markup or
    code into the index.
    """

    def text(v: object) -> str:
        if not isinstance(v, str):
            raise TypeError("expected text")
        return v

    try:
        if not isinstance(record, dict):
            return None
        tally = {g: (int(record["tally"][g][0]), int(record["tally"][g][1])) for g in GROUPS}
        data_year = record["data_year"]
        entry: dict[str, Any] = {
            "name": text(record["name"]),
            "plan": text(record["plan"]),
            "as_of": int(record["as_of"]),
            "data_year": None if data_year is None else int(data_year),
            "tally": tally,
            "pressing": None,
            "record": record,
        }
        top = record["pressing"]
        if top is not None:
            if top["verdict"] not in rows.VERDICT_COLOURS:
                return None
            colour = rows.LEAN_COLOUR if top["lean"] is True else None
            chip = rows.verdict_chip(top["verdict"], top["R"], lang, top["progress"], top["outcome"], colour)
            entry["pressing"] = html("{} {}", chip, text(top["name"]))
        return entry
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def index_entry(ctx: ReportContext) -> dict[str, Any]:
    """What the index page shows for one region: plan, as-of year, data year, the counts, most pressing target."""
    entry = entry_from_record(index_record(ctx), ctx.lang)
    assert entry is not None  # a record made here is well-formed
    return {**entry, "region": ctx.region}


#: the type of the output in which a report's kernel hands its index record to the batch (a hidden cell; never shown)
INDEX_ENTRY_MIME = "application/vnd.plantrack.index-entry+json"


def publish_index_entry(ctx: ReportContext) -> None:
    """Hand this report's index record to the batch as an output of the kernel (its counts are computed once, here)."""
    from IPython.display import publish_display_data

    publish_display_data({INDEX_ENTRY_MIME: index_record(ctx)})


def index_entry_from(outputs: list[dict[str, Any]], lang: str) -> dict[str, Any] | None:
    """The index entry from the record a kernel published among a notebook's ``outputs`` (None: none, or malformed)."""
    for output in outputs:
        found = output.get("data", {}).get(INDEX_ENTRY_MIME)
        if found is not None:
            return entry_from_record(found, lang)
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
