"""The curated tables of ``data/`` declared once, as pandera ``DataFrameModel`` classes.

Each class is the single source of a table's columns (in file order), their types, whether
they may be empty, their allowed values, which columns hold years (a year range) and which refer to another
table (``references`` in a field's metadata: the referenced table's first key column). The
table itself carries its file name, its key and the columns older folders may lack in
``Config.metadata``. :mod:`plantrack.data.schema` reads these classes (lazily: pandera is
imported only when a table is validated or described); ``tests/test_packaging.py`` checks
``data/README.md`` against them.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .vocabulary import (
    ATTRIBUTES,
    CHANNELS,
    DEFINITIONS,
    DIRECTIONS,
    GROWTH_PHRASES,
    LEVELS,
    MEASURES,
    METHODS,
    PROXY_KINDS,
    READINGS,
    RELATIONS,
    TARGET_KINDS,
    TIERS,
    USES,
    VALUE_QUALIFIERS,
    YEAR_RANGE,
)

_YEARS = {"min_value": YEAR_RANGE[0], "max_value": YEAR_RANGE[1]}


def _text(*, optional: bool = False, allowed: tuple[str, ...] = (), references: str = "") -> Any:
    """A text column: required unless ``optional``, limited to ``allowed``, or naming a row of ``references``."""
    return pa.Field(
        nullable=optional,
        isin=list(allowed) if allowed else None,
        metadata={"references": references} if references else None,
    )


def _number(*, optional: bool = False) -> Any:
    """A decimal number (read as float)."""
    return pa.Field(nullable=optional, coerce=True)


def _year(*, optional: bool = False) -> Any:
    """A whole number that is a plausible year."""
    return pa.Field(nullable=optional, coerce=True, in_range=_YEARS)


Int = Series[pd.Int64Dtype]


class Regions(pa.DataFrameModel):
    """``regions.csv``: every region, its level and the region it belongs to."""

    region_id: Series[str] = _text()
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    level: Series[str] = _text(allowed=LEVELS)
    parent_id: Series[str] = _text(optional=True, references="regions")

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "regions.csv", "key": ("region_id",)}


class Plans(pa.DataFrameModel):
    """``plans.csv``: each plan's period and the plan before it."""

    plan_id: Series[str] = _text()
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    start_year: Int = _year()
    end_year: Int = _year()
    previous_plan: Series[str] = _text(optional=True, references="plans")
    note: Series[str] = _text(optional=True)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "plans.csv", "key": ("plan_id",)}


class Sources(pa.DataFrameModel):
    """``sources.csv``: the documents and retrieved texts that quotes come from."""

    source_id: Series[str] = _text()
    title: Series[str] = _text()
    issuer: Series[str] = _text()
    date: Series[str] = _text(optional=True)
    raw_file: Series[str] = _text(optional=True)
    url: Series[str] = _text(optional=True)
    retrieved: Series[str] = _text(optional=True)
    tier: Series[str] = _text(optional=True, allowed=TIERS)
    note: Series[str] = _text(optional=True)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "sources.csv", "key": ("source_id",)}


class Indicators(pa.DataFrameModel):
    """``indicators.csv``: the canonical catalogue of indicators."""

    indicator_id: Series[str] = _text()
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    unit: Series[str] = _text(optional=True)
    measure: Series[str] = _text(allowed=MEASURES)
    direction: Series[str] = _text(allowed=DIRECTIONS)
    not_comparable_with: Series[str] = _text(optional=True)
    note: Series[str] = _text(optional=True)
    relation: Series[str] = _text(optional=True, allowed=RELATIONS)
    relation_of: Series[str] = _text(optional=True, references="indicators")
    relation_per: Series[str] = _text(optional=True, references="indicators")
    relation_definitions: Series[str] = _text(optional=True, allowed=DEFINITIONS)
    relation_rationale: Series[str] = _text(optional=True)

    class Config:
        strict = False
        # older folders without the relation columns still load
        metadata: ClassVar[dict[str, Any]] = {
            "file": "indicators.csv",
            "key": ("indicator_id",),
            "optional_columns": (
                "relation", "relation_of", "relation_per", "relation_definitions", "relation_rationale",
            ),
        }


