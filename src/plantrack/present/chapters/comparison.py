"""Chapter 02, comparison: the region's indicators that other levels also target, side by side."""

from __future__ import annotations

import pandas as pd

from ...analysis.comparison import compare, incomparable
from .. import listing, texts
from ..words import words
from .base import Chapter, Html, para, table


def comparison_frame(ch: Chapter) -> pd.DataFrame:
    """The region's indicators that other levels also target, side by side."""
    mine = set(ch.projection["indicator_id"])
    table_ = compare(ch.data, assumptions=ch.assumptions, among=mine, known=ch.projection)
    if not table_.empty:
        table_ = table_.assign(
            indicator_zh=[ch.indicator_name(i) for i in table_["indicator_id"]],
            region_zh=[ch.data.region_name(r, ch.lang) for r in table_["region_id"]],
            note=table_[ch.w("language.note")],
        )
    return table_


COMPARISON_COLUMNS = [
    "indicator_zh", "region_zh", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "vs_compared", "vs_national", "note",
]


def intro_comparison(ch: Chapter) -> Html:
    """How many of the region's indicators other levels target, and where the region aims highest."""
    w, frame = words(ch.lang), comparison_frame(ch)
    if frame.empty:
        return para([w("chapter.comparison_none", region=ch.name)])
    own = frame[frame["region_id"] == ch.region]
    levels = own[own["measure"] != "period_total"].dropna(subset=["vs_compared"])
    higher = levels[levels["vs_compared"] > 1]
    n_ind = frame["indicator_id"].nunique()
    s = [w("chapter.comparison_lead", region=ch.name, n=len(ch.projection), shared=n_ind)]
    if not levels.empty:
        top = levels.sort_values("vs_compared", ascending=False).iloc[0]
        other = ch.data.region_name(
            next(r for r in ch.data.region_ids() if ch.data.region_name(r) == top["compared_with"]), ch.lang
        ) if top["compared_with"] else ""
        s.append(w("chapter.comparison_highest", higher=len(higher), indicator=ch.indicator_name(top["indicator_id"]),
                   other=other, ratio=texts.ratio(top["vs_compared"])))
    apart = incomparable(ch.data)
    if len(apart):
        s.append(w("chapter.comparison_apart", n=len(apart)))
    return para(s)


def comparison_table(ch: Chapter) -> Html:
    """The comparison with chosen columns and readable numbers: multiples for levels, shares for totals."""
    w = words(ch.lang)
    names = {"indicator_zh": w("chapter.indicator"), "region_zh": w("chapter.region")}
    frame = comparison_frame(ch)
    if frame.empty:
        return Html("")
    recs = frame.to_dict("records")  # growth per year or per period, multiples or shares: as the CLI shows them
    frame = frame.assign(
        indicator_zh=frame["indicator_zh"].where(frame["indicator_id"] != frame["indicator_id"].shift(), " "),
        **{c: [listing.cell(w, r, c) for r in recs] for c in ("required_growth", "vs_compared", "vs_national")},
    )
    return table(frame, COMPARISON_COLUMNS, ch.lang, names)
