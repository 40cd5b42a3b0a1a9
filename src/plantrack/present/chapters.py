"""The chapter notebooks 01-04: opening sentences computed from the data, formatted tables, sensitivity.

Each chapter opens with :func:`intro_plan`, :func:`intro_comparison`, :func:`intro_review` or
:func:`intro_projection` for the chosen region; tables go through :func:`table` (chosen columns,
headers in the chapter's language, numbers by the one formatter); chapter 04 adds
:func:`sensitivity` and :func:`indicator_chart`, which draws the stand-in series (proxy or
parent region) whose growth carries a verdict beside the indicator's own history.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from ..analysis.assumptions import GROWTH_MODELS, TIMES_READINGS, Assumptions
from ..analysis.comparison import compare, incomparable
from ..analysis.projection import group_of, group_tally, project_region
from ..analysis.review import review, review_plan, tally
from ..data.params import check_lang, check_region, check_target_year, default_plan
from ..data.tables import PlanData, load
from . import texts
from .words import words


class Html(str):
    """HTML text that Jupyter shows as HTML (and as one line of plain text elsewhere)."""

    def _repr_html_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        from IPython.display import publish_display_data

        publish_display_data({"text/html": str(self), "text/plain": "[HTML]"})


@dataclass
class Chapter:
    """What a chapter is computed from: the data, the region, its plan, the assumptions and the assessment."""

    data: PlanData
    region: str
    lang: str
    plan: str
    target_year: int | None
    assumptions: Assumptions
    projection: pd.DataFrame

    @property
    def zh(self) -> bool:
        """True for Chinese text."""
        return self.lang == "zh"

    @property
    def name(self) -> str:
        """The region's name in the chapter's language."""
        return self.data.region_name(self.region, self.lang)

    def plan_name(self, plan: str | None = None) -> str:
        """A plan's name in the chapter's language."""
        row = self.data.lookup.plans[plan or self.plan]
        return str(row["name_zh"] if self.zh else row["name_en"])

    def whose_plan(self, plan: str | None = None) -> str:
        """``苏州市“十四五”规划`` / ``Suzhou's 14th Five-Year Plan``; the plan's name alone when it names the region."""
        name = self.plan_name(plan)
        if name.startswith(self.name):
            return name
        return f"{self.name}{name}" if self.zh else f"{self.name}'s {name}"

    def indicator_name(self, indicator: str) -> str:
        """An indicator's catalogue name in the chapter's language."""
        row = self.data.indicator(indicator)
        return str(row["name_zh"] if self.zh else row["name_en"])


def chapter(
    region: str = "suzhou",
    lang: str = "zh",
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    data_dir: str | None = None,
    growth_model: str = "observed",
    as_of: int | None = None,
    data: PlanData | None = None,
) -> Chapter:
    """Load the data, check the parameters and assess the region's latest plan."""
    check_lang(lang)
    a = Assumptions(times_reading=times_reading, damping=damping, growth_model=growth_model, as_of=as_of)  # type: ignore[arg-type]
    data = data or load(data_dir or None)
    check_region(data, region)
    plan = default_plan(data, region)
    check_target_year(data, region, plan, target_year)
    proj = project_region(data, region, plan, target_year, a)
    return Chapter(data, region, lang, plan, target_year, a, proj)


# ---------------------------------------------------------------- the formatted-table helper


_NUMERIC = re.compile(r"[+\-−]?\d[\d,.]*%?")


