"""``reports/index.html``: the reports of a folder, each with its counts and most pressing target."""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path
from typing import Any

from ..data.files import write_inside
from ..data.tables import load
from ..present.page import page
from ..present.words import words
from .region import RECORD_NAME, _entry, report_path


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

    Every row is computed from the analysis: ``entries``, rows the batch computed already;
    the others (reports of the folder from earlier runs) from the record each page keeps of
    them (:func:`read_record`), so a row never contradicts its page; a page without a record
    (written by an earlier version) is computed here, from one load of the data. ``regions``: those
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
        if r not in entries:  # a page of an earlier run: its own record, so the row says what the page says
            recorded = read_record(out / existing[r], lang)
            if recorded is None:  # a page written before pages kept a record
                data = data or load(data_dir)
                recorded = _entry(r, lang, *params, data=data)
            entries[r] = recorded
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, "index.html" if lang == "zh" else f"index.{lang}.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_inside(path.parent, path.name, page(str(body), title, lang))
    return path


#: bytes of a page read to find its record (it is in the head, before the styles)
RECORD_BYTES = 65_536
_RECORD = re.compile(rf'<meta name="{RECORD_NAME}" content="([^"]*)">')


def read_record(page_path: Path, lang: str) -> dict[str, Any] | None:
    """The index entry a page recorded when it was written; None when it has none or it is not well-formed.

    Read as JSON and checked field by field; the chip of the most pressing target is drawn
    again from its verdict, so nothing in a page can put markup or code into the index.
    """
    from ..analysis.projection import GROUPS
    from ..present.htmltable import html as markup
    from ..present.rows import LEAN_COLOUR, VERDICT_COLOURS, verdict_chip

    try:
        with page_path.open("rb") as f:
            head = f.read(RECORD_BYTES).decode("utf-8", errors="replace")
        m = _RECORD.search(head)
        rec = json.loads(html_text.unescape(m.group(1))) if m else None
        if not isinstance(rec, dict):
            return None
        tally = {g: (int(rec["tally"][g][0]), int(rec["tally"][g][1])) for g in GROUPS}
        data_year = rec["data_year"]
        entry: dict[str, Any] = {
            "name": _text(rec["name"]),
            "plan": _text(rec["plan"]),
            "as_of": int(rec["as_of"]),
            "data_year": None if data_year is None else int(data_year),
            "tally": tally,
            "pressing": None,
        }
        top = rec["pressing"]
        if top is not None:
            if top["verdict"] not in VERDICT_COLOURS:
                return None
            colour = LEAN_COLOUR if top["lean"] is True else None
            chip = verdict_chip(top["verdict"], top["R"], lang, top["progress"], top["outcome"], colour)
            entry["pressing"] = markup("{} {}", chip, _text(top["name"]))
        return entry
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _text(v: object) -> str:
    if not isinstance(v, str):
        raise TypeError("expected text")
    return v
