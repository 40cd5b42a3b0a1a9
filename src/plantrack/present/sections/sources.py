"""Appendix of sources: each document by its original publisher, with its tier, where a copy was found, and the
verbatim quote behind every number (values of another wording or not used are marked so; a garbled or mis-worded
quote says what is wrong and the tier it is graded, one below its source's)."""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup

from ...data.provenance import quote_issues, quote_tier
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import html, join

#: a table row as the documents locate it: 表1 序号3, 表2 知识产权运用 第14项
TABLE_ROW = re.compile(r"表\s*(\d+).*?(?:序号|第)\s*(\d+)")


def _quotes(ctx: ReportContext) -> pd.DataFrame:
    """Locator, name and quote of every target (this plan and the reviewed one) and observation of the region."""
    plans = [p for p in dict.fromkeys([ctx.plan, ctx.reviewed_plan]) if p]
    t = ctx.data.targets
    targets = t[(t["region_id"] == ctx.region) & t["plan"].isin(plans)]
    o = ctx.data.observations
    obs = o[o["region_id"] == ctx.region]
    names = ctx.data.indicators.set_index("indicator_id")["name_zh"]
    set_apart = obs["series"].notna() | obs["use"].eq("no")
    issue = obs["quote_issue"] if "quote_issue" in obs.columns else pd.Series(None, index=obs.index, dtype=object)
    frames = [
        targets[["source_id", "locator", "name_as_written", "quote"]].assign(set_apart=False, quote_issue=None),
        obs.assign(name_as_written=obs["indicator_id"].map(names), set_apart=set_apart, quote_issue=issue)[
            ["source_id", "locator", "name_as_written", "quote", "set_apart", "quote_issue"]
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
        # a copy on another site is an address of the copy, never the publisher's: said so beside it
        key = "sources.copy_at" if s.get("tier") == "C" else "sources.retrieved"
        parts.append(w(key, date=retrieved, url=s["url"]))
    return html("<h3>{}</h3><p class='note'>{}</p>", title, join(parts, w("language.comma")))


def _locator(ctx: ReportContext, text: object) -> Markup | str:
    """Where in the document: as written in Chinese (表1 序号3); in English a table row in English (Table 1, row 3)
    or nothing (a Chinese section heading says nothing to an English reader; the quote itself is kept)."""
    t = str(text) if rows.has(text) else ""
    if ctx.w.as_written:
        return rows.quoted(ctx.w, t) if rows.CJK.search(t) else ""
    if not rows.CJK.search(t):
        return t
    found = TABLE_ROW.search(t)
    return ctx.w("sources.table_row", table=found.group(1), row=found.group(2)) if found else ""


def _quote_issue(ctx: ReportContext, s: dict, value: object, set_apart: bool) -> Markup | str:
    """A garbled or mis-worded quote: what is wrong, the tier it is graded (one below its source's) and, for a
    value used, that a judgement resting on it is weak evidence."""
    issues = ctx.w.quote_issues(value)
    if not issues:
        return ""
    tier = quote_tier(s.get("tier"), quote_issues(value))
    if tier is not None and tier != s.get("tier"):
        said = ctx.w("sources.quote_lowered", issues=issues, tier=tier)
    else:
        said = ctx.w("sources.quote_lowest", issues=issues)
    return html(" <span class='reason'>{}{}</span>", said, "" if set_apart else ctx.w("sources.quote_weak"))


def sources(ctx: ReportContext) -> Fragment:
    """Each source document used, with the verbatim quote behind every target and observation of the region."""
    quotes = _quotes(ctx)
    w = ctx.w
    lookup = ctx.data.sources.set_index("source_id").to_dict("index")
    parts = []
    for sid, group in quotes.groupby("source_id", sort=False):
        s = {"source_id": sid, **lookup[sid]}
        items = join(
            html(
                "<li><span class='loc'>{}</span> {}{}<q>{}</q>{}{}</li>",
                _locator(ctx, r["locator"]),
                rows.quoted(ctx.w, r["name_as_written"]),
                ctx.w("language.colon"),
                rows.quoted(ctx.w, r["quote"]),
                html(" <span class='reason'>{}</span>", w("sources.set_apart")) if r["set_apart"] else "",
                _quote_issue(ctx, s, r["quote_issue"], bool(r["set_apart"])),
            )
            for r in group.to_dict("records")
        )
        parts.append(html("{}<ol class='quotes'>{}</ol>", _cite(ctx, s), items))
    heading = w("report.appendix", title=w("section.sources"))
    return Fragment(html("<section class='sources'><h2>{}</h2>{}</section>", heading, join(parts)))
