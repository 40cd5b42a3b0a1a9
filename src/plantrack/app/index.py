"""``reports/index.html``: the reports of a folder, each with its counts and most pressing target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..data.files import write_atomic
from ..data.tables import PlanData, load
from ..present.page import page
from ..present.words import words
from .region import report_path


def write_index(
    out: Path,
    lang: str,
    data_dir: str | None,
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    growth_model: str = "observed",
    as_of: int | None = None,
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
    w = words(lang)
    existing = {p.name.split(".")[0]: p.name for p in out.glob(f"*.{lang}.html")}
    data = None if regions is not None else load(data_dir)
    if data is not None:
        regions = [r for r in data.region_ids() if r in data.lookup.region_plans]
    order = [r for r in regions or [] if r in existing]
    params = (data_dir, target_year, times_reading, damping, growth_model, as_of)
    for r in order:
        if r not in entries:
            data = data or load(data_dir)
            entries[r] = entry_of(r, lang, *params, data=data)
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, "index.html" if lang == "zh" else f"index.{lang}.html")
    write_atomic(path, page(str(body), title, lang))
    return path


def entry_of(
    region: str,
    lang: str,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    growth_model: str,
    as_of: int | None,
    prepared: str | None = None,
    data: PlanData | None = None,
) -> dict[str, Any]:
    """The index page's entry for a region whose report this batch did not render, from the analysis.

    From the region's slice (``prepared``) or ``data`` where given: never a load of the whole dataset per region.
    """
    from ..present.report import context, index_entry

    ctx = context(
        region, lang, target_year, times_reading, damping, data_dir, data=data, growth_model=growth_model,
        as_of=as_of, prepared=prepared,
    )  # fmt: skip
    return index_entry(ctx)
