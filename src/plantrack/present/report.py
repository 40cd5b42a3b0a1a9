"""A region's report, section by section, as HTML fragments for notebooks and rendered pages.

Every text that comes from the data files is escaped. Each section function returns a
:class:`Fragment` (a ``str`` that notebooks display as HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from ..analysis.assumptions import check_assumptions
from ..analysis.comparison import compare
from ..analysis.plans import growth_window
from ..analysis.projection import Assumptions, project_region, verdict_tally
from ..analysis.review import review, review_plan, tally
from ..analysis.verdict import MODERATE_R, ON_TRACK_R
from ..data.params import check_lang, check_region, check_target_year, default_plan
from ..data.tables import PlanData, load
from ..data.values import present
from . import labels
from .charts import VERDICT_COLOURS, distance_figure, to_img
from .startup import freeze_imported_objects


class Fragment(str):
    """HTML text that Jupyter displays as HTML.

    Only the HTML and a one-line plain-text label are sent to the notebook: IPython's
    default plain-text output would repeat the whole HTML source as a quoted string.
    """

    def _repr_html_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        from IPython.display import publish_display_data

        publish_display_data({"text/html": str(self), "text/plain": self.label()})

    def label(self) -> str:
        """The section's heading as plain text (what a viewer without HTML shows)."""
        import re
        from html import unescape

        heading = re.search(r"<h[12][^>]*>(.*?)</h[12]>", self, re.S)
        return f"[HTML] {unescape(re.sub(r'<[^>]+>', '', heading.group(1))).strip()}" if heading else "[HTML]"


ARROWS = {
    "achieved": "√",
    "on_track": "↑",
    "acceleration_needed": "↗",
    "insufficient": "→",
    "moving_away": "↓",
    "not_projectable": "？",
    "not_quantifiable": "○",
    "no_target": "—",
}
SEVERITY = ["moving_away", "insufficient", "acceleration_needed"]

TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "{name}知识产权规划目标进展评估", "en": "{name}: progress towards the IP plan targets"},
    "subtitle": {
        "zh": "{plan}　·　共 {n} 项目标　·　预测至 {year} 年　·　数据截至 {asof} 年",
        "en": "{plan} · {n} targets · projected to {year} · data up to {asof}",
    },
    "summary": {"zh": "一、总体判断", "en": "1. Summary"},
    "attention": {"zh": "最需关注的三项", "en": "The three that most need attention"},
    "attention_none": {
        "zh": "没有可判定为滞后的目标；以下为所需增速最高、但缺少数据无法预测的目标。",
        "en": "No target can be judged as lagging; these are the targets needing the most growth that lack data to project.",
    },
    "targets": {"zh": "二、全部目标", "en": "2. All targets"},
    "distance": {"zh": "三、距离目标", "en": "3. Distance to target"},
    "distance_none": {
        "zh": "暂无同时具备最新值和目标值的指标。",
        "en": "No indicator has both a latest value and a target.",
    },
    "comparison": {"zh": "四、与上级和全国目标比较", "en": "4. Against parent and national targets"},
    "comparison_none": {
        "zh": "本地区的指标在其他层级没有相同指标的目标。",
        "en": "No other level targets the same indicators.",
    },
    "review": {"zh": "五、{plan}完成情况", "en": "5. {plan}: completion"},
    "method": {"zh": "六、方法与假设", "en": "6. Method and assumptions"},
    "sources": {"zh": "七、资料来源与原文", "en": "7. Sources and quotes"},
}
COLUMNS_TARGETS = {
    "zh": [
        "指标",
        "单位",
        "基期",
        "最新值",
        "目标",
        "所需年均增速",
        "上一规划期增速（证据）",
        "预测：低–中–高",
        "R",
        "判断",
    ],
    "en": [
        "Indicator",
        "Unit",
        "Baseline",
        "Latest",
        "Target",
        "Growth needed",
        "Previous-plan growth (evidence)",
        "Projection: low–central–high",
        "R",
        "Verdict",
    ],
}


@dataclass
class ReportContext:
    """Everything one report is computed from."""

    data: PlanData
    region: str
    lang: str
    plan: str
    target_year: int | None
    assumptions: Assumptions
    projection: pd.DataFrame

    def t(self, key: str, **kw: object) -> str:
        """Localised text."""
        return TEXT[key][self.lang].format(**kw)

    @property
    def name(self) -> str:
        """Region name in the report language."""
        return self.data.region_name(self.region, self.lang)


