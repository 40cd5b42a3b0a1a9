"""Chapter 02, comparison: the region's indicators that other levels also target, side by side."""

from __future__ import annotations

import pandas as pd

from ...analysis.comparison import compare, incomparable
from .. import texts
from .base import Chapter, Html, para, table


def comparison_frame(ch: Chapter) -> pd.DataFrame:
    """The region's indicators that other levels also target, side by side."""
    mine = set(ch.projection["indicator_id"])
    table_ = compare(ch.data, assumptions=ch.assumptions, among=mine, known=ch.projection)
    if not table_.empty:
        table_ = table_.assign(
            indicator_zh=[ch.indicator_name(i) for i in table_["indicator_id"]],
            region_zh=[ch.data.region_name(r, ch.lang) for r in table_["region_id"]],
            note=table_["note_zh"] if ch.zh else table_["note"],
        )
    return table_


COMPARISON_COLUMNS = [
    "indicator_zh", "region_zh", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "vs_compared", "vs_national", "note",
]


def intro_comparison(ch: Chapter) -> Html:
    """How many of the region's indicators other levels target, and where the region aims highest."""
    zh, frame = ch.zh, comparison_frame(ch)
    if frame.empty:
        return para([f"{ch.name}的指标在其他层级没有相同指标的目标。" if zh
                      else f"No other level targets the same indicators as {ch.name}."])
    own = frame[frame["region_id"] == ch.region]
    levels = own[own["measure"] != "period_total"].dropna(subset=["vs_compared"])
    higher = levels[levels["vs_compared"] > 1]
    n_ind = frame["indicator_id"].nunique()
    s = [
        f"{ch.name}的 {len(ch.projection)} 项目标中，有 {n_ind} 个指标在其他层级也设有目标。" if zh
        else f"Of {ch.name}'s {len(ch.projection)} targets, {n_ind} indicators are also targeted by another level."
    ]
    if not levels.empty:
        top = levels.sort_values("vs_compared", ascending=False).iloc[0]
        other = ch.data.region_name(
            next(r for r in ch.data.region_ids() if ch.data.region_name(r) == top["compared_with"]), ch.lang
        ) if top["compared_with"] else ""
        s.append(
            f"存量和比重类目标中，{len(higher)} 项高于上级目标；最高的是{ch.indicator_name(top['indicator_id'])}，"
            f"为{other}目标的 {texts.ratio(top['vs_compared'])} 倍。" if zh
            else f" Among levels and shares, {len(higher)} aim above the parent's target; the highest is "
            f"{ch.indicator_name(top['indicator_id'])}, {texts.ratio(top['vs_compared'])}× {other}'s."
        )
    apart = incomparable(ch.data)
    if len(apart):
        s.append(f"另有 {len(apart)} 组相似指标因单位或口径不同不作比较。" if zh
                 else f" {len(apart)} look-alike pairs are not compared (different units or definitions).")
    return para(s)


def _relative(v: object, total: bool, zh: bool) -> str:
    if v is None or pd.isna(v):  # type: ignore[call-overload]
        return texts.DASH
    return texts.percent(v, 1, signed=False) if total else (f"{texts.ratio(v)} 倍" if zh else f"{texts.ratio(v)}×")


def comparison_table(ch: Chapter) -> Html:
    """The comparison with chosen columns and readable numbers: multiples for levels, shares for totals."""
    names = {"indicator_zh": "指标" if ch.zh else "indicator", "region_zh": "地区" if ch.zh else "region"}
    frame = comparison_frame(ch)
    if frame.empty:
        return Html("")
    total = frame["measure"] == "period_total"
    frame = frame.assign(
        indicator_zh=frame["indicator_zh"].where(frame["indicator_id"] != frame["indicator_id"].shift(), " "),
        required_growth=[texts.growth(v, t, ch.lang) for v, t in zip(frame["required_growth"], total, strict=True)],
        vs_compared=[_relative(v, t, ch.zh) for v, t in zip(frame["vs_compared"], total, strict=True)],
        vs_national=[_relative(v, t, ch.zh) for v, t in zip(frame["vs_national"], total, strict=True)],
    )
    return table(frame, COMPARISON_COLUMNS, ch.lang, names)
