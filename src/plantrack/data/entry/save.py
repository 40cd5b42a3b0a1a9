"""Saving an entry: the form's checks, then the import's (one row), the whole dataset and the one locked writer."""

from __future__ import annotations

from pathlib import Path

from ..importer import SheetRow, WriteConflict, import_rows
from ..problems import Problem
from ..tables import PlanData, load
from .form import ENTERED, Entry, EntryError, Saved, Say, check_entry, coded, period_start

#: column of observations.csv / sources.csv → form field its problems are shown next to
COLUMN_FIELDS = {
    "year": "year",
    "period_start": "year",
    "value": "value",
    "unit_as_written": "unit",
    "quote": "quote",
    "source_id": "source",
    "locator": "source",
    "title": "title",
    "issuer": "issuer",
    "date": "date",
    "url": "url",
    "tier": "tier",
    "retrieved": "date",
    "note": "note",
}
#: column of the import template → form field
IMPORT_FIELDS = {
    "region_id": "indicator",
    "indicator_id": "indicator",
    "year": "year",
    "period_start": "year",
    "covers": "year",
    "value": "value",
    "qualifier": "value",
    "unit": "unit",
    "quote": "quote",
    "source_id": "source",
    "source_title": "title",
    "issuer": "issuer",
    "date": "date",
    "retrieved": "date",
    "source_url": "url",
    "tier": "tier",
    "note": "note",
}


def field_messages(problems: list[Problem], say: Say = coded) -> dict[str, str]:
    """Validation problems as messages per form field (the first problem of each field), worded by ``say``."""
    msgs: dict[str, str] = {}
    for p in problems:
        field = COLUMN_FIELDS.get(p.column, "value")
        msgs.setdefault(field, say("problem_at", file=p.file, line=p.line, column=p.column, expected=p.expected))
    return msgs


def sheet_row(data: PlanData, entry: Entry) -> SheetRow:
    """The entry as one row of an import (the form's fields under the template's column ids)."""
    start = period_start(data, entry)
    cells = {
        "region_id": entry.region,
        "indicator_id": entry.indicator,
        "year": str(entry.year).strip(),
        "value": str(entry.value).strip(),
        "unit": entry.unit,
        "period_start": "" if start is None else str(start),
        "quote": entry.quote.strip(),
        "source_id": entry.source_id,
        "source_title": "" if entry.source_id else entry.title.strip(),
        "issuer": "" if entry.source_id else entry.issuer.strip(),
        "date": "" if entry.source_id else entry.date.strip(),
        "source_url": "" if entry.source_id else entry.url.strip(),
        "tier": "" if entry.source_id else entry.tier,
        "note": entry.note.strip(),
    }
    return SheetRow("", 1, cells, dict(IMPORT_FIELDS))


def save_entry(data_dir: str | Path, entry: Entry, replace_existing: bool = False, say: Say = coded) -> Saved:
    """Validate the dataset with the entry in place, then write ``observations.csv`` (and ``sources.csv``).

    The form's own checks first (messages per field), then the import's: the same row checks, the
    whole dataset validated with the value in place, and the one locked, atomic writer. Raises
    :class:`EntryError` with messages per field and writes nothing when anything is wrong,
    including when the folder's data was already invalid. ``say`` words the form's own checks.
    """
    folder = Path(data_dir).resolve()
    data = load(folder)
    msgs = check_entry(data, entry, complete=True, replace=replace_existing, say=say)
    if msgs:
        raise EntryError(msgs)
    try:
        result = import_rows(folder, [sheet_row(data, entry)], replace=replace_existing, origin=ENTERED)
    except WriteConflict as err:  # found under the folder's lock: another writer, the disk, the whole dataset
        if err.problems:
            raise EntryError(field_messages(list(err.problems), say)) from None
        if any("already holds a value" in m for m in err.messages):  # saved meanwhile by another writer
            msgs = check_entry(load(folder), entry, complete=True, replace=replace_existing, say=say)
            raise EntryError(msgs or {"year": "；".join(err.messages)}) from None
        raise EntryError({"save": "；".join(err.messages)}) from None
    if result.written is None:
        found: dict[str, str] = {}
        for p in result.checked.problems:
            field = p.column if p.row else COLUMN_FIELDS.get(p.column, "value")
            found.setdefault(field, p.expected if p.row else f"{p.sheet}: {p.expected}")
        raise EntryError(found or {"value": say("not_saved")})
    written = result.written
    replaced = written.replaced[0].split(": ", 1)[1] if written.replaced else None
    source_id = written.source_ids[0]
    return Saved(written.lines[0], replaced, source_id, bool(written.new_sources))
