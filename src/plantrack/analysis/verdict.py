"""Verdict per target: the categories of METHOD.md, checked in order, with Chinese and English labels."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: category -> (Chinese label, English label), in the order a report lists them
LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("已提前实现", "Already achieved"),
    "on_track": ("符合预期", "On track"),
    "acceleration_needed": ("需加快", "Acceleration needed"),
    "insufficient": ("明显滞后", "Lagging"),
    "moving_away": ("逆向", "Moving away"),
    "not_projectable": ("无法预测", "Not projectable"),
    "not_quantifiable": ("无法量化", "Not quantifiable"),
    "no_target": ("未设目标", "No target stated"),
}
AHEAD = ("快于预期", "Ahead of schedule")

#: thresholds on R (METHOD.md, Eurostat / Open SDG)
ON_TRACK_R = 0.95
MODERATE_R = 0.60


@dataclass(frozen=True)
class Verdict:
    """A category with its labels, the ratio R behind it (if any) and the reason."""

    category: str
    r: float | None
    reason: str
    reason_zh: str = ""

    @property
    def label_zh(self) -> str:
        """Chinese label; 快于预期 when on track with R ≥ 1."""
        return label(self.category, self.r, "zh")

    @property
    def label_en(self) -> str:
        """English label; 'Ahead of schedule' when on track with R ≥ 1."""
        return label(self.category, self.r, "en")


def label(category: str, r: float | None = None, lang: str = "zh") -> str:
    """Label of a category in ``lang``; on track with R ≥ 1 reads 快于预期 / Ahead of schedule."""
    ahead = category == "on_track" and r is not None and not math.isnan(r) and r >= 1
    pair = AHEAD if ahead else LABELS[category]
    return pair[0] if lang == "zh" else pair[1]


def meets(value: float, threshold: float, direction: int = 1, strict: bool = False) -> bool:
    """True when ``value`` reaches ``threshold`` in the indicator's direction."""
    diff = (value - threshold) * direction
    return diff > 0 if strict else diff >= -1e-12


def categorise(r: float) -> str:
    """Category for a ratio R when the target is not yet met."""
    if r >= ON_TRACK_R:
        return "on_track"
    if r >= MODERATE_R:
        return "acceleration_needed"
    if r >= 0:
        return "insufficient"
    return "moving_away"


def decide(
    *,
    target_kind: str,
    threshold: float | None,
    latest: float | None,
    observed: float | None,
    required: float | None,
    direction: int = 1,
    strict: bool = False,
    latest_counts_toward_target: bool = True,
    why_not: str = "",
    why_not_zh: str = "",
) -> Verdict:
    """Apply the categories in order: not quantifiable, achieved, not projectable, then R.

    ``latest_counts_toward_target`` is False for totals over a plan period when the latest
    value belongs to the previous period: it cannot already achieve this period's target.
    """
    if target_kind == "qualitative":
        return Verdict(
            "not_quantifiable", None, "qualitative target: no number to measure against", "定性目标，无可度量的数值"
        )
    if target_kind == "missing" or threshold is None:
        return Verdict("no_target", None, "the document states no target value", "文件未给出目标值")
    if latest is not None and latest_counts_toward_target and meets(latest, threshold, direction, strict):
        return Verdict("achieved", None, "the latest value already meets the target", "最新值已达到目标")
    if latest is None:
        return Verdict(
            "not_projectable",
            None,
            why_not or "no value of this indicator in the sources",
            why_not_zh or "资料中没有该指标的数值",
        )
    if observed is None:
        return Verdict(
            "not_projectable",
            None,
            why_not or "no observed growth: fewer than two comparable points",
            why_not_zh or "缺少实际增速：可比数据点不足两个",
        )
    if required is None:
        return Verdict(
            "not_projectable",
            None,
            why_not or "the growth required cannot be computed",
            why_not_zh or "无法计算所需增速",
        )
    if required * direction <= 0:
        return Verdict(
            "not_projectable",
            None,
            "the growth required is not positive although the target is not met",
            "目标尚未实现但所需增速不为正，数据可能不一致",
        )
    r = direction * observed / abs(required)
    return Verdict(categorise(r), r, f"R = {r:.2f}", f"R = {r:.2f}")
