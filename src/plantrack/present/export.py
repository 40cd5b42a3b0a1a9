"""Excel export: targets, comparison, review and projections as sheets with Chinese headers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.comparison import compare, current_targets, incomparable
from ..analysis.projection import Assumptions
from ..analysis.review import review
from ..data.files import write_atomic
from ..data.tables import PlanData

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

#: Chinese column headers for every table plantrack shows
HEADERS_ZH: dict[str, str] = {
    "region_id": "地区代码",
    "region_zh": "地区",
    "plan": "规划",
    "indicator_id": "指标代码",
    "indicator_zh": "指标",
    "name_as_written": "指标（原文）",
    "name_en": "指标（英文）",
    "unit": "单位",
    "unit_as_written": "单位（原文）",
    "measure": "度量类型",
    "attribute": "属性",
    "baseline_year": "基期年份",
    "baseline_value": "基期值",
    "baseline_text": "基期值（原文）",
    "latest_year": "最新年份",
    "latest_value": "最新值",
    "target_year": "目标年份",
    "target_text": "目标值（原文）",
    "target_kind": "目标类型",
    "target_value": "目标值（采用）",
    "target_low": "目标下限",
    "target_high": "目标上限",
    "target_note": "目标说明",
    "required_growth": "所需增速",
    "observed_growth": "“十三五”实际增速",
    "assumed_growth": "预测所用增速",
    "growth_source": "增速来源",
    "growth_points": "所用数据点",
    "projection_low": "预测（低）",
    "projection_central": "预测（中）",
    "projection_high": "预测（高）",
    "R": "R 值",
    "progress_ratio": "进度比",
    "verdict": "判断代码",
    "verdict_zh": "判断",
    "verdict_en": "判断（英文）",
    "reason": "理由",
    "method": "方法（英文）",
    "method_zh": "方法",
    "actual_value": "完成值",
    "actual_text": "完成情况（原文）",
    "completion_ratio": "完成率",
    "status": "状态代码",
    "status_zh": "完成状态",
    "status_en": "完成状态（英文）",
    "compared_with": "比较对象",
    "vs_compared": "相对上级",
    "vs_national": "相对全国",
    "note": "说明",
    "source_id": "来源",
    "locator": "位置",
    "quote": "原文引文",
    "indicator_a": "指标甲",
    "regions_a": "地区甲",
    "indicator_b": "指标乙",
    "regions_b": "地区乙",
    "why_not_compared": "不作比较的原因",
}


def zh_headers(df: pd.DataFrame) -> pd.DataFrame:
    """The same frame with Chinese column headers where known."""
    return df.rename(columns={c: HEADERS_ZH.get(c, c) for c in df.columns})


def export_xlsx(data: PlanData, path: str | Path, assumptions: Assumptions | None = None) -> Path:
    """Write one workbook: 目标, 跨级比较, 不可比指标, 十三五回顾, 预测."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    targets = data.targets.drop(columns=[c for c in data.targets.columns if c.startswith("_") or c.endswith("_norm")])
    reviews = [review(data, r) for r in sorted(set(data.targets["region_id"]))]
    projected = current_targets(data, assumptions)
    sheets = {
        "目标": targets.drop(columns=["factor"], errors="ignore"),
        "跨级比较": compare(data, assumptions=assumptions, known=projected),
        "不可比指标": incomparable(data),
        "完成情况回顾": pd.concat(reviews, ignore_index=True),
        "预测": projected,
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            zh_headers(df).to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for col in ws.columns:
                width = max(len(str(c.value or "")) for c in list(col)[:50])
                ws.column_dimensions[col[0].column_letter].width = min(max(8, width * 1.6), 60)
                for cell in col:
                    text_not_formula(cell)
    write_atomic(path, buf.getvalue())  # a unique temporary name: concurrent exports to one path do not collide
    return path


#: first characters that make a spreadsheet read a typed cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_not_formula(cell: Cell) -> None:
    """Keep text that begins like a formula as text: stored as a string, marked so that editing it keeps it text.

    openpyxl turns every string beginning with ``=`` into a formula; Excel and LibreOffice
    also evaluate ``+ - @`` (and tab/CR-led text pasted back). plantrack writes no formulas.
    """
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
        cell.data_type = "s"
        cell.quotePrefix = True
