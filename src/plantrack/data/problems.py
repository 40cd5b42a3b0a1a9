"""A problem found in the data, named by file, line and column, and the error that lists them."""

from __future__ import annotations

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
        val = f": {self.value!r}" if self.value != "" else ""
        return f"{where}{col}{val} — {self.expected}"


class DataError(ValueError):
    """Raised by :func:`plantrack.data.load` when the tables have problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:40])
        more = f"\n  … and {len(problems) - 40} more" if len(problems) > 40 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")
