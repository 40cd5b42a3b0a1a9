"""Verdict categories (codes only) and the thresholds of METHOD §3; words are in present/catalogue."""

from __future__ import annotations

from typing import Any

#: every verdict code, in the order a report lists them
CATEGORIES: tuple[str, ...] = (
    "achieved",
    "above_target",
    "on_track",
    "acceleration_needed",
    "insufficient",
    "moving_away",
    "missed",
    "not_projectable",
    "not_quantifiable",
    "no_target",
)

#: thresholds on R (METHOD.md, Eurostat / Open SDG)
ON_TRACK_R = 0.95
MODERATE_R = 0.60
#: thresholds on the progress ratio projected ÷ target of period totals (the same cut points)
ON_TRACK_PROGRESS = 0.95
MODERATE_PROGRESS = 0.60


def target_number(row: dict[str, Any]) -> tuple[float | None, bool]:
    """The number a target is judged against and whether it is strict (columns parsed once by the data layer)."""
    value = row["target_threshold_norm"]
    return (None if value is None or value != value else float(value)), bool(row["target_strict"])


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


def categorise_progress(ratio: float) -> str:
    """Category for a projected total as a share of its target."""
    if ratio >= ON_TRACK_PROGRESS:
        return "on_track"
    if ratio >= MODERATE_PROGRESS:
        return "acceleration_needed"
    return "insufficient"


def is_ahead(category: str, r: float | None, progress: float | None = None) -> bool:
    """On track with R ≥ 1 (or a projected total at or above the target): 快于预期."""
    value = r if r is not None and r == r else progress
    return category == "on_track" and value is not None and value == value and value >= 1