def table(frame: pd.DataFrame, columns: Sequence[str], lang: str = "zh", names: dict[str, str] | None = None) -> Html:
    """An HTML table of the chosen ``columns``: headers in ``lang``, every value by the one formatter, — if absent.

    Text is left-aligned, numbers right-aligned; short cells do not wrap.
    """
    names = names or {}
    head = "".join(f"<th style='text-align:left'>{escape(names.get(c) or texts.header(c, lang))}</th>" for c in columns)
    rows = []
    for r in frame.to_dict("records"):
        cells = []
        for c in columns:
            v = r.get(c)
            text = texts.cell(c, None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
            first = text.split("/")[0].split("（")[0].split(" ")[0]
            numeric = text == texts.DASH or bool(_NUMERIC.fullmatch(first))
            style = "text-align:right" if numeric and text else "text-align:left"
            if len(text) <= 12:
                style += ";white-space:nowrap"
            cells.append(f"<td style='{style}'>{escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}">{"（无）" if lang == "zh" else "(none)"}</td></tr>')
    return Html(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _para(sentences: list[str]) -> Html:
    return Html(f"<p>{escape(''.join(sentences))}</p>" if sentences else "")


def _count(n: int, zh: bool, what_en: str = "target") -> str:
    return f"{n} 项" if zh else f"{n} {what_en}{'' if n == 1 else 's'}"


def _list(items: list[str], zh: bool) -> str:
    if zh:
        return "、".join(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


# ---------------------------------------------------------------- chapter 01: the plan tables


def targets(ch: Chapter) -> pd.DataFrame:
    """The region's targets of its plan, as the tables hold them."""
    t = ch.data.targets
    return t[(t["region_id"] == ch.region) & (t["plan"] == ch.plan)]


def observations(ch: Chapter) -> pd.DataFrame:
    """The region's history points with the tier of their source."""
    o = ch.data.observations[ch.data.observations["region_id"] == ch.region]
    tiers = dict(zip(ch.data.sources["source_id"], ch.data.sources["tier"], strict=True))
    return o.assign(tier=o["source_id"].map(tiers), indicator=o["indicator_id"].map(ch.indicator_name))


KINDS = {
    "point": ("点值", "point"), "lower_bound": ("下限", "lower bound"), "upper_bound": ("上限", "upper bound"),
    "range": ("区间", "range"), "qualitative": ("定性", "qualitative"), "missing": ("未给出目标值", "no value"),
}


def intro_plan(ch: Chapter) -> Html:
    """What the plan tables hold for the region: targets by kind and attribute, baselines, history points."""
    zh, t = ch.zh, targets(ch)
    kinds = t["target_kind"].value_counts()
    kind_text = _list([f"{KINDS[k][0 if zh else 1]} {n}" for k, n in kinds.items()], zh)
    attrs = t["attribute"].value_counts()
    binding, expected = int(attrs.get("约束性", 0)), int(attrs.get("预期性", 0))
    based = t["baseline_value"].notna()
    obs = observations(ch)
    years = sorted(int(y) for y in obs["year"])
    span = f"{years[0]}—{years[-1]}" if zh and years else (f"{years[0]}-{years[-1]}" if years else "")
    first, last = texts.year(t.loc[based, "baseline_year"].min()), texts.year(t.loc[based, "baseline_year"].max())
    n_ind, n_src = obs["indicator_id"].nunique(), obs["source_id"].nunique()
    if zh:
        attr = "，未标注约束性或预期性。"
        if binding + expected:
            attr = f"，其中约束性 {binding} 项、预期性 {expected} 项。"
        s = [
            f"{ch.whose_plan()}共有 {len(t)} 项目标（{kind_text}）{attr}",
            f"{int(based.sum())} 项给出了基期值（基期 {first}—{last} 年）。" if based.any() else "没有目标给出基期值。",
            f"数据表中{ch.name}有 {len(obs)} 个历史数据点"
            + (f"（{span} 年，{n_ind} 个指标，{n_src} 个来源）" if len(obs) else "") + "。",
        ]
    else:
        attr = (f": {binding} binding, {expected} expected." if binding + expected
                else "; the document does not mark them binding or expected.")
        s = [
            f"{ch.whose_plan()} sets {len(t)} targets ({kind_text}){attr}",
            (f" {int(based.sum())} give a baseline value ({first}-{last}).") if based.any()
            else " None gives a baseline value.",
            f" The tables hold {len(obs)} history points for {ch.name}"
            + (f" ({span}, {n_ind} indicators, {n_src} sources)" if len(obs) else "") + ".",
        ]
    return _para(s)


PLAN_COLUMNS = [
    "name_as_written", "unit_as_written", "attribute", "baseline_year", "baseline_text", "target_year", "target_text",
    "target_kind", "locator",
]
OBSERVATION_COLUMNS = [
    "indicator", "year", "period_start", "value", "unit_as_written", "method", "covers", "source_id", "tier",
]


def plan_table(ch: Chapter) -> Html:
    """Every target of the plan as written, with where it is in the document."""
    frame = targets(ch).assign(target_kind=lambda f: f["target_kind"].map(lambda k: KINDS[k][0 if ch.zh else 1]))
    return table(frame, PLAN_COLUMNS, ch.lang)


def observation_table(ch: Chapter) -> Html:
    """The region's history points: year, value as written, stated or derived, source and its tier."""
    names = {"indicator": "指标" if ch.zh else "indicator"}
    return table(observations(ch).sort_values(["indicator_id", "year"]), OBSERVATION_COLUMNS, ch.lang, names)


# ---------------------------------------------------------------- chapter 02: comparison


def comparison_frame(ch: Chapter) -> pd.DataFrame:
    """The region's indicators that other levels also target, side by side."""
    mine = set(ch.projection["indicator_id"])
    table_ = compare(ch.data, assumptions=ch.assumptions, among=mine, known=ch.projection)
    if not table_.empty:
        table_ = table_.assign(
            indicator_zh=[ch.indicator_name(i) for i in table_["indicator_id"]],
            region_zh=[ch.data.region_name(r, ch.lang) for r in table_["region_id"]],
            note=table_["note_zh"] if ch.zh else table_["note"],
        )
    return table_


COMPARISON_COLUMNS = [
    "indicator_zh", "region_zh", "unit", "baseline_year", "baseline_value", "target_text", "target_value",
    "required_growth", "vs_compared", "vs_national", "note",
]


def intro_comparison(ch: Chapter) -> Html:
    """How many of the region's indicators other levels target, and where the region aims highest."""
    zh, frame = ch.zh, comparison_frame(ch)
    if frame.empty:
        return _para([f"{ch.name}的指标在其他层级没有相同指标的目标。" if zh
                      else f"No other level targets the same indicators as {ch.name}."])
    own = frame[frame["region_id"] == ch.region]
    levels = own[own["measure"] != "period_total"].dropna(subset=["vs_compared"])
    higher = levels[levels["vs_compared"] > 1]
    n_ind = frame["indicator_id"].nunique()
    s = [
        f"{ch.name}的 {len(ch.projection)} 项目标中，有 {n_ind} 个指标在其他层级也设有目标。" if zh
        else f"Of {ch.name}'s {len(ch.projection)} targets, {n_ind} indicators are also targeted by another level."
    ]
    if not levels.empty:
        top = levels.sort_values("vs_compared", ascending=False).iloc[0]
        other = ch.data.region_name(
            next(r for r in ch.data.region_ids() if ch.data.region_name(r) == top["compared_with"]), ch.lang
        ) if top["compared_with"] else ""
        s.append(
            f"存量和比重类目标中，{len(higher)} 项高于上级目标；最高的是{ch.indicator_name(top['indicator_id'])}，"
            f"为{other}目标的 {texts.ratio(top['vs_compared'])} 倍。" if zh
            else f" Among levels and shares, {len(higher)} aim above the parent's target; the highest is "
            f"{ch.indicator_name(top['indicator_id'])}, {texts.ratio(top['vs_compared'])}× {other}'s."
        )
    apart = incomparable(ch.data)
    if len(apart):
        s.append(f"另有 {len(apart)} 组相似指标因单位或口径不同不作比较。" if zh
                 else f" {len(apart)} look-alike pairs are not compared (different units or definitions).")
    return _para(s)


def _relative(v: object, total: bool, zh: bool) -> str:
    if v is None or pd.isna(v):  # type: ignore[call-overload]
        return texts.DASH
    return texts.percent(v, 1, signed=False) if total else (f"{texts.ratio(v)} 倍" if zh else f"{texts.ratio(v)}×")


def comparison_table(ch: Chapter) -> Html:
    """The comparison with chosen columns and readable numbers: multiples for levels, shares for totals."""
    names = {"indicator_zh": "指标" if ch.zh else "indicator", "region_zh": "地区" if ch.zh else "region"}
    frame = comparison_frame(ch)
    if frame.empty:
        return Html("")
    total = frame["measure"] == "period_total"
    frame = frame.assign(
        indicator_zh=frame["indicator_zh"].where(frame["indicator_id"] != frame["indicator_id"].shift(), " "),
        required_growth=[texts.growth(v, t, ch.lang) for v, t in zip(frame["required_growth"], total, strict=True)],
        vs_compared=[_relative(v, t, ch.zh) for v, t in zip(frame["vs_compared"], total, strict=True)],
        vs_national=[_relative(v, t, ch.zh) for v, t in zip(frame["vs_national"], total, strict=True)],
    )
    return table(frame, COMPARISON_COLUMNS, ch.lang, names)


# ---------------------------------------------------------------- chapter 03: review of the finished plan


def intro_review(ch: Chapter) -> Html:
    """Completion of the region's latest finished plan: met, not met, not assessable; what was missed."""
    zh = ch.zh
    plan = review_plan(ch.data, ch.region, ch.assumptions.year)
    if plan is None:
        return _para([f"数据中没有{ch.name}已结束规划的完成情况。" if zh
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
            s.append(f"未完成的是{_list(missed_names, True)}。")
    else:
        s = [
            f"{ch.whose_plan(plan)} set {len(rv)} targets: {met} met, {not_met} not met, {na} not assessable.",
        ]
        if len(binding):
            s.append(f" {b_met} of the {len(binding)} binding targets were met.")
        if missed_names:
            s.append(f" Not met: {_list(missed_names, False)}.")
    return _para(s)


REVIEW_COLUMNS = ["name_as_written", "attribute", "target_text", "actual_text", "completion_ratio", "status_words"]
STATUS = {"met": ("完成", "met"), "not_met": ("未完成", "not met"), "not_assessable": ("无法评估", "not assessable")}


def review_tables(ch: Chapter) -> Html:
    """The tally by attribute and every target of the finished plan."""
    plan = review_plan(ch.data, ch.region, ch.assumptions.year)
    if plan is None:
        return Html("")
    i = 0 if ch.zh else 1
    rv = review(ch.data, ch.region, plan)
    t = tally(rv).reset_index()
    t["attribute"] = t["attribute"].map(lambda a: {"unspecified": ("未注明", "unspecified")[i],
                                                   "total": ("合计", "total")[i]}.get(a, a))
    names = {k: v[i] for k, v in STATUS.items()}
    names |= {"total": ("合计", "total")[i], "status_words": ("状态", "status")[i]}
    tally_html = table(t, ["attribute", "met", "not_met", "not_assessable", "total"], ch.lang, names)
    rows = rv.assign(status_words=rv["status"].map(lambda s: STATUS[s][i]))
    return Html(tally_html + table(rows, REVIEW_COLUMNS, ch.lang, names))


# ---------------------------------------------------------------- chapter 04: assessment and sensitivity


def intro_projection(ch: Chapter) -> Html:
    """Where the plan stands as of the assessment year: counts by group, weak evidence, fragile verdicts, gaps."""
    zh, p = ch.zh, ch.projection
    counts = group_tally(p)
    fragile = int(p["fragile"].astype(bool).sum())
    gaps = p[p["missing_years"].notna() & (p["missing_years"] != "")]
    numbers = sum(len(str(y).split(";")) for y in gaps["missing_years"])
    label = words(ch.lang)

    def group(g: str) -> str:
        return label.code("group", g) if zh else label.code("group", g).lower()

    parts = [f"{group(g)} {_count(n, zh)}" + (f"（其中 {weak} 项证据较弱）" if zh and weak else
                                            (f" ({weak} on weak evidence)" if weak else ""))
             for g, (n, weak) in counts.items() if n]
    year = ch.assumptions.year
    if zh:
        s = [f"截至 {year} 年，{ch.whose_plan()} {len(p)} 项目标中：{'，'.join(parts)}。"]
        if fragile:
            s.append(f"{fragile} 项判断不稳健：换一种“增长N倍”的理解或改用减速增速，判断即改变（见下方敏感性表）。")
        if len(gaps):
            s.append(f"缺少数据的 {len(gaps)} 项目标共缺 {numbers} 个数值，可用 plantrack template 列出并补充。")
    else:
        s = [f"As of {year}, of the {len(p)} targets of {ch.whose_plan()}: {', '.join(parts)}."]
        if fragile:
            s.append(f" {fragile} {'verdict is' if fragile == 1 else 'verdicts are'} fragile: another reading of "
                     "增长N倍 or damped growth changes it (see the sensitivity table).")
        if len(gaps):
            s.append(f" The {len(gaps)} targets lacking data miss {numbers} numbers; plantrack template lists them.")
    return _para(s)


ASSESSMENT_COLUMNS = [
    "name_as_written", "unit", "baseline_value", "latest_year", "latest_value", "target_value", "required_growth",
    "assumed_growth", "projection_central", "R", "verdict_words", "evidence_words",
]


def assessment_table(ch: Chapter) -> Html:
    """Every target: baseline, latest, target, growth needed and assumed, projection, R, verdict and evidence."""
    p, w = ch.projection, words(ch.lang)
    recs = p.to_dict("records")
    total = p["measure"] == "period_total"
    frame = p.assign(
        required_growth=[texts.growth(v, t, ch.lang) for v, t in zip(p["required_growth"], total, strict=True)],
        assumed_growth=[texts.growth(v, t, ch.lang) for v, t in zip(p["assumed_growth"], total, strict=True)],
        unit=[w.unit(r["unit"], r["name_en"]) for r in recs],
        verdict_words=[w.verdict(r["verdict"], r["R"], r["progress_ratio"], r["outcome"])
                       + ("（不稳健）" if ch.zh and r["fragile"] else (" (fragile)" if r["fragile"] else ""))
                       for r in recs],
        evidence_words=[w.evidence(r["evidence"]) for r in recs],
    )
    names = {"verdict_words": "判断" if ch.zh else "verdict", "evidence_words": "证据" if ch.zh else "evidence"}
    columns = ASSESSMENT_COLUMNS if ch.zh else ["name_en", *ASSESSMENT_COLUMNS[1:]]
    return table(frame, columns, ch.lang, names | {"name_en": "indicator"})


def sensitivity_frame(ch: Chapter) -> pd.DataFrame:
    """Each target's verdict under each reading of 增长N倍 and each growth model (codes)."""
    out = ch.projection[["indicator_id", "name_as_written", "name_en"]].copy()
    for reading in TIMES_READINGS:
        for model in GROWTH_MODELS:
            a = dataclasses.replace(ch.assumptions, times_reading=reading, growth_model=model)  # type: ignore[arg-type]
            proj = project_region(ch.data, ch.region, ch.plan, ch.target_year, a, fragility=False)
            out[f"{reading}/{model}"] = list(proj["verdict"])
    combos = [c for c in out.columns if "/" in c]
    out["changes"] = [len({group_of(v) for v in row}) > 1 for row in out[combos].itertuples(index=False)]
    return out


READING_WORDS = {"increase": ("×(1+N)", "×(1+N)"), "multiple": ("×N", "×N")}
MODEL_WORDS = {"observed": ("实际增速", "observed"), "damped": ("减速增速", "damped"), "linear": ("线性趋势", "linear")}


def sensitivity(ch: Chapter, only_changing: bool = False) -> Html:
    """The verdict of every target under 2 readings of 增长N倍 × 3 growth models; the chapter's own is marked ●."""
    i = 0 if ch.zh else 1
    frame = sensitivity_frame(ch)
    combos = [c for c in frame.columns if "/" in c]
    own = f"{ch.assumptions.times_reading}/{ch.assumptions.growth_model}"
    changing = int(frame["changes"].sum())
    shown = frame[frame["changes"]] if only_changing else frame
    w, words_ = words(ch.lang), shown.copy()
    for c in combos:
        words_[c] = [w.verdict(v) for v in shown[c]]
    names = {
        c: f"{'● ' if c == own else ''}{READING_WORDS[c.split('/')[0]][i]} · {MODEL_WORDS[c.split('/')[1]][i]}"
        for c in combos
    } | {"changes": "随假设改变" if ch.zh else "changes", "name_en": "indicator"}
    note = (
        f"六种假设组合下，{len(frame) - changing} 项目标的判断类别（已实现、符合预期、存在风险、无法判断）不变，"
        f"{changing} 项随假设改变。● 为本章所用的假设。" if ch.zh else
        f"Under the six combinations, {len(frame) - changing} targets keep their group (achieved, on track, at risk, "
        f"unknown) and {changing} change. ● marks the assumptions of this chapter."
    )
    name = "name_as_written" if ch.zh else "name_en"
    return Html(_para([note]) + table(words_, [name, *combos, "changes"], ch.lang, names))


def _stand_in(ch: Chapter, row: dict) -> tuple[str, str] | None:
    """The region and indicator whose growth carries the verdict, when they are not the target's own."""
    region, indicator = row.get("growth_region_id"), row.get("growth_indicator_id")
    if not isinstance(region, str) or not isinstance(indicator, str):
        return None
    if (region, indicator) == (row["region_id"], row["indicator_id"]):
        return None
    return region, indicator


def indicator_chart(ch: Chapter, indicator: str) -> Html:
    """The indicator's history, projection and target; below, the stand-in series whose growth carries the verdict."""
    from ..analysis.series import points
    from ..data.params import check_indicator
    from .charts import _style, path_figure, to_img

    check_indicator(ch.data, indicator)
    rows = ch.projection[ch.projection["indicator_id"] == indicator]
    if rows.empty:
        raise ValueError(f"{ch.region} has no target for {indicator!r}; its indicators: "
                         f"{', '.join(ch.projection['indicator_id'])}")
    row = rows.iloc[0].to_dict()
    a = ch.assumptions
    own = points(ch.data, ch.region, indicator, a.times_reading, a.year)
    html = to_img(path_figure(own, row, ch.lang), str(row["name_as_written"]))
    stand_in = _stand_in(ch, row)
    if stand_in is None:
        return Html(html)
    import matplotlib.pyplot as plt

    region, other = stand_in
    pts = points(ch.data, region, other, a.times_reading, a.year)
    single = pts[pts["period_start"].isna()]
    _style()
    fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
    ax.plot(single["year"], single["value"], color="#7f7f7f", lw=1, marker="o")
    lo, hi = row.get("growth_from_year"), row.get("growth_to_year")
    if pd.notna(lo) and pd.notna(hi):
        span = single[(single["year"] >= lo) & (single["year"] <= hi)]
        ax.plot(span["year"], span["value"], color="#1a9850", lw=2.5, marker="o",
                label=("增速所用区间" if ch.zh else "growth used") + f" {texts.percent(row['observed_growth'])}")
        ax.legend(fontsize=8)
    who = ch.data.region_name(region, ch.lang)
    kind = words(ch.lang).evidence(row["evidence"])
    ax.set_title(f"{kind}：{who} {ch.indicator_name(other)}" if ch.zh else f"{kind}: {who}, {ch.indicator_name(other)}")
    ax.set_ylabel(str(ch.data.indicator(other)["unit"] or ""), rotation=0, labelpad=10)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    caption = (
        f"<p>本指标的判断依据另一序列的增速：{escape(who)}{escape(ch.indicator_name(other))}"
        f"（{escape(kind)}）。下图为该序列本身的历史，绿色为计算增速所用的区间。</p>" if ch.zh else
        f"<p>This verdict rests on the growth of another series: {escape(who)}, "
        f"{escape(ch.indicator_name(other))} ({escape(kind)}). Its own history is drawn below, the span whose "
        "growth was used in green.</p>"
    )
    return Html(html + caption + to_img(fig, f"{who} {ch.indicator_name(other)}"))


def tally_line(ch: Chapter) -> str:
    """One line of group counts, as the report prints it (checked by nbval so that the summary does not drift)."""
    counts = ", ".join(
        f"{g} {n}" + (f" ({weak} weak)" if weak else "") for g, (n, weak) in group_tally(ch.projection).items()
    )
    return f"{ch.region} {ch.plan}: {len(ch.projection)} targets; {counts}"
