"""Comparison across levels: the same indicator's targets for China, Jiangsu, Suzhou, Tongzhou, Wujiang.

Ratios are taken only within one canonical indicator (same unit and measure) and one
target year. ``compared_as`` says how a ratio reads: a region's target of an absolute amount
(people, firms, patents, yuan: a stock, a yearly flow or a total over a plan period) is a
``share`` of its parent's and the national target; one of a relative magnitude (a count per
10 000 people or firms, a share, a rate, a score) a ``multiple`` of it. The magnitude is declared
once, as data (:func:`plantrack.data.units.magnitude_of`: the indicator's own, else its unit's).
Look-alike indicators declared in the catalogue (``not_comparable_with``) are listed separately
with the reason they are kept apart.
"""

from __future__ import annotations

import pandas as pd

from ..data.params import Scope, check_indicator, default_plan, latest_plan, national_region
from ..data.tables import PlanData
from ..data.units import magnitude_of
from .assumptions import current_year
from .plans import plan_span
from .projection import COLUMNS as PROJECTION_COLUMNS
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
    "compared_as",
    "vs_compared",
    "vs_national",
    "note",
    "note_zh",
]


#: an indicator targeted by at most this many regions: a report's comparison shows every one of them;
#: beyond, the report region's own line: itself, its ancestors and its direct subordinates (when at
#: most SUBORDINATES_MAX of them target it: a province's cities, the provinces of the country)
SHOW_ALL = 12
SUBORDINATES_MAX = 40


def ancestors_of(data: PlanData, region: str) -> list[str]:
    """The region's parent, its parent's parent and so on up to the country."""
    regions = data.lookup.regions
    out: list[str] = []
    cur = regions[region]["parent_id"] if region in regions else None
    while cur:
        out.append(str(cur))
        cur = regions[cur]["parent_id"] if cur in regions else None
    return out



def targeting_count(data: PlanData, indicator: str) -> int:
    """How many regions' latest plans target ``indicator`` (in the whole dataset, also in a slice)."""
    if data.whole is not None and indicator in data.whole.targeting:
        return data.whole.targeting[indicator]
    return len(data.lookup.targeting.get(indicator, {}))


def shown_regions(data: PlanData, region: str, indicator: str) -> list[str]:
    """The regions whose targets for ``indicator`` a report of ``region`` sets beside its own (regions.csv order).

    Every region that targets it when they are at most :data:`SHOW_ALL`; otherwise the
    report region's own line: itself, its ancestors and its direct subordinates, these only
    when at most :data:`SUBORDINATES_MAX` of them target it. The work is a lookup by
    indicator and region, whatever the size of the dataset.
    """
    targeting = data.lookup.targeting.get(indicator, {})
    if targeting_count(data, indicator) <= SHOW_ALL:
        return list(targeting)
    line = [region, *ancestors_of(data, region)]
    below = [r for r in data.lookup.children.get(region, []) if r in targeting]
    family = line + below if len(below) <= SUBORDINATES_MAX else line
    return sorted((r for r in family if r in targeting), key=targeting.__getitem__)


def report_regions(data: PlanData, region: str) -> tuple[set[str], dict[str, int]]:
    """The regions whose rows a report of ``region`` reads, and how many regions target each of its indicators.

    The rows: the region and the regions its comparison shows, their ancestors (the evidence
    may come from a parent's or the nation's series), the regions their declared proxies
    point to and those regions' ancestors. What a slice of the data for this report keeps
    (:mod:`plantrack.data.prepared`).
    """
    plan = default_plan(data, region)
    indicators = dict.fromkeys(r["indicator_id"] for r in data.lookup.plan_targets[(region, plan)])
    shown = {region}
    for ind in indicators:
        shown.update(shown_regions(data, region, ind))
    lines = shown | {a for r in shown for a in ancestors_of(data, r)}
    proxied = {p for r in lines for p in data.lookup.proxy_regions.get(r, [])}
    keep = lines | proxied | {a for r in proxied for a in ancestors_of(data, r)}
    return keep, {ind: targeting_count(data, ind) for ind in indicators}


def current_targets(
    data: PlanData,
    assumptions: Assumptions | None = None,
    indicators: set[str] | None = None,
    known: pd.DataFrame | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Projection rows of every region's latest plan (optionally only for some indicators).

    ``known`` holds rows already projected with the same assumptions (a report's own
    region, say); regions whose latest plan appears in it are not projected again.
    ``region``: only the rows a report of that region compares (see :func:`shown_regions`).
    """
    lk = data.lookup
    wanted: dict[str, set[str] | None] = {}
    if region is None:
        wanted = dict.fromkeys(lk.region_plans, indicators)
    else:
        own = {t["indicator_id"] for t in lk.plan_targets[(region, latest_plan(data, region))]}
        for ind in sorted(own if indicators is None else indicators):
            for r in shown_regions(data, region, ind):
                wanted.setdefault(r, set()).add(ind)  # type: ignore[union-attr]
    frames = []
    for r in data.region_ids():
        if r not in wanted:
            continue
        plan = latest_plan(data, r)
        among = wanted[r]
        done = None if known is None else known[(known["region_id"] == r) & (known["plan"] == plan)]
        if done is not None and not done.empty:
            frames.append(done if among is None else done[done["indicator_id"].isin(among)])
        else:
            scope = Scope(r, plan)  # the data's own ids: nothing to check
            frames.append(project_region(data, scope, assumptions=assumptions, indicators=among, fragility=False))
    if not frames:
        return pd.DataFrame(columns=PROJECTION_COLUMNS)
    return pd.concat([f for f in frames if not f.empty] or frames, ignore_index=True)


def compare(
    data: PlanData,
    indicator: str | None = None,
    assumptions: Assumptions | None = None,
    among: set[str] | None = None,
    known: pd.DataFrame | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Side-by-side targets of every indicator that two or more regions target (or of one indicator).

    ``among`` limits the table to those indicator ids (a report shows only its region's);
    ``known`` passes projection rows already computed (see :func:`current_targets`);
    ``region`` keeps the regions a report of that region shows (:func:`shown_regions`).
    """
    if indicator is not None:
        check_indicator(data, indicator)
        among = {indicator}
    by_indicator: dict[str, list[dict]] = {}
    found = current_targets(data, assumptions, among, known, region)
    needed = {*COLUMNS, "plan", "target_value", "target_year"}  # only these become rows (to_dict is costly)
    for r in found[[c for c in found.columns if c in needed]].to_dict("records"):
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
        compared_as = compared_as_of(info)
        part = by_indicator.get(ind, [])
        by_region = {r["region_id"]: r for r in part}
        for r in sorted(part, key=lambda r: order[r["region_id"]]):
            row = {c: r.get(c) for c in COLUMNS if c in r}
            row.update(
                indicator_zh=info["name_zh"],
                region_zh=data.region_name(r["region_id"]),
                compared_with=None,
                compared_as=compared_as,
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
                lineage = ancestors_of(data, r["region_id"])
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


def compared_as_of(info: dict) -> str:
    """``share`` for an indicator of an absolute amount, ``multiple`` for a relative one (a rate, a count per head)."""
    return "share" if magnitude_of(info) == "absolute" else "multiple"


def _relate(
    r: dict, other: dict, measure: str, notes: list[tuple[str, str]], data: PlanData, other_id: str
) -> float | None:
    """A region's target divided by another's (read as ``compared_as`` says), or None with the reason noted."""
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
