"""What the explorer offers and how its controls look: growth models, readings of 增长N倍, sizes."""

from __future__ import annotations

import ipywidgets as W

#: growth assumptions offered, as the panel names them
MODELS = {
    "observed": "上一规划期年均增速",
    "custom": "自定义年增速",
    "damped": "减速（实际增速 × 系数）",
    "linear": "线性趋势（每年增加相同数量）",
}
READINGS = {"increase": "×(1+N)：增长了N倍（统计惯例）", "multiple": "×N：为原来的N倍（敏感性检验）"}
LAST_YEAR = 2035  # the last target year the slider offers
NOTE = (
    "交互控件需要在 JupyterLab 中运行（README：make lab）。在导出的静态 HTML 中只显示默认视图："
    "改变假设、录入新数据都需要运行中的内核。"
)
STYLE = {"description_width": "8em"}
SLIDE_DELAY = 0.03  # seconds a moving slider's changes are gathered before one redraw


def layout(width: str = "34em") -> W.Layout:
    """A control's width."""
    return W.Layout(width=width)
