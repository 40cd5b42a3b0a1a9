"""The latest finished plan whose outcomes are held: every target's outcome and a tally by attribute.

The report's section (:func:`review_section`) and chapter 03's paragraph and tables read one review
(:func:`reviewed`).

Only targets are counted and judged; a completion table's rows that state no target (results the
plan reports) are listed apart as results.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ...analysis.review import STATUSES, results_only, review, tally, targets_of
from ...data.params import Scope
from ...data.units import in_catalogue
from .. import formats, listing, rows, texts
from ..context import Fragment, ReportContext
from ..htmltable import Cell, Row, html, table
from .base import frame_table, para

#: readings that say a completion figure counts more than, or other than, the indicator (marked on the row)
COUNTS_ELSE = ("completion_counts_more", "completion_counts_other")
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
    if rows.has(value) and any(c.isdigit() for c in str(text)):
        shown = rows.value(w, {**r, "unit": info["unit"], "name_en": info["name_en"]}, value)
        return (
            shown
            if _just_the_number(text, value, r.get("unit_as_written"))
            else html("{}<br><span class='zh'>{}</span>", shown, rows.zh_text(text))
        )
    return rows.zh_text(text)


def _just_the_number(text: object, value: object, unit_as_written: object) -> bool:
    """Whether the completion as written says no more than its number and unit (``44.3件``: nothing to add)."""
    written = str(text).replace(",", "").strip()
    number = formats.number(value).replace(",", "")
    unit = str(unit_as_written) if rows.has(unit_as_written) else ""
    return written in (number, number + unit)


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
    else:  # in the catalogue unit, in English words (CNY 14.5 bn; a count without a unit word)
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = ctx.w.amount(in_catalogue(float(value), written), info["unit"])
    return html("{} ({})", shown, formats.year(year)) if rows.has(year) else shown


def _note(ctx: ReportContext, r: dict) -> Markup | str:
    """Why a target has no outcome, how a pending one is projected to end, and the caveat of a reading
    (a completion that counts something else than the indicator)."""
    w = ctx.w
    notes: list[str] = []
    if r["status"] == "pending" and r.get("verdict") in ("achieved", "above_target"):  # an actual, not a projection
        notes.append(w("review_reason.actual_not_published_above"))
    elif r["status"] == "pending":
        reason = w("review_reason." + str(r["reason"]))
        notes.append(f"{reason}: {w.verdict(r['verdict'])}")
    elif r["status"] == "not_assessable" or r.get("reason") == "met_before_target_year":
        notes.append(w(f"review_reason.{r['reason']}"))
    if rows.has(r.get("reading")):
        notes.append(w(f"reading.{r['reading']}"))
    return html("<span class='reason'>{}</span>", w("report.clause_sep").join(notes)) if notes else ""


def reviewed(ctx: ReportContext) -> pd.DataFrame:
    """Every row of the reviewed plan as of the report's year, with each target's ``reading`` (how an ambiguous
    target or completion was read); computed once for the report's section and chapter 03."""
    if "reviewed" not in ctx.cache:
        found = review(ctx.data, Scope(ctx.region, str(ctx.reviewed_plan)), as_of=ctx.as_of)
        readings = ctx.data.targets.set_index(["region_id", "plan", "indicator_id"])["reading"]
        keys = found[["region_id", "plan", "indicator_id"]].itertuples(index=False)
        ctx.cache["reviewed"] = found.assign(reading=[readings.get(tuple(k)) for k in keys])
    return ctx.cache["reviewed"]


def review_section(ctx: ReportContext) -> Fragment:
    """Completion of the plan :func:`review_plan` returns, titled with that plan's name.

    Only targets are counted and judged; a completion table's rows that state no target (results the
    plan reports) are listed apart as results.
    """
    plan = ctx.reviewed_plan
    if plan is None:
        return Fragment("")
    w = ctx.w
    held = reviewed(ctx)
    name = ctx.plan_name(plan)
    targets = targets_of(held)
    results = results_only(held).to_dict("records")
    parts: list[Markup] = []
    if targets.empty:
        parts.append(html("<p class='lead'>{}</p>", w("review.results_lead", plan=name, n=len(results))))
    else:
        t = tally(held)
        total = t.loc["total"]
        counts = {s: int(total[s]) if s in total else 0 for s in STATUSES}
        lead = Markup.escape(
            w("review.lead_pending" if "pending" in t.columns else "review.lead", plan=name,
              n=int(total["total"]), **counts)
        )  # fmt: skip
        if (targets["outcome_from"] == "observations").any():
            lead = html("{} {}", lead, w("review.source", year=formats.year(ctx.as_of)))
        caveats = int(targets["reading"].isin(COUNTS_ELSE).sum())
        if caveats:
            lead = html("{}{}", lead, w("review.caveats", n=caveats))
        if results:
            lead = html("{}{}", lead, w("review.results_also", n=len(results)))
        parts.append(html("<p class='lead'>{}</p>", lead))
        parts.append(_tally_table(ctx, t))
        parts.append(_targets_table(ctx, targets.to_dict("records")))
    if results:
        parts.append(_results_table(ctx, results))
    return Fragment(
        html(
            "<section class='review'><h2>{}</h2>{}</section>",
            ctx.heading("review", plan=name),
            Markup("").join(parts),
        )
    )


