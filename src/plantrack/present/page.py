"""A self-contained HTML page: inline CSS, embedded font subset, no request to any host."""

from __future__ import annotations

from html import escape

from .fonts import font_face_css
from .rows import VERDICT_COLOURS
from .words import words

CSS = """
:root { --ink:#222; --muted:#666; --line:#ddd; }
* { box-sizing: border-box; }
body { font-family: 'PlantrackCJK', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC',
       'SimHei', sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px 28px;
       line-height: 1.5; font-size: 14px; background: #fff; }
header h1 { font-size: 26px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 18px; }
h2 { font-size: 19px; border-bottom: 2px solid #1f4e79; padding-bottom: 4px; margin-top: 30px; color: #1f4e79; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #f2f5f9; font-weight: 700; }
table.compare td:nth-child(2), table.compare td:nth-child(6), table.compare td:nth-child(7) { white-space: nowrap; }
table.targets th, table.review th, table.tally th, table.targets td.attribute { white-space: nowrap; }
tr.self td { background: #fff8e1; }
.chip { display: inline-block; color: #111; border-radius: 10px; padding: 1px 8px; font-size: 12px;
        white-space: nowrap; }
.arrow { font-weight: 700; }
.reason, .note, .loc { color: var(--muted); font-size: 11.5px; }
.zh { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 6px; }
.count { border-left: 8px solid; padding: 6px 10px; background: #fafafa; min-width: 150px; flex: 1 1 0; }
.count b { font-size: 28px; margin-right: 8px; }
.count .g { font-size: 16px; font-weight: 700; }
.count .hint, .count .weak { display: block; color: var(--muted); font-size: 11.5px; }
.count .weak { color: #a04000; }
p.lead { font-size: 15px; margin: 8px 0; }
ol.risk li, ul.met li, ul.lean li { margin-bottom: 7px; }
.pending { border: 1px dashed #999; border-radius: 3px; padding: 0 4px; font-size: 11px; color: #555; }
.attr { border: 1px solid #999; border-radius: 3px; padding: 0 4px; font-size: 11px; color: #444; }
.ev { color: var(--muted); font-size: 12px; margin-left: 6px; }
.why { font-size: 13px; }
.fragile { color: #a04000; font-size: 12px; }
p.unknown { background: #f4f4f4; padding: 6px 10px; border-left: 4px solid #bdbdbd; }
td.weak, span.weak { color: #a04000; }
tr.noted td { border-bottom: 0; }
table.targets td.target .reason { white-space: nowrap; }
table.targets td.name { min-width: 15em; }
td.notes { color: var(--muted); font-size: 11.5px; padding-top: 0; }
td.num { white-space: nowrap; }
img.chart { max-width: 100%; height: auto; }
q { quotes: "“" "”"; }
cite { font-style: normal; }
.index td { font-size: 13px; }
table.index td:nth-child(1), table.index td:nth-child(3) { white-space: nowrap; }
footer { margin-top: 30px; color: var(--muted); font-size: 11px; border-top: 1px solid var(--line); padding-top: 8px; }
.jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output { margin: 0; padding: 0; }
@page { size: A4; margin: 14mm 12mm; }
@page wide { size: A4 landscape; margin: 10mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; line-height: 1.35; }
  table { font-size: 10px; margin: 4px 0 8px; }
  th, td { padding: 2px 4px; }
  h2 { font-size: 16px; margin: 14px 0 6px; }
  h3 { font-size: 13px; margin: 10px 0 4px; }
  /* page 1 (portrait) is the first screen; the rest follows on landscape pages, where the wide tables have room
     (each section sits in an output cell of its own, so the sections are named, not selected as siblings) */
  section.targets, section.distance, section.comparison, section.review, section.backtest, section.method,
  section.sources, section.gaps, footer { page: wide; }
  section.targets { break-before: page; page-break-before: always; }
  section.distance img.chart { max-height: 180mm; }
  table.targets td.name, table.review td:first-child, table.compare td:first-child,
  table.gaps td:first-child { min-width: 48mm; }
  table.compare td:nth-child(8) { min-width: 40mm; }
  table.targets td.target, table.targets td.amount { min-width: 26mm; }
  table.targets td.result { min-width: 32mm; }
  table.targets th, table.targets td.num { white-space: normal; }
  /* the appendices, for the researcher, in smaller type */
  section.sources, section.gaps { font-size: 9.5px; }
  section.sources table, section.gaps table { font-size: 9px; }
  /* the plan's Chinese wording under an English name is quoted in the sources appendix: one line less here */
  td .zh { display: none; }
  td.notes { font-size: 9px; }
  tr.notes { break-before: avoid; page-break-before: avoid; }
  tr, li, img.chart { page-break-inside: avoid; break-inside: avoid; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .count { min-width: 0; padding: 4px 8px; }
  .count b { font-size: 20px; }
  .count .g { display: block; font-size: 11px; }
  .reason, .note, .loc, .ev, .fragile, .count .hint, .count .weak { font-size: 9px; }
  .why { font-size: 11px; }
  p.lead { font-size: 12px; }
  img.chart { max-height: 250mm; width: auto; }
  .index td { font-size: 10px; }
}
"""


#: a coloured left edge for table rows by verdict (``<tr class="v-missed">``)
ROW_CSS = "".join(f"tr.v-{v} td:first-child {{ border-left: 6px solid {c}; }}\n" for v, c in VERDICT_COLOURS.items())


def page(body: str, title: str, lang: str = "zh", footer: str = "") -> str:
    """Wrap ``body`` (already escaped HTML) into a complete page that needs nothing from the network."""
    foot = f"<footer>{footer}</footer>" if footer else ""
    font = font_face_css(title + body + footer)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{words(lang)("language.html")}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{font}\n{CSS}{ROW_CSS}</style>\n</head>\n<body>\n{body}\n{foot}\n</body>\n</html>\n"
    )
