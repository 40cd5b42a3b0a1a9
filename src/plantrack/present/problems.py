"""Problems of ``validate`` and ``import`` in the reader's language: where, what is wrong, how to correct it.

A problem found by the data layer carries a code and its values (``Problem.code``,
``RowProblem.code``); its words come from the catalogue's ``problem`` section. A problem without
a code is shown with the data layer's English description.
"""

from __future__ import annotations

from collections.abc import Callable

from ..data.importer import RowProblem
from ..data.problems import Problem
from . import formats
from .words import Words


def problem_text(p: Problem | RowProblem, words: Words) -> str:
    """What is wrong and how to correct it, in ``words``' language (English when the code has no entry)."""
    if not p.code:
        return p.expected
    try:
        return words(f"problem.{p.code}", **dict(p.params))
    except KeyError:
        return p.expected


def problem_line(p: Problem | RowProblem, words: Words) -> str:
    """One problem on one line: sheet and row (or file and line), column, the value, then what to do."""
    at_line = dict(p.params).get("at_line")  # a problem of the data folder among an import's
    if isinstance(p, RowProblem) and at_line:
        where = words("problem.where_line", file=p.sheet, line=at_line)
    elif isinstance(p, RowProblem):
        where = words("problem.where_row", sheet=p.sheet, row=p.row) if p.row else p.sheet
    else:
        where = words("problem.where_line", file=p.file, line=p.line) if p.line else p.file
    if p.column:
        where += words("problem.column", column=p.column)
    if p.value != "":
        where += words("problem.value", value=p.value)
    return words("problem.joined", where=where, text=problem_text(p, words))


def more_line(words: Words) -> Callable[[str, str, int, int], str]:
    """How :func:`plantrack.data.problems.summarised` counts a column's problems not shown, in ``words``."""

    def more(file: str, column: str, not_shown: int, total: int) -> str:
        where = words("problem.more_where_column", file=file, column=column) if column else file
        return words("problem.more_not_shown", where=where, n=formats.number(not_shown), total=formats.number(total))

    return more
