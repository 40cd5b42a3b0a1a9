"""Chapter 04's chart: the indicator's own path, and the stand-in series whose growth carries its verdict."""

from __future__ import annotations

import pandas as pd

from ...analysis.plans import plan_span
from ...analysis.series import points
from ...data.params import check_indicator
from .. import texts
from ..context import Fragment, ReportContext
from ..htmltable import html
from ..words import words


def _stand_in(ctx: ReportContext, row: dict) -> tuple[str, str] | None:
    """The region and indicator whose growth carries the verdict, when they are not the target's own."""
    region, indicator = row.get("growth_region_id"), row.get("growth_indicator_id")
    if not isinstance(region, str) or not isinstance(indicator, str):
        return None
    if (region, indicator) == (row["region_id"], row["indicator_id"]):
        return None
    return region, indicator


def indicator_chart(ctx: ReportContext, indicator: str) -> Fragment:
    """The indicator's history, projection and target; below, the stand-in series whose growth carries the verdict."""
    from ..charts import apply_style, path_figure, to_img  # matplotlib: only when a chart is drawn

    check_indicator(ctx.data, indicator)
    rows = ctx.projection[ctx.projection["indicator_id"] == indicator]
    if rows.empty:
        raise ValueError(f"{ctx.region} has no target for {indicator!r}; its indicators: "
                         f"{', '.join(ctx.projection['indicator_id'])}")
    row = rows.iloc[0].to_dict()
    a = ctx.assumptions
    own = points(ctx.data, ctx.region, indicator, a.times_reading, a.year)
    figure = path_figure(own, row, ctx.lang, years=plan_span(ctx.data, ctx.plan))
    own_chart = to_img(figure, str(row["name_as_written"]))
    stand_in = _stand_in(ctx, row)
    if stand_in is None:
        return Fragment(own_chart)
    import matplotlib.pyplot as plt

    region, other = stand_in
    w = words(ctx.lang)
    pts = points(ctx.data, region, other, a.times_reading, a.year)
    single = pts[pts["period_start"].isna()]
    apply_style()
    fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
    ax.plot(single["year"], single["value"], color="#7f7f7f", lw=1, marker="o")
    lo, hi = row.get("growth_from_year"), row.get("growth_to_year")
    if pd.notna(lo) and pd.notna(hi):
        span = single[(single["year"] >= lo) & (single["year"] <= hi)]
        ax.plot(span["year"], span["value"], color="#1a9850", lw=2.5, marker="o",
                label=w("chapter.chart_growth_used", growth=texts.percent(row["observed_growth"])))
        ax.legend(fontsize=8)
    who = ctx.data.region_name(region, ctx.lang)
    kind = w.evidence(row["evidence"])
    ax.set_title(w("chapter.chart_title", kind=kind, region=who, indicator=ctx.indicator_name(other)))
    ax.set_ylabel(str(ctx.data.indicator(other)["unit"] or ""), rotation=0, labelpad=10)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    name = ctx.indicator_name(other)
    caption = html("<p>{}</p>", w("chapter.chart_caption", region=who, indicator=name, kind=kind))
    return Fragment(own_chart + str(caption) + to_img(fig, f"{who} {ctx.indicator_name(other)}"))
