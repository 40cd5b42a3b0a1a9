"""``reports/index.html``: the reports of a folder, each with its counts and most pressing target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..data.files import write_atomic
from ..data.tables import PlanData, load
from ..present.context import ReportParameters, context_for
from ..present.page import page
from ..present.words import words
from .region import report_path


def write_index(
    out: Path,
    params: ReportParameters,
    data_dir: str | None,
    entries: dict[str, dict[str, Any]] | None = None,
    regions: list[str] | None = None,
) -> Path:
    """``index.html``: one row per report of the folder, with its as-of year, counts and most pressing target.

    Every row is computed from the analysis with the batch's parameters (nothing is read back
    from the pages). ``entries``: rows the batch's kernels computed with their reports; the others
    (reports of the folder from earlier runs) are computed here, from one load of the data. ``regions``: those
    with targets in the order of ``regions.csv`` (the data tells them where not given).
    """
    from ..present.htmltable import html, table
    from ..present.report import index_head, index_row

    entries = dict(entries or {})
    lang = params.lang
    w = words(lang)
    existing = {p.name.split(".")[0]: p.name for p in out.glob(f"*.{lang}.html")}
    data = None if regions is not None else load(data_dir)
    if data is not None:
        regions = [r for r in data.region_ids() if r in data.lookup.region_plans]
    order = [r for r in regions or [] if r in existing]
    for r in order:
        if r not in entries:
            data = data or load(data_dir)
            entries[r] = entry_of(r, params, data)
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, "index.html" if lang == "zh" else f"index.{lang}.html")
    write_atomic(path, page(str(body), title, lang))
    return path


def entry_of(region: str, params: ReportParameters, data: PlanData) -> dict[str, Any]:
    """The index page's entry for a region whose report this batch did not render, from the analysis of ``data``."""
    from ..present.report import index_entry

    return index_entry(context_for(region, params, data=data))
