"""``reports/index.html``: the reports of a folder, each with its counts and most pressing target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..data.files import write_atomic
from ..data.tables import load
from ..present.page import page
from ..present.words import languages, words
from .region import _entry, report_path


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
    from the pages). ``entries``: rows the batch computed already; the others (reports of the
    folder from earlier runs) are computed here, from one load of the data. ``regions``: those
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
            entries[r] = _entry(r, lang, *params, data=data)
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, index_name(lang))
    write_atomic(path, page(str(body), title, lang))
    return path


def index_name(lang: str) -> str:
    """The index page's file name: ``index.html`` in the default language, ``index.<lang>.html`` in the others."""
    return "index.html" if lang == languages()[0] else f"index.{lang}.html"