def context(
    region: str,
    lang: str = "zh",
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    data_dir: str | None = None,
    plan: str | None = None,
    data: PlanData | None = None,
    growth_model: str = "observed",
) -> ReportContext:
    """Load the data, check the parameters and compute the projection for one report."""
    freeze_imported_objects()
    check_lang(lang)
    check_assumptions(times_reading, damping, growth_model)
    data = data or load(data_dir or None)
    check_region(data, region)
    plan = plan or default_plan(data, region)
    check_target_year(data, region, plan, target_year)
    a = Assumptions(times_reading=times_reading, damping=damping, growth_model=growth_model)  # type: ignore[arg-type]
    proj = project_region(data, region, plan, target_year, a)
    return ReportContext(data, region, lang, plan, target_year, a, proj)


# ---------------------------------------------------------------- formatting


def _present(v: object) -> bool:
    """True for a real value (not None, NaN, NA or an empty string)."""
    return present(v) and str(v) != ""


def _loc(ctx: ReportContext, row: dict, key: str) -> str:
    """Words for a row: ``reason`` (outcome, evidence, fragility, what is missing), ``growth_source``, ``note``."""
    if key == "reason":
        return labels.why(row, ctx.lang)
    if key == "growth_source":
        return labels.evidence(row.get("evidence"), ctx.lang) if row.get("evidence") not in (None, "none") else ""
    value = row.get(f"{key}_zh") if ctx.lang == "zh" else row.get(key)
    return str(value) if _present(value) else ""


def fmt_number(v: object, digits: int = 4) -> str:
    """A number for tables: thousands separated from 1,000 up, else ``digits`` significant digits; — if absent."""
    if not present(v):
        return "—"
    v = float(v)  # type: ignore[arg-type]
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def fmt_percent(v: object) -> str:
    """A growth rate as a signed percentage (+9.6%); — if absent."""
    if not present(v):
        return "—"
    return f"{float(v):+.1%}"  # type: ignore[arg-type]


