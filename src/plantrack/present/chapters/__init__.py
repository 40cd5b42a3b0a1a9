"""The chapter notebooks 01-04 and 06: opening sentences computed from the data, formatted tables, sensitivity.

Each chapter opens with :func:`intro_plan`, :func:`intro_comparison`, :func:`intro_review` or
:func:`intro_projection` for the chosen region; tables go through :func:`table` (chosen columns,
headers in the chapter's language, numbers by the one formatter, built by
:mod:`plantrack.present.htmltable`); chapter 04 adds :func:`sensitivity` and :func:`indicator_chart`,
which draws the stand-in series (proxy or parent region) whose growth carries a verdict beside the
indicator's own history; chapter 06 (:mod:`.outlook`) looks out to 2030 and sets draft targets against
past growth. One module per chapter (:mod:`.plan`, :mod:`.comparison`, :mod:`.review`,
:mod:`.projection`, :mod:`.chart`, :mod:`.outlook`) over :mod:`.base` (the :class:`Chapter` and the helpers).
"""

from __future__ import annotations

from .base import Chapter, Html, chapter, count, para, table
from .chart import indicator_chart
from .comparison import COMPARISON_COLUMNS, comparison_frame, comparison_table, intro_comparison
from .outlook import DRAFT_COLUMNS, OUTLOOK_COLUMNS, draft_table, intro_outlook, outlook_counts, outlook_table
from .plan import (
    OBSERVATION_COLUMNS,
    PLAN_COLUMNS,
    intro_plan,
    observation_table,
    observations,
    plan_table,
    targets,
)
from .projection import (
    ASSESSMENT_COLUMNS,
    READING_WORDS,
    assessment_table,
    intro_projection,
    sensitivity,
    sensitivity_frame,
    tally_line,
)
from .review import REVIEW_COLUMNS, intro_review, review_tables

__all__ = [
    "ASSESSMENT_COLUMNS",
    "COMPARISON_COLUMNS",
    "DRAFT_COLUMNS",
    "OBSERVATION_COLUMNS",
    "OUTLOOK_COLUMNS",
    "PLAN_COLUMNS",
    "READING_WORDS",
    "REVIEW_COLUMNS",
    "Chapter",
    "Html",
    "assessment_table",
    "chapter",
    "comparison_frame",
    "comparison_table",
    "count",
    "draft_table",
    "indicator_chart",
    "intro_comparison",
    "intro_outlook",
    "intro_plan",
    "intro_projection",
    "intro_review",
    "observation_table",
    "observations",
    "outlook_counts",
    "outlook_table",
    "para",
    "plan_table",
    "review_tables",
    "sensitivity",
    "sensitivity_frame",
    "table",
    "tally_line",
    "targets",
]
