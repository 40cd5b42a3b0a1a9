"""The hindcast in words: each method's record as a table (report and command line) and the hindcast rows.

Every word comes from the catalogues (``[hindcast]``, method names from ``[evidence]``), every
number through :mod:`plantrack.present.formats`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..analysis.hindcast import MIN_CONFIRMED_SHARE, MIN_HINDCASTS, MIN_SERIES, Record, band_decides, calibrated
from ..data.tables import PlanData
from . import formats
from .words import Words, words

#: the per-method table's columns, in order (headers: ``hindcast.<column>``)
METHOD_COLUMNS = ("method", "n", "series", "median_abs_error", "bias", "confirmed", "band", "calibrated")
#: the hindcast rows' columns shown in the table view (headers: ``hindcast.column_<column>``)
ROW_COLUMNS = (
    "method", "region", "indicator", "cut_year", "year", "from_value", "projected", "actual", "error", "threshold",
    "confirmed",
)


def method_cells(w: Words, code: str, record: Record) -> list[str]:
    """One method's row of the per-method table, as text."""
    low, high = formats.signed_percent(record.band_low), formats.signed_percent(record.band_high)
    band = w("hindcast.band_value", low=low, high=high) if record.band_low is not None else formats.DASH
    confirmed = (
        w("hindcast.confirmed_value", confirmed=formats.number(record.confirmed), judged=formats.number(record.judged))
        if record.judged
        else formats.DASH
    )
    said = "hindcast.yes" if calibrated(record) else "hindcast.band_only" if band_decides(record) else "hindcast.no"
    verdict = formats.DASH if code == "no_growth" else w(said)
    return [
        w.code("evidence", code),
        formats.number(record.n),
        formats.number(record.series),
        formats.percent(record.median_abs_error, 1),
        formats.signed_percent(record.bias),
        confirmed,
        band,
        verdict,
    ]


def method_table(records: Mapping[str, Record], lang: str) -> pd.DataFrame:
    """The per-method table in ``lang``: one row per method (the null last, as the engine lists it)."""
    w = words(lang)
    body = [method_cells(w, code, r) for code, r in records.items()]
    return pd.DataFrame(body, columns=[w(f"hindcast.{c}") for c in METHOD_COLUMNS])


def lead(w: Words, records: Mapping[str, Record], vintage: str) -> str:
    """The sentence above the table: how many hindcasts, under which rule, and what a method needs to give a verdict."""
    main = w(
        "hindcast.lead",
        n=formats.number(sum(r.n for r in records.values())),
        rule=w(f"hindcast.rule_{vintage}"),
        min_n=formats.number(MIN_HINDCASTS),
        min_share=formats.percent(MIN_CONFIRMED_SHARE),
        min_series=MIN_SERIES,
    )
    return main + w("hindcast.lead_band", min_n=formats.number(MIN_HINDCASTS), min_series=MIN_SERIES)


def rows_view(data: PlanData, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The hindcast rows for reading: names and words for codes, numbers by the one formatter."""
    w = words(lang)
    name = w("language.name")
    body = []
    for r in frame.to_dict("records"):
        confirmed = r["confirmed"]
        said = "hindcast.yes" if confirmed else "hindcast.no"
        body.append(
            [
                w.code("evidence", r["method"]),
                data.region_name(str(r["region_id"]), lang),
                str(data.indicator(str(r["indicator_id"]))[name]),
                formats.year(r["cut_year"]),
                w.period(r["period_start"], r["year"]),
                formats.number(r["from_value"]),
                formats.number(r["projected"]),
                formats.number(r["actual"]),
                formats.signed_percent(r["error"]),
                formats.number(r["threshold"]),
                formats.DASH if confirmed is None or confirmed != confirmed else w(said),
            ]
        )
    return pd.DataFrame(body, columns=[w(f"hindcast.column_{c}") for c in ROW_COLUMNS])
