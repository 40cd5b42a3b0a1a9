"""13th-plan review: completion of every target of a finished plan, and a tally by attribute."""

from __future__ import annotations

import pandas as pd

from ..data.params import check_region
from ..data.tables import PlanData
from ..data.values import parse_value_text
from .verdict import meets

STATUS = {
    "met": ("完成", "Met"),
    "not_met": ("未完成", "Not met"),
    "not_assessable": ("无法评估", "Not assessable"),
}
COLUMNS = [
    "region_id",
    "plan",
    "indicator_id",
    "name_as_written",
    "unit_as_written",
    "attribute",
    "target_text",
    "target_kind",
    "actual_text",
    "actual_value",
    "completion_ratio",
    "status",
    "status_zh",
    "status_en",
    "reason",
    "reason_zh",
]


def assess(row: dict) -> tuple[str, float | None, str, str]:
    """Status, completion ratio (actual / target) and reason (English, Chinese) for one finished target."""
    kind, actual = row["target_kind"], row["actual_value"]
    parsed_actual = parse_value_text(row["actual_text"] or "")
    if kind == "missing":
        return (
            "not_assessable",
            None,
            "the document gives the 2020 value but no target",
            "文件只给出2020年完成值，未列目标值",
        )
    if kind == "qualitative":
        reported = f"; the plan reports {row['actual_text']}" if row["actual_text"] else ""
        reported_zh = f"，规划报告为“{row['actual_text']}”" if row["actual_text"] else ""
        return (
            "not_assessable",
            None,
            f"qualitative target ({row['target_text']}){reported}",
            f"定性目标（{row['target_text']}）{reported_zh}",
        )
    if actual is None or pd.isna(actual):
        reason = parsed_actual.reason or "no completion value given"
        return "not_assessable", None, reason, f"无完成值（{row['actual_text'] or '未给出'}）"
    threshold = row["target_low"] if kind in ("point", "lower_bound", "range") else row["target_high"]
    strict = kind == "lower_bound" and parse_value_text(str(row["target_text"])).strict
    ok = meets(float(actual), float(threshold), 1, strict)
    ratio = float(actual) / float(threshold) if threshold else None
    text = row["target_text"]
    basis = {"range": f"lower end of {text}", "lower_bound": f"bound {text}"}.get(kind, "target")
    basis_zh = {"range": f"区间 {text} 的下限", "lower_bound": f"下限 {text}"}.get(kind, "目标")
    return (
        "met" if ok else "not_met",
        ratio,
        f"{actual:g} against {basis} {threshold:g}",
        f"完成 {actual:g}，{basis_zh} {threshold:g}",
    )


def review(data: PlanData, region: str, plan: str = "13th") -> pd.DataFrame:
    """One row per target of the finished ``plan`` of ``region``."""
    check_region(data, region)
    rows = data.targets[(data.targets["region_id"] == region) & (data.targets["plan"] == plan)]
    if rows.empty:
        plans = sorted(set(data.targets.loc[data.targets["region_id"] == region, "plan"]))
        raise ValueError(f"{region} has no {plan} targets in the data (plans: {', '.join(plans)})")
    out = []
    for r in rows.to_dict("records"):
        status, ratio, reason, reason_zh = assess(r)
        rec = {c: r.get(c) for c in COLUMNS}
        rec.update(
            completion_ratio=ratio,
            status=status,
            status_zh=STATUS[status][0],
            status_en=STATUS[status][1],
            reason=reason,
            reason_zh=reason_zh,
        )
        out.append(rec)
    return pd.DataFrame(out, columns=COLUMNS)


def tally(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Counts of met / not met / not assessable by attribute (约束性, 预期性, unspecified) and in total."""
    df = reviewed.assign(attribute=reviewed["attribute"].fillna("未注明"))
    table = df.pivot_table(index="attribute", columns="status", aggfunc="size", fill_value=0)
    for s in STATUS:
        if s not in table.columns:
            table[s] = 0
    table = table[list(STATUS)]
    table.loc["合计"] = table.sum()
    table["total"] = table.sum(axis=1)
    return table.astype(int)