class Targets(pa.DataFrameModel):
    """``targets.csv``: one row per region × plan × indicator, as written."""

    region_id: Series[str] = _text(references="regions")
    plan: Series[str] = _text(references="plans")
    indicator_id: Series[str] = _text(references="indicators")
    name_as_written: Series[str] = _text()
    unit_as_written: Series[str] = _text(optional=True)
    attribute: Series[str] = _text(optional=True, allowed=ATTRIBUTES)
    baseline_year: Int = _year(optional=True)
    baseline_value: Series[float] = _number(optional=True)
    baseline_text: Series[str] = _text(optional=True)
    target_year: Int = _year()
    target_text: Series[str] = _text(optional=True)
    target_low: Series[float] = _number(optional=True)
    target_high: Series[float] = _number(optional=True)
    target_kind: Series[str] = _text(allowed=TARGET_KINDS)
    actual_value: Series[float] = _number(optional=True)
    actual_text: Series[str] = _text(optional=True)
    source_id: Series[str] = _text(references="sources")
    locator: Series[str] = _text()
    quote: Series[str] = _text()
    note: Series[str] = _text(optional=True)
    reading: Series[str] = _text(optional=True, allowed=READINGS)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "targets.csv", "key": ("region_id", "plan", "indicator_id")}


class Observations(pa.DataFrameModel):
    """``observations.csv``: values of an indicator for a region and year, each with its quote."""

    region_id: Series[str] = _text(references="regions")
    indicator_id: Series[str] = _text(references="indicators")
    year: Int = _year()
    period_start: Int = _year(optional=True)
    value: Series[float] = _number()
    unit_as_written: Series[str] = _text(optional=True)
    value_qualifier: Series[str] = _text(allowed=VALUE_QUALIFIERS)
    series: Series[str] = _text(optional=True)
    covers: Series[str] = _text(optional=True)
    use: Series[str] = _text(optional=True, allowed=USES)
    method: Series[str] = _text(allowed=METHODS)
    derived_from: Series[float] = _number(optional=True)
    growth_phrase: Series[str] = _text(optional=True, allowed=GROWTH_PHRASES)
    growth_number: Series[float] = _number(optional=True)
    derivation: Series[str] = _text(optional=True)
    source_id: Series[str] = _text(references="sources")
    locator: Series[str] = _text()
    quote: Series[str] = _text()
    note: Series[str] = _text(optional=True)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {
            "file": "observations.csv",
            "key": ("region_id", "indicator_id", "year", "period_start", "series", "covers", "source_id"),
        }


class Proxies(pa.DataFrameModel):
    """``proxies.csv``: declared stand-ins for a target without a series of its own."""

    region_id: Series[str] = _text(references="regions")
    indicator_id: Series[str] = _text(references="indicators")
    proxy_region_id: Series[str] = _text(references="regions")
    proxy_indicator_id: Series[str] = _text(references="indicators")
    proxy_kind: Series[str] = _text(allowed=PROXY_KINDS)
    rationale: Series[str] = _text()
    rationale_zh: Series[str] = _text(optional=True)

    class Config:
        strict = False
        # older folders without rationale_zh still load
        metadata: ClassVar[dict[str, Any]] = {
            "file": "proxies.csv",
            "key": ("region_id", "indicator_id"),
            "optional_columns": ("rationale_zh",),
        }


class Published(pa.DataFrameModel):
    """``published.csv``: where figures of an indicator are usually published, with a source or a reason."""

    indicator_id: Series[str] = _text(references="indicators")
    channel: Series[str] = _text(allowed=CHANNELS)
    source_id: Series[str] = _text(optional=True, references="sources")
    reason: Series[str] = _text(optional=True)

    class Config:
        strict = False
        # a data folder of an earlier version has no such file: the data-gap appendix then names no channel
        metadata: ClassVar[dict[str, Any]] = {"file": "published.csv", "key": ("indicator_id",), "optional_file": True}


#: Every table's model, by table name.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    "regions": Regions,
    "plans": Plans,
    "sources": Sources,
    "indicators": Indicators,
    "targets": Targets,
    "observations": Observations,
    "proxies": Proxies,
    "published": Published,
}
