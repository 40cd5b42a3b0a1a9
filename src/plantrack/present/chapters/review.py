"""Chapter 03, review of the finished plan: completion, the tally by attribute and every target."""

from __future__ import annotations

from ...analysis.review import STATUSES, review, review_plan, tally
from .. import listing, texts
from ..words import words
from .base import Chapter, Html, para, table


def intro_review(ch: Chapter) -> Html:
    """Completion of the region's latest finished plan: met, not met, not assessable; what was missed."""
    w = words(ch.lang)
    plan = review_plan(ch.data, ch.region, ch.assumptions.year)
    if plan is None:
        return para([w("chapter.review_none", region=ch.name)])
    rv = review(ch.data, ch.region, plan)
    counts = rv["status"].value_counts()
    met, not_met, na = (int(counts.get(k, 0)) for k in ("met", "not_met", "not_assessable"))
    binding = rv[rv["attribute"] == "约束性"]
    b_met = int((binding["status"] == "met").sum())
    missed = rv[rv["status"] == "not_met"].sort_values("completion_ratio")
    missed_names = [
        w("chapter.review_missed_item", ratio=texts.percent(r["completion_ratio"], 0, False),
          name=r["name_as_written"] if w.as_written else ch.indicator_name(r["indicator_id"]))
        for r in missed.to_dict("records")
    ]
    s = [w("chapter.review_lead", plan=ch.whose_plan(plan), n=len(rv), met=met, not_met=not_met, na=na)]
    if len(binding):
        s.append(w("chapter.review_binding", n=len(binding), met=b_met))
    if missed_names:
        s.append(w("chapter.review_missed", items=w.join(missed_names)))
    pending = int(counts.get("pending", 0))
    if pending:
        s.append(w("chapter.review_pending", n=pending))
    return para(s)


REVIEW_COLUMNS = ["name_as_written", "attribute", "target_text", "actual_text", "completion_ratio", "status_words"]


def review_tables(ch: Chapter) -> Html:
    """The tally by attribute and every target of the finished plan."""
    plan = review_plan(ch.data, ch.region, ch.assumptions.year)
    if plan is None:
        return Html("")
    w = words(ch.lang)
    rv = review(ch.data, ch.region, plan)
    t = tally(rv).reset_index()
    t["attribute"] = t["attribute"].map(lambda a: listing.attribute(w, a))
    names = {s: w.code("review_status", s) for s in STATUSES}
    names |= {"total": w("table.total"), "status_words": texts.header("status_words", ch.lang)}
    tally_html = table(t, ["attribute", *(c for c in t.columns if c != "attribute")], ch.lang, names)
    rows = rv.assign(
        status_words=rv["status"].map(lambda s: w.code("review_status", s)),
        attribute=rv["attribute"].map(lambda a: listing.attribute(w, a)),
    )
    return Html(tally_html + table(rows, REVIEW_COLUMNS, ch.lang, names))
