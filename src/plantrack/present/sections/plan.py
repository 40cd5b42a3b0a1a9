"""Chapter 01, the plan tables: the region's targets as written and its history points."""

from __future__ import annotations

import pandas as pd

from ...data.provenance import quote_issues, quote_tier
from .. import listing, texts
from ..context import Fragment, ReportContext
from ..words import words
from .base import frame_table, para


def targets(ctx: ReportContext) -> pd.DataFrame:
    """The region's targets of its plan, as the tables hold them."""
    t = ctx.data.targets
    return t[(t["region_id"] == ctx.region) & (t["plan"] == ctx.plan)]


def observations(ctx: ReportContext) -> pd.DataFrame:
    """The region's history points with the tier of their quote: their source's, one lower for a garbled or
    mis-worded quote (``quote_issue``)."""
    o = ctx.data.observations[ctx.data.observations["region_id"] == ctx.region]
    tiers = dict(zip(ctx.data.sources["source_id"], ctx.data.sources["tier"], strict=True))
    issues = o["quote_issue"] if "quote_issue" in o.columns else pd.Series(None, index=o.index, dtype=object)
    graded = [quote_tier(tiers.get(s), quote_issues(i)) for s, i in zip(o["source_id"], issues, strict=True)]
    return o.assign(tier=graded, indicator=o["indicator_id"].map(ctx.indicator_name))


def intro_plan(ctx: ReportContext) -> Fragment:
    """What the plan tables hold for the region: targets by kind and attribute, baselines, history points."""
    t = targets(ctx)
    kinds = t["target_kind"].value_counts()
    kind_text = ctx.w.join([f"{ctx.w.code('target_kind', k)} {n}" for k, n in kinds.items()])
    attrs = t["attribute"].value_counts()
    binding, expected = int(attrs.get("约束性", 0)), int(attrs.get("预期性", 0))
    based = t["baseline_value"].notna()
    obs = observations(ctx)
    years = sorted(int(y) for y in obs["year"])
    first, last = texts.year(t.loc[based, "baseline_year"].min()), texts.year(t.loc[based, "baseline_year"].max())
    w = words(ctx.lang)
    attr = w("chapter.plan_attr", binding=binding, expected=expected) if binding + expected else w(
        "chapter.plan_attr_none"
    )
    detail = ""
    if len(obs):
        span = w("chapter.span", start=years[0], end=years[-1])
        detail = w("chapter.plan_points_detail", span=span, indicators=obs["indicator_id"].nunique(),
                   sources=obs["source_id"].nunique())
    s = [
        w("chapter.plan_lead", plan=ctx.whose_plan(), n=len(t), kinds=kind_text) + attr,
        w("chapter.plan_baselines", n=int(based.sum()), first=first, last=last) if based.any()
        else w("chapter.plan_no_baseline"),
        w("chapter.plan_points", region=ctx.name, n=len(obs)) + detail + w("chapter.end"),
    ]
    return para(s)


PLAN_COLUMNS = [
    "name_as_written", "unit_as_written", "attribute", "baseline_year", "baseline_text", "target_year", "target_text",
    "target_kind", "locator",
]
OBSERVATION_COLUMNS = [
    "indicator", "year", "period_start", "value", "unit_as_written", "method", "covers", "source_id", "tier",
    "quote_issue",
]


def plan_table(ctx: ReportContext) -> Fragment:
    """Every target of the plan as written, with where it is in the document."""
    w = words(ctx.lang)
    frame = targets(ctx).assign(
        target_kind=lambda f: f["target_kind"].map(lambda k: w.code("target_kind", k)),
        attribute=lambda f: f["attribute"].map(lambda a: listing.attribute(w, a)),
    )
    return frame_table(frame, PLAN_COLUMNS, ctx.lang)


def observation_table(ctx: ReportContext) -> Fragment:
    """The region's history points: year, value as written, stated or derived, source and its tier."""
    names = {"indicator": words(ctx.lang)("chapter.indicator")}
    return frame_table(observations(ctx).sort_values(["indicator_id", "year"]), OBSERVATION_COLUMNS, ctx.lang, names)
