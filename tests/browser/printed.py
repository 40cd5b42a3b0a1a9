"""A report as it prints: every table cell's rendered line count on the A4 page its section prints on.

Chromium lays a printed page out at the width of the page's content box. The report's print style
sheet names the pages (``@page`` for page 1, portrait; ``@page wide`` for the sections that follow,
landscape): :func:`measure` reads those rules from the page itself, emulates print media and, for each
page kind, lays the page out at that content width and counts, for every cell of the tables in the
sections printed on it, the line boxes of its text (``Range.getClientRects``: one rectangle per line
fragment; fragments whose middles fall within a line already counted are on that line). A table
wider than its page (Chromium would then shrink the whole print-out) is reported too.

Used by ``tests/browser/test_print.py`` (reports of the fixture dataset) and by
``scripts/print_check.py`` (the bundled reports, with their A4 page counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: paper sizes in millimetres (portrait), as CSS names them
PAPER_MM = {"a5": (148.0, 210.0), "a4": (210.0, 297.0), "a3": (297.0, 420.0), "letter": (215.9, 279.4)}
PX_PER = {"mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "pt": 96 / 72, "px": 1.0}
#: the most lines a printed cell may take
MOST_LINES = 3

#: the page rules of the style sheets: name ('' for the default page), size and left and right margins
PAGE_RULES_JS = """
() => {
  const rules = [];
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule.type === CSSRule.PAGE_RULE) {
        rules.push({name: rule.selectorText || '', size: rule.style.getPropertyValue('size'),
                    left: rule.style.getPropertyValue('margin-left'),
                    right: rule.style.getPropertyValue('margin-right')});
      }
    }
  }
  return rules;
}
"""

#: every table cell printed on pages named ``name``: its section, table, row, column, text and line count
CELLS_JS = """
(name) => {
  const linesOf = (cell) => {
    const spans = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) spans.push([r.top, r.bottom]);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    let lines = 0, bottom = -Infinity;
    for (const [top, low] of spans) {
      if ((top + low) / 2 > bottom) { lines += 1; bottom = low; } else { bottom = Math.max(bottom, low); }
    }
    return lines;
  };
  const out = {cells: [], wide: []};
  const tables = [...document.querySelectorAll('table')];
  tables.forEach((table, t) => {
    const section = table.closest('section');
    const page = section ? getComputedStyle(section).page : 'auto';
    if ((page === 'auto' ? '' : page) !== name) return;
    const label = section ? (section.querySelector('h2')?.textContent || section.className) : '';
    const tableName = table.className || `table ${t + 1}`;
    const box = (section || document.body).getBoundingClientRect();
    if (table.getBoundingClientRect().width > box.width + 0.5) {
      out.wide.push({section: label, table: tableName, width: table.getBoundingClientRect().width,
                     room: box.width});
    }
    let above = '';
    [...table.rows].forEach((row, i) => {
      // a row of one cell across the table (a target's notes) belongs to the row above it
      const across = row.cells.length === 1 && row.cells[0].colSpan > 1 && above;
      const first = across ? above : (row.cells[0] ? row.cells[0].innerText.split('\\n')[0].trim() : '');
      above = first;
      [...row.cells].forEach((cell, j) => {
        const head = table.tHead && table.tHead.rows[0] && table.tHead.rows[0].cells[j];
        out.cells.push({section: label, table: tableName, row: i, row_name: first,
                        column: head ? head.innerText.trim() : String(j + 1),
                        text: cell.innerText.replace(/\\s+/g, ' ').trim(), lines: linesOf(cell)});
      });
    });
  });
  return out;
}
"""


@dataclass(frozen=True)
class PrintedCell:
    """One table cell as printed: where it is, its text and how many lines it takes."""

    page: str
    section: str
    table: str
    row: int
    row_name: str
    column: str
    text: str
    lines: int

    def __str__(self) -> str:
        return (
            f"{self.lines} lines in {self.section!r} ({self.table}), row {self.row} {self.row_name!r}, "
            f"column {self.column!r}: {self.text!r}"
        )


@dataclass(frozen=True)
class Printed:
    """A page's printed tables: every cell and the tables wider than their page."""

    cells: list[PrintedCell]
    too_wide: list[str]

    def over(self, most: int = MOST_LINES) -> list[PrintedCell]:
        """The cells taking more than ``most`` lines, the longest first."""
        return sorted((c for c in self.cells if c.lines > most), key=lambda c: -c.lines)

    @property
    def worst(self) -> int:
        return max((c.lines for c in self.cells), default=0)


def _length_px(text: str) -> float:
    m = re.fullmatch(r"\s*([\d.]+)\s*([a-z]+)\s*", text or "")
    if not m or m.group(2) not in PX_PER:
        raise ValueError(f"a page margin the measurement cannot read: {text!r}")
    return float(m.group(1)) * PX_PER[m.group(2)]


def content_width(rule: dict[str, str], default: dict[str, str] | None = None) -> int:
    """The width in CSS pixels of a page's content box (paper width less the left and right margins).

    A named page rule inherits what it leaves out (size, margins) from the default ``@page`` rule.
    """
    merged = {k: v for k, v in (default or {}).items() if v} | {k: v for k, v in rule.items() if v}
    words = (merged.get("size") or "a4").lower().split()
    paper = next((PAPER_MM[w] for w in words if w in PAPER_MM), None)
    if paper is None:
        raise ValueError(f"a page size the measurement cannot read: {merged.get('size')!r}")
    width_mm = paper[1] if "landscape" in words else paper[0]
    left, right = (_length_px(merged.get(k) or "0px") for k in ("left", "right"))
    return round(width_mm * PX_PER["mm"] - left - right)


def page_widths(page: Any) -> dict[str, int]:
    """Each page kind of the document's print style sheet ('' the default) and its content width in pixels."""
    rules = {r["name"]: r for r in page.evaluate(PAGE_RULES_JS)}
    default = rules.get("", {})
    widths = {name: content_width(rule, default) for name, rule in rules.items()}
    widths.setdefault("", content_width({}, default))
    return widths


def measure(page: Any, url: str, height: int = 1000) -> Printed:
    """Open ``url`` in the Playwright ``page`` as printed and measure every table cell on its own page's width."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1000, "height": height})
    page.goto(url)
    cells: list[PrintedCell] = []
    wide: list[str] = []
    for name, width in page_widths(page).items():
        page.set_viewport_size({"width": width, "height": height})
        # a scroll bar would take room the printed page has: widen the window until the layout width is right
        inner = page.evaluate("() => document.documentElement.clientWidth")
        if inner != width:
            page.set_viewport_size({"width": 2 * width - inner, "height": height})
        found = page.evaluate(CELLS_JS, name)
        cells += [PrintedCell(page=name or "first", **c) for c in found["cells"]]
        wide += [f"{w['section']!r} ({w['table']}): {w['width']:.0f}px on {w['room']:.0f}px" for w in found["wide"]]
    return Printed(cells, wide)
