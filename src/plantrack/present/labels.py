"""Short labels of the assessment's codes for the explorer: a thin face of :mod:`plantrack.present.words`.

Every word comes from the catalogues (``catalogue/zh.toml``, ``catalogue/en.toml``); nothing is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import rows
from .words import words


def verdict(code: str, r: object = None, progress: object = None, lang: str = "zh") -> str:
    """Label of a verdict; 快于预期 / Ahead when on track with R or progress ≥ 1."""
    return words(lang).verdict(code, r, progress)


def outcome(code: object, lang: str = "zh") -> str:
    """Label of an outcome state."""
    return words(lang).code("outcome", code, "unassessed")


def evidence(code: object, lang: str = "zh") -> str:
    """Label of an evidence grade."""
    return words(lang).evidence(code)


def why(row: Mapping[str, Any], lang: str = "zh") -> str:
    """One line: outcome state, what is missing, evidence grade, fragility."""
    w = words(lang)
    parts = [outcome(row.get("outcome"), lang), rows.reason(w, row)]
    if rows.has(row.get("evidence")) and row.get("evidence") != "none":
        parts.append(rows.evidence_line(w, row))
    parts.append(w.fragile(row))
    return w("report.clause_sep").join(p.rstrip("。.") for p in parts if p)
