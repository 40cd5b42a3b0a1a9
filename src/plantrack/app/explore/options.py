"""What the explorer offers and how its controls look: growth models, readings of 增长N倍, sizes.

The words of each offer are the catalogue's (``explore.model_<code>``, ``explore.reading_<code>``).
"""

from __future__ import annotations

import ipywidgets as W

from ...present.words import words

#: growth assumptions offered, in the order the panel lists them
MODELS = ("observed", "custom", "damped", "linear")
#: readings of 增长N倍 offered
READINGS = ("increase", "multiple")
LAST_YEAR = 2035  # the last target year the slider offers
STYLE = {"description_width": "8em"}
SLIDE_DELAY = 0.03  # seconds a moving slider's changes are gathered before one redraw


def note(lang: str) -> str:
    """What the static view of an exported notebook lacks."""
    return words(lang)("explore.note")


def offers(codes: tuple[str, ...], kind: str, lang: str) -> list[tuple[str, str]]:
    """A drop-down's options: (words, code) for each code of ``kind`` (model, reading)."""
    w = words(lang)
    return [(w(f"explore.{kind}_{c}"), c) for c in codes]


def layout(width: str = "34em") -> W.Layout:
    """A control's width."""
    return W.Layout(width=width)
