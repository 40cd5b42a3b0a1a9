"""Distance to target: only comparable things, weak evidence drawn lighter (see :func:`charts.distance_figure`)."""

from __future__ import annotations

from markupsafe import Markup

from ..charts import distance_figure, to_img
from ..context import Fragment, ReportContext
from ..htmltable import html


def distance_chart(ctx: ReportContext) -> Fragment:
    """Distance-to-target chart (embedded PNG) with a note on what is compared."""
    w = ctx.w
    fig = distance_figure(ctx.projection, ctx.lang, ctx.span[0])
    if fig is None:
        inner = html("<p class='note'>{}</p>", w("distance.none"))
    else:
        inner = html("{}<p class='note'>{}</p>", Markup(to_img(fig, w("distance.title"))), w("distance.note"))
    return Fragment(html("<section class='distance'><h2>{}</h2>{}</section>", ctx.heading("distance"), inner))
