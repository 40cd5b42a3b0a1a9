"""The curated tables of ``data/`` declared once, as pandera ``DataFrameModel`` classes.

Each class is the single source of a table's columns (in file order), their types, whether
they may be empty, their allowed values, which columns hold years (a year range) and which refer to another
table (``references`` in a field's metadata: the referenced table's first key column). The
table itself carries its file name, its key and the columns older folders may lack in
``Config.metadata``, and each column its titles (zh, en) and a one-line description (:class:`ColumnDoc`,
declared once here). :mod:`plantrack.data.schema` reads these classes (lazily: pandera is
imported only when a table is validated or described); ``tests/test_packaging.py`` checks
``data/README.md`` against them.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    MAGNITUDES,
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


@dataclass(frozen=True)
class ColumnDoc:
    """What a person reads about a column: its title in each language and a one-line description.

    ``data/README.md``'s column tables begin each meaning with the description, the exported
    workbook's data sheets and the template title their columns with it (tests check both).
    """

    title: dict[str, str]
    description: str


def _doc(zh: str, en: str, description: str) -> ColumnDoc:
    """A column's titles (zh, en) and its one-line description."""
    return ColumnDoc({"zh": zh, "en": en}, description)


def _metadata(doc: ColumnDoc, references: str = "") -> dict[str, Any]:
    meta: dict[str, Any] = {"doc": doc}
    if references:
        meta["references"] = references
    return meta


def _text(doc: ColumnDoc, *, optional: bool = False, allowed: tuple[str, ...] = (), references: str = "") -> Any:
    """A text column: required unless ``optional``, limited to ``allowed``, or naming a row of ``references``."""
    return pa.Field(
        nullable=optional,
        isin=list(allowed) if allowed else None,
        metadata=_metadata(doc, references),
    )


def _number(doc: ColumnDoc, *, optional: bool = False) -> Any:
    """A decimal number (read as float)."""
    return pa.Field(nullable=optional, coerce=True, metadata=_metadata(doc))


def _year(doc: ColumnDoc, *, optional: bool = False) -> Any:
    """A whole number that is a plausible year."""
    return pa.Field(nullable=optional, coerce=True, in_range=_YEARS, metadata=_metadata(doc))


Int = Series[pd.Int64Dtype]


class Regions(pa.DataFrameModel):
    """``regions.csv``: every region, its level and the region it belongs to."""

    region_id: Series[str] = _text(_doc("地区代码", "region id", "id used everywhere"))
    name_zh: Series[str] = _text(_doc("中文名称", "Chinese name", "Chinese name"))
    name_en: Series[str] = _text(_doc("英文名称", "English name", "English name"))
    level: Series[str] = _text(_doc("级别", "level", "administrative level"), allowed=LEVELS)
    parent_id: Series[str] = _text(
        _doc("上级地区", "parent region", "the region it belongs to"), optional=True, references="regions"
    )

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "regions.csv", "key": ("region_id",)}


class Plans(pa.DataFrameModel):
    """``plans.csv``: each plan's period and the plan before it."""

    plan_id: Series[str] = _text(_doc("规划代码", "plan id", "plan id"))
    name_zh: Series[str] = _text(_doc("中文名称", "Chinese name", "Chinese and English names"))
    name_en: Series[str] = _text(_doc("英文名称", "English name", "Chinese and English names"))
    start_year: Int = _year(_doc("起始年份", "first year", "first and last year covered"))
    end_year: Int = _year(_doc("结束年份", "last year", "first and last year covered"))
    previous_plan: Series[str] = _text(
        _doc("上一规划", "previous plan", "the plan before this one"), optional=True, references="plans"
    )
    note: Series[str] = _text(_doc("说明", "note", "anything else"), optional=True)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "plans.csv", "key": ("plan_id",)}


class Sources(pa.DataFrameModel):
    """``sources.csv``: the documents and retrieved texts that quotes come from."""

    source_id: Series[str] = _text(_doc("来源代码", "source id", "id cited by targets and observations"))
    title: Series[str] = _text(_doc("标题", "title", "document title as published"))
    issuer: Series[str] = _text(_doc("发布单位", "issuer", "issuing body (or author)"))
    date: Series[str] = _text(_doc("发布日期", "date", "issue date where known"), optional=True)
    raw_file: Series[str] = _text(
        _doc("存档原文", "stored text", "file in `raw/`; the quote check runs against it"), optional=True
    )
    url: Series[str] = _text(_doc("网址", "address", "the address where the text was found"), optional=True)
    retrieved: Series[str] = _text(_doc("获取日期", "retrieved", "the day the text was retrieved"), optional=True)
    tier: Series[str] = _text(_doc("来源等级", "tier", "how close to the original"), optional=True, allowed=TIERS)
    note: Series[str] = _text(_doc("说明", "note", "e.g. which of several documents in one raw file"), optional=True)

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "sources.csv", "key": ("source_id",)}


