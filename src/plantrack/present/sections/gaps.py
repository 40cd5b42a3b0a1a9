"""Appendix for the researcher who prepares the report: each target not judged, the number missing, where to look."""

from __future__ import annotations

from ...analysis.projection import group_of
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Row, html, table

#: reason code → catalogue entry naming what is missing
NEEDS = {
    "no_value": "gap.need_values",
    "no_growth": "gap.need_any",
    "nonpositive_value": "gap.need_positive",
    "proxy_incompatible": "gap.need_proxy",
    "proxy_thin": "gap.need_proxy",
    "qualitative": "gap.need_definition",
    "no_target": "gap.need_target",
    "actual_lower_bound": "gap.need_actual",
}


def missing(ctx: ReportContext, r: dict) -> str:
    """The number that is missing for one target, named with its region, indicator and years."""
    w = ctx.w
    key = NEEDS.get(str(r.get("reason")))
    if key is None:
        return rows.reason(w, r, ctx.span)
    region = r.get("missing_region_id") if rows.has(r.get("missing_region_id")) else r["region_id"]
    indicator = r.get("missing_indicator_id") if rows.has(r.get("missing_indicator_id")) else r["indicator_id"]
    info = ctx.data.indicator(str(indicator))
    row = r if rows.has(r.get("missing_years")) else {**r, "missing_years": str(r["target_year"])}
    years = rows.missing_years(w, row, ctx.span, "or" if r.get("reason") == "no_growth" else "and")
    return w(
        key,
        region=ctx.data.region_name(str(region), ctx.lang),
        indicator=w.name(info),
        years=years,
        latest=w.year(r["latest_year"]) if rows.has(r.get("latest_year")) else "",
    )


#: reasons for which no number can be looked up (the plan would have to say more)
NOT_A_NUMBER = ("qualitative", "no_target", "required_not_positive")


def channel(ctx: ReportContext, r: dict) -> str | None:
    """The code of where numbers like the missing one are usually published (``published.csv``; ``unknown``
    where the table has no row for the indicator); None where no number can be looked up."""
    if r.get("reason") in NOT_A_NUMBER:
        return None
    indicator = r.get("missing_indicator_id") if rows.has(r.get("missing_indicator_id")) else r["indicator_id"]
    declared = ctx.data.published[ctx.data.published["indicator_id"] == indicator]["channel"]
    return str(declared.iloc[0]) if len(declared) else "unknown"


def where(ctx: ReportContext, r: dict) -> str:
    """Where numbers like the missing one are usually published, as ``published.csv`` declares for the indicator
    (— where no number can be looked up; "not yet reviewed" where the table has no row for it)."""
    code = channel(ctx, r)
    return formats.DASH if code is None else ctx.w(f"published.{code}")


def gaps(ctx: ReportContext) -> Fragment:
    """Each target the report cannot judge, what number would let it, and where such numbers are published."""
    w = ctx.w
    unknown = [r for r in ctx.projection.to_dict("records") if group_of(r["verdict"]) == "unknown"]
    heading = w("report.appendix", title=w("section.gaps"))
    if not unknown:
        return Fragment(
            html("<section class='gaps'><h2>{}</h2><p class='note'>{}</p></section>", heading, w("gap.none"))
        )
    body = [
        Row(
            [
                html("{}<br><span class='reason'>{}</span>", rows.name(w, r), rows.target(w, r)),
                missing(ctx, r),
                where(ctx, r),
            ]
        )
        for r in unknown
    ]
    head = [w("gap.col_target"), w("gap.col_missing"), w("gap.col_where")]
    return Fragment(
        html(
            "<section class='gaps'><h2>{}</h2><p class='lead'>{}</p>{}</section>",
            heading,
            w("gap.intro", n=len(unknown)),
            table(head, body, cls="gaps"),
        )
    )
