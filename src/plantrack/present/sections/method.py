"""Method and assumptions: growth, projection and verdict rules, readings chosen, proxies, evidence grades."""

from __future__ import annotations

from markupsafe import Markup

from ...analysis.methods import grades, is_weak
from ...analysis.plans import plan_span, previous_plan
from ...analysis.verdict import MODERATE_R, ON_TRACK_R
from .. import formats, rows
from ..context import Fragment, ReportContext
from ..htmltable import Row, html, join, table


def _rules(ctx: ReportContext) -> list[str]:
    w, a = ctx.w, ctx.assumptions
    damping = formats.percent(a.damping)
    prev = previous_plan(ctx.data, ctx.plan)
    if prev:
        start, end = plan_span(ctx.data, prev)
        window = w("method.window", previous=ctx.plan_name(prev), start=start - 1, end=end)
    else:
        window = w("method.window_none")
    central = w(f"method.central_{a.growth_model}", damping=damping)
    reading = w(f"method.times_{a.times_reading}")
    return [
        window,
        w("method.required"),
        w("method.projection", central=central, damping=damping),
        w("method.verdict", on_track=ON_TRACK_R, moderate=MODERATE_R),
        w("method.times", reading=reading),
        w("method.as_of", year=ctx.as_of),
        w("method.fragile"),
    ]


def _readings(ctx: ReportContext) -> Markup:
    """Every reading chosen for this region's targets (current plan, then the reviewed one), from the data."""
    w = ctx.w
    items = []
    for plan in dict.fromkeys([ctx.plan, ctx.reviewed_plan]):
        if plan is None:
            continue
        for r in ctx.targets_of(plan).to_dict("records"):
            if rows.has(r.get("reading")):
                info = ctx.data.indicator(str(r["indicator_id"]))
                shown = {**r, "name_en": info["name_en"]}
                items.append(
                    html(
                        "<li><b>{}</b>{}{}{}</li>",
                        rows.name_text(w, shown),
                        w("report.parenthesis", text=ctx.plan_name(plan)),
                        w("language.colon"),
                        w(f"reading.{r['reading']}"),
                    )
                )
    body = (
        html("<ul class='readings'>{}</ul>", join(items))
        if items
        else html("<p class='note'>{}</p>", w("method.readings_none"))
    )
    return html("<h3>{}</h3>{}", w("method.readings"), body)


def _proxies(ctx: ReportContext) -> Markup:
    """The stand-ins declared for this region's indicators, with their rationale."""
    w = ctx.w
    items = []
    for r in ctx.projection.to_dict("records"):
        p = ctx.data.lookup.proxies.get((ctx.region, r["indicator_id"]))
        if p is None:
            continue
        proxy = ctx.data.indicator(str(p["proxy_indicator_id"]))
        rationale = w.field(p, "rationale")
        if not rows.has(rationale):
            rationale = w(f"proxy_kind.{p['proxy_kind']}")
        items.append(
            html(
                "<li>{}</li>",
                w(
                    "method.proxy_line",
                    indicator=rows.name_text(w, r),
                    region=ctx.data.region_name(str(p["proxy_region_id"]), ctx.lang),
                    proxy=w.name(proxy),
                    rationale=rationale,
                ),
            )
        )
    body = (
        html("<ul class='proxies'>{}</ul>", join(items))
        if items
        else html("<p class='note'>{}</p>", w("method.proxies_none"))
    )
    return html("<h3>{}</h3>{}", w("method.proxies"), body)


def _grades(ctx: ReportContext) -> Markup:
    """What each evidence grade means; weak ones marked."""
    w = ctx.w
    body = [
        Row([w.evidence(g, is_weak(g)), w(f"evidence_meaning.{g}")], cls="weak" if is_weak(g) else "")
        for g in grades()
    ]
    weak = w.join([w.evidence(g) for g in grades() if is_weak(g)])
    return html(
        "<h3>{}</h3>{}<p class='note'>{}</p>",
        w("method.grades"),
        table([w("table.evidence"), w("table.note")], body, cls="grades"),
        w("method.weak_grades", grades=weak),
    )


def method(ctx: ReportContext) -> Fragment:
    """Method and assumptions in plain words, with the readings and proxies this report used."""
    items = join(html("<li>{}</li>", i) for i in _rules(ctx))
    return Fragment(
        html(
            "<section class='method'><h2>{}</h2><ul>{}</ul>{}{}{}</section>",
            ctx.heading("method"),
            items,
            _readings(ctx),
            _proxies(ctx),
            _grades(ctx),
        )
    )
