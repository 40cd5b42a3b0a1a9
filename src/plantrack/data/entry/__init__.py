"""Adding a newer actual value to ``observations.csv``, checked like every other row.

A researcher gives the year, the value with its unit, the sentence it comes from and its
source: an existing row of ``sources.csv`` or a new citation (title, issuer, date, URL).
:func:`check_entry` returns one message per faulty field; :func:`preview` returns the data
with the value added in memory (the projection can use it at once); :func:`save_entry`
validates the whole dataset with the new row in place and only then replaces the files,
each atomically, through the same checks and the same locked writer as ``plantrack import``
(:mod:`plantrack.data.importer`). A value for a year that already has one is refused unless
``replace`` is asked for, and the replaced line is reported.

:mod:`.form` holds the form and its checks, :mod:`.preview` the value added in memory,
:mod:`.save` the saving through the import.
"""

from __future__ import annotations

from ..importer import units_for
from .form import (
    ENTERED,
    FIELDS,
    Entry,
    EntryError,
    Saved,
    Say,
    check_entry,
    coded,
    existing_row,
    period_start,
    value_of,
    year_of,
)
from .preview import observation_row, preview
from .save import COLUMN_FIELDS, IMPORT_FIELDS, field_messages, save_entry, sheet_row

__all__ = [
    "COLUMN_FIELDS",
    "ENTERED",
    "FIELDS",
    "IMPORT_FIELDS",
    "Entry",
    "EntryError",
    "Saved",
    "Say",
    "check_entry",
    "coded",
    "existing_row",
    "field_messages",
    "observation_row",
    "period_start",
    "preview",
    "save_entry",
    "sheet_row",
    "units_for",
    "value_of",
    "year_of",
]
