"""Verdicts counted in the four groups a reader sees: achieved, on track, at risk, unknown."""

from __future__ import annotations

import pandas as pd

AT_RISK = ("missed", "moving_away", "insufficient", "acceleration_needed")
GROUPS = {
    "achieved": ("achieved",),
    "on_track": ("on_track",),
    "at_risk": AT_RISK,
    "unknown": ("not_projectable", "not_quantifiable", "no_target"),
}


def group_of(verdict: str) -> str:
    """achieved, on_track, at_risk or unknown."""
    return next(g for g, members in GROUPS.items() if verdict in members)


def verdict_tally(projection: pd.DataFrame) -> pd.Series:
    """How many targets got each verdict, in the order of :data:`plantrack.analysis.verdict.CATEGORIES`."""
    from .verdict import CATEGORIES

    counts = projection["verdict"].value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in CATEGORIES}, name="targets")


def group_tally(projection: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per group (achieved, on track, at risk, unknown): how many targets, and how many of them on weak evidence."""
    groups = projection["verdict"].map(group_of)
    return {
        g: (int((groups == g).sum()), int(((groups == g) & projection["weak"].astype(bool)).sum())) for g in GROUPS
    }
