"""The one way to build an HTML table: a Jinja2 template (``templates/table.html.j2``), autoescaped.

Cells are plain text (escaped) or :class:`markupsafe.Markup` (HTML built with :func:`html`,
whose arguments are escaped). Used by every table of the report, the index page and the chapter
notebooks (whose cells carry an inline ``style``, as a notebook has no style sheet of the report's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Cell:
    """One cell (or header cell) with an optional CSS class, inline style and column span."""

    content: Any
    cls: str = ""
    style: str = ""
    span: int = 1


@dataclass(frozen=True)
class Row:
    """One row: cells and an optional CSS class."""

    cells: Sequence[Any]
    cls: str = ""


@cache
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=False
    )
    return env.get_template("table.html.j2")


def html(template: str, *args: object, **kwargs: object) -> Markup:
    """HTML from a format string whose arguments are escaped (``html("<b>{}</b>", name)``)."""
    return Markup(template).format(*args, **kwargs)


def join(parts: Iterable[object], sep: str = "") -> Markup:
    """Concatenate HTML fragments and text (text is escaped)."""
    return Markup(sep).join(parts)


def table(head: Sequence[object] | None, rows: Iterable[Row | Sequence[Any]], cls: str = "") -> Markup:
    """An HTML table; ``head`` may be None (no header row); header cells and cells may be :class:`Cell`."""
    heads = [h if isinstance(h, Cell) else Cell(h) for h in head or []]
    shaped = []
    for r in rows:
        row = r if isinstance(r, Row) else Row(r)
        cells = [c if isinstance(c, Cell) else Cell(c) for c in row.cells]
        shaped.append({"cls": row.cls, "cells": cells})
    return Markup(_template().render(head=heads, rows=shaped, cls=cls))
