"""A problem found in the data, named by file, line and column, and the error that lists them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data. ``line`` is the line in the file (0: the whole file).

    ``expected`` says it in English; ``code`` and ``params``, when set, name the catalogue entry
    (``problem.<code>``) that says it, with the fix, in the reader's language.
    """

    file: str
    line: int
    column: str
    value: str
    expected: str
    code: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        where = self.file + (f" line {self.line}" if self.line else "")
        col = f", column {self.column}" if self.column else ""
        shown = self.value if len(self.value) <= SHOWN_VALUE else self.value[:SHOWN_VALUE] + "…"
        val = f": {shown!r}" if self.value != "" else ""
        return f"{where}{col}{val} — {self.expected}"


def coded(file: str, line: int, column: str, value: str, expected: str, code: str, /, **params: object) -> Problem:
    """A problem with its catalogue entry (``problem.<code>``) and the entry's values, as text."""
    return Problem(file, line, column, value, expected, code, tuple((k, str(v)) for k, v in params.items()))


#: characters of a value a problem's line shows; problems shown per file and column before the rest are counted
SHOWN_VALUE = 80
SHOWN_PER_COLUMN = 20


def _more(file: str, column: str, not_shown: int, total: int) -> str:
    where = f"{file}, column {column}" if column else file
    return f"{where}: {not_shown:,} more problem(s) of this column not shown ({total:,} in all)"


def summarised(
    problems: Sequence[object],
    show: Callable[[object], str] = str,
    per_column: int = SHOWN_PER_COLUMN,
    more: Callable[[str, str, int, int], str] = _more,
) -> list[str]:
    """One line per problem, at most ``per_column`` per file and column, then one line counting the rest of each.

    The output of a file with 100,000 bad rows stays a screenful: the first problems of
    each column show what is wrong, the counts show how often. Takes any problem with a
    ``column`` and a ``file`` (or, for an imported sheet's rows, a ``sheet``); ``show`` words one problem,
    ``more`` the count of a column's problems not shown (file, column, not shown, in all).
    """
    shown: Counter[tuple[str, str]] = Counter()
    lines = []
    for p in problems:
        key = (str(getattr(p, "file", None) or getattr(p, "sheet", "")), str(getattr(p, "column", "")))
        shown[key] += 1
        if shown[key] <= per_column:
            lines.append(show(p))
    for (file, column), n in shown.items():
        if n > per_column:
            lines.append(more(file, column, n - per_column, n))
    return lines


class DataError(ValueError):
    """Raised by :func:`plantrack.data.load` when the tables have problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:40])
        more = f"\n  … and {len(problems) - 40} more" if len(problems) > 40 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")
