"""``reports/index.html``: the reports of a folder, each with its counts and most pressing target."""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path
from typing import Any

from ..data.files import write_inside
from ..data.tables import PlanData, load
from ..present.context import ReportParameters, context_for
from ..present.page import page
from ..present.words import languages, words
from .region import RECORD_NAME, report_path


def write_index(
    out: Path,
    params: ReportParameters,
    data_dir: str | None,
    entries: dict[str, dict[str, Any]] | None = None,
    regions: list[str] | None = None,
) -> Path:
    """``index.html``: one row per report of the folder, with its as-of year, counts and most pressing target.

    Every row is computed from the analysis with the batch's parameters: ``entries``, rows the batch's
    kernels computed with their reports; the others (reports of the folder from earlier runs) from the
    record each page keeps of its row (:func:`read_record`), so a row never contradicts its page; a page
    without a record (written by an earlier version) is computed here, from one load of the data. ``regions``: those
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
        if r not in entries:  # a page of an earlier run: its own record, so the row says what the page says
            recorded = read_record(out / existing[r], lang)
            if recorded is None:  # a page written before pages kept a record
                data = data or load(data_dir)
                recorded = entry_of(r, params, data)
            entries[r] = recorded
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, index_name(lang))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_inside(path.parent, path.name, page(str(body), title, lang))
    return path


def index_name(lang: str) -> str:
    """The index page's file name: ``index.html`` in the default language, ``index.<lang>.html`` in the others."""
    return "index.html" if lang == languages()[0] else f"index.{lang}.html"


#: bytes of a page read to find its record (it is in the head, before the styles)
RECORD_BYTES = 65_536
_RECORD = re.compile(rf'<meta name="{RECORD_NAME}" content="([^"]*)">')


def read_record(page_path: Path, lang: str) -> dict[str, Any] | None:
    """The index entry a page recorded when it was written; None when it has none or it is not well-formed.

    Read as JSON and checked field by field (:func:`plantrack.present.report.entry_from_record`): the chip
    of the most pressing target is drawn again from its verdict, so nothing in a page can put markup or
    code into the index.
    """
    from ..present.report import entry_from_record

    try:
        with page_path.open("rb") as f:
            head = f.read(RECORD_BYTES).decode("utf-8", errors="replace")
        m = _RECORD.search(head)
        return entry_from_record(json.loads(html_text.unescape(m.group(1))), lang) if m else None
    except (OSError, ValueError):
        return None


def entry_of(region: str, params: ReportParameters, data: PlanData) -> dict[str, Any]:
    """The index page's entry for a region whose report this batch did not render, from the analysis of ``data``."""
    from ..present.report import index_entry

    return index_entry(context_for(region, params, data=data))