def _ratio(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    return f"{float(v):.0%}"  # type: ignore[arg-type]


def verdict_chip(verdict: str, r: object = None, lang: str = "zh") -> str:
    """A coloured label with an arrow for one verdict (styled inline, so it works outside reports too)."""
    text = labels.verdict(verdict, float(r) if _present(r) else None, None, lang)  # type: ignore[arg-type]
    return (
        f'<span class="chip" style="background:{VERDICT_COLOURS[verdict]};border-radius:10px;padding:1px 8px">'
        f'<span class="arrow">{ARROWS[verdict]}</span> {escape(text)}</span>'
    )


def _chip(ctx: ReportContext, verdict: str, r: object = None) -> str:
    return verdict_chip(verdict, r, ctx.lang)


def _name(ctx: ReportContext, row: dict) -> str:
    if ctx.lang == "zh":
        return escape(str(row["name_as_written"]))
    return f"{escape(str(row['name_en']))}<br><span class='zh'>{escape(str(row['name_as_written']))}</span>"


def _plan_label(ctx: ReportContext, plan: str) -> str:
    """A plan's name in the report language."""
    row = ctx.data.lookup.plans[plan]
    return str(row["name_zh"] if ctx.lang == "zh" else row["name_en"])


def _plan_name(ctx: ReportContext) -> str:
    row = ctx.data.plans.loc[ctx.data.plans["plan_id"] == ctx.plan].iloc[0]
    return str(row["name_zh"] if ctx.lang == "zh" else row["name_en"])


def _when(row: dict) -> str:
    """The year of the latest value, or its period (2016-2020) for a total."""
    start = row.get("latest_period_start")
    return f"{int(start)}-{int(row['latest_year'])}" if _present(start) else str(int(row["latest_year"]))


def _review_reason(row: dict, zh: bool) -> str:
    """Why a finished target is met or not, in words."""
    lang = "zh" if zh else "en"
    if str(row["reason"]).startswith("compared_"):
        actual, target = fmt_number(row["actual_value"]), fmt_number(row["target_value"])
        return f"完成 {actual}，目标 {target}" if zh else f"{actual} against the target {target}"
    return labels._pick(labels.REVIEW_REASONS, row["reason"], lang)


def data_as_of(ctx: ReportContext) -> int:
    """Latest year of any value used for this region."""
    years = [int(y) for y in ctx.projection["latest_year"].dropna()]
    return max(years) if years else int(ctx.data.observations["year"].max())


# ---------------------------------------------------------------- sections


def title(ctx: ReportContext) -> Fragment:
    """Report heading."""
    year = ctx.target_year or int(ctx.projection["target_year"].max())
    sub = ctx.t("subtitle", plan=escape(_plan_name(ctx)), n=len(ctx.projection), year=year, asof=data_as_of(ctx))
    return Fragment(f'<header><h1>{escape(ctx.t("title", name=ctx.name))}</h1><p class="sub">{sub}</p></header>')


def tally_counts(ctx: ReportContext) -> dict[str, int]:
    """Verdict counts of this report (what the index page shows)."""
    return {k: int(v) for k, v in verdict_tally(ctx.projection).items()}


def summary(ctx: ReportContext) -> Fragment:
    """One screen: verdict counts and the three targets that most need attention."""
    counts = tally_counts(ctx)
    cells = "".join(
        f'<div class="count" style="border-color:{VERDICT_COLOURS[k]}"><b>{n}</b>{_chip(ctx, k)}</div>'
        for k, n in counts.items()
        if n or k in ("achieved", "on_track", "acceleration_needed", "insufficient", "moving_away")
    )
    p = ctx.projection
    judged = p[p["verdict"].isin(SEVERITY)].copy()
    judged["_s"] = judged["verdict"].map({v: i for i, v in enumerate(SEVERITY)})
    top = judged.sort_values(["_s", "R"]).head(3)
    note = ""
    if len(top) < 3:
        rest = p[(p["verdict"] == "not_projectable") & p["required_growth"].notna()].sort_values(
            "required_growth", ascending=False
        )
        if top.empty:
            note = f'<p class="note">{escape(ctx.t("attention_none"))}</p>'
        top = pd.concat([top, rest.head(3 - len(top))])
    items = "".join(
        f"<li>{_chip(ctx, r['verdict'], r['R'])} <b>{_name(ctx, r)}</b>："
        f"{'目标' if ctx.lang == 'zh' else 'target'} {escape(str(r['target_text']))}{'，' if ctx.lang == 'zh' else ', '}"
        f"{'所需增速' if ctx.lang == 'zh' else 'growth needed'} {fmt_percent(r['required_growth'])}"
        f"<br><span class='reason'>{escape(_loc(ctx, r, 'reason'))}</span></li>"
        for r in top.to_dict("records")
    )
    return Fragment(
        f'<section class="summary"><h2>{ctx.t("summary")}</h2><div class="counts">{cells}</div>'
        f'<h3>{ctx.t("attention")}</h3>{note}<ol class="attention">{items}</ol></section>'
    )


def target_table(ctx: ReportContext) -> Fragment:
    """Every target with baseline, latest, target, growth, projection band and coloured verdict."""
    head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS_TARGETS[ctx.lang])
    body = []
    written = "原文" if ctx.lang == "zh" else "as written"
    for r in ctx.projection.to_dict("records"):
        if _present(r["baseline_value"]):
            base = f"{fmt_number(r['baseline_value'])}（{r['baseline_year']}）"
        else:
            base = escape(str(r["baseline_text"])) if _present(r["baseline_text"]) else "—"
        latest = (
            f"{fmt_number(r['latest_value'])}（{_when(r)}）"
            if _present(r["latest_value"])
            else "—"
        )
        target = fmt_number(r["target_value"]) if _present(r["target_value"]) else escape(str(r["target_text"] or "—"))
        same = (
            _present(r["target_value"])
            and fmt_number(r["target_value"]).replace(",", "") == str(r["target_text"]).strip()
        )
        notes = [f"{written}：{r['target_text']}"] if _present(r["target_value"]) and not same else []
        if _loc(ctx, r, "target_note"):
            notes.append(_loc(ctx, r, "target_note"))
        if notes:
            target += "<br><span class='reason'>" + escape("；".join(notes)) + "</span>"
        per = ("（规划期合计）" if ctx.lang == "zh" else " per plan period") if r["measure"] == "period_total" else ""
        need = fmt_percent(r["required_growth"]) + (
            f"<br><span class='reason'>{per}</span>" if per and _present(r["required_growth"]) else ""
        )
        growth = fmt_percent(r["observed_growth"])
        if _loc(ctx, r, "growth_source"):
            growth += f"<br><span class='reason'>{escape(_loc(ctx, r, 'growth_source'))}</span>"
        band = (
            f"{fmt_number(r['projection_low'])} – <b>{fmt_number(r['projection_central'])}</b> – {fmt_number(r['projection_high'])}"
            if _present(r["projection_central"])
            else "—"
        )
        rv = f"{float(r['R']):.2f}" if _present(r["R"]) else "—"
        body.append(
            f'<tr style="border-left:6px solid {VERDICT_COLOURS[r["verdict"]]}"><td>{_name(ctx, r)}</td>'
            f"<td>{escape(str(r['unit'] or ''))}</td><td>{base}</td><td>{latest}</td><td>{target}</td>"
            f"<td>{need}</td><td>{growth}</td><td>{band}</td><td>{rv}</td>"
            f"<td>{_chip(ctx, r['verdict'], r['R'])}<br><span class='reason'>{escape(_loc(ctx, r, 'reason'))}</span></td></tr>"
        )
    return Fragment(
        f'<section><h2>{ctx.t("targets")}</h2><table class="targets"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def distance_chart(ctx: ReportContext) -> Fragment:
    """Distance-to-target chart (embedded PNG)."""
    fig = distance_figure(ctx.projection, ctx.lang)
    inner = to_img(fig, ctx.t("distance")) if fig is not None else f"<p class='note'>{ctx.t('distance_none')}</p>"
    return Fragment(f"<section><h2>{ctx.t('distance')}</h2>{inner}</section>")


def _with_unit(name: str, unit: str, zh: bool = True) -> str:
    """``name（unit）`` (``name (unit)`` in English), unless the name already ends with it (满意度（分）)."""
    suffix = f"（{unit}）" if zh else f" ({unit})"
    return name if not unit or name.endswith(suffix) else name + suffix


def comparison(ctx: ReportContext) -> Fragment:
    """This region's targets next to its parent's and the national ones."""
    mine = set(ctx.projection["indicator_id"])
    table = compare(ctx.data, assumptions=ctx.assumptions, among=mine, known=ctx.projection)
    if table.empty:
        return Fragment(
            f'<section><h2>{ctx.t("comparison")}</h2><p class="note">{ctx.t("comparison_none")}</p></section>'
        )
    zh = ctx.lang == "zh"
    head = (
        ["指标", "地区", "基期", "目标", "所需增速", "相对上级", "相对全国", "说明"]
        if zh
        else ["Indicator", "Region", "Baseline", "Target", "Growth needed", "vs parent", "vs national", "Note"]
    )
    rows = []
    # compare() names regions in Chinese; an English report shows the English names
    region_names = {ctx.data.region_name(r): ctx.data.region_name(r, ctx.lang) for r in ctx.data.region_ids()}
    for ind, part in table.groupby("indicator_id", sort=False):
        measure = part.iloc[0]["measure"]
        name = str(part.iloc[0]["indicator_zh"] if zh else ctx.data.indicator(str(ind))["name_en"])
        for i, r in enumerate(part.to_dict("records")):
            mark = ' class="self"' if r["region_id"] == ctx.region else ""
            label = escape(_with_unit(name, str(r["unit"] or ""), zh)) if i == 0 else ""
            rel = _relation(r["vs_compared"], measure, region_names.get(r["compared_with"], r["compared_with"]), zh)
            nat = _relation(r["vs_national"], measure, ctx.data.region_name("china", ctx.lang), zh)
            base = (
                "—"
                if pd.isna(r["baseline_value"])
                else f"{fmt_number(r['baseline_value'])}{'（' if zh else ' ('}{int(r['baseline_year'])}{'）' if zh else ')'}"
            )
            target = escape(str(r["target_text"]))
            if (
                _present(r["target_value"])
                and fmt_number(r["target_value"]).replace(",", "") != str(r["target_text"]).strip()
            ):
                target = (
                    f"{fmt_number(r['target_value'])}<br><span class='reason'>{escape(str(r['target_text']))}</span>"
                )
            rows.append(
                f"<tr{mark}><td>{label}</td><td>{escape(ctx.data.region_name(r['region_id'], ctx.lang))}</td><td>{base}</td>"
                f"<td>{target}</td><td>{fmt_percent(r['required_growth'])}</td><td>{rel}</td>"
                f"<td>{nat}</td><td class='reason'>{escape(_loc(ctx, r, 'note'))}</td></tr>"
            )
    th = "".join(f"<th>{h}</th>" for h in head)
    return Fragment(
        f'<section><h2>{ctx.t("comparison")}</h2><table class="compare"><thead><tr>{th}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p class='note'>{escape(_comparison_note(zh))}</p></section>"
    )


def _relation(v: object, measure: str, other: object, zh: bool) -> str:
    if v is None or pd.isna(v):
        return "—"
    other_s = escape(str(other))
    if measure == "period_total":
        return f"{other_s}的 {float(v):.1%}" if zh else f"{float(v):.1%} of {other_s}"
    return f"{other_s}的 {float(v):.2f} 倍" if zh else f"{float(v):.2f}× {other_s}"


def _comparison_note(zh: bool) -> str:
    if zh:
        return (
            "存量、比重类指标以“倍”比较目标值；规划期累计量以“占上级目标的比例”比较。"
            "单位或口径不同的相似指标（如满意度“分”与“%”）不放在同一尺度上比较。"
        )
    return (
        "Levels and shares are compared as multiples of the other target; totals over a plan period as a share of "
        "the parent's total. Look-alike indicators with different units or definitions (satisfaction in points vs %) "
        "are not put on one scale."
    )


def review_section(ctx: ReportContext) -> Fragment:
    """The completion table of the region's latest finished plan, where the data give one."""
    plan = review_plan(ctx.data, ctx.region)
    if plan is None:
        return Fragment("")
    zh = ctx.lang == "zh"
    rv = review(ctx.data, ctx.region, plan)
    t = tally(rv)
    status_names = {
        "met": "完成" if zh else "met",
        "not_met": "未完成" if zh else "not met",
        "not_assessable": "无法评估" if zh else "not assessable",
        "total": "合计" if zh else "total",
    }
    th = "".join(f"<th>{status_names[c]}</th>" for c in t.columns)
    trs = "".join(
        f"<tr><td>{escape({'unspecified': '未注明' if zh else 'unspecified', 'total': '合计' if zh else 'total'}.get(str(idx), str(idx)))}</td>{''.join(f'<td>{int(v)}</td>' for v in row)}</tr>" for idx, row in t.iterrows()
    )
    colour = {"met": "#1a9850", "not_met": "#d73027", "not_assessable": "#bdbdbd"}
    body = "".join(
        f'<tr style="border-left:6px solid {colour[r["status"]]}"><td>{escape(str(r["name_as_written"]))}</td>'
        f"<td>{escape(str(r['attribute'] or '—'))}</td><td>{escape(str(r['target_text'] or '—'))}</td>"
        f"<td>{escape(str(r['actual_text'] or '—'))}</td>"
        f"<td>{_ratio(r['completion_ratio'])}</td>"
        f"<td>{escape(labels._pick(labels.REVIEW_STATUS, r['status'], ctx.lang))}</td><td class='reason'>{escape(_review_reason(r, zh))}</td></tr>"
        for r in rv.to_dict("records")
    )
    head = (
        ["指标", "属性", "目标", "完成情况", "完成率", "状态", "说明"]
        if zh
        else ["Indicator", "Attribute", "Target", "Completion", "Ratio", "Status", "Note"]
    )
    return Fragment(
        f'<section><h2>{ctx.t("review", plan=escape(_plan_label(ctx, str(rv["plan"].iloc[0]))))}</h2><table class="tally"><thead><tr><th></th>{th}</tr></thead><tbody>{trs}</tbody></table>'
        f'<table class="review"><thead><tr>{"".join(f"<th>{h}</th>" for h in head)}</tr></thead><tbody>{body}</tbody></table></section>'
    )


def method(ctx: ReportContext) -> Fragment:
    """Method and assumptions in plain words, with the proxies and readings this report used."""
    zh = ctx.lang == "zh"
    a = ctx.assumptions
    p = ctx.projection
    used = p[p["evidence"] == "proxy"]
    proxies = sorted(
        {
            f"{ctx.data.region_name(str(r['growth_region_id']), ctx.lang)} "
            f"{ctx.data.indicator(str(r['growth_indicator_id']))['name_zh' if zh else 'name_en']}"
            for r in used.to_dict("records")
        }
    )
    readings = [
        (str(r["name_as_written"]), str(r["note"]))
        for r in ctx.data.targets[
            (ctx.data.targets["region_id"] == ctx.region) & (ctx.data.targets["plan"] == ctx.plan)
        ].to_dict("records")
        if r["note"] and ("Reading" in str(r["note"]) or "Ambiguous" in str(r["note"]) or "Unclear" in str(r["note"]))
    ]
    reading = (
        (
            "“增长N倍”按统计惯例理解为增长N×100%（即原值的1+N倍）"
            if a.times_reading == "increase"
            else "“增长N倍”按“为原值的N倍”理解（非统计惯例，用于敏感性分析）"
        )
        if zh
        else (
            "“增长N倍” read in standard statistical usage: grew by N×100 % (×(1+N))"
            if a.times_reading == "increase"
            else "“增长N倍” read as ×N (not standard usage; a sensitivity check)"
        )
    )
    central = {"observed": ("实际增速", "the observed growth"), "damped": (f"减速增速（×{a.damping:g}）", f"damped growth (×{a.damping:g})"), "linear": ("线性趋势", "the linear trend")}[a.growth_model][0 if ctx.lang == "zh" else 1]
    window = growth_window(ctx.data, ctx.plan) or (0, 0)
    if zh:
        items = [
            f"实际增速：存量、比重、满意度和年度流量类指标，采用“十三五”期间（{window[0]}—{window[1]}年）首末两点的年均复合增速；规划期累计量（“新增……”）采用“十三五”累计量相对“十二五”累计量的增长。缺少“十三五”数据时使用现有最早和最新两点，并在表中列明所用数据点。",
            "所需增速：从规划基期值到目标值的年均复合增速（累计量为相对上一规划期的增长）。无基期值时从最新值起算。",
            f"预测：自最新实际值起推算至目标年份，中值采用{central}；区间取三种情景的最低和最高值：实际增速、减速增速（×{a.damping:g}）、线性趋势。",
            f"判断：目标已实现者为“已提前实现”；其余按 R = 中值所用增速 ÷ 所需增速：R ≥ {ON_TRACK_R} 为“符合预期”（R ≥ 1 为“快于预期”），{MODERATE_R}—{ON_TRACK_R} 为“需加快”，0—{MODERATE_R} 为“明显滞后”，R < 0 为“逆向”（参照欧盟统计局、Open SDG 方法）。区间目标和“以上”目标以下限判断。定性目标列为“无法量化”；数据不足者列为“无法预测”并说明原因。",
            f"“增长N倍”的理解：{reading}。",
            "替代指标：本指标缺少历史增速时，使用事先声明的相关指标增速，并在表中标注为替代指标。"
            + (f"本报告使用：{'；'.join(proxies)}。" if proxies else "本报告未使用替代指标。"),
            "新数据：在 data/observations.csv 中补充2021—2024年实际值后重新生成报告，预测即从最新实际值起算。",
        ]
    else:
        items = [
            f"Observed growth: compound annual growth between the first and last point of the 13th plan ({window[0]}-{window[1]}) for levels, shares, scores and annual flows; for totals over a plan period (新增…), the 13th-plan total against the 12th-plan total. Without 13th-plan points, the earliest and latest points available; the table lists the points used.",
            "Growth needed: compound annual growth from the plan's baseline to the target (for totals, growth over the previous period's total); from the latest value where there is no baseline.",
            f"Projection: from the latest actual value to the target year, central on {central}; the band spans three scenarios: observed growth, damped growth (×{a.damping:g}) and a linear trend.",
            f"Verdict: already achieved first; otherwise R = growth of the central projection / needed growth: R ≥ {ON_TRACK_R} on track (≥ 1 ahead of schedule), {MODERATE_R}-{ON_TRACK_R} acceleration needed, 0-{MODERATE_R} lagging, below 0 moving away (Eurostat / Open SDG method). Ranges and lower bounds are judged against their lower end. Qualitative targets are not quantifiable; targets without enough data are not projectable, with the reason.",
            f"Reading of 增长N倍: {reading}.",
            "Proxies: where an indicator has no growth of its own, a related indicator declared in advance stands in, marked as a proxy."
            + (f" Used here: {'; '.join(proxies)}." if proxies else " None used here."),
            "New data: add 2021-2024 actuals to data/observations.csv and render again; projections then start from the latest actual.",
        ]
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    amb = ""
    if readings:
        head = (
            "本报告涉及的口径判断（数据表中的研究注记，英文原文）"
            if zh
            else "Readings chosen for this region's indicators"
        )
        amb = (
            f"<h3>{head}</h3><ul class='readings'>"
            + "".join(f"<li><b>{escape(n)}</b>：{escape(t)}</li>" for n, t in readings)
            + "</ul>"
        )
    return Fragment(f'<section class="method"><h2>{ctx.t("method")}</h2><ul>{lis}</ul>{amb}</section>')


def sources(ctx: ReportContext) -> Fragment:
    """Each source document used, with the verbatim quote behind every target."""
    t = ctx.data.targets[(ctx.data.targets["region_id"] == ctx.region) & (ctx.data.targets["plan"] == ctx.plan)]
    parts = []
    for sid, group in t.groupby("source_id", sort=False):
        s = ctx.data.sources.loc[ctx.data.sources["source_id"] == sid].iloc[0]
        cite = f"{escape(str(s['title']))}，{escape(str(s['issuer']))}，{escape(str(s['date'] or ''))}"
        if s["raw_file"]:
            cite += f"（data/raw/{escape(str(s['raw_file']))}）"
        quotes = "".join(
            f"<li><span class='loc'>{escape(str(r['locator']))}</span> {escape(str(r['name_as_written']))}："
            f"<q>{escape(str(r['quote']))}</q></li>"
            for r in group.to_dict("records")
        )
        parts.append(f"<h3>{cite}</h3><ol class='quotes'>{quotes}</ol>")
    return Fragment(f'<section class="sources"><h2>{ctx.t("sources")}</h2>{"".join(parts)}</section>')


#: the report's sections in order; report.ipynb displays them from one cell
SECTIONS = (title, summary, target_table, distance_chart, comparison, review_section, method, sources)


def full_report(ctx: ReportContext) -> Fragment:
    """All sections in order (what the report notebook shows)."""
    return Fragment("\n".join(f(ctx) for f in SECTIONS))


def plan_table(ctx: ReportContext) -> Fragment:
    """What the documents say: every target of the region's plan as written, with its source location."""
    zh = ctx.lang == "zh"
    t = ctx.data.targets[(ctx.data.targets["region_id"] == ctx.region) & (ctx.data.targets["plan"] == ctx.plan)]
    head = (
        ["指标（原文）", "单位", "属性", "基期（原文）", "目标（原文）", "目标类型", "位置", "说明"]
        if zh
        else [
            "Indicator as written",
            "Unit",
            "Attribute",
            "Baseline as written",
            "Target as written",
            "Kind",
            "Where",
            "Note",
        ]
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v or '—'))}</td>"
            for v in (
                r["name_as_written"],
                r["unit_as_written"],
                r["attribute"],
                r["baseline_text"],
                r["target_text"],
                r["target_kind"],
                r["locator"],
                r["note"],
            )
        )
        + "</tr>"
        for r in t.to_dict("records")
    )
    th = "".join(f"<th>{h}</th>" for h in head)
    title_text = f"{ctx.name} · {_plan_name(ctx)}"
    return Fragment(
        f"<section><h2>{escape(title_text)}</h2><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def tally_line(ctx: ReportContext) -> str:
    """One line of verdict counts (checked by nbval so that the summaries do not drift)."""
    counts = ", ".join(f"{k} {n}" for k, n in tally_counts(ctx).items() if n)
    return f"{ctx.region} {ctx.plan}: {len(ctx.projection)} targets; {counts}"


def indicator_chart(ctx: ReportContext, indicator: str) -> Fragment:
    """History, projection band, target and required path of one indicator of this report."""
    from ..analysis.series import points
    from ..data.params import check_indicator
    from .charts import path_figure

    check_indicator(ctx.data, indicator)
    rows = ctx.projection[ctx.projection["indicator_id"] == indicator]
    if rows.empty:
        valid = ", ".join(ctx.projection["indicator_id"])
        raise ValueError(f"{ctx.region} has no target for {indicator!r}; its indicators: {valid}")
    row = rows.iloc[0].to_dict()
    pts = points(ctx.data, ctx.region, indicator, ctx.assumptions.times_reading)
    return Fragment(to_img(path_figure(pts, row, ctx.lang), str(row["name_as_written"])))