class Indicators(pa.DataFrameModel):
    """``indicators.csv``: the canonical catalogue of indicators."""

    indicator_id: Series[str] = _text(_doc("指标代码", "indicator id", "id"))
    name_zh: Series[str] = _text(_doc("指标", "indicator", "canonical names (each target also keeps its own wording)"))
    name_en: Series[str] = _text(
        _doc("指标（英文）", "indicator (English)", "canonical names (each target also keeps its own wording)")
    )
    unit: Series[str] = _text(_doc("单位", "unit", "normalised unit"), optional=True)
    measure: Series[str] = _text(_doc("度量类型", "measure", "what is measured"), allowed=MEASURES)
    direction: Series[str] = _text(
        _doc("方向", "direction", "`higher` (higher is better) or `lower`"), allowed=DIRECTIONS
    )
    not_comparable_with: Series[str] = _text(
        _doc(
            "不可比指标",
            "not comparable with",
            "look-alike indicators (ids, separated by `;`) that must not be put on one scale with this one",
        ),
        optional=True,
    )
    note: Series[str] = _text(_doc("说明", "note", "what it is not, and the names the plans use"), optional=True)
    relation: Series[str] = _text(
        _doc("指标关系", "relation", "how the indicator is computed from another one"), optional=True, allowed=RELATIONS
    )
    relation_of: Series[str] = _text(
        _doc("由此指标计算", "computed from", "the indicator it is computed from"),
        optional=True,
        references="indicators",
    )
    relation_per: Series[str] = _text(
        _doc("人口指标", "population indicator", "for `per_10k`: the population indicator"),
        optional=True,
        references="indicators",
    )
    relation_definitions: Series[str] = _text(
        _doc("口径是否一致", "definitions", "`same` where the related series counts the same thing"),
        optional=True,
        allowed=DEFINITIONS,
    )
    relation_rationale: Series[str] = _text(
        _doc("关系说明", "relation rationale", "why the relation holds"), optional=True
    )
    magnitude: Series[str] = _text(
        _doc("绝对量或相对量", "magnitude", "`relative` for a count per person or per firm; empty: the unit's"),
        optional=True,
        allowed=MAGNITUDES,
    )

    class Config:
        strict = False
        # older folders without the relation columns still load
        metadata: ClassVar[dict[str, Any]] = {
            "file": "indicators.csv",
            "key": ("indicator_id",),
            "optional_columns": (
                "relation",
                "relation_of",
                "relation_per",
                "relation_definitions",
                "relation_rationale",
                "magnitude",
            ),
        }


class Targets(pa.DataFrameModel):
    """``targets.csv``: one row per region × plan × indicator, as written."""

    region_id: Series[str] = _text(
        _doc("地区代码", "region id", "the region, the plan and the indicator"), references="regions"
    )
    plan: Series[str] = _text(_doc("规划代码", "plan id", "the region, the plan and the indicator"), references="plans")
    indicator_id: Series[str] = _text(
        _doc("指标代码", "indicator id", "the region, the plan and the indicator"), references="indicators"
    )
    name_as_written: Series[str] = _text(
        _doc("指标（原文）", "indicator as written", "indicator name exactly as in the document")
    )
    unit_as_written: Series[str] = _text(
        _doc("单位（原文）", "unit as written", "unit as in the document"), optional=True
    )
    attribute: Series[str] = _text(_doc("属性", "attribute", "binding or expected"), optional=True, allowed=ATTRIBUTES)
    baseline_year: Int = _year(_doc("基期年份", "baseline year", "year the baseline refers to"), optional=True)
    baseline_value: Series[float] = _number(
        _doc("基期值", "baseline value", "baseline as a number, when it is one"), optional=True
    )
    baseline_text: Series[str] = _text(
        _doc("基期值（原文）", "baseline as written", "baseline as written"), optional=True
    )
    target_year: Int = _year(_doc("目标年份", "target year", "year the target is for"))
    target_text: Series[str] = _text(_doc("目标值（原文）", "target as written", "target as written"), optional=True)
    target_low: Series[float] = _number(_doc("目标下限", "target low", "the target's parsed bounds"), optional=True)
    target_high: Series[float] = _number(_doc("目标上限", "target high", "the target's parsed bounds"), optional=True)
    target_kind: Series[str] = _text(_doc("目标类型", "target kind", "what the target text is"), allowed=TARGET_KINDS)
    actual_value: Series[float] = _number(
        _doc("完成值", "actual value", "completion of a finished plan"), optional=True
    )
    actual_text: Series[str] = _text(
        _doc("完成情况（原文）", "completion as written", "completion of a finished plan"), optional=True
    )
    source_id: Series[str] = _text(_doc("来源代码", "source id", "the document"), references="sources")
    locator: Series[str] = _text(_doc("位置", "where in the source", "table and row"))
    quote: Series[str] = _text(_doc("原文引文", "quote", "verbatim text containing every number of the row"))
    note: Series[str] = _text(_doc("说明", "note", "where the same target is also written elsewhere"), optional=True)
    reading: Series[str] = _text(
        _doc("口径判断", "reading", "a code for how an ambiguous target was read"), optional=True, allowed=READINGS
    )

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {"file": "targets.csv", "key": ("region_id", "plan", "indicator_id")}


