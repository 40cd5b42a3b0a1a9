"""Every target's row: baseline, target, latest actual, growth needed and used, outcome or projection, verdict."""

from __future__ import annotations

from markupsafe import Markup

from ...analysis.methods import method
from ...analysis.projection import group_of
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Cell, Row, html, join, table

#: between the notes under a target's row (each a clause of its own)
NOTE_SEP = " · "


def result(ctx: ReportContext, r: dict) -> Markup | str:
    """The final outcome, or the projection for the target year with its range."""
    w = ctx.w
    if r["outcome"] == "final":
        shown = w("table.actual_value", value=rows.value(w, r, r["actual_value"]))
        return html("{}<br><span class='reason'>{}</span>", shown, w.year(r["target_year"]))
    if r["verdict"] == "achieved":
        return html("{}<br><span class='reason'>{}</span>", w("table.reached"), w.year(r["latest_year"]))
    if not rows.has(r.get("projection_central")):
        return formats.DASH
    central = rows.value(w, r, r["projection_central"], approximate=True)
    head = w("table.projected_value", value=central)
    low, high = r.get("projection_low"), r.get("projection_high")
    band = ""
    if rows.has(low) and rows.has(high):  # with the unit and scale of the projection shown (66.1万件: not 660,971)
        lo_t, hi_t = (rows.value(w, r, v, approximate=True) for v in (low, high))
        band = w("table.band", low=lo_t, high=hi_t) if lo_t != hi_t else ""
    return html(
        "{}<br><span class='reason'>{}{}{}</span>",
        head,
        w.year(r["projection_year"] or r["target_year"]),
        w("report.clause_sep") if band else "",
        band,
    )


def growth_used(ctx: ReportContext, r: dict) -> str:
    """The growth the projection used (where it comes from is in the row's notes: :func:`growth_source`)."""
    if not rows.has(r.get("assumed_growth")):
        return formats.DASH
    return ctx.w.growth(r["assumed_growth"], r.get("growth_per"))


def growth_source(ctx: ReportContext, r: dict) -> str:
    """Where the growth used comes from: another region's or indicator's series and its years (else nothing)."""
    w = ctx.w
    if not rows.has(r.get("assumed_growth")):
        return ""
    source = ""
    m = method(r.get("evidence"))
    if m is not None and m.other_series and rows.has(r.get("growth_indicator_id")):
        ind = ctx.data.indicator(str(r["growth_indicator_id"]))
        region = ctx.data.region_name(str(r["growth_region_id"]), ctx.lang)
        source = f"{region} · {w.name(ind)}"
    if rows.has(r.get("growth_from_year")) and rows.has(r.get("growth_to_year")) and r.get("growth_per") == "year":
        span = w.span(r["growth_from_year"], r["growth_to_year"])
        source = f"{source} {span}".strip()
    return w("table.growth_source", source=source) if source else ""


def verdict_cell(ctx: ReportContext, r: dict) -> Markup:
    """Verdict chip with the evidence grade under it (marked when weak)."""
    weak = " weak" if r.get("weak") else ""
    return html("{}<br><span class='reason{}'>{}</span>", rows.chip(ctx.w, r), weak, evidence_cell(ctx, r))


def evidence_cell(ctx: ReportContext, r: dict) -> str:
    """The evidence grade (marked when weak)."""
    return ctx.w.evidence(r.get("evidence"), bool(r.get("weak")))


def quote_issue_text(ctx: ReportContext, r: dict) -> str:
    """Where a quote the row rests on is garbled or worded unlike the indicator (its evidence is then weak): why."""
    issues = ctx.w.quote_issues(r.get("quote_issue")) if r.get("evidence") != "none" else ""
    return ctx.w("quote_issue.row", issues=issues) if issues else ""


def notes(ctx: ReportContext, r: dict) -> list[str]:
    """What the row's numbers rest on, in words: pending result, R, the method's record, fragility, the reason
    for no judgement, where the growth used comes from and a flawed quote (a line under the row, across the table)."""
    w = ctx.w
    found = [
        rows.pending_text(w, r),
        rows.ratio_text(w, r),
        rows.record_text(w, r),
        w.fragile(r),
        rows.reason(w, r, ctx.span) if group_of(r["verdict"]) == "unknown" else "",
        growth_source(ctx, r),
        quote_issue_text(ctx, r),
    ]
    return [n for n in found if n]


def target_cell(ctx: ReportContext, r: dict) -> Markup:
    """The target as written and its year; for a total, the plan period it sums (``2021—2025年累计``)."""
    w = ctx.w
    start = ctx.span[0]
    when = w("report.period_total", start=start, end=r["target_year"]) if r["measure"] == "period_total" else ""
    return html("{}<br><span class='reason'>{}</span>", rows.target(w, r), when or w.year(r["target_year"]))


def target_table(ctx: ReportContext) -> Fragment:
    """Every target of the region's plan, none left out."""
    w = ctx.w
    start, end = ctx.span
    records = ctx.projection.to_dict("records")
    attributed = any(rows.has(r.get("attribute")) for r in records)  # a plan without 属性: no column of "—"
    keys = ("indicator", "attribute", "baseline", "target", "latest", "required", "assumed", "result",
            "verdict_evidence")
    head = [w(f"table.{k}") for k in keys if attributed or k != "attribute"]
    body = []
    for r in records:
        total = r["measure"] == "period_total"
        per = r["growth_per"] if rows.has(r.get("growth_per")) else ("period" if total else "year")
        required = w.growth(r.get("required_growth"), per)
        said = notes(ctx, r)
        # the numbers on one row; what they rest on on a line under it, across the table (fewer, wider columns)
        body.append(
            Row(
                [
                    Cell(rows.name(w, r), "name"),
                    *([Cell(w.attribute(r.get("attribute")), "attribute")] if attributed else []),
                    Cell(rows.baseline(w, r, end - start + 1), "amount"),
                    Cell(target_cell(ctx, r), "target"),
                    Cell(rows.latest(w, r), "amount"),
                    Cell(required, "num"),
                    Cell(growth_used(ctx, r), "num"),
                    Cell(result(ctx, r), "result"),
                    verdict_cell(ctx, r),
                ],
                cls=f"v-{r['verdict']}" + (" noted" if said else ""),
            )
        )
        if said:
            line = join((html("<span>{}</span>", n) for n in said), NOTE_SEP)
            body.append(Row([Cell(line, "notes", span=len(head))], cls=f"v-{r['verdict']} notes"))
    return Fragment(
        html(
            "<section class='targets'><h2>{}</h2>{}</section>",
            ctx.heading("targets"),
            table(head, body, cls="targets"),
        )
    )
