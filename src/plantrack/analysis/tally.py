"""Verdicts counted in the four groups a reader sees: achieved, on track, at risk, unknown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

AT_RISK = ("missed", "moving_away", "insufficient", "acceleration_needed")
GROUPS = {
    "achieved": ("achieved",),
    "above_target": ("above_target",),  # a flow, rate or share above target before the target year: provisional
    "on_track": ("on_track",),
    "at_risk": AT_RISK,
    "lean": (),  # on track or at risk by a method whose hindcast record does not earn a verdict
    "unknown": ("not_projectable", "not_quantifiable", "no_target"),
}


def group_of(verdict: str) -> str:
    """The reader's group of a verdict (achieved, above_target, on_track, at_risk, unknown)."""
    return next(g for g, members in GROUPS.items() if verdict in members)


def row_group(row: Mapping[str, Any]) -> str:
    """The group of one assessed row: a verdict resting on an uncalibrated method is a lean."""
    g = group_of(str(row["verdict"]))
    return "lean" if g in ("on_track", "at_risk") and bool(row.get("lean")) else g


def verdict_tally(projection: pd.DataFrame) -> pd.Series:
    """How many targets got each verdict, in the order of :data:`plantrack.analysis.verdict.CATEGORIES`."""
    from .verdict import CATEGORIES

    counts = projection["verdict"].value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in CATEGORIES}, name="targets")


def group_tally(projection: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per group (achieved, on track, at risk, unknown): how many targets, and how many of them on weak evidence."""
    groups = pd.Series([row_group(r) for r in projection.to_dict("records")], index=projection.index, dtype=object)
    return {
        g: (int((groups == g).sum()), int(((groups == g) & projection["weak"].astype(bool)).sum())) for g in GROUPS
    }
