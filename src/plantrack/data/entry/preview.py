"""A typed value added to the data in memory, so a projection can use it before it is saved."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..tables import PlanData
from ..units import factor
from .form import ENTERED, Entry, EntryError, Say, check_entry, coded, existing_row, period_start, value_of, year_of


def _source_title(data: PlanData, source_id: str) -> str:
    titles = dict(zip(data.sources["source_id"], data.sources["title"], strict=True))
    return str(titles.get(source_id) or source_id)


def observation_row(data: PlanData, entry: Entry, source_id: str) -> dict[str, str]:
    """The new row of observations.csv, as text."""
    start = period_start(data, entry)
    value = value_of(entry)
    note = f"{entry.note.strip()} ({ENTERED})" if entry.note.strip() else ENTERED
    return {
        "region_id": entry.region,
        "indicator_id": entry.indicator,
        "year": str(year_of(entry)),
        "period_start": "" if start is None else str(start),
        "value": f"{value:.15g}" if value is not None else str(entry.value),
        "unit_as_written": entry.unit,
        "value_qualifier": "exact",
        "method": "stated",
        "derived_from": "",
        "growth_phrase": "",
        "growth_number": "",
        "derivation": "",
        "source_id": source_id,
        "locator": entry.title.strip() or _source_title(data, source_id),
        "quote": entry.quote.strip(),
        "note": note,
    }


def preview(data: PlanData, entry: Entry, replace_existing: bool = False, say: Say = coded) -> PlanData:
    """``data`` with the entry added in memory (nothing written); raises :class:`EntryError` (worded by ``say``)."""
    msgs = check_entry(data, entry, complete=False, replace=replace_existing, say=say)
    if msgs:
        raise EntryError(msgs)
    row: dict[str, object] = dict(observation_row(data, entry, entry.source_id or "(preview)"))
    start = period_start(data, entry)
    value = float(value_of(entry))  # type: ignore[arg-type]
    row.update(
        year=year_of(entry),
        period_start=start,
        value=value,
        derived_from=None,
        growth_number=None,
        growth_phrase=None,
        derivation=None,
        series=None,
        covers=None,
        use=None,
        unit=data.indicator(entry.indicator)["unit"],
        factor=factor(entry.unit),
        value_norm=value * factor(entry.unit),
        derived_from_norm=None,
        _line=0,
    )
    obs = data.observations
    old = existing_row(data, entry)
    if old is not None:
        obs = obs[obs["_line"] != old["_line"]]
    added = pd.DataFrame([row]).reindex(columns=obs.columns).astype(obs.dtypes.to_dict(), errors="ignore")
    return replace(data, observations=pd.concat([obs, added], ignore_index=True), problems=list(data.problems))
