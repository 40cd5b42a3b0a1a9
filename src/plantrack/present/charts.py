"""Charts for reports and notebooks: distance to target, and one indicator's path to its target.

Figures are drawn with seaborn's theme and the bundled Chinese font and returned as
``<img>`` tags holding a PNG data URI (self-contained, byte-identical for the same data).
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..data.values import present
from .fonts import register_cjk_font

VERDICT_COLOURS = {
    "achieved": "#1a9850",
    "on_track": "#66bd63",
    "acceleration_needed": "#fdae61",
    "insufficient": "#f46d43",
    "moving_away": "#d73027",
    "not_projectable": "#bdbdbd",
    "not_quantifiable": "#9e9ac8",
    "no_target": "#d9d9d9",
}


DPI = 110  # charts are created at the PNG's resolution, so text is laid out once


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters with an ellipsis (works for Chinese, which has no spaces)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _style() -> None:
    family = register_cjk_font()
    # text.parse_math off: names and units are plain text, so a "$" in one is drawn, never read as mathtext
    sns.set_theme(style="whitegrid", font=family, rc={"axes.unicode_minus": False, "text.parse_math": False})


def to_png(fig: plt.Figure) -> bytes:
    """The figure as a 128-colour PNG at :data:`DPI` (same bytes for the same figure); closes the figure.

    Charts are flat colours and anti-aliased text, so a palette loses nothing visible and
    the file is about a third of a true-colour one. The figure is drawn once, here.
    """
    import numpy as np
    from PIL import Image

    if fig.dpi != DPI:
        fig.set_dpi(DPI)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    image = Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=6)
    return buf.getvalue()


def img_tag(png: bytes, alt: str) -> str:
    """An ``<img>`` tag holding ``png`` as a data URI."""
    from html import escape

    data = base64.b64encode(png).decode("ascii")
    return f'<img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def to_img(fig: plt.Figure, alt: str) -> str:
    """The figure as an ``<img>`` tag with an embedded PNG; closes the figure."""
    return img_tag(to_png(fig), alt)


def distance_figure(projection: pd.DataFrame, lang: str = "zh") -> plt.Figure | None:
    """Horizontal bars: latest value as % of the target, dot: central projection, line: the band.

    Bars take the colour of the target's verdict; the legend names the verdicts shown.
    Margins are measured from the longest label instead of ``tight_layout``, which would
    lay out every tick label an extra time (a third of the chart's cost).
    """
    from matplotlib.patches import Patch

    from ..analysis.verdict import LABELS

    _style()
    rows = projection[projection["target_value"].notna() & projection["latest_value"].notna()].copy()
    rows = rows[rows["target_value"] > 0]
    if rows.empty:
        return None
    zh = lang == "zh"
    t = rows["target_value"].astype(float)
    rows["latest_pct"] = (rows["latest_value"].astype(float) / t * 100).clip(upper=200)
    for c in ("projection_low", "projection_central", "projection_high"):
        rows[c + "_pct"] = (rows[c].astype(float) / t * 100).clip(upper=200)
    name_col = "name_as_written" if zh else "name_en"
    labels = [shorten(str(n), 24 if zh else 48) for n in rows[name_col]]
    width, height = 8.2, 0.42 * len(rows) + 1.3
    fig = plt.figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    colours = [VERDICT_COLOURS.get(v, "#bdbdbd") for v in rows["verdict"]]
    ax.barh(y, rows["latest_pct"], color=colours, height=0.6)
    has_proj = rows["projection_central_pct"].notna()
    ys = [i for i, ok in zip(y, has_proj, strict=True) if ok]
    ax.hlines(
        ys, rows.loc[has_proj, "projection_low_pct"], rows.loc[has_proj, "projection_high_pct"], color="#333333", lw=1.2
    )
    ax.scatter(rows.loc[has_proj, "projection_central_pct"], ys, color="#333333", zorder=3, s=18)
    ax.axvline(100, color="#d73027", lw=1.2, ls="--")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 205)
    ax.set_xlabel("占目标值的百分比（%，上限200）" if zh else "% of target (capped at 200)")
    title = "距离目标：最新值与预测值占目标值的比例"
    if not zh:
        title = "Distance to target: latest and projected value as % of target"
    fig.text(0.5, 1 - 8 / 72 / height, title, ha="center", va="top", fontsize=plt.rcParams["axes.titlesize"])
    present_verdicts = set(rows["verdict"])
    shown = [v for v in LABELS if v in present_verdicts]
    handles: list = [Patch(color=VERDICT_COLOURS.get(v, "#bdbdbd")) for v in shown]
    names = [f"{'最新值：' if zh else 'latest: '}{LABELS[v][0 if zh else 1]}" for v in shown]
    if ys:
        handles.append(ax.scatter([], [], color="#333333", s=18))
        names.append("预测（中，线为区间）" if zh else "projection (central; line = band)")
    ncol = len(handles) if len(handles) <= 4 else 3
    legend_rows = -(-len(handles) // ncol)
    fig.legend(handles, names, loc="lower center", ncol=ncol, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    _fixed_margins(fig, bottom_pt=52 + 13 * legend_rows)
    return fig


def _fixed_margins(fig: plt.Figure, bottom_pt: float, top_pt: float = 30) -> None:
    """Place the axes from measured text sizes: the widest y tick label sets the left margin."""
    renderer = fig.canvas.get_renderer()
    # measured through the labels themselves: matplotlib keeps the layout for the draw that follows
    widest = max((t.get_window_extent(renderer).width for t in fig.axes[0].get_yticklabels()), default=0.0)
    w_px, h_px = fig.get_size_inches() * fig.dpi
    pt = fig.dpi / 72
    left = (widest + (plt.rcParams["ytick.major.size"] + plt.rcParams["ytick.major.pad"] + 6) * pt) / w_px
    fig.subplots_adjust(left=left, right=1 - 14 * pt / w_px, top=1 - top_pt * pt / h_px, bottom=bottom_pt * pt / h_px)


def path_series(points: pd.DataFrame, row: dict) -> dict[str, dict[str, list] | None]:
    """What :func:`path_figure` draws, as plain lists (also what the exploration panel exposes).

    ``history``: single-year points (``derived`` marks computed ones); ``totals``: totals over
    a period, at the period's last year; ``target``: the target line; ``required``: the
    straight path from the baseline to the target; ``band``: the projection from the
    latest value (low, central, high).
    """
    single = points[points["period_start"].isna()]
    totals = points[points["period_start"].notna()]
    T = int(row["target_year"])
    out: dict[str, dict[str, list] | None] = {
        "history": {
            "year": [int(y) for y in single["year"]],
            "value": [float(v) for v in single["value"]],
            "derived": [m == "derived" for m in single["method"]],
        },
        "totals": {
            "year": [int(y) for y in totals["year"]],
            "period_start": [int(y) for y in totals["period_start"]],
            "value": [float(v) for v in totals["value"]],
        },
        "target": None,
        "required": None,
        "band": None,
    }
    target = row.get("target_value")
    if present(target):
        out["target"] = {"year": [T], "value": [float(target)]}  # type: ignore[arg-type]
        base_y, base_t = row.get("baseline_value"), row.get("baseline_year")
        if present(base_y) and present(base_t):
            out["required"] = {"year": [int(base_t), T], "value": [float(base_y), float(target)]}  # type: ignore[arg-type]
    latest = row.get("latest_value")
    if present(row.get("projection_central")) and present(latest):
        t0 = int(str(row["latest_year"]).split("-")[-1])
        out["band"] = {
            "year": [t0, T],
            "low": [float(latest), float(row["projection_low"])],
            "central": [float(latest), float(row["projection_central"])],
            "high": [float(latest), float(row["projection_high"])],
        }
    return out


def path_figure(points: pd.DataFrame, row: dict, lang: str = "zh") -> plt.Figure:
    """One indicator: history points, projection band, target line and the required path."""
    _style()
    zh = lang == "zh"
    s = path_series(points, row)
    fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=DPI)
    h = s["history"]
    if h and h["year"]:
        for yr, val, derived in zip(h["year"], h["value"], h["derived"], strict=True):
            ax.scatter([yr], [val], marker="D" if derived else "o", color="#1f77b4", zorder=3)
        ax.plot(
            h["year"],
            h["value"],
            color="#1f77b4",
            lw=1,
            label="历史值（菱形为推算值）" if zh else "history (diamond = derived)",
        )
    t = s["totals"]
    if t and t["year"]:
        for start, end, val in zip(t["period_start"], t["year"], t["value"], strict=True):
            ax.hlines(val, start - 1, end, color="#7f7f7f", lw=2)
        ax.scatter(
            t["year"], t["value"], marker="s", color="#7f7f7f", zorder=3, label="规划期累计值" if zh else "period total"
        )
    if s["target"]:
        ax.axhline(s["target"]["value"][0], color="#d73027", ls="--", lw=1.2, label="目标值" if zh else "target")
    if s["required"]:
        ax.plot(
            s["required"]["year"],
            s["required"]["value"],
            color="#d73027",
            lw=0.8,
            alpha=0.6,
            label="所需路径" if zh else "required path",
        )
    b = s["band"]
    if b:
        ax.fill_between(
            b["year"], b["low"], b["high"], color="#66bd63", alpha=0.25, label="预测区间" if zh else "projection band"
        )
        ax.plot(b["year"], b["central"], color="#1a9850", lw=1.5, label="预测（中）" if zh else "projection (central)")
    name = row["name_as_written"] if zh else row["name_en"]
    ax.set_title(shorten(str(name), 40 if zh else 80))
    unit = str(row.get("unit") or "")
    ax.set_ylabel(unit, rotation=0 if len(unit) <= 2 else 90, labelpad=10)  # 件, 家, %: upright, like a caption
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
