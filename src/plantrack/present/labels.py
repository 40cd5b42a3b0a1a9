"""Words for the assessment's codes, in Chinese and English (one table per kind of code)."""

from __future__ import annotations

from ..analysis.verdict import is_ahead

VERDICTS = {
    "achieved": ("已实现", "Achieved"),
    "on_track": ("符合预期", "On track"),
    "acceleration_needed": ("需加快", "Acceleration needed"),
    "insufficient": ("明显滞后", "Lagging"),
    "moving_away": ("逆向", "Moving away"),
    "missed": ("未实现", "Missed"),
    "not_projectable": ("无法判断", "Cannot be judged"),
    "not_quantifiable": ("无法量化", "Not quantifiable"),
    "no_target": ("未设目标", "No target stated"),
}
AHEAD = ("快于预期", "Ahead of schedule")
OUTCOMES = {
    "final": ("最终结果", "final outcome"),
    "pending": ("目标年已过，待统计公布（按最新值推算）", "target year passed, outcome pending statistics (projected)"),
    "projected": ("预测", "projected"),
    "unassessed": ("未评估", "not assessed"),
}
EVIDENCE = {
    "actual": ("实际值", "actual value"),
    "own_3": ("本指标，≥3个数据点", "own series, 3+ points"),
    "own_2": ("本指标，2个数据点", "own series, 2 points"),
    "own_derived": ("本指标，含推算点", "own series with a derived point"),
    "own_partial": ("规划期内部分累计，按比例外推", "part of the period so far, pro rata"),
    "previous_pace": ("按上一规划期同等速度（弱）", "previous plan's pace (weak)"),
    "previous_record": ("按上一规划期完成记录（弱）", "previous plan's record (weak)"),
    "proxy": ("替代指标（弱）", "proxy (weak)"),
    "benchmark": ("参照上级地区增速（弱）", "benchmark: parent region's growth (weak)"),
    "custom": ("手动设定增速", "growth set by hand"),
    "none": ("无数据", "no evidence"),
}
REASONS = {
    "no_value": ("缺少该指标的数值", "no value of this indicator"),
    "no_growth": ("只有一个数据点，缺少增速", "one point only: no growth"),
    "nonpositive_value": ("最新值为零或负数，无法计算增速", "latest value is zero or negative: no growth"),
    "required_not_positive": ("所需增速不为正，数据可能不一致", "growth required is not positive: data may disagree"),
    "proxy_incompatible": ("所声明的替代指标口径不同", "declared proxy measures a different kind of quantity"),
    "proxy_thin": ("替代指标数据点不足", "declared proxy has too few points"),
    "qualitative": ("定性目标", "qualitative target"),
    "no_target": ("文件未给出目标值", "the document states no target value"),
    "actual_lower_bound": ("实际值仅为下限", "the actual is only a lower bound"),
}
REVIEW_STATUS = {
    "met": ("完成", "Met"), "not_met": ("未完成", "Not met"), "not_assessable": ("无法评估", "Not assessable"),
}
REVIEW_REASONS = {
    "no_target_given": ("文件只给出完成值，未列目标值", "the document gives the completion but no target"),
    "qualitative": ("定性目标", "qualitative target"),
    "no_completion_value": ("无完成值", "no completion value"),
}


def _pick(table: dict[str, tuple[str, str]], code: object, lang: str) -> str:
    pair = table.get(str(code))
    return "" if pair is None else pair[0 if lang == "zh" else 1]


def verdict(code: str, r: object = None, progress: object = None, lang: str = "zh") -> str:
    """Label of a verdict; 快于预期 / Ahead of schedule when on track with R or progress ≥ 1."""
    rv = float(r) if isinstance(r, int | float) else None  # type: ignore[arg-type]
    pv = float(progress) if isinstance(progress, int | float) else None  # type: ignore[arg-type]
    if is_ahead(code, rv, pv):
        return AHEAD[0 if lang == "zh" else 1]
    return _pick(VERDICTS, code, lang)


def outcome(code: object, lang: str = "zh") -> str:
    """Label of an outcome state."""
    return _pick(OUTCOMES, code, lang)


def evidence(code: object, lang: str = "zh") -> str:
    """Label of an evidence grade."""
    return _pick(EVIDENCE, code, lang)


def why(row: dict, lang: str = "zh") -> str:
    """One line: outcome state, evidence grade, fragility, or what is missing."""
    zh = lang == "zh"
    sep = "；" if zh else "; "
    parts = [outcome(row.get("outcome"), lang)]
    if row.get("reason"):
        parts.append(_pick(REASONS, row["reason"], lang))
    if row.get("missing_years"):
        years = str(row["missing_years"]).replace(";", "、" if zh else ", ")
        parts.append(f"缺少 {years} 年数值" if zh else f"missing: values for {years}")
    if row.get("evidence") and row.get("evidence") != "none":
        parts.append(("证据：" if zh else "evidence: ") + evidence(row["evidence"], lang))
    if row.get("fragile") is True:
        alt = _pick(VERDICTS, row.get("verdict_alt"), lang)
        parts.append(f"结论不稳健：另一口径下为“{alt}”" if zh else f"fragile: '{alt}' under another assumption")
    return sep.join(p for p in parts if p)
