"""Column names (Chinese and English), the template's explanations, and table cells through the one formatter.

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

#: column id → (Chinese, English); every workbook uses one language for all its headers
COLUMNS: dict[str, tuple[str, str]] = {
    "region_id": ("地区代码", "region id"),
    "region": ("地区", "region"),
    "region_zh": ("地区", "region"),
    "plan": ("规划代码", "plan id"),
    "indicator_id": ("指标代码", "indicator id"),
    "indicator_zh": ("指标", "indicator"),
    "name_as_written": ("指标（原文）", "indicator as written"),
    "name_en": ("指标（英文）", "indicator (English)"),
    "unit": ("单位", "unit"),
    "unit_as_written": ("单位（原文）", "unit as written"),
    "measure": ("度量类型", "measure"),
    "direction": ("方向", "direction"),
    "attribute": ("属性", "attribute"),
    "reading": ("口径判断", "reading"),
    "baseline_year": ("基期年份", "baseline year"),
    "baseline_value": ("基期值", "baseline value"),
    "baseline_text": ("基期值（原文）", "baseline as written"),
    "target_year": ("目标年份", "target year"),
    "target_text": ("目标值（原文）", "target as written"),
    "target_kind": ("目标类型", "target kind"),
    "target_value": ("目标值", "target value"),
    "target_low": ("目标下限", "target low"),
    "target_low_norm": ("目标下限（标准单位）", "target low (catalogue unit)"),
    "target_high_norm": ("目标上限（标准单位）", "target high (catalogue unit)"),
    "target_threshold": ("判断所用目标值（原文单位）", "threshold judged against (unit as written)"),
    "target_threshold_norm": ("判断所用目标值（标准单位）", "threshold judged against (catalogue unit)"),
    "basis_years": ("推算所依据的年份", "years the projection rests on"),
    "ambition": ("目标为上期累计的倍数", "target ÷ previous period's total"),
    "method_hindcasts": ("此类推算回测次数", "hindcasts of the method"),
    "method_confirmed": ("回测判断正确次数", "hindcast categories confirmed"),
    "method_judged": ("回测可对照目标次数", "hindcasts judged against a target"),
    "lean": ("仅为倾向判断", "lean only"),
    "band_low": ("回测误差区间下限", "hindcast band low"),
    "band_high": ("回测误差区间上限", "hindcast band high"),
    "relation": ("指标关系", "relation"),
    "relation_of": ("由此指标计算", "computed from"),
    "relation_per": ("人口指标", "population indicator"),
    "relation_definitions": ("口径是否一致", "definitions"),
    "relation_rationale": ("关系说明", "relation rationale"),
    "target_high": ("目标上限", "target high"),
    "target_strict": ("严格不等", "strict bound"),
    "actual_value": ("完成值", "actual value"),
    "actual_text": ("完成情况（原文）", "completion as written"),
    "as_of": ("评估年份", "as of"),
    "latest_year": ("最新年份", "latest year"),
    "latest_period_start": ("最新值起始年", "latest period start"),
    "latest_value": ("最新值", "latest value"),
    "latest_method": ("最新值来源类型", "latest value method"),
    "latest_source_id": ("最新值来源代码", "latest value source id"),
    "outcome": ("状态", "outcome"),
    "margin": ("超出目标", "margin"),
    "evidence": ("证据等级", "evidence"),
    "weak": ("证据较弱", "weak evidence"),
    "growth_per": ("增速口径", "growth per"),
    "growth_region_id": ("增速所用地区", "growth region id"),
    "growth_indicator_id": ("增速所用指标", "growth indicator id"),
    "growth_from_year": ("增速起始年", "growth from year"),
    "growth_from_value": ("增速起始值", "growth from value"),
    "growth_to_year": ("增速终止年", "growth to year"),
    "growth_to_value": ("增速终止值", "growth to value"),
    "observed_growth": ("实际增速", "observed growth"),
    "assumed_growth": ("预测所用增速", "assumed growth"),
    "required_growth": ("所需增速", "growth required"),
    "projection_year": ("预测年份", "projection year"),
    "projection_low": ("预测（低）", "projection low"),
    "projection_central": ("预测（中）", "projection central"),
    "projection_high": ("预测（高）", "projection high"),
    "R": ("R 值", "R"),
    "progress_ratio": ("进度比", "progress ratio"),
    "verdict": ("判断代码", "verdict code"),
    "verdict_words": ("判断", "verdict"),
    "fragile": ("结论不稳健", "fragile"),
    "verdict_alt": ("另一口径下的判断", "verdict under the other assumption"),
    "fragile_under": ("改变判断的假设", "assumption that changes it"),
    "reason": ("原因代码", "reason code"),
    "why": ("说明", "why"),
    "missing_indicator_id": ("缺少数值的指标", "indicator missing a value"),
    "missing_region_id": ("缺少数值的地区", "region missing a value"),
    "missing_years": ("缺少的年份", "years missing"),
    "compared_with": ("比较对象", "compared with"),
    "vs_compared": ("相对上级", "vs parent"),
    "vs_national": ("相对全国", "vs national"),
    "note": ("说明", "note"),
    "source_id": ("来源代码", "source id"),
    "locator": ("位置", "where in the source"),
    "quote": ("原文引文", "quote"),
    "indicator_a": ("指标甲", "indicator A"),
    "regions_a": ("地区甲", "regions A"),
    "indicator_b": ("指标乙", "indicator B"),
    "regions_b": ("地区乙", "regions B"),
    "why_not_compared": ("不作比较的原因", "why not compared"),
    "completion_ratio": ("完成率", "completion ratio"),
    "status": ("完成状态代码", "status code"),
    "status_words": ("状态", "status"),
    "as_of_then": ("当时评估年份", "as of then"),
    "evidence_then": ("当时证据等级", "evidence then"),
    "projected": ("当时预测值", "projected then"),
    "verdict_then": ("当时判断", "verdict then"),
    "actual": ("实际值", "actual"),
    "outcome_from": ("结果来源", "outcome from"),
    "outlook_year": ("展望年份", "outlook year"),
    "outlook_low": ("展望下限", "outlook low"),
    "outlook_central": ("展望值", "outlook"),
    "outlook_high": ("展望上限", "outlook high"),
    "band_from": ("区间依据", "band from"),
    "draft_value": ("拟定目标", "draft target"),
    "parent_growth": ("上级地区增速", "parent's growth"),
    "national_growth": ("全国增速", "national growth"),
    "actual_year": ("实际值年份", "actual year"),
    "error": ("预测误差", "error"),
    "outcome_now": ("实际结果", "outcome now"),
    "confirmed": ("结果印证判断", "confirmed"),
    "year": ("年份", "year"),
    "period_start": ("累计起始年", "period start"),
    "value": ("数值", "value"),
    "value_qualifier": ("数值限定", "qualifier"),
    "series": ("统计口径", "series"),
    "covers": ("覆盖期间", "part of year"),
    "use": ("是否采用", "used"),
    "method": ("取得方式", "method"),
    "derived_from": ("推算所据数值", "derived from"),
    "growth_phrase": ("增长表述", "growth phrase"),
    "growth_number": ("增长数值", "growth number"),
    "derivation": ("推算过程", "derivation"),
    "title": ("标题", "title"),
    "issuer": ("发布单位", "issuer"),
    "date": ("发布日期", "date"),
    "raw_file": ("存档原文", "stored text"),
    "url": ("网址", "address"),
    "retrieved": ("获取日期", "retrieved"),
    "tier": ("来源等级", "tier"),
    # the template's own columns
    "years_wanted": ("所缺年份", "years wanted"),
    "indicator_unit": ("指标单位", "indicator unit"),
    "qualifier": ("数值限定", "qualifier"),
    "source_title": ("来源标题", "source title"),
    "source_url": ("来源网址", "source address"),
}

#: the template's own Chinese names where they differ from the tables' (原文（quote）, 来源网址（source_url）)
TEMPLATE_NAMES: dict[str, str] = {
    "name_as_written": "规划中的指标名称",
    "indicator_unit": "指标单位",
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
    "year": "必填。数值所属年份（四位数字）。累计量填期末年份。",
    "value": "必填。按原文的单位填写数字，如原文“4.2万件”填 4.2、单位选“万件”。",
    "unit": "必填。原文使用的单位，从下拉列表选择（该指标可用的单位）。",
    "qualifier": "可空（默认 exact 确数）。approx 约数；lower_bound 原文为“超过/以上”；upper_bound 原文为“以下”。",
    "period_start": "仅累计量（“新增……”“累计……”）：累计的起始年份；已按规划期预填，可空。",
    "covers": "原文只报告一年的一部分时必填，如 1—9 月填 2025-01..2025-09；全年数值留空。",
    "quote": "必填。含该数值的原文句子，逐字复制（不改写、不换算）。",
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


def _absent(v: object) -> bool:
    """No number to show: no value (:func:`present`), or text that is not a number (a dash, on purpose)."""
    try:
        return not present(v) or math.isnan(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(v: object) -> str:
    """A value: thousands separated, no exponent (:func:`formats.number`; three significant digits below 1)."""
    if _absent(v):
        return DASH
    return formats.number(v) if abs(float(v)) >= 1 or float(v) == 0 else formats.approx(v)  # type: ignore[arg-type]


def plain(v: object) -> str:
    """A value for machine-readable output: no separator, no exponent, empty if absent (:func:`formats.plain`)."""
    return "" if _absent(v) else formats.plain(v)


def year(v: object) -> str:
    """A year as a plain integer (2018, never 2,018 or 2018.0)."""
    return formats.year(v)


def percent(v: object, decimals: int = 1, signed: bool = True) -> str:
    """A rate as a signed percentage (+9.6%, −3.0%) or a share (81%)."""
    if _absent(v):
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
    if _absent(v):
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
    """A column's name in ``lang`` (the id itself when unknown)."""
    pair = COLUMNS.get(column)
    return column if pair is None else pair[0 if lang == "zh" else 1]
