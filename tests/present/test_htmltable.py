"""The one HTML table helper escapes text and keeps built HTML."""

from __future__ import annotations

from plantrack.present.htmltable import Cell, Row, html, table


def test_text_is_escaped_and_markup_kept() -> None:
    out = table(["<a>", "b"], [["x & y", html("<b>{}</b>", "<i>")], Row([1, Cell(2, "num")], cls="self")], cls="t")
    assert out.startswith('<table class="t"><thead><tr><th>&lt;a&gt;</th><th>b</th></tr></thead>')
    assert "<td>x &amp; y</td><td><b>&lt;i&gt;</b></td>" in out
    assert '<tr class="self"><td>1</td><td class="num">2</td></tr>' in out


def test_no_header() -> None:
    assert "<thead>" not in table(None, [["a"]])


def test_inline_style_span_and_header_cells() -> None:
    """Cells and header cells may carry an inline style (the chapter notebooks) and a span; text stays escaped."""
    out = table([Cell("<h>", style="text-align:left"), "b"], [[Cell("x", style="a'b")], [Cell("(none)", span=2)]])
    assert '<th style="text-align:left">&lt;h&gt;</th><th>b</th>' in out
    assert '<td style="a&#39;b">x</td>' in out and '<td colspan="2">(none)</td>' in out
