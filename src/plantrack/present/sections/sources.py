"""Sources: each document used, with its tier and where it was found, and the verbatim quote behind every number."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from .. import formats, rows
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
        obs.assign(name_as_written=obs["indicator_id"].map(names))[
            ["source_id", "locator", "name_as_written", "quote"]
        ],
    ]
    return pd.concat(frames, ignore_index=True).drop_duplicates(["source_id", "locator", "quote"])


def _cite(ctx: ReportContext, s: dict) -> Markup:
    """Title, issuer, date, tier and where the text was found (a plan document: the document itself)."""
    w = ctx.w
    title = html("<cite>{}</cite>", rows.quoted(w, s["title"]))
    parts: list[object] = [html("<cite>{}</cite>", rows.quoted(w, s["issuer"]))]
    if rows.has(s.get("date")):
        parts.append(str(s["date"]))
    if rows.has(s.get("tier")):
        parts.append(w("sources.tier_line", tier=w(f"tier.{s['tier']}")))
    else:
        parts.append(w("tier.none"))
    if rows.has(s.get("url")):
        retrieved = s["retrieved"] if rows.has(s.get("retrieved")) else formats.DASH
        parts.append(w("sources.retrieved", date=retrieved, url=s["url"]))
    return html("<h3>{}</h3><p class='note'>{}</p>", title, join(parts, w("language.comma")))


def _locator(ctx: ReportContext, text: object) -> Markup | str:
    """Where in the document (表1 序号3); a locator without Chinese text is not shown in a Chinese report."""
    t = str(text) if rows.has(text) else ""
    if ctx.w.as_written and not rows.CJK.search(t):
        return ""
    return rows.quoted(ctx.w, t)


def sources(ctx: ReportContext) -> Fragment:
    """Each source document used, with the verbatim quote behind every target and observation of the region."""
    quotes = _quotes(ctx)
    lookup = ctx.data.sources.set_index("source_id").to_dict("index")
    parts = []
    for sid, group in quotes.groupby("source_id", sort=False):
        s = {"source_id": sid, **lookup[sid]}
        items = join(
            html(
                "<li><span class='loc'>{}</span> {}{}<q>{}</q></li>",
                _locator(ctx, r["locator"]),
                rows.quoted(ctx.w, r["name_as_written"]),
                ctx.w("language.colon"),
                rows.quoted(ctx.w, r["quote"]),
            )
            for r in group.to_dict("records")
        )
        parts.append(html("{}<ol class='quotes'>{}</ol>", _cite(ctx, s), items))
    return Fragment(html("<section class='sources'><h2>{}</h2>{}</section>", ctx.heading("sources"), join(parts)))
