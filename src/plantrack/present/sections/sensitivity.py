"""Chapter 04, assessment and sensitivity: where the plan stands, every target's verdict under each assumption."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ...analysis.assumptions import GROWTH_MODELS, TIMES_READINGS
from ...analysis.projection import group_of, group_tally, project_region
from .. import listing
from ..context import Fragment, ReportContext, tally_line
from ..words import words
from .base import count, frame_table, para

__all__ = ["assessment_table", "intro_projection", "sensitivity", "sensitivity_frame", "tally_line"]


def intro_projection(ctx: ReportContext) -> Fragment:
    """Where the plan stands as of the assessment year: counts by group, weak evidence, fragile verdicts, gaps."""
    p = ctx.projection
    counts = group_tally(p)
    fragile = int(p["fragile"].astype(bool).sum())
    gaps = p[p["missing_years"].notna() & (p["missing_years"] != "")]
    numbers = sum(len(str(y).split(";")) for y in gaps["missing_years"])
    label = words(ctx.lang)

    def group(g: str) -> str:
        return label.code("group", g).lower()  # in a sentence (Chinese has no case)

    parts = [f"{group(g)} {count(n, ctx.lang)}" + (label("chapter.projection_weak", weak=weak) if weak else "")
             for g, (n, weak) in counts.items() if n]
    s = [label("chapter.projection_lead", year=ctx.assumptions.year, plan=ctx.whose_plan(), n=len(p),
               parts=label("chapter.part_sep").join(parts))]
    if fragile:
        s.append(label("chapter.projection_fragile", n=fragile))
    if len(gaps):
        s.append(label("chapter.projection_gaps", n=len(gaps), numbers=numbers))
    return para(s)


ASSESSMENT_COLUMNS = [
    "name_as_written", "unit", "baseline_value", "latest_year", "latest_value", "target_value", "required_growth",
    "assumed_growth", "projection_central", "R", "verdict_words", "evidence_words",
]


def assessment_table(ctx: ReportContext) -> Fragment:
    """Every target: baseline, latest, target, growth needed and assumed, projection, R, verdict and evidence."""
    p, w = ctx.projection, words(ctx.lang)
    recs = p.to_dict("records")
    frame = p.assign(
        **{c: [listing.cell(w, r, c) for r in recs] for c in ("required_growth", "assumed_growth", "unit")},
        verdict_words=[listing.cell(w, r, "verdict") + (w("chapter.fragile_mark") if r["fragile"] else "")
                       for r in recs],
        evidence_words=[listing.cell(w, r, "evidence") for r in recs],
    )
    names = {"verdict_words": w("chapter.verdict"), "evidence_words": w("chapter.evidence"),
             "name_en": w("chapter.indicator")}
    columns = [w("language.name_as_written"), *ASSESSMENT_COLUMNS[1:]]
    return frame_table(frame, columns, ctx.lang, names)


def sensitivity_frame(ctx: ReportContext) -> pd.DataFrame:
    """Each target's verdict under each reading of 增长N倍 and each growth model (codes)."""
    out = ctx.projection[["indicator_id", "name_as_written", "name_en"]].copy()
    for reading in TIMES_READINGS:
        for model in GROWTH_MODELS:
            a = dataclasses.replace(ctx.assumptions, times_reading=reading, growth_model=model)  # type: ignore[arg-type]
            proj = project_region(ctx.data, ctx.scope, assumptions=a, fragility=False)
            out[f"{reading}/{model}"] = list(proj["verdict"])
    combos = [c for c in out.columns if "/" in c]
    out["changes"] = [len({group_of(v) for v in row}) > 1 for row in out[combos].itertuples(index=False)]
    return out


READING_WORDS = {"increase": "×(1+N)", "multiple": "×N"}


def sensitivity(ctx: ReportContext, only_changing: bool = False) -> Fragment:
    """The verdict of every target under 2 readings of 增长N倍 × 3 growth models; the chapter's own is marked ●."""
    frame = sensitivity_frame(ctx)
    combos = [c for c in frame.columns if "/" in c]
    own = f"{ctx.assumptions.times_reading}/{ctx.assumptions.growth_model}"
    changing = int(frame["changes"].sum())
    shown = frame[frame["changes"]] if only_changing else frame
    w, words_ = words(ctx.lang), shown.copy()
    for c in combos:
        words_[c] = [w.verdict(v) for v in shown[c]]
    names = {
        c: f"{'● ' if c == own else ''}{READING_WORDS[c.split('/')[0]]} · {w('chapter.model_' + c.split('/')[1])}"
        for c in combos
    } | {"changes": w("chapter.changes"), "name_en": w("chapter.indicator")}
    note = w("chapter.sensitivity_note", same=len(frame) - changing, changing=changing)
    name = w("language.name_as_written")
    return Fragment(para([note]) + frame_table(words_, [name, *combos, "changes"], ctx.lang, names))
