"""This region's targets next to its parent's and the national ones (same indicator, same unit and period).

The report's section (:func:`comparison`) and chapter 02's paragraph and table read one comparison (:func:`compared`).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ...analysis.comparison import SHOW_ALL, compare, incomparable, shown_regions, targeting_count
from ...analysis.plans import plan_span
from ...data.params import national_region
from .. import formats, listing, rows, texts
from ..context import Fragment, ReportContext
from ..htmltable import Row, html, table
from ..words import words
from .base import frame_table, para


def compared(ctx: ReportContext) -> pd.DataFrame:
    """The region's indicators that other levels also target, side by side (codes and numbers; computed once)."""
    if "compared" not in ctx.cache:
        mine = set(ctx.projection["indicator_id"])
        ctx.cache["compared"] = compare(
            ctx.data, assumptions=ctx.assumptions, among=mine, known=ctx.projection, region=ctx.region
        )
    return ctx.cache["compared"]


def _relation(ctx: ReportContext, v: object, compared_as: object, other: str) -> str:
    """An absolute amount as a share of the other's target (占江苏省目标的1.3%), a relative one as a multiple."""
    if not rows.has(v):
        return formats.DASH
    if compared_as == "share":
        return ctx.w("comparison.share", other=other, value=formats.percent(v, 1))
    return ctx.w("comparison.multiple", other=other, value=formats.ratio(v))


def _target(ctx: ReportContext, r: dict) -> Markup | str:
    return rows.target(ctx.w, r)


def _with_wording(ctx: ReportContext, r: dict, info: dict) -> dict:
    """A comparison row with the plan's unit and kind of target (what :func:`rows.target` reads)."""
    written = next(
        (t for t in ctx.data.lookup.targets.get((r["region_id"], r["indicator_id"]), []) if t["plan"] == r["plan"]),
        {},
    )
    return {
        **r,
        "name_en": info["name_en"],
        "unit_as_written": written.get("unit_as_written"),
        "target_kind": written.get("target_kind", "qualitative"),
        **{k: written.get(k) for k in ("target_low_norm", "target_high_norm", "target_strict")},
    }


def comparison(ctx: ReportContext) -> Fragment:
    """One block per indicator: every region's target, its share (an amount) or multiple (a rate, a count per head)
    of the parent's and the nation's."""
    w = ctx.w
    found = compared(ctx)
    heading = ctx.heading("comparison")
    left_out = _left_out(ctx)
    if found.empty:
        return Fragment(
            html("<section><h2>{}</h2><p class='note'>{}{}</p></section>", heading, w("comparison.none"), left_out)
        )
    head = [w("table.indicator"), w("table.region"), w("table.baseline"), w("table.target"), w("table.required")]
    head += [w("comparison.vs_parent"), w("comparison.vs_national"), w("table.note")]
    by_name = {ctx.data.region_name(r): ctx.data.region_name(r, ctx.lang) for r in set(found["region_id"])}
    nation = national_region(ctx.data)
    nation_name = ctx.data.region_name(nation, ctx.lang) if nation else ""
    body = []
    for ind, part in found.groupby("indicator_id", sort=False):
        info = ctx.data.indicator(str(ind))
        label = w.name(info)
        unit = w.unit(info["unit"], info["name_en"])
        suffix = w("report.parenthesis", text=unit)
        label = label if not unit or label.endswith(suffix) else f"{label}{suffix}"
        for i, r in enumerate(part.to_dict("records")):
            r = _with_wording(ctx, r, info)
            start, end = plan_span(ctx.data, r["plan"])
            base = rows.baseline(w, r, end - start + 1)
            parent = by_name.get(str(r["compared_with"]), str(r["compared_with"] or ""))
            per = "period" if r["measure"] == "period_total" else "year"
            body.append(
                Row(
                    [
                        label if i == 0 else "",
                        ctx.data.region_name(r["region_id"], ctx.lang),
                        base,
                        _target(ctx, r),
                        # growth needed from the baseline shown; none where no baseline is shown (it would run
                        # from a value the reader cannot see, such as a later year's actual)
                        w.growth(r["required_growth"], per) if rows.has(r.get("baseline_value")) else formats.DASH,
                        _relation(ctx, r["vs_compared"], r["compared_as"], parent),
                        _relation(ctx, r["vs_national"], r["compared_as"], nation_name),
                        html("<span class='reason'>{}</span>", w.field(r, "note")),
                    ],
                    cls="self" if r["region_id"] == ctx.region else "",
                )
            )
    return Fragment(
        html(
            "<section class='comparison'><h2>{}</h2>{}<p class='note'>{}{}</p></section>",
            heading,
            table(head, body, cls="compare"),
            w("comparison.note"),
            left_out,
        )
    )


