"""This region's targets next to its parent's and the national ones (same indicator, same unit and period)."""

from __future__ import annotations

from markupsafe import Markup

from ...analysis.comparison import SHOW_ALL, compare, shown_regions, targeting_count
from ...analysis.plans import plan_span
from ...data.params import national_region
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Row, html, table


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
    mine = set(ctx.projection["indicator_id"])
    found = compare(ctx.data, assumptions=ctx.assumptions, among=mine, known=ctx.projection, region=ctx.region)
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
