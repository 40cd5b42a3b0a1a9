"""Comparison across levels: the same indicator's targets for China, Jiangsu, Suzhou, Tongzhou, Wujiang.

Ratios are taken only within one canonical indicator (same unit and measure) and one
target year. For levels (stocks, shares, rates, scores) a region's target is compared
with its parent's and the national one as a multiple; for totals over a plan period
as a share of the parent's total. Look-alike indicators declared in the catalogue
(``not_comparable_with``) are listed separately with the reason they are kept apart.
"""

from __future__ import annotations

import pandas as pd

from ..data.params import check_indicator, default_plan, national_region
from ..data.tables import PlanData
from .assumptions import current_year
from .plans import plan_span
from .projection import Assumptions, project_region

COLUMNS = [
    "indicator_id",
    "indicator_zh",
    "unit",
    "measure",
    "region_id",
    "region_zh",
    "plan",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_text",
    "target_value",
    "required_growth",
    "observed_growth",
    "compared_with",
    "vs_compared",
    "vs_national",
    "note",
    "note_zh",
]


def _ancestors(data: PlanData, region: str) -> list[str]:
    parents = dict(zip(data.regions["region_id"], data.regions["parent_id"], strict=True))
    out, cur = [], parents.get(region)
    while cur:
        out.append(cur)
        cur = parents.get(cur)
    return out


def current_targets(
    data: PlanData,
    assumptions: Assumptions | None = None,
    indicators: set[str] | None = None,
    known: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Projection rows of every region's latest plan (optionally only for some indicators).

    ``known`` holds rows already projected with the same assumptions (a report's own
    region, say); regions whose latest plan appears in it are not projected again.
    """
    frames = []
    with_targets = set(data.targets["region_id"])
    for r in data.region_ids():
        if r not in with_targets:
            continue
        plan = default_plan(data, r)
        done = None if known is None else known[(known["region_id"] == r) & (known["plan"] == plan)]
        if done is not None and not done.empty:
            frames.append(done if indicators is None else done[done["indicator_id"].isin(indicators)])
        else:
            frames.append(
                project_region(data, r, plan, assumptions=assumptions, indicators=indicators, fragility=False)
            )
    return pd.concat([f for f in frames if not f.empty] or frames, ignore_index=True)


def compare(
    data: PlanData,
    indicator: str | None = None,
    assumptions: Assumptions | None = None,
    among: set[str] | None = None,
    known: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Side-by-side targets of every indicator that two or more regions target (or of one indicator).

    ``among`` limits the table to those indicator ids (a report shows only its region's);
    ``known`` passes projection rows already computed (see :func:`current_targets`).
    """
    if indicator is not None:
        check_indicator(data, indicator)
        among = {indicator}
    by_indicator: dict[str, list[dict]] = {}
    for r in current_targets(data, assumptions, among, known).to_dict("records"):
        by_indicator.setdefault(r["indicator_id"], []).append(r)
    if indicator:
        ids = [indicator]
    else:
        ids = sorted(i for i, rs in by_indicator.items() if len({r["region_id"] for r in rs}) >= 2)
    order = {r: i for i, r in enumerate(data.region_ids())}
    nation = national_region(data)
    rows = []
    for ind in ids:
        info = data.indicator(ind)
        part = by_indicator.get(ind, [])
        by_region = {r["region_id"]: r for r in part}
        for r in sorted(part, key=lambda r: order[r["region_id"]]):
            row = {c: r.get(c) for c in COLUMNS if c in r}
            row.update(
                indicator_zh=info["name_zh"],
                region_zh=data.region_name(r["region_id"]),
                compared_with=None,
                vs_compared=None,
                vs_national=None,
                note="",
            )
            notes: list[tuple[str, str]] = []
            if r["target_value"] is None or pd.isna(r["target_value"]):
                notes.append(
                    ("no number to compare (qualitative or missing target)", "无可比较的数值（定性或缺失目标）")
                )
            else:
                lineage = _ancestors(data, r["region_id"])
                ancestors = [a for a in lineage if a in by_region]
                for a in ancestors[:1]:
                    row["compared_with"] = data.region_name(a)
                    row["vs_compared"] = _relate(r, by_region[a], info["measure"], notes, data, a)
                    skipped = lineage[: lineage.index(a)]
                    if skipped:
                        en, zh = data.region_name(skipped[0], "en"), data.region_name(skipped[0])
                        notes.append((f"{en} has no target for it", f"{zh}无此指标目标，与{data.region_name(a)}比较"))
                if nation in by_region and r["region_id"] != nation and (not ancestors or ancestors[0] != nation):
                    row["vs_national"] = _relate(r, by_region[nation], info["measure"], notes, data, nation)
                elif ancestors and ancestors[0] == nation:
                    row["vs_national"] = row["vs_compared"]
            unique = list(dict.fromkeys(notes))
            row["note"] = "; ".join(n[0] for n in unique)
            row["note_zh"] = "；".join(n[1] for n in unique)
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _relate(
    r: dict, other: dict, measure: str, notes: list[tuple[str, str]], data: PlanData, other_id: str
) -> float | None:
    """A region's target against another's: a multiple for levels, a share for period totals."""
    other_name, other_zh = data.region_name(other_id, "en"), data.region_name(other_id)
    if other["target_value"] is None or pd.isna(other["target_value"]) or other["target_value"] == 0:
        notes.append((f"{other_name} has no number to compare with", f"{other_zh}目标无数值，不作比较"))
        return None
    same_period = r["target_year"] == other["target_year"] and (r["plan"] == other["plan"] or measure != "period_total")
    if not same_period:
        notes.append(
            (
                f"different period from {other_name} ({r['target_year']} vs {other['target_year']})",
                f"与{other_zh}规划期不同（{r['target_year']}年 与 {other['target_year']}年），不作比较",
            )
        )
        return None
    return float(r["target_value"]) / float(other["target_value"])


def incomparable(data: PlanData) -> pd.DataFrame:
    """Look-alike indicators that regions target but that are not put on one scale, and why."""
    targeted = (
        data.targets[data.targets["plan"].map(lambda p: plan_span(data, p)[1] >= current_year())]
        .groupby("indicator_id")["region_id"]
        .apply(lambda s: ", ".join(sorted(set(s))))
    )
    rows, seen = [], set()
    for r in data.indicators.to_dict("records"):
        for other in filter(None, (r["not_comparable_with"] or "").split(";")):
            pair = tuple(sorted((r["indicator_id"], other)))
            if pair in seen or r["indicator_id"] not in targeted or other not in targeted:
                continue
            seen.add(pair)
            o = data.indicator(other)
            reasons = []
            if (r["unit"] or "") != (o["unit"] or ""):
                reasons.append(f"units differ ({r['unit'] or '—'} vs {o['unit'] or '—'})")
            if r["measure"] != o["measure"]:
                reasons.append(f"measures differ ({r['measure']} vs {o['measure']})")
            reasons.append(r["note"] or o["note"] or "different definitions")
            rows.append(
                {
                    "indicator_a": r["name_zh"],
                    "regions_a": targeted[r["indicator_id"]],
                    "indicator_b": o["name_zh"],
                    "regions_b": targeted[other],
                    "why_not_compared": "; ".join(reasons),
                }
            )
    return pd.DataFrame(rows, columns=["indicator_a", "regions_a", "indicator_b", "regions_b", "why_not_compared"])
