"""The explorer's texts and tables as HTML: verdict, comparison across levels, method line, static view.

Every word is the catalogue's (``[explore]``) in the panel's language. Tables are built with
:mod:`plantrack.present.htmltable` (text escaped, the one table template)
and numbers with :mod:`plantrack.present.formats` (the one number formatter).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from ...analysis.projection import Assumptions
from ...data.tables import PlanData
from ...data.values import present
from ...present import formats, labels, listing
from ...present.charts import img_tag
from ...present.htmltable import Row, html, join, table
from ...present.rows import verdict_chip
from ...present.words import words
from .options import note

#: the comparison table's look inside JupyterLab (the reports' style sheet is not there)
TABLE_STYLE = Markup(
    "<style>table.plantrack-compare{border-collapse:collapse}"
    "table.plantrack-compare th,table.plantrack-compare td{border:1px solid #999;padding:4px}"
    "table.plantrack-compare tr.self{background:#fff7d6}</style>"
)
#: the comparison table's columns (their heads: ``explore.column_<column>``)
COMPARISON_COLUMNS = (
    "region", "plan", "baseline", "target", "target_year", "required", "observed", "vs_parent", "note",
)  # fmt: skip


def _chip(r: dict[str, Any], lang: str) -> Markup:
    return verdict_chip(str(r["verdict"]), r.get("R"), lang, r.get("progress_ratio"))


def summary(data: PlanData, region: str, model: str, r: dict[str, Any], lang: str = "zh") -> str:
    """One line: region, indicator, target, assumption, verdict and R."""
    w = words(lang)
    R = w("explore.summary_r", r=formats.ratio(r["R"])) if present(r.get("R")) else ""
    return w(
        "explore.summary",
        region=data.region_name(region, lang),
        indicator=w.name(r, as_written=True),
        year=formats.year(r["target_year"]),
        target=formats.as_written(r["target_text"], None),
        model=w(f"explore.model_{model}"),
        growth=formats.signed_percent(r.get("assumed_growth")),
        verdict=labels.verdict(str(r["verdict"]), r.get("R"), r.get("progress_ratio"), lang),
        r=R,
    )


def verdict_html(r: dict[str, Any], lang: str = "zh") -> Markup:
    """The verdict with its label, R, the growth assumed and needed, and the reason."""
    w = words(lang)
    R = html(" &nbsp;<span class='plantrack-R'>R = {}</span>", formats.ratio(r["R"])) if present(r.get("R")) else ""
    target_year = formats.year(r["target_year"])
    return join(
        [
            html("<div style='font-size:15px'>{}{}</div>", _chip(r, lang), R),
            html(
                "<div>{}</div>",
                w(
                    "explore.verdict_target",
                    year=target_year,
                    target=formats.as_written(r["target_text"], None),
                    unit=w.unit(r["unit"], r.get("name_en")) if r["unit"] else "",
                    latest=formats.number(r.get("latest_value")),
                    latest_year=formats.year(r.get("latest_year")),
                ),
            ),
            html(
                "<div>{}</div>",
                w(
                    "explore.verdict_growth",
                    required=formats.signed_percent(r.get("required_growth")),
                    observed=formats.signed_percent(r.get("observed_growth")),
                    assumed=formats.signed_percent(r.get("assumed_growth")),
                ),
            ),
            html(
                "<div>{}</div>",
                w(
                    "explore.verdict_projection",
                    year=target_year,
                    central=formats.approx(r.get("projection_central")),
                    low=formats.approx(r.get("projection_low")),
                    high=formats.approx(r.get("projection_high")),
                ),
            ),
            html("<div style='color:#555'>{}</div>", labels.why(r, lang)),
        ]
    )


def comparison_html(found: pd.DataFrame, region: str, data: PlanData, lang: str = "zh") -> Markup:
    """The indicator's targets across levels (national, province, city, district), this region's row marked."""
    w = words(lang)
    if found.empty:
        return html("<p>{}</p>", w("explore.comparison_none"))
    body = []
    for r in found.to_dict("records"):
        base = formats.DASH
        if present(r["baseline_value"]):
            value, year = formats.number(r["baseline_value"]), formats.year(r["baseline_year"])
            base = w("explore.baseline", value=value, year=year)
        per = "period" if r.get("measure") == "period_total" else "year"
        relation = formats.DASH
        if present(r["vs_compared"]):  # a share of the parent's target for an amount, a multiple for a rate
            relation = listing.relative(w, r, r["vs_compared"])
        cells = [
            data.region_name(str(r["region_id"]), lang), r["plan"], base, formats.as_written(r["target_text"], None),
            formats.year(r["target_year"]), w.growth(r["required_growth"], per), w.growth(r["observed_growth"], per),
            relation, w.field(r, "note") or "",
        ]  # fmt: skip
        body.append(Row(cells, cls="self" if r["region_id"] == region else ""))
    head = [w(f"explore.column_{c}") for c in COMPARISON_COLUMNS]
    return html(
        "{}<h4>{}</h4>{}", TABLE_STYLE, w("explore.comparison_title"), table(head, body, cls="plantrack-compare")
    )


def model_line(a: Assumptions, r: dict[str, Any], lang: str = "zh") -> str:
    """The growth the central projection uses, with its rate per year."""
    w = words(lang)
    if a.custom_growth is not None:
        return w("explore.line_custom", growth=formats.signed_percent(a.custom_growth))
    model = w(f"explore.line_{a.growth_model}", damping=f"{a.damping:g}")
    return w("explore.line", model=model, growth=formats.signed_percent(r.get("assumed_growth")))


def method_html(data: PlanData, a: Assumptions, r: dict[str, Any], lang: str = "zh") -> Markup:
    """Which points, which growth model and which assumptions the projection used."""
    w = words(lang)
    used = formats.DASH
    if present(r.get("growth_from_year")):
        used = w(
            "explore.method_used",
            region=data.region_name(str(r["growth_region_id"]), lang),
            indicator=w.name(data.indicator(str(r["growth_indicator_id"]))),
            from_year=formats.year(r["growth_from_year"]),
            from_value=formats.number(r["growth_from_value"]),
            to_year=formats.year(r["growth_to_year"]),
            to_value=formats.number(r["growth_to_value"]),
        )
    line = w(
        "explore.method",
        evidence=labels.evidence(r.get("evidence"), lang),
        used=used,
        line=model_line(a, r, lang),
        year=formats.year(r.get("as_of")),
    )
    return html("<p style='color:#555;font-size:12px'>{}</p>", line)


def fallback_html(
    line: str, verdict: Markup, png: bytes, alt: str, comparison: Markup, method: Markup, lang: str = "zh"
) -> Markup:
    """The current view as static HTML (chart, verdict, comparison) with a note on the controls."""
    chart = Markup(img_tag(png, alt)) if png else ""
    return html(
        "<div class='plantrack-explore-static'><p><b>{}</b></p><p>{}</p>{}{}{}{}</div>",
        note(lang),
        line,
        verdict,
        chart,
        comparison,
        method,
    )


def error_html(message: str) -> Markup:
    """A message where the verdict goes (parameters the analysis refuses)."""
    return html("<p style='color:#b2182b'>{}</p>", message)
