"""The explorer's texts and tables as HTML: verdict, comparison across levels, method line, static view.

Tables are built with :mod:`plantrack.present.htmltable` (text escaped, the one table template)
and numbers with :mod:`plantrack.present.formats` (the one number formatter).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from ...analysis.projection import Assumptions
from ...data.tables import PlanData
from ...data.values import present
from ...present import formats, labels
from ...present.charts import img_tag
from ...present.htmltable import Row, html, join, table
from ...present.rows import verdict_chip
from .options import MODELS, NOTE

#: the comparison table's look inside JupyterLab (the reports' style sheet is not there)
TABLE_STYLE = Markup(
    "<style>table.plantrack-compare{border-collapse:collapse}"
    "table.plantrack-compare th,table.plantrack-compare td{border:1px solid #999;padding:4px}"
    "table.plantrack-compare tr.self{background:#fff7d6}</style>"
)
COMPARISON_HEAD = ["地区", "规划", "基期", "目标（原文）", "目标年份", "所需增速", "实际增速", "相对上级", "说明"]


def _chip(r: dict[str, Any]) -> Markup:
    return verdict_chip(str(r["verdict"]), r.get("R"), "zh", r.get("progress_ratio"))


def summary(data: PlanData, region: str, model: str, r: dict[str, Any]) -> str:
    """One line: region, indicator, target, assumption, verdict and R."""
    R = f"，R = {formats.ratio(r['R'])}" if present(r.get("R")) else ""
    return (
        f"{data.region_name(region)} · {r['name_as_written']} · {formats.year(r['target_year'])}年目标 "
        f"{formats.as_written(r['target_text'], None)} · {MODELS[model]}"
        f"（预测所用增速 {formats.signed_percent(r.get('assumed_growth'))}）"
        f" · {labels.verdict(str(r['verdict']), r.get('R'), r.get('progress_ratio'))}{R}"
    )


def verdict_html(r: dict[str, Any]) -> Markup:
    """The verdict with its label, R, the growth assumed and needed, and the reason."""
    R = html(" &nbsp;<span class='plantrack-R'>R = {}</span>", formats.ratio(r["R"])) if present(r.get("R")) else ""
    target_year = formats.year(r["target_year"])
    return join(
        [
            html("<div style='font-size:15px'>{}{}</div>", _chip(r), R),
            html(
                "<div>目标（{}年）：{} {}；最新值：{}（{}）</div>",
                target_year,
                formats.as_written(r["target_text"], None),
                r["unit"] or "",
                formats.number(r.get("latest_value")),
                formats.year(r.get("latest_year")),
            ),
            html(
                "<div>所需增速 {}；上一规划期实际增速 {}；预测所用增速 {}</div>",
                formats.signed_percent(r.get("required_growth")),
                formats.signed_percent(r.get("observed_growth")),
                formats.signed_percent(r.get("assumed_growth")),
            ),
            html(
                "<div>预测（{}年）：{}（区间 {}—{}）</div>",
                target_year,
                formats.approx(r.get("projection_central")),
                formats.approx(r.get("projection_low")),
                formats.approx(r.get("projection_high")),
            ),
            html("<div style='color:#555'>{}</div>", labels.why(r, "zh")),
        ]
    )


def comparison_html(found: pd.DataFrame, region: str) -> Markup:
    """The indicator's targets across levels (national, province, city, district), this region's row marked."""
    if found.empty:
        return Markup("<p>其他层级没有该指标的目标。</p>")
    body = []
    for r in found.to_dict("records"):
        base = formats.DASH
        if present(r["baseline_value"]):
            base = f"{formats.number(r['baseline_value'])}（{formats.year(r['baseline_year'])}）"
        per = "period" if r.get("measure") == "period_total" else "year"
        relation = f"{formats.ratio(r['vs_compared'])}倍" if present(r["vs_compared"]) else formats.DASH
        cells = [
            r["region_zh"], r["plan"], base, formats.as_written(r["target_text"], None), formats.year(r["target_year"]),
            formats.growth(r["required_growth"], per), formats.growth(r["observed_growth"], per), relation,
            r.get("note_zh") or "",
        ]  # fmt: skip
        body.append(Row(cells, cls="self" if r["region_id"] == region else ""))
    return html("{}<h4>各层级目标对比</h4>{}", TABLE_STYLE, table(COMPARISON_HEAD, body, cls="plantrack-compare"))


def model_line(a: Assumptions, r: dict[str, Any]) -> str:
    """The growth the central projection uses, with its rate per year."""
    names = {"observed": "实际增速", "damped": f"减速增速（实际增速×{a.damping:g}）", "linear": "线性趋势"}
    if a.custom_growth is not None:
        return f"中值按自定义增速 {formats.signed_percent(a.custom_growth)}/年"
    return f"中值按{names[a.growth_model]}，相当于 {formats.signed_percent(r.get('assumed_growth'))}/年"


def method_html(data: PlanData, a: Assumptions, r: dict[str, Any]) -> Markup:
    """Which points, which growth model and which assumptions the projection used."""
    used = formats.DASH
    if present(r.get("growth_from_year")):
        used = (
            f"{data.region_name(str(r['growth_region_id']))}"
            f"{data.indicator(str(r['growth_indicator_id']))['name_zh']}："
            f"{formats.year(r['growth_from_year'])}年 {formats.number(r['growth_from_value'])} → "
            f"{formats.year(r['growth_to_year'])}年 {formats.number(r['growth_to_value'])}"
        )
    return html(
        "<p style='color:#555;font-size:12px'>证据等级：{}；所用数据点：{}；{}；评估年份：{}</p>",
        labels.evidence(r.get("evidence")),
        used,
        model_line(a, r),
        formats.year(r.get("as_of")),
    )


def fallback_html(line: str, verdict: Markup, png: bytes, alt: str, comparison: Markup, method: Markup) -> Markup:
    """The current view as static HTML (chart, verdict, comparison) with a note on the controls."""
    chart = Markup(img_tag(png, alt)) if png else ""
    return html(
        "<div class='plantrack-explore-static'><p><b>{}</b></p><p>{}</p>{}{}{}{}</div>",
        NOTE,
        line,
        verdict,
        chart,
        comparison,
        method,
    )


def error_html(message: str) -> Markup:
    """A message where the verdict goes (parameters the analysis refuses)."""
    return html("<p style='color:#b2182b'>{}</p>", message)
