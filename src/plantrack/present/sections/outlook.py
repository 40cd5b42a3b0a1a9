"""Chapter 06, outlook to 2030: where the last period's growth leads, and what draft targets would require."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ...analysis.outlook import outlook
from .. import listing, texts
from ..context import Fragment, ReportContext
from ..words import words
from .base import frame_table, para

OUTLOOK_COLUMNS = [
    "name", "unit_words", "latest_year", "latest_value", "growth_words", "evidence_words", "outlook_low",
    "outlook_central", "outlook_high", "band_words",
]
DRAFT_COLUMNS = [
    "name", "unit_words", "latest_value", "draft_value", "required_words", "growth_words", "R", "verdict_words",
    "parent_words", "national_words",
]


def outlook_frame(ctx: ReportContext, to_year: int, drafts: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The outlook of the chapter's region (codes and numbers), as of the chapter's year."""
    return outlook(ctx.data, ctx.region, to_year, drafts, ctx.assumptions)


def intro_outlook(ctx: ReportContext, to_year: int, drafts: Mapping[str, float] | None = None) -> Fragment:
    """How many indicators have data and a projection to ``to_year``; per draft, required against past growth."""
    w = words(ctx.lang)
    frame = outlook_frame(ctx, to_year, drafts)
    if frame.empty:
        return para([w("chapter.outlook_none", region=ctx.name)])
    projected = int(frame["outlook_central"].notna().sum())
    s = [w("chapter.outlook_lead", plan=ctx.whose_plan(), n=len(frame), projected=projected, year=to_year)]
    items = []
    for r in frame[frame["draft_value"].notna()].to_dict("records"):
        name = ctx.indicator_name(str(r["indicator_id"]))
        items.append(w(
            "chapter.outlook_draft_item", name=name, value=texts.number(r["draft_value"]),
            required=listing.cell(w, r, "required_growth"), past=listing.cell(w, r, "observed_growth"),
            verdict=listing.cell(w, r, "verdict") if r["verdict"] else listing.cell(w, r, "reason", "outlook"),
        ))
    if items:
        s.append(w("chapter.outlook_drafts", items=ctx.w.join(items)))
    return para(s)


def _words(ctx: ReportContext, frame: pd.DataFrame) -> pd.DataFrame:
    w = words(ctx.lang)
    recs = frame.to_dict("records")
    return frame.assign(
        name=[ctx.indicator_name(str(r["indicator_id"])) for r in recs],
        unit_words=[listing.cell(w, r, "unit") for r in recs],
        growth_words=[listing.cell(w, r, "observed_growth") for r in recs],
        required_words=[listing.cell(w, r, "required_growth") for r in recs],
        parent_words=[listing.cell(w, r, "parent_growth") for r in recs],
        national_words=[listing.cell(w, r, "national_growth") for r in recs],
        evidence_words=[listing.cell(w, r, "evidence") for r in recs],
        band_words=[listing.cell(w, r, "band_from") if r["band_from"] else listing.cell(w, r, "reason", "outlook")
                    for r in recs],
        verdict_words=[listing.cell(w, r, "verdict") if r["verdict"] else listing.cell(w, r, "reason", "outlook")
                       for r in recs],
    )


def _names(lang: str) -> dict[str, str]:
    w = words(lang)
    names = {c: texts.header(c.replace("_words", ""), lang) for c in (*OUTLOOK_COLUMNS, *DRAFT_COLUMNS)}
    names.update(
        name=w("chapter.indicator"), unit_words=texts.header("unit", lang), evidence_words=w("chapter.evidence"),
        verdict_words=w("chapter.verdict"), growth_words=texts.header("observed_growth", lang),
        required_words=texts.header("required_growth", lang), parent_words=texts.header("parent_growth", lang),
        national_words=texts.header("national_growth", lang), band_words=texts.header("band_from", lang),
    )
    return names


def outlook_table(ctx: ReportContext, to_year: int) -> Fragment:
    """Every indicator with data: latest actual, last period's growth and its evidence, the value by ``to_year``."""
    frame = _words(ctx, outlook_frame(ctx, to_year))
    return frame_table(frame, OUTLOOK_COLUMNS, ctx.lang, _names(ctx.lang))


def draft_table(ctx: ReportContext, to_year: int, drafts: Mapping[str, float]) -> Fragment:
    """Each draft target: the growth it requires against the last period's, the parent's and the nation's."""
    if not drafts:
        return Fragment("")
    frame = outlook_frame(ctx, to_year, drafts)
    frame = _words(ctx, frame[frame["draft_value"].notna()])
    return frame_table(frame, DRAFT_COLUMNS, ctx.lang, _names(ctx.lang))


def outlook_counts(ctx: ReportContext, to_year: int) -> str:
    """One line of counts (codes, for a pinned notebook output): indicators with data, projected, by evidence."""
    frame = outlook_frame(ctx, to_year)
    evidence = frame["evidence"].fillna("none").value_counts().sort_index().to_dict()
    return f"{ctx.region} {ctx.plan} to {to_year}: {len(frame)} with data, " \
           f"{int(frame['outlook_central'].notna().sum())} projected; {evidence}"