def _tally_table(ctx: ReportContext, t: pd.DataFrame) -> Markup:
    """Met / not met / (pending) / not assessable by attribute and in total."""
    w = ctx.w
    head_tally = ["", *(w(f"review_status.{s}") for s in t.columns if s != "total"), w("table.total")]
    tally_rows = []
    for attribute, counts in t.iterrows():
        label = (
            w("table.total")
            if attribute == "total"
            else (w("table.unspecified") if attribute == "unspecified" else w.attribute(attribute))
        )
        tally_rows.append([label, *(Cell(int(v), "num") for v in counts)])
    return table(head_tally, tally_rows, cls="tally")


def _targets_table(ctx: ReportContext, targets: list[dict]) -> Markup:
    """Every target of the reviewed plan: target, completion, ratio, status and the row's note and caveat."""
    w = ctx.w
    head = [w("table.indicator"), w("table.attribute"), w("table.target"), w("table.completion")]
    head += [w("table.ratio"), w("table.status"), w("table.note")]
    body = []
    for r in targets:
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
                    w(f"review_status.{r['status']}")
                    + (w("review.caveat_mark") if r.get("reading") in COUNTS_ELSE else ""),
                    _note(ctx, r),
                ],
                cls=STATUS_CLASS[r["status"]],
            )
        )
    return table(head, body, cls="review")


def _results_table(ctx: ReportContext, results: list[dict]) -> Markup:
    """Results the plan reports without a target: the indicator and the figure, nothing judged."""
    w = ctx.w
    body = []
    for r in results:
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = {**r, "name_en": info["name_en"], "unit": info["unit"]}
        body.append(Row([rows.name(w, shown), _completion(ctx, r)]))
    return table([w("table.indicator"), w("review.result")], body, cls="review results")


# ---------------------------------------------------------------- chapter 03's paragraph and tables


def intro_review(ctx: ReportContext) -> Fragment:
    """Completion of the plan the report reviews: met, not met, not assessable; what was missed; results apart.

    Counts targets only, as the report's section does: a completion table's rows that state no target are results.
    """
    w = ctx.w
    plan = ctx.reviewed_plan
    if plan is None:
        return para([w("chapter.review_none", region=ctx.name)])
    rv = reviewed(ctx)
    targets, results = targets_of(rv), results_only(rv)
    if targets.empty:
        return para([w("review.results_lead", plan=ctx.whose_plan(plan), n=len(results))])
    counts = targets["status"].value_counts()
    met, not_met, na = (int(counts.get(k, 0)) for k in ("met", "not_met", "not_assessable"))
    binding = targets[targets["attribute"] == "约束性"]
    b_met = int((binding["status"] == "met").sum())
    missed = targets[targets["status"] == "not_met"].sort_values("completion_ratio")
    missed_names = [
        w("chapter.review_missed_item", ratio=texts.percent(r["completion_ratio"], 0, False),
          name=r["name_as_written"] if w.as_written else ctx.indicator_name(r["indicator_id"]))
        for r in missed.to_dict("records")
    ]
    s = [w("chapter.review_lead", plan=ctx.whose_plan(plan), n=len(targets), met=met, not_met=not_met, na=na)]
    if len(binding):
        s.append(w("chapter.review_binding", n=len(binding), met=b_met))
    if missed_names:
        s.append(w("chapter.review_missed", items=w.join(missed_names)))
    pending = int(counts.get("pending", 0))
    if pending:
        s.append(w("chapter.review_pending", n=pending))
    if len(results):
        s.append(w("review.results_also", n=len(results)))
    return para(s)


REVIEW_COLUMNS = ["name_as_written", "attribute", "target_text", "actual_text", "completion_ratio", "status_words"]


def review_tables(ctx: ReportContext) -> Fragment:
    """The tally by attribute and every target of the finished plan."""
    if ctx.reviewed_plan is None:
        return Fragment("")
    w = ctx.w
    rv = reviewed(ctx)
    t = tally(rv).reset_index()
    t["attribute"] = t["attribute"].map(lambda a: listing.attribute(w, a))
    names = {s: w.code("review_status", s) for s in STATUSES}
    names |= {"total": w("table.total"), "status_words": texts.header("status_words", ctx.lang)}
    tally_html = frame_table(t, ["attribute", *(c for c in t.columns if c != "attribute")], ctx.lang, names)
    recs = rv.to_dict("records")
    rows = rv.assign(
        status_words=rv["status"].map(lambda s: w.code("review_status", s)),
        **{c: [listing.cell(w, r, c) for r in recs] for c in ("target_text", "actual_text")},
        attribute=rv["attribute"].map(lambda a: listing.attribute(w, a)),
    )
    return Fragment(tally_html + frame_table(rows, REVIEW_COLUMNS, ctx.lang, names))
