"""The first screen: where the plan stands, how many targets are achieved, on track, at risk or unknown, and why.

Written for a reader with two minutes: the targets at risk come first (binding before expected,
the largest gap first), each with its verdict, evidence grade and one line of why; then the
targets achieved or on track; the unknown ones in one line pointing to the data-gap appendix.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from ...analysis.projection import GROUPS, group_of, group_tally
from ...analysis.tally import row_group
from ...data.vocabulary import TWO_WAY_READINGS
from .. import rows
from ..context import Fragment, ReportContext
from ..htmltable import html, join
from .gaps import channel
from .targets import quote_issue_text

GROUP_COLOURS = {
    "achieved": "#1a9850",
    "above_target": "#a6d96a",
    "on_track": "#66bd63",
    "at_risk": "#f46d43",
    "lean": "#fee08b",
    "unknown": "#bdbdbd",
}


def status_line(ctx: ReportContext) -> str:
    """Plan period, whether it has ended, the as-of year and the latest year of this region's own data."""
    w = ctx.w
    start, end = ctx.span
    name = ctx.plan_name()
    named = str(start) in name and str(end) in name  # 纲要（2021-2035年） already says its period
    parts = [name if named else w("report.plan_period", plan=name, start=start, end=end)]
    target_year = ctx.target_year or int(ctx.projection["target_year"].max()) if len(ctx.projection) else end
    parts.append(w("report.plan_ended", end=end) if end < ctx.as_of else w("report.plan_running", year=target_year))
    parts.append(w("report.as_of", year=ctx.as_of))
    cover = [
        w("summary.coverage_year", n=n, year=y) if y is not None else w("summary.coverage_none", n=n)
        for y, n in ctx.coverage()
    ]
    parts.append(w("summary.coverage", parts=w("report.list_sep").join(cover)) if cover else w("report.no_own_data"))
    return w("language.dot").join(parts)


def title(ctx: ReportContext) -> Fragment:
    """Report heading with the plan's status."""
    return Fragment(
        html(
            '<header class="first"><h1>{}</h1><p class="sub">{}</p></header>',
            ctx.w("report.title", name=ctx.name),
            status_line(ctx),
        )
    )


def counts(ctx: ReportContext) -> Markup:
    """Four boxes: achieved, on track, at risk, unknown, each with how many rest on weak evidence."""
    w = ctx.w
    boxes = []
    for g, (n, weak) in group_tally(ctx.projection).items():
        weak_text = w("summary.weak", n=weak) if weak else (w("summary.all_strong") if n and g != "unknown" else "")
        boxes.append(
            html(
                '<div class="count" data-group="{}" data-weak="{}" style="border-color:{}">'
                '<b>{}</b><span class="g">{}</span><span class="hint">{}</span><span class="weak">{}</span></div>',
                g,
                weak,
                GROUP_COLOURS[g],
                n,
                w(f"group.{g}"),
                w(f"group_hint.{g}"),
                weak_text,
            )
        )
    return html('<div class="counts">{}</div>', join(boxes))


def _item(ctx: ReportContext, r: dict, lean: bool = False) -> Markup:
    w = ctx.w
    attribute = w.attribute(r.get("attribute"))
    attr = html(' <span class="attr">{}</span>', attribute) if rows.has(r.get("attribute")) else ""
    fragile = w.fragile(r)
    basis = [rows.ratio_text(w, r), rows.evidence_line(w, r), quote_issue_text(ctx, r), rows.record_text(w, r)]
    if rows.has(r.get("reading")) and r.get("reading") in TWO_WAY_READINGS:
        basis.append(w("summary.reading_used", reading=w(f"reading.{r['reading']}").rstrip("。.")))
    notes = [fragile]
    pending = rows.pending_text(w, r)
    if lean:
        notes.insert(0, rows.lean_text(w, r))
    return html(
        '<li>{} <b>{}</b>{}{} <span class="ev">{}</span><br><span class="why">{}</span>{}</li>',
        rows.chip(w, r),
        rows.name_text(w, r),
        attr,
        html(' <span class="pending">{}</span>', pending) if pending else "",
        w("report.list_sep").join(b for b in basis if b),
        rows.why(w, r, ctx.span, ctx.names),
        join(html('<br><span class="fragile">{}</span>', n) for n in notes if n),
    )


