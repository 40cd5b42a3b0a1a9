"""Column-by-column description of the curated tables in ``data/``.

``data/README.md`` documents the same columns for people; ``tests/test_docs.py``
checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MEASURES = (
    "stock",
    "share",
    "rate",
    "score",
    "annual_flow",
    "annual_growth_rate",
    "period_total",
    "status",
)
DIRECTIONS = ("higher", "lower")
LEVELS = ("national", "province", "prefecture", "district")
ATTRIBUTES = ("约束性", "预期性")
TARGET_KINDS = ("point", "lower_bound", "upper_bound", "range", "qualitative", "missing")
VALUE_QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound")
METHODS = ("stated", "derived")
GROWTH_PHRASES = ("times_increase", "ratio", "percent_increase", "pp_increase")
PROXY_KINDS = ("related_indicator", "parent_region", "previous_plan_record")
TIERS = ("A", "B", "C")  # A official site or bulletin, B national news agency or state medium, C identified copy
USES = ("yes", "no")  # "no": a conflicting value kept as data but not used (the note says why)
#: how an ambiguous target was read; the words for each code are in present/catalogue/*.toml
READINGS = (
    "previous_total_as_baseline",
    "total_over_plan",
    "new_over_plan",
    "target_year_inferred",
    "annual_or_total_ambiguous",
    "completion_counts_more",
    "same_series_as_other_table",
)
YEAR_RANGE = (1990, 2050)


@dataclass(frozen=True)
class Col:
    """One column: its type (``str``, ``float`` or ``int``), whether it may be empty, allowed values."""

    type: str = "str"
    required: bool = True
    allowed: tuple[str, ...] = ()
    year: bool = False


@dataclass(frozen=True)
class Table:
    """One CSV file: its columns in order and the columns that identify a row."""

    file: str
    columns: dict[str, Col]
    key: tuple[str, ...]
    optional_columns: tuple[str, ...] = field(default=())


TABLES: dict[str, Table] = {
    "regions": Table(
        "regions.csv",
        {
            "region_id": Col(),
            "name_zh": Col(),
            "name_en": Col(),
            "level": Col(allowed=LEVELS),
            "parent_id": Col(required=False),
        },
        ("region_id",),
    ),
    "plans": Table(
        "plans.csv",
        {
            "plan_id": Col(),
            "name_zh": Col(),
            "name_en": Col(),
            "start_year": Col("int", year=True),
            "end_year": Col("int", year=True),
            "previous_plan": Col(required=False),
            "note": Col(required=False),
        },
        ("plan_id",),
    ),
    "sources": Table(
        "sources.csv",
        {
            "source_id": Col(),
            "title": Col(),
            "issuer": Col(),
            "date": Col(required=False),
            "raw_file": Col(required=False),
            "url": Col(required=False),
            "retrieved": Col(required=False),
            "tier": Col(required=False, allowed=TIERS),
            "note": Col(required=False),
        },
        ("source_id",),
    ),
    "indicators": Table(
        "indicators.csv",
        {
            "indicator_id": Col(),
            "name_zh": Col(),
            "name_en": Col(),
            "unit": Col(required=False),
            "measure": Col(allowed=MEASURES),
            "direction": Col(allowed=DIRECTIONS),
            "not_comparable_with": Col(required=False),
            "note": Col(required=False),
        },
        ("indicator_id",),
    ),
    "targets": Table(
        "targets.csv",
        {
            "region_id": Col(),
            "plan": Col(),
            "indicator_id": Col(),
            "name_as_written": Col(),
            "unit_as_written": Col(required=False),
            "attribute": Col(required=False, allowed=ATTRIBUTES),
            "baseline_year": Col("int", required=False, year=True),
            "baseline_value": Col("float", required=False),
            "baseline_text": Col(required=False),
            "target_year": Col("int", year=True),
            "target_text": Col(required=False),
            "target_low": Col("float", required=False),
            "target_high": Col("float", required=False),
            "target_kind": Col(allowed=TARGET_KINDS),
            "actual_value": Col("float", required=False),
            "actual_text": Col(required=False),
            "source_id": Col(),
            "locator": Col(),
            "quote": Col(),
            "note": Col(required=False),
            "reading": Col(required=False, allowed=READINGS),
        },
        ("region_id", "plan", "indicator_id"),
    ),
    "observations": Table(
        "observations.csv",
        {
            "region_id": Col(),
            "indicator_id": Col(),
            "year": Col("int", year=True),
            "period_start": Col("int", required=False, year=True),
            "value": Col("float"),
            "unit_as_written": Col(required=False),
            "value_qualifier": Col(allowed=VALUE_QUALIFIERS),
            "series": Col(required=False),
            "covers": Col(required=False),
            "use": Col(required=False, allowed=USES),
            "method": Col(allowed=METHODS),
            "derived_from": Col("float", required=False),
            "growth_phrase": Col(required=False, allowed=GROWTH_PHRASES),
            "growth_number": Col("float", required=False),
            "derivation": Col(required=False),
            "source_id": Col(),
            "locator": Col(),
            "quote": Col(),
            "note": Col(required=False),
        },
        ("region_id", "indicator_id", "year", "period_start", "series", "covers", "source_id"),
    ),
    "proxies": Table(
        "proxies.csv",
        {
            "region_id": Col(),
            "indicator_id": Col(),
            "proxy_region_id": Col(),
            "proxy_indicator_id": Col(),
            "proxy_kind": Col(allowed=PROXY_KINDS),
            "rationale": Col(),
            "rationale_zh": Col(required=False),
        },
        ("region_id", "indicator_id"),
        optional_columns=("rationale_zh",),  # older folders without it still load
    ),
}

#: The order tables are read in: a table's foreign keys point to tables read before it.
LOAD_ORDER = ("regions", "plans", "sources", "indicators", "targets", "observations", "proxies")