class Observations(pa.DataFrameModel):
    """``observations.csv``: values of an indicator for a region and year, each with its quote."""

    region_id: Series[str] = _text(_doc("地区代码", "region id", "the region and the indicator"), references="regions")
    indicator_id: Series[str] = _text(
        _doc("指标代码", "indicator id", "the region and the indicator"), references="indicators"
    )
    year: Int = _year(_doc("年份", "year", "the year the value refers to"))
    period_start: Int = _year(_doc("累计起始年", "period start", "first year of the period"), optional=True)
    value: Series[float] = _number(_doc("数值", "value", "the number, in `unit_as_written`"))
    unit_as_written: Series[str] = _text(_doc("单位（原文）", "unit as written", "unit as in the quote"), optional=True)
    value_qualifier: Series[str] = _text(
        _doc("数值限定", "qualifier", "how exact the value is"), allowed=VALUE_QUALIFIERS
    )
    series: Series[str] = _text(_doc("统计口径", "series", "which definition"), optional=True)
    covers: Series[str] = _text(_doc("覆盖期间", "part of year", "the part of the year"), optional=True)
    use: Series[str] = _text(_doc("是否采用", "used", "whether the value is used"), optional=True, allowed=USES)
    method: Series[str] = _text(
        _doc(
            "取得方式",
            "method",
            "`stated` (the document gives it) or `derived` (computed from a stated figure)",
        ),
        allowed=METHODS,
    )
    derived_from: Series[float] = _number(
        _doc("推算所据数值", "derived from", "for derived rows: the stated figure it comes from"), optional=True
    )
    growth_phrase: Series[str] = _text(
        _doc("增长表述", "growth phrase", "for derived rows, the growth phrase"), optional=True, allowed=GROWTH_PHRASES
    )
    growth_number: Series[float] = _number(_doc("增长数值", "growth number", "the N of the phrase"), optional=True)
    derivation: Series[str] = _text(_doc("推算过程", "derivation", "the arithmetic written out"), optional=True)
    source_id: Series[str] = _text(
        _doc("来源代码", "source id", "the source, where in it, and the verbatim quote"), references="sources"
    )
    locator: Series[str] = _text(_doc("位置", "where in the source", "the source, where in it, and the verbatim quote"))
    quote: Series[str] = _text(_doc("原文引文", "quote", "the source, where in it, and the verbatim quote"))
    note: Series[str] = _text(_doc("说明", "note", "the reading chosen"), optional=True)
    quote_issue: Series[str] = _text(
        _doc("引文问题", "quote issue", "what is wrong with the quote: `garbled`, `wording_differs` (`;` between)"),
        optional=True,
    )

    class Config:
        strict = False
        metadata: ClassVar[dict[str, Any]] = {
            "file": "observations.csv",
            "key": ("region_id", "indicator_id", "year", "period_start", "series", "covers", "source_id"),
            "optional_columns": ("quote_issue",),  # older folders without it still load
        }


class Proxies(pa.DataFrameModel):
    """``proxies.csv``: declared stand-ins for a target without a series of its own."""

    region_id: Series[str] = _text(
        _doc(
            "地区代码",
            "region id",
            "the target's indicator that has no 13th-plan growth of its own",
        ),
        references="regions",
    )
    indicator_id: Series[str] = _text(
        _doc(
            "指标代码",
            "indicator id",
            "the target's indicator that has no 13th-plan growth of its own",
        ),
        references="indicators",
    )
    proxy_region_id: Series[str] = _text(
        _doc("替代地区", "stand-in region", "whose growth stands in"), references="regions"
    )
    proxy_indicator_id: Series[str] = _text(
        _doc("替代指标", "stand-in indicator", "whose growth stands in"), references="indicators"
    )
    proxy_kind: Series[str] = _text(_doc("替代类型", "kind of stand-in", "the kind of stand-in"), allowed=PROXY_KINDS)
    rationale: Series[str] = _text(_doc("理由（英文）", "rationale", "why it is a fair stand-in"))
    rationale_zh: Series[str] = _text(_doc("理由", "rationale (Chinese)", "the same in Chinese"), optional=True)

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

    indicator_id: Series[str] = _text(_doc("指标代码", "indicator id", "the indicator"), references="indicators")
    channel: Series[str] = _text(_doc("发布渠道", "channel", "`cnipa_statistics`"), allowed=CHANNELS)
    source_id: Series[str] = _text(
        _doc("来源代码", "source id", "a stored source that publishes such a figure"),
        optional=True,
        references="sources",
    )
    reason: Series[str] = _text(_doc("理由", "reason", "otherwise (or as well) why that channel"), optional=True)

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