def _unknown_line(ctx: ReportContext, unknown: list[dict]) -> str:
    w = ctx.w
    by_reason = Counter(str(r.get("reason")) if rows.has(r.get("reason")) else "none" for r in unknown)
    parts = [w("summary.unknown_part", what=w(f"reason_short.{k}"), n=n) for k, n in by_reason.most_common()]
    line = w("summary.unknown_line", n=len(unknown), parts=w("report.list_sep").join(parts))
    channels = Counter(c for c in (channel(ctx, r) for r in unknown) if c is not None and c != "unknown")
    if not channels:
        return line
    most = [w("summary.channel_part", what=w(f"published_short.{c}"), n=n) for c, n in channels.most_common(3)]
    return line + w("summary.unknown_channels", parts=w("report.list_sep").join(most))


def _asks(ctx: ReportContext, unknown: list[dict]) -> Markup:
    """What would let a report with no judgement judge: the missing numbers, grouped by where they are published."""
    w = ctx.w
    groups: dict[str, list[dict]] = {}
    for r in unknown:
        code = channel(ctx, r)
        if code is not None:
            groups.setdefault(code, []).append(r)
    items = []
    for code, found in sorted(groups.items(), key=lambda kv: (kv[0] == "unknown", -len(kv[1]))):
        years = list(dict.fromkeys(rows.missing_years(w, r, ctx.span) for r in found))
        names = w.join([rows.name_text(w, r) for r in found])
        shown = w("summary.ask_item_years", names=names, years=years[0]) if len(years) == 1 and years[0] else names
        label = w(f"published_short.{code}")
        items.append(html("<li><b>{}</b>{}{}</li>", label[:1].upper() + label[1:], w("summary.ask_sep"), shown))
    return html(
        '<h3>{}</h3><p class="note">{}</p><ul class="ask">{}</ul>',
        w("summary.ask_heading"),
        w("summary.ask_lead", region=ctx.name, n=len(unknown)),
        join(items),
    )


def summary(ctx: ReportContext) -> Fragment:
    """The first screen after the heading: counts, targets at risk, targets met, one line on the unknown."""
    w = ctx.w
    p = ctx.projection
    tally = group_tally(p)
    lead = w("summary.lead", n=len(p), **{g: tally[g][0] for g in GROUPS})
    risk = rows.pressing_order(p)
    records = p.to_dict("records")
    order = list(GROUPS)
    met = [r for r in records if row_group(r) in ("achieved", "above_target", "on_track")]
    met.sort(key=lambda r: (order.index(row_group(r)), rows.ATTRIBUTE_RANK.get(str(r.get("attribute")), 2)))
    leans = [r for r in records if row_group(r) == "lean"]
    leans.sort(key=lambda r: (group_of(r["verdict"]) != "at_risk", rows.standing(r)))
    unknown = [r for r in records if row_group(r) == "unknown"]
    pending = sum(1 for r in records if rows.pending_text(w, r))  # as many as the items marked
    parts = [
        html("<h2>{}</h2>", ctx.heading("summary")),
        counts(ctx),
        html('<p class="lead">{}{}</p>', lead, w("summary.pending", n=pending) if pending else ""),
    ]
    if len(unknown) == len(records) and records:  # nothing judged: what would judge it, not two empty lists
        parts.append(_asks(ctx, unknown))
        return Fragment(html('<section class="summary">{}</section>', join(parts)))
    parts += [
        html("<h3>{}</h3>", w("summary.risk_heading")),
        html('<ol class="risk">{}</ol>', join(_item(ctx, r) for r in risk))
        if risk
        else html('<p class="note">{}</p>', w("summary.risk_none")),
        html("<h3>{}</h3>", w("summary.met_heading")),
        html('<ul class="met">{}</ul>', join(_item(ctx, r) for r in met))
        if met
        else html('<p class="note">{}</p>', w("summary.met_none")),
    ]
    if leans:
        parts += [
            html("<h3>{}</h3>", w("summary.lean_heading")),
            html('<ul class="lean">{}</ul>', join(_item(ctx, r, lean=True) for r in leans)),
        ]
    if unknown:
        parts.append(html('<p class="unknown">{}</p>', _unknown_line(ctx, unknown)))
    return Fragment(html('<section class="summary">{}</section>', join(parts)))
