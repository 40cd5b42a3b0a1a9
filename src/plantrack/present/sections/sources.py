"""Sources: each document used, with its tier and where it was found, and the verbatim quote behind every number."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from .. import rows
from ..context import Fragment, ReportContext
from ..htmltable import html, join


def _quotes(ctx: ReportContext) -> pd.DataFrame:
    """Locator, name and quote of every target (this plan and the reviewed one) and observation of the region."""
    plans = [p for p in dict.fromkeys([ctx.plan, ctx.reviewed_plan]) if p]
    t = ctx.data.targets
    targets = t[(t["region_id"] == ctx.region) & t["plan"].isin(plans)]
    o = ctx.data.observations
    obs = o[o["region_id"] == ctx.region]
    names = ctx.data.indicators.set_index("indicator_id")["name_zh"]
    frames = [
        targets[["source_id", "locator", "name_as_written", "quote"]],
        obs.assign(name_as_written=obs["indicator_id"].map(names))[["source_id", "locator", "name_as_written", "quote"]],
    ]
    return pd.concat(frames, ignore_index=True).drop_duplicates(["source_id", "locator", "quote"])


def _cite(ctx: ReportContext, s: dict) -> Markup:
    w = ctx.w
    title = rows.zh_text(s["title"]) if not ctx.zh else s["title"]
    issuer = rows.zh_text(s["issuer"]) if not ctx.zh else s["issuer"]
    date = str(s["date"]) if rows.has(s.get("date")) else ""
    tier = w(f"tier.{s['tier']}") if rows.has(s.get("tier")) else w("tier.none")
    where = (
        w("sources.retrieved", date=s["retrieved"] if rows.has(s.get("retrieved")) else "—", url=s["url"])
        if rows.has(s.get("url"))
        else w("sources.document")
    )
    sep = "，" if ctx.zh else ", "
    return html(
        "<h3>{}</h3><p class='note'>{}{}{}{}{}</p>",
        title,
        issuer,
        sep + date if date else "",
        sep + w("sources.tier_line", tier=tier),
        sep,
        where,
    )


def sources(ctx: ReportContext) -> Fragment:
    """Each source document used, with the verbatim quote behind every target and observation of the region."""
    quotes = _quotes(ctx)
    lookup = ctx.data.sources.set_index("source_id").to_dict("index")
    parts = []
    for sid, group in quotes.groupby("source_id", sort=False):
        s = {"source_id": sid, **lookup[sid]}
        lang = "" if ctx.zh else ' lang="zh-CN"'
        items = join(
            html("<li" + lang + "><span class='loc'>{}</span> {}：<q>{}</q></li>", r["locator"], r["name_as_written"],
                 r["quote"])
            for r in group.to_dict("records")
        )
        parts.append(html("{}<ol class='quotes'>{}</ol>", _cite(ctx, s), items))
    return Fragment(html("<section class='sources'><h2>{}</h2>{}</section>", ctx.heading("sources"), join(parts)))
