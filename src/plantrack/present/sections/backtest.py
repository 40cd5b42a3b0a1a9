"""Backtest: how the projection from the previous plan's growth fared where the outcome is now known."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ...analysis.backtest import backtest, summary
from ...analysis.hindcast import method_records
from .. import calibration, formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Cell, Row, html, join, table


def backtest_frame(ctx: ReportContext) -> pd.DataFrame:
    """The region's backtest rows with the report's assumptions (computed once per report)."""
    if "backtest" not in ctx.cache:
        ctx.cache["backtest"] = backtest(ctx.data, ctx.region, ctx.assumptions)
    return ctx.cache["backtest"]


def _confirmed(ctx: ReportContext, value: object) -> str:
    if not rows.has(value):
        return formats.DASH
    return ctx.w("backtest.yes") if value else ctx.w("backtest.no")


def method_records_part(ctx: ReportContext) -> Markup:
    """Every method's hindcast record on the whole dataset (carried by a slice, computed once per dataset)."""
    w = ctx.w
    found = method_records(ctx.data, ctx.assumptions.year)
    body = [Row([Cell(c, "num") if i else c for i, c in enumerate(calibration.method_cells(w, code, r))])
            for code, r in found.items()]
    head = [w(f"hindcast.{c}") for c in calibration.METHOD_COLUMNS]
    return join(
        [
            html("<h3>{}</h3><p class='lead'>{}</p>", w("hindcast.heading"), calibration.lead(w, found, "publication")),
            table(head, body, cls="backtest methods"),
            html("<p class='note'>{}</p>", w("hindcast.null_note")),
        ]
    )


def backtest_section(ctx: ReportContext, frame: pd.DataFrame | None = None) -> Fragment:
    """A sentence (how many, median error, share of verdicts confirmed), a small table, and every method's record."""
    w = ctx.w
    frame = backtest_frame(ctx) if frame is None else frame
    heading = ctx.heading("backtest")
    records = method_records_part(ctx)
    if frame.empty:
        return Fragment(
            html(
                "<section class='backtest'><h2>{}</h2><p class='note'>{}</p>{}</section>",
                heading, w("backtest.none"), records,
            )
        )
    s = summary(frame)
    plans = [p for p in dict.fromkeys(frame["plan"]) if p in ctx.data.lookup.plans]
    plan_names = w.join([ctx.plan_name(p) for p in plans])
    lead = w(
        "backtest.lead",
        plan=plan_names,
        n=s["n"],
        n_projected=s["n_projected"],
        n_judged=s["n_judged"],
        error=formats.percent(s["median_abs_error"], 1),
        share=formats.percent(s["share_confirmed"]),
    )
    head = [w("table.indicator"), w("table.target"), w("backtest.projected"), w("backtest.actual")]
    head += [w("backtest.error"), w("backtest.then"), w("backtest.now"), w("backtest.confirmed")]
    body = []
    shown_rows = frame[frame["projected"].notna()]  # the sentence counts the others, which had no projection then
    for r in shown_rows.to_dict("records"):
        info = ctx.data.indicator(str(r["indicator_id"]))
        shown = {**r, "name_en": info["name_en"], "unit": info["unit"], "unit_as_written": info["unit"]}
        body.append(
            Row(
                [
                    rows.name(w, shown),
                    rows.value(w, shown, r["target_value"]),
                    rows.value(w, shown, r["projected"], approximate=True),
                    html(
                        "{}<br><span class='reason'>{}</span>",
                        rows.value(w, shown, r["actual"]),
                        w.year(r["actual_year"]),
                    ),
                    Cell(formats.signed_percent(r["error"]), "num"),
                    w.verdict(str(r["verdict_then"])),
                    w.verdict(str(r["outcome_now"])) if rows.has(r.get("outcome_now")) else formats.DASH,
                    _confirmed(ctx, r["confirmed"]),
                ]
            )
        )
    notes = [html("<p class='lead'>{}</p>", lead)] + ([table(head, body, cls="backtest")] if body else [])
    if s["n"] < 10:
        notes.append(html("<p class='note'>{}</p>", w("backtest.caution")))
    notes.append(records)
    return Fragment(html("<section class='backtest'><h2>{}</h2>{}</section>", heading, join(notes)))
