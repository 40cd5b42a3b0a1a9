"""The latest finished plan whose outcomes are held: every target's outcome and a tally by attribute."""

from __future__ import annotations

from markupsafe import Markup

from ...analysis.review import STATUSES, review, tally
from ...data.units import in_catalogue
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Cell, Row, html, table

STATUS_CLASS = {
    "met": "v-achieved",
    "not_met": "v-missed",
    "pending": "v-acceleration_needed",
    "not_assessable": "v-not_projectable",
}


def _completion(ctx: ReportContext, r: dict) -> Markup | str:
    """The completion as the plan reports it (万 kept); in English the number in words with a unit."""
    w = ctx.w
    text = r.get("actual_text")
    if r.get("outcome_from") == "observations":
        return _observed(ctx, r)
    if not rows.has(text):
        return formats.DASH
    if w.as_written:
        return formats.as_written(text, r.get("unit_as_written"))
    value = r.get("actual_value")
    info = ctx.data.indicator(str(r["indicator_id"]))
    unit = w.unit(info["unit"], info["name_en"])
    if rows.has(value) and any(c.isdigit() for c in str(text)):
        shown = formats.with_unit(value, unit)
        return (
            shown
            if str(text).replace(",", "").strip() == formats.number(value).replace(",", "")
            else html("{}<br><span class='zh'>{}</span>", shown, rows.zh_text(text))
        )
    return rows.zh_text(text)


def _observed(ctx: ReportContext, r: dict) -> Markup | str:
    """An actual from the observations (or, pending, the projection), with its year, in the target's unit."""
    value, year = r.get("actual_value"), r.get("actual_year")
    if r["status"] == "pending" and rows.has(r.get("projection_central")):
        value, year = r["projection_central"], None
    if not rows.has(value):
        return formats.DASH
    written = str(r.get("unit_as_written") or "")
    if ctx.w.as_written:
        shown = formats.number(value) + written
    else:  # in the catalogue unit, named in English
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = formats.with_unit(in_catalogue(float(value), written), ctx.w.unit(info["unit"], info["name_en"]))
    return html("{} ({})", shown, formats.year(year)) if rows.has(year) else shown


def _note(ctx: ReportContext, r: dict) -> Markup | str:
    """Why a target has no outcome, or how a pending one is projected to end."""
    w = ctx.w
    if r["status"] == "pending":
        return html("<span class='reason'>{}: {}</span>", w(f"review_reason.{r['reason']}"), w.verdict(r["verdict"]))
    if r["status"] == "not_assessable" or r.get("reason") == "met_before_target_year":
        return html("<span class='reason'>{}</span>", w(f"review_reason.{r['reason']}"))
    return ""


def review_section(ctx: ReportContext) -> Fragment:
    """Completion of the plan :func:`review_plan` returns, titled with that plan's name."""
    plan = ctx.reviewed_plan
    if plan is None:
        return Fragment("")
    w = ctx.w
    reviewed = review(ctx.data, ctx.region, plan, ctx.as_of)
    t = tally(reviewed)
    name = ctx.plan_name(plan)
    total = t.loc["total"]
    counts = {s: int(total[s]) if s in total else 0 for s in STATUSES}
    lead = w("review.lead_pending" if "pending" in t.columns else "review.lead", plan=name,
             n=int(total["total"]), **counts)
    if (reviewed["outcome_from"] == "observations").any():
        lead = html("{} {}", lead, w("review.source", year=formats.year(ctx.as_of)))
    head_tally = ["", *(w(f"review_status.{s}") for s in t.columns if s != "total"), w("table.total")]
    tally_rows = []
    for attribute, counts in t.iterrows():
        label = (
            w("table.total")
            if attribute == "total"
            else (w("table.unspecified") if attribute == "unspecified" else w.attribute(attribute))
        )
        tally_rows.append([label, *(Cell(int(v), "num") for v in counts)])
    head = [w("table.indicator"), w("table.attribute"), w("table.target"), w("table.completion")]
    head += [w("table.ratio"), w("table.status"), w("table.note")]
    body = []
    for r in reviewed.to_dict("records"):
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = {**r, "name_en": info["name_en"], "unit": info["unit"]}
        body.append(
            Row(
                [
                    rows.name(w, shown),
                    w.attribute(r.get("attribute")),
                    rows.target(w, shown),
                    _completion(ctx, r),
                    Cell(formats.percent(r["completion_ratio"]), "num"),
                    w(f"review_status.{r['status']}"),
                    _note(ctx, r),
                ],
                cls=STATUS_CLASS[r["status"]],
            )
        )
    return Fragment(
        html(
            "<section class='review'><h2>{}</h2><p class='lead'>{}</p>{}{}</section>",
            ctx.heading("review", plan=name),
            lead,
            table(head_tally, tally_rows, cls="tally"),
            table(head, body, cls="review"),
        )
    )
