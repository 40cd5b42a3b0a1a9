"""Every target's row: baseline, target, latest actual, growth needed and used, outcome or projection, verdict."""

from __future__ import annotations

from markupsafe import Markup

from ...analysis.methods import method
from ...analysis.projection import group_of
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Cell, Row, html, join, table


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
    lo_t, hi_t = formats.approx(low), formats.approx(high)
    band = ""
    if rows.has(low) and rows.has(high) and lo_t != hi_t:
        band = w("table.band", low=lo_t, high=hi_t)
    return html(
        "{}<br><span class='reason'>{}{}{}</span>",
        head,
        w.year(r["projection_year"] or r["target_year"]),
        w("report.clause_sep") if band else "",
        band,
    )


def growth_used(ctx: ReportContext, r: dict) -> Markup | str:
    """The growth the projection used and where it comes from."""
    w = ctx.w
    if not rows.has(r.get("assumed_growth")):
        return formats.DASH
    text = w.growth(r["assumed_growth"], r.get("growth_per"))
    source = ""
    m = method(r.get("evidence"))
    if m is not None and m.other_series and rows.has(r.get("growth_indicator_id")):
        ind = ctx.data.indicator(str(r["growth_indicator_id"]))
        region = ctx.data.region_name(str(r["growth_region_id"]), ctx.lang)
        source = f"{region} · {w.name(ind)}"
    if rows.has(r.get("growth_from_year")) and rows.has(r.get("growth_to_year")) and r.get("growth_per") == "year":
        span = w.span(r["growth_from_year"], r["growth_to_year"])
        source = f"{source} {span}".strip()
    return html("{}<br><span class='reason'>{}</span>", text, source) if source else text


def verdict_cell(ctx: ReportContext, r: dict) -> Markup:
    """Verdict chip, fragility (both categories) and, for targets not judged, the reason."""
    w = ctx.w
    notes = [
        rows.pending_text(w, r),
        rows.ratio_text(w, r),
        rows.record_text(w, r),
        w.fragile(r),
        rows.reason(w, r, ctx.span) if group_of(r["verdict"]) == "unknown" else "",
    ]
    notes = [n for n in notes if n]
    extra = join(html("<br><span class='reason'>{}</span>", n) for n in notes)
    return html("{}{}", rows.chip(w, r), extra)


def evidence_cell(ctx: ReportContext, r: dict) -> Markup | str:
    """The evidence grade (marked when weak) and, where a quote it rests on is garbled or mis-worded, why."""
    grade = ctx.w.evidence(r.get("evidence"), bool(r.get("weak")))
    issues = ctx.w.quote_issues(r.get("quote_issue")) if r.get("evidence") != "none" else ""
    if not issues:
        return grade
    return html("{}<br><span class='reason'>{}</span>", grade, ctx.w("quote_issue.row", issues=issues))


def target_cell(ctx: ReportContext, r: dict) -> Markup:
    """The target as written, its year and, for totals, that it is a total over the plan period."""
    w = ctx.w
    note = w.year(r["target_year"])
    if r["measure"] == "period_total":
        note += w("report.parenthesis", text=w("measure.period_total"))
    return html("{}<br><span class='reason'>{}</span>", rows.target(w, r), note)


def target_table(ctx: ReportContext) -> Fragment:
    """Every target of the region's plan, none left out."""
    w = ctx.w
    start, end = ctx.span
    records = ctx.projection.to_dict("records")
    attributed = any(rows.has(r.get("attribute")) for r in records)  # a plan without 属性: no column of "—"
    keys = ("indicator", "attribute", "baseline", "target", "latest", "required", "assumed", "result", "verdict",
            "evidence")
    head = [w(f"table.{k}") for k in keys if attributed or k != "attribute"]
    body = []
    for r in records:
        per = r.get("growth_per") or ("period" if r["measure"] == "period_total" else "year")
        required = w.growth(r.get("required_growth"), per)
        body.append(
            Row(
                [
                    rows.name(w, r),
                    *([w.attribute(r.get("attribute"))] if attributed else []),
                    rows.baseline(w, r, end - start + 1),
                    target_cell(ctx, r),
                    rows.latest(w, r),
                    Cell(required, "num"),
                    growth_used(ctx, r),
                    result(ctx, r),
                    verdict_cell(ctx, r),
                    Cell(evidence_cell(ctx, r), "weak" if r.get("weak") else ""),
                ],
                cls=f"v-{r['verdict']}",
            )
        )
    return Fragment(
        html(
            "<section class='targets'><h2>{}</h2>{}</section>",
            ctx.heading("targets"),
            table(head, body, cls="targets"),
        )
    )
