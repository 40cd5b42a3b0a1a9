"""Chapter 03, review of the finished plan: completion, the tally by attribute and every target."""

from __future__ import annotations

from ...analysis.review import STATUSES, review, review_plan, tally
from .. import listing, texts
from ..words import words
from .base import Chapter, Html, listed, para, table


def intro_review(ch: Chapter) -> Html:
    """Completion of the region's latest finished plan: met, not met, not assessable; what was missed."""
    zh = ch.zh
    plan = review_plan(ch.data, ch.region, ch.assumptions.year)
    if plan is None:
        return para([f"数据中没有{ch.name}已结束规划的完成情况。" if zh
                      else f"The data hold no completion figures of a finished plan of {ch.name}."])
    rv = review(ch.data, ch.region, plan)
    counts = rv["status"].value_counts()
    met, not_met, na = (int(counts.get(k, 0)) for k in ("met", "not_met", "not_assessable"))
    binding = rv[rv["attribute"] == "约束性"]
    b_met = int((binding["status"] == "met").sum())
    missed = rv[rv["status"] == "not_met"].sort_values("completion_ratio")
    missed_names = [f"{r['name_as_written']}（完成率 {texts.percent(r['completion_ratio'], 0, False)}）" if zh
                    else f"{ch.indicator_name(r['indicator_id'])} ({texts.percent(r['completion_ratio'], 0, False)} "
                    "of the target)"
                    for r in missed.to_dict("records")]
    if zh:
        s = [
            f"{ch.whose_plan(plan)}共 {len(rv)} 项目标：完成 {met} 项，未完成 {not_met} 项，无法评估 {na} 项。",
        ]
        if len(binding):
            s.append(f"约束性目标 {len(binding)} 项中完成 {b_met} 项。")
        if missed_names:
            s.append(f"未完成的是{listed(missed_names, True)}。")
    else:
        s = [
            f"{ch.whose_plan(plan)} set {len(rv)} targets: {met} met, {not_met} not met, {na} not assessable.",
        ]
        if len(binding):
            s.append(f" {b_met} of the {len(binding)} binding targets were met.")
        if missed_names:
            s.append(f" Not met: {listed(missed_names, False)}.")
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
    tally_html = table(t, ["attribute", "met", "not_met", "not_assessable", "total"], ch.lang, names)
    rows = rv.assign(
        status_words=rv["status"].map(lambda s: w.code("review_status", s)),
        attribute=rv["attribute"].map(lambda a: listing.attribute(w, a)),
    )
    return Html(tally_html + table(rows, REVIEW_COLUMNS, ch.lang, names))
