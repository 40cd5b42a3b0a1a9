"""The template's explanations and table cells through the one formatter; column headers from the catalogues.

Kept in one module for the workbook, the template, the command line and the chapter notebooks;
numbers go through :mod:`plantrack.present.formats`: years as plain integers (2018, never 2,018),
values with thousands separators and no exponent (40,000, never 4e+04), growth and shares as
percentages. :func:`plain` is the machine-readable form of ``--format csv``.
"""

from __future__ import annotations

import math
import re

from ..data.values import present
from . import formats

DASH = "—"


#: the template's own Chinese names where they differ from the tables' (原文（quote）, 来源网址（source_url）)
TEMPLATE_NAMES: dict[str, str] = {
    "name_as_written": "规划中的指标名称",
    "indicator_unit": "指标单位",
    "why_asked": "为何需要",
    "would_do": "对评估的作用",
    "quote": "原文",
    "note": "备注",
}

#: what to write in each column of the template (its second sheet)
TEMPLATE_HELP: dict[str, str] = {
    "region_id": "地区代码（已预填；新增行请从下拉列表选择）。",
    "indicator_id": "指标代码（已预填；新增行请从下拉列表选择）。",
    "name_as_written": "规划原文中的指标名称，仅供参考，导入时不读取。",
    "years_wanted": "评估所缺数值的年份，仅供参考；实际年份填在“年份”列。",
    "indicator_unit": "指标在数据表中的单位，仅供参考。",
    "why_asked": "为何需要这个数值（按优先级排序：存在风险、证据较弱的“进展正常”、结果待公布、尚无法评估），仅供参考。",
    "would_do": "评估拿到这个数值后会怎样使用它，仅供参考。",
    "year": "必填。数值所属年份（四位数字）。累计量填期末年份。",
    "value": "必填。按原文的单位填写数字，如原文“4.2万件”填 4.2、单位选“万件”。",
    "unit": "必填。原文使用的单位，从下拉列表选择（该指标可用的单位）。",
    "qualifier": "可空（默认 exact 确数）。approx 约数；lower_bound 原文为“超过/以上”；upper_bound 原文为“以下”。",
    "period_start": "仅累计量（“新增……”“累计……”）：累计的起始年份；已按规划期预填，可空。",
    "covers": "原文只报告一年的一部分时必填，如 1—9 月填 2025-01..2025-09；全年数值留空。",
    "quote": "必填。含该数值的原文句子，逐字复制（不改写、不换算）。",
    "quote_issue": "可空。原文有问题时填写：garbled（转载页面乱码，如“發(fā)明”）、"
    "wording_differs（原文措辞与指标不同，如“有效……授权量”）；两者都有时用 ; 分隔，并在备注中说明。"
    "依据该数值的判断按较弱证据计。",
    "source_id": "引用 sources.csv 中已有来源时填写其代码；新来源留空并填写后面五列。",
    "source_title": "新来源：原文标题。",
    "issuer": "新来源：原始发布单位（谁说的），转载网站不算发布单位。",
    "date": "新来源：发布日期，YYYY、YYYY-MM 或 YYYY-MM-DD。",
    "source_url": "新来源：找到原文的网址（http:// 或 https:// 开头）。",
    "tier": "新来源：A 政府网站或统计公报；B 国家通讯社或中央媒体；C 可识别原始出处的转载。",
    "retrieved": "新来源：获取原文的日期 YYYY-MM-DD；留空则按导入当天记录。",
    "note": "可空。需要说明的情况，如口径变化、修订。",
}