def _left_out(ctx: ReportContext) -> str:
    """Where more regions target an indicator than the table shows: how many targets are left out (else nothing)."""
    mine = dict.fromkeys(ctx.projection["indicator_id"])
    n = sum(targeting_count(ctx.data, i) - len(shown_regions(ctx.data, ctx.region, i)) for i in mine)
    return ctx.w("language.space") + ctx.w("comparison.left_out", limit=SHOW_ALL, n=n) if n else ""


# ---------------------------------------------------------------- chapter 02's paragraph and table


def comparison_frame(ctx: ReportContext) -> pd.DataFrame:
    """The region's indicators that other levels also target, side by side."""
    table_ = compared(ctx)
    if not table_.empty:
        table_ = table_.assign(
            indicator_zh=[ctx.indicator_name(i) for i in table_["indicator_id"]],
            region_zh=[ctx.data.region_name(r, ctx.lang) for r in table_["region_id"]],
            note=table_[ctx.w("language.note")],
        )
    return table_


COMPARISON_COLUMNS = [
    "indicator_zh", "region_zh", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "vs_compared", "vs_national", "note",
]


def intro_comparison(ctx: ReportContext) -> Fragment:
    """How many of the region's indicators other levels target, and where the region aims highest."""
    w, frame = words(ctx.lang), comparison_frame(ctx)
    if frame.empty:
        return para([w("chapter.comparison_none", region=ctx.name)])
    own = frame[frame["region_id"] == ctx.region]
    levels = own[own["compared_as"] == "multiple"].dropna(subset=["vs_compared"])  # rates, shares, per head
    higher = levels[levels["vs_compared"] > 1]
    n_ind = frame["indicator_id"].nunique()
    s = [w("chapter.comparison_lead", region=ctx.name, n=len(ctx.projection), shared=n_ind)]
    if not levels.empty:
        top = levels.sort_values("vs_compared", ascending=False).iloc[0]
        other = ctx.data.region_name(
            next(r for r in ctx.data.region_ids() if ctx.data.region_name(r) == top["compared_with"]), ctx.lang
        ) if top["compared_with"] else ""
        s.append(w("chapter.comparison_highest", higher=len(higher), indicator=ctx.indicator_name(top["indicator_id"]),
                   other=other, ratio=texts.ratio(top["vs_compared"])))
    apart = incomparable(ctx.data)
    if len(apart):
        s.append(w("chapter.comparison_apart", n=len(apart)))
    return para(s)


def comparison_table(ctx: ReportContext) -> Fragment:
    """The comparison with chosen columns and readable numbers: multiples for levels, shares for totals."""
    w = words(ctx.lang)
    names = {"indicator_zh": w("chapter.indicator"), "region_zh": w("chapter.region")}
    frame = comparison_frame(ctx)
    if frame.empty:
        return Fragment("")
    recs = frame.to_dict("records")  # growth per year or per period, multiples or shares: as the CLI shows them
    frame = frame.assign(
        indicator_zh=frame["indicator_zh"].where(frame["indicator_id"] != frame["indicator_id"].shift(), " "),
        **{c: [listing.cell(w, r, c) for r in recs] for c in ("required_growth", "vs_compared", "vs_national")},
    )
    return frame_table(frame, COMPARISON_COLUMNS, ctx.lang, names)
