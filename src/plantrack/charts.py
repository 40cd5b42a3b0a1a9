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


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters with an ellipsis (works for Chinese, which has no spaces)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _style() -> None:
    family = register_cjk_font()
    sns.set_theme(style="whitegrid", font=family, rc={"axes.unicode_minus": False})


def to_img(fig: plt.Figure, alt: str) -> str:
    """The figure as an ``<img>`` tag with an embedded PNG; closes the figure."""
    from html import escape

    buf = io.BytesIO()
    # laid out by tight_layout already (bbox_inches="tight" would draw twice); zlib level 3 is faster and smaller here
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def distance_figure(projection: pd.DataFrame, lang: str = "zh") -> plt.Figure | None:
    """Horizontal bars: latest value as % of the target, dot: central projection, line: the band."""
    _style()
    rows = projection[projection["target_value"].notna() & projection["latest_value"].notna()].copy()
    rows = rows[rows["target_value"] > 0]
    if rows.empty:
        return None
    t = rows["target_value"].astype(float)
    rows["latest_pct"] = (rows["latest_value"].astype(float) / t * 100).clip(upper=200)
    for c in ("projection_low", "projection_central", "projection_high"):
        rows[c + "_pct"] = (rows[c].astype(float) / t * 100).clip(upper=200)
    name_col = "name_as_written" if lang == "zh" else "name_en"
    rows["label"] = [shorten(str(n), 24 if lang == "zh" else 48) for n in rows[name_col]]
    fig, ax = plt.subplots(figsize=(8.2, 0.42 * len(rows) + 1.3))
    y = range(len(rows))
    colours = [VERDICT_COLOURS.get(v, "#bdbdbd") for v in rows["verdict"]]
    ax.barh(list(y), rows["latest_pct"], color=colours, height=0.6, label="最新值" if lang == "zh" else "latest value")
    has_proj = rows["projection_central_pct"].notna()
    ys = [i for i, ok in zip(y, has_proj, strict=True) if ok]
    ax.hlines(
        ys, rows.loc[has_proj, "projection_low_pct"], rows.loc[has_proj, "projection_high_pct"], color="#333333", lw=1.2
    )
    ax.scatter(
        rows.loc[has_proj, "projection_central_pct"],
        ys,
        color="#333333",
        zorder=3,
        s=18,
        label="预测（中，线为区间）" if lang == "zh" else "projection (central; line = band)",
    )
    ax.axvline(100, color="#d73027", lw=1.2, ls="--")
    ax.set_yticks(list(y), rows["label"])
    ax.invert_yaxis()
    ax.set_xlim(0, 205)
    ax.set_xlabel("占目标值的百分比（%，上限200）" if lang == "zh" else "% of target (capped at 200)")
    ax.set_title(
        "距离目标：最新值与预测值占目标值的比例"
        if lang == "zh"
        else "Distance to target: latest and projected value as % of target"
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=8, frameon=False)  # clear of the bars
    fig.tight_layout()
    return fig


def path_figure(points: pd.DataFrame, row: dict, lang: str = "zh") -> plt.Figure:
    """One indicator: history points, projection band, target line and the required path."""
    _style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    single = points[points["period_start"].isna()]
    if not single.empty:
        marker = ["o" if m != "derived" else "D" for m in single["method"]]
        for (yr, val), mk in zip(single[["year", "value"]].itertuples(index=False), marker, strict=True):
            ax.scatter([yr], [val], marker=mk, color="#1f77b4", zorder=3)
        ax.plot(
            single["year"],
            single["value"],
            color="#1f77b4",
            lw=1,
            label="历史值（菱形为推算值）" if lang == "zh" else "history (diamond = derived)",
        )
    T = int(row["target_year"])
    if row.get("target_value") is not None and pd.notna(row.get("target_value")):
        ax.axhline(
            float(row["target_value"]), color="#d73027", ls="--", lw=1.2, label=("目标值" if lang == "zh" else "target")
        )
    base_y, base_t = row.get("baseline_value"), row.get("baseline_year")
    if base_y is not None and pd.notna(base_y) and pd.notna(base_t) and row.get("target_value") is not None:
        ax.plot(
            [int(base_t), T],
            [float(base_y), float(row["target_value"])],
            color="#d73027",
            lw=0.8,
            alpha=0.6,
            label="所需路径" if lang == "zh" else "required path",
        )
    latest = row.get("latest_value")
    if row.get("projection_central") is not None and pd.notna(row.get("projection_central")) and latest is not None:
        t0 = int(str(row["latest_year"]).split("-")[-1])
        ax.fill_between(
            [t0, T],
            [latest, row["projection_low"]],
            [latest, row["projection_high"]],
            color="#66bd63",
            alpha=0.25,
            label="预测区间" if lang == "zh" else "projection band",
        )
        ax.plot(
            [t0, T],
            [latest, row["projection_central"]],
            color="#1a9850",
            lw=1.5,
            label="预测（中）" if lang == "zh" else "projection (central)",
        )
    name = row["name_as_written"] if lang == "zh" else row["name_en"]
    ax.set_title(shorten(str(name), 40 if lang == "zh" else 80))
    ax.set_ylabel(str(row.get("unit") or ""))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