#: the rules of METHOD §8, as the template's second sheet states them
RULES_ZH: tuple[str, ...] = (
    "数值来自统计公报、知识产权局年报和新闻发布会、省市知识产权局公开信息等公开统计资料。",
    "注明原始出处（谁、在何处、何时发布），记录找到原文的网址和获取日期，并给来源分级：A 政府网站或统计公报，"
    "B 国家通讯社或中央媒体，C 可识别原始出处的转载。无法确认原始出处的数字不采用。",
    "原文逐字复制，数值按原文的单位填写；导入时原文作为该来源的存档文本保存，校验要求数值出现在原文中。",
    "同名指标口径可能变化（人口基数更新、是否含港澳台、经济普查后修订、累计口径调整）：每个数值按其口径记录，"
    "不同口径的数值不拼接计算增速，口径变化写在备注中。",
    "一年中部分时期的数值（1—9月、截至6月底）只代表该时期，不是全年数值，须填写“覆盖期间”。",
    "同一地区、指标和年份已有数值时，导入会拒绝覆盖；确需替换时使用 plantrack import --replace，并核对替换的行。",
)


# ---------------------------------------------------------------- numbers: through the one formatter


def _not_a_number(v: object) -> bool:
    """No number to show: no value (:func:`present`), or text that is not a number (a dash, on purpose)."""
    try:
        return not present(v) or math.isnan(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(v: object) -> str:
    """A value: thousands separated, no exponent (:func:`formats.number`; three significant digits below 1)."""
    if _not_a_number(v):
        return DASH
    return formats.number(v) if abs(float(v)) >= 1 or float(v) == 0 else formats.approx(v)  # type: ignore[arg-type]


def plain(v: object) -> str:
    """A value for machine-readable output: no separator, no exponent, empty if absent (:func:`formats.plain`)."""
    return "" if _not_a_number(v) else formats.plain(v)


def year(v: object) -> str:
    """A year as a plain integer (2018, never 2,018 or 2018.0)."""
    return formats.year(v)


def percent(v: object, decimals: int = 1, signed: bool = True) -> str:
    """A rate as a signed percentage (+9.6%, −3.0%) or a share (81%)."""
    if _not_a_number(v):
        return DASH
    return formats.signed_percent(v) if signed else formats.percent(v, decimals)


def ratio(v: object) -> str:
    """A ratio such as R with two decimals."""
    return formats.ratio(v)


#: columns holding years (2018, never 2,018), signed rates, unsigned shares and ratios
YEAR_COLUMNS = frozenset({
    "year", "baseline_year", "target_year", "latest_year", "latest_period_start", "growth_from_year",
    "growth_to_year", "projection_year", "as_of", "as_of_then", "actual_year", "outlook_year", "period_start",
    "start_year", "end_year",
})
RATE_COLUMNS = frozenset({"required_growth", "observed_growth", "assumed_growth", "margin", "error"})
SHARE_COLUMNS = frozenset({"completion_ratio", "progress_ratio"})
RATIO_COLUMNS = frozenset({"R", "vs_compared", "vs_national"})


def _group(m: re.Match[str]) -> str:
    whole, frac = m.group(1), m.group(2) or ""
    if len(whole) == 4 and 1900 <= int(whole) <= 2100:  # a year
        return whole + frac
    return f"{int(whole):,}{frac}"


def grouped(text: str) -> str:
    """Numbers inside a written text with thousands separators (100000 → 100,000); years stay as they are."""
    return re.sub(r"(?<![\d.,])(\d{4,})(\.\d+)?", _group, text)


def cell(column: str, v: object) -> str:
    """One value of a table for reading: years plain, rates signed %, shares %, ratios 0.00, numbers 12,345."""
    if v is None or isinstance(v, str):
        if v is None or v == "":
            return DASH
        return grouped(v) if column.endswith("_text") else v
    if isinstance(v, bool):
        return "✓" if v else ""
    if _not_a_number(v):
        return DASH
    if column in YEAR_COLUMNS:
        return year(v)
    if column in RATE_COLUMNS:
        return percent(v)
    if column in SHARE_COLUMNS:
        return percent(v, 0, signed=False)
    if column in RATIO_COLUMNS:
        return ratio(v)
    return number(v)


def header(column: str, lang: str) -> str:
    """A column's name in ``lang`` (``[column]`` of its catalogue; the id itself when unknown)."""
    from .words import words

    return words(lang).entries.get(f"column.{column}", column)
