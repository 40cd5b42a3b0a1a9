"""Charts for reports and notebooks: distance to target, and one indicator's path to its target.

Figures are drawn with seaborn's theme and the bundled Chinese font and returned as
``<img>`` tags holding a PNG data URI (self-contained, byte-identical for the same data).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..analysis.methods import this_period
from ..analysis.tally import row_group
from ..data.values import present
from .fonts import register_cjk_font
from .rows import LEAN_COLOUR, VERDICT_COLOURS
from .words import words

__all__ = ["VERDICT_COLOURS", "distance_figure", "distance_rows", "img_tag", "path_figure", "path_series", "to_img"]

DPI = 110  # charts are created at the PNG's resolution, so text is laid out once


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters with an ellipsis (works for Chinese, which has no spaces)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def apply_style() -> None:
    """The charts' style: seaborn's theme, the CJK font, text never read as mathtext."""
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


def distance_rows(projection: pd.DataFrame, period_start: int | None = None) -> pd.DataFrame:
    """What the distance chart may compare with a target: this plan period's actual, projection or outcome.

    A total over the plan period is drawn only with figures of this period: the previous period's
    total (the basis of a ``previous_pace`` projection) is never shown as progress. With
    ``period_start`` (the plan's first year), a level dated before it (the baseline year's value,
    such as 2020 for a 2021-2025 plan) is not this period's actual either and draws no bar.
    """
    rows = projection[projection["target_value"].notna()].copy()
    rows = rows[rows["target_value"].astype(float) > 0]
    if rows.empty:
        return rows.assign(bar=[], central=[], low=[], high=[])
    t = rows["target_value"].astype(float)
    final = rows["outcome"] == "final"
    comparable_latest = (rows["measure"] != "period_total") | rows["evidence"].isin(this_period())
    if period_start is not None:
        comparable_latest &= pd.to_numeric(rows["latest_year"], errors="coerce") >= period_start
    latest = rows["latest_value"].where(comparable_latest)
    bar = rows["actual_value"].where(final, latest)
    out = rows.assign(
        bar=(bar.astype(float) / t * 100).clip(upper=200),
        central=(rows["projection_central"].astype(float) / t * 100).clip(upper=200).where(~final),
        low=(rows["projection_low"].astype(float) / t * 100).clip(upper=200).where(~final),
        high=(rows["projection_high"].astype(float) / t * 100).clip(upper=200).where(~final),
    )
    return out[out["bar"].notna() | out["central"].notna()]


def distance_figure(projection: pd.DataFrame, lang: str = "zh", period_start: int | None = None) -> plt.Figure | None:
    """Horizontal bars: this period's actual (or final outcome) as % of the target; dot and line: the projection.

    Bars and projection dots take the colour of the target's verdict (a total with no figure of this
    period yet has only its dot); targets on weak evidence are drawn light (bars also hatched). The
    legend names the verdicts shown, the weak-evidence style and the projection marks.
    Margins are measured from the longest label instead of ``tight_layout``, which would lay out
    every tick label an extra time.
    """
    from matplotlib.patches import Patch

    apply_style()
    rows = distance_rows(projection, period_start)
    if rows.empty:
        return None
    w = words(lang)
    # two lines of about three quarters of the language's label width each, instead of one line cut short
    wrap = int(w("language.label_width")) * 3 // 4
    labels = [label_lines(w.name(r, as_written=True), wrap) for r in rows.to_dict("records")]
    second_lines = sum(label.count("\n") for label in labels)
    width, height = 8.2, 0.42 * len(rows) + 0.14 * second_lines + 1.5
    fig = plt.figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_subplot()
    weak = [bool(x) for x in rows["weak"]]
    # a lean is drawn in the lean's colour, as the first screen lists it, never in its verdict's
    keys = ["lean" if row_group(r) == "lean" else r["verdict"] for r in rows.to_dict("records")]
    colours = {**VERDICT_COLOURS, "lean": LEAN_COLOUR}
    for i, (pct, verdict, is_weak) in enumerate(zip(rows["bar"], keys, weak, strict=True)):
        if pct == pct:
            colour = colours.get(verdict, "#bdbdbd")
            ax.barh(
                i,
                pct,
                height=0.6,
                color=colour,
                alpha=0.45 if is_weak else 1.0,
                hatch="///" if is_weak else None,
                edgecolor=colour if is_weak else "none",
                linewidth=0,
            )
    dots = zip(rows["central"], rows["low"], rows["high"], keys, weak, strict=True)
    for i, (c, lo, hi, verdict, is_weak) in enumerate(dots):
        if c == c:
            ax.hlines(i, lo, hi, color="#333333", lw=1.2, alpha=0.5 if is_weak else 1.0)
            face = colours.get(verdict, "#bdbdbd")
            ax.scatter(
                [c],
                [i],
                s=34,
                zorder=3,
                facecolors=face,
                alpha=0.55 if is_weak else 1.0,
                edgecolors="#333333",
                linewidths=1.0,
            )
    ax.axvline(100, color="#d73027", lw=1.2, ls="--")
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 205)
    ax.set_xlabel(w("distance.axis"))
    fig.text(
        0.5, 1 - 8 / 72 / height, w("distance.title"), ha="center", va="top", fontsize=plt.rcParams["axes.titlesize"]
    )
    shown = [v for v in colours if v in set(keys)]
    handles: list = [Patch(color=colours[v]) for v in shown]
    # on track covers 符合预期 and 快于预期 alike, and a lean any verdict: the legend names the group
    names = [w(f"group.{v}") if v in ("on_track", "lean") else w.verdict(v) for v in shown]
    if any(weak):
        handles.append(Patch(facecolor="#bdbdbd", alpha=0.6, hatch="///", edgecolor="#777777"))
        names.append(w("distance.weak"))
    if rows["central"].notna().any():
        handles.append(ax.scatter([], [], facecolors="#ffffff", edgecolors="#333333", s=34))
        names.append(w("distance.projection"))
    ncol = len(handles) if len(handles) <= 3 else 3
    legend_rows = -(-len(handles) // ncol)
    fig.legend(handles, names, loc="lower center", ncol=ncol, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    _fixed_margins(fig, bottom_pt=52 + 13 * legend_rows)
    return fig


def label_lines(text: str, width: int, lines: int = 2) -> str:
    """``text`` broken into at most ``lines`` lines of about ``width`` characters.

    Words stay whole where there are spaces; Chinese, which has none, breaks at any character.
    Only text still too long after ``lines`` lines is cut, with an ellipsis.
    """
    import textwrap

    spaced = " " in text
    parts = textwrap.wrap(text, width) if spaced else [text[i : i + width] for i in range(0, len(text), width)]
    if len(parts) > lines:
        rest = (" " if spaced else "").join(parts[lines - 1 :])
        parts = [*parts[: lines - 1], shorten(rest, width)]
    return "\n".join(parts)


def _fixed_margins(fig: plt.Figure, bottom_pt: float, top_pt: float = 30) -> None:
    """Place the axes from measured text sizes: the widest y tick label sets the left margin."""
    renderer = fig.canvas.get_renderer()
    # measured through the labels themselves: matplotlib keeps the layout for the draw that follows
    widest = max((t.get_window_extent(renderer).width for t in fig.axes[0].get_yticklabels()), default=0.0)
    w_px, h_px = fig.get_size_inches() * fig.dpi
    pt = fig.dpi / 72
    left = (widest + (plt.rcParams["ytick.major.size"] + plt.rcParams["ytick.major.pad"] + 6) * pt) / w_px
    fig.subplots_adjust(left=left, right=1 - 14 * pt / w_px, top=1 - top_pt * pt / h_px, bottom=bottom_pt * pt / h_px)


NO_DATA = "plantrack-no-data"  # the gid of the "no data yet" note of :func:`draw_path`


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
        t0 = int(row["latest_year"])
        out["band"] = {
            "year": [t0, T],
            "low": [float(latest), float(row["projection_low"])],
            "central": [float(latest), float(row["projection_central"])],
            "high": [float(latest), float(row["projection_high"])],
        }
    return out


def path_figure(
    points: pd.DataFrame, row: dict, lang: str = "zh", layout: bool = True, years: tuple[int, int] | None = None
) -> plt.Figure:
    """One indicator: history points, projection band, target line and the required path.

    ``layout`` False leaves the margins to the caller (the explorer reuses those of its last chart).
    ``years``: the plan's first and last year, the x-axis of a chart with no data point (see :func:`draw_path`).
    """
    apply_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=DPI)
    draw_path(ax, points, row, lang, years)
    if layout:
        fig.tight_layout()
    return fig


def no_data_years(row: dict, years: tuple[int, int]) -> tuple[int, int]:
    """The x-axis of a chart without any dated point: the plan's base year to the target year (or the plan's end)."""
    return years[0] - 1, max(years[1], int(row["target_year"]))


def has_dated_points(s: dict[str, Any]) -> bool:
    """Whether :func:`path_series` gave anything with a year (a target alone is a horizontal line)."""
    return any(s[k] and s[k]["year"] for k in ("history", "totals", "required", "band"))


def draw_path(
    ax: plt.Axes, points: pd.DataFrame, row: dict, lang: str = "zh", years: tuple[int, int] | None = None
) -> None:
    """What :func:`path_figure` draws, on axes of the caller's (the explorer redraws its one figure).

    With ``years`` (the plan's first and last year), a target with no dated point gets an x-axis of
    years (the plan's base year to the target year) and a note that there is no data yet, instead of
    an axis from 0 to 1.
    """
    apply_style()  # the fonts of the title, the unit and the legend
    w = words(lang)
    s = path_series(points, row)
    h = s["history"]
    if h and h["year"]:
        for yr, val, derived in zip(h["year"], h["value"], h["derived"], strict=True):
            ax.scatter([yr], [val], marker="D" if derived else "o", color="#1f77b4", zorder=3)
        ax.plot(
            h["year"],
            h["value"],
            color="#1f77b4",
            lw=1,
            label=w("chart.history"),
        )
    t = s["totals"]
    if t and t["year"]:
        for start, end, val in zip(t["period_start"], t["year"], t["value"], strict=True):
            ax.hlines(val, start - 1, end, color="#7f7f7f", lw=2)
        ax.scatter(t["year"], t["value"], marker="s", color="#7f7f7f", zorder=3, label=w("chart.period_total"))
    if s["target"]:
        ax.axhline(s["target"]["value"][0], color="#d73027", ls="--", lw=1.2, label=w("chart.target"))
    if s["required"]:
        ax.plot(
            s["required"]["year"],
            s["required"]["value"],
            color="#d73027",
            lw=0.8,
            alpha=0.6,
            label=w("chart.required_path"),
        )
    b = s["band"]
    if b:
        ax.fill_between(b["year"], b["low"], b["high"], color="#66bd63", alpha=0.25, label=w("chart.band"))
        ax.plot(b["year"], b["central"], color="#1a9850", lw=1.5, label=w("chart.central"))
    ax.set_title(shorten(w.name(row, as_written=True), int(w("language.title_width"))))
    unit = w.unit(row.get("unit"), row.get("name_en"))
    ax.set_ylabel(unit, rotation=0 if len(unit) <= 2 else 90, labelpad=10)  # 件, 家, %: upright, like a caption
    if years is not None and not has_dated_points(s):
        from matplotlib.ticker import MaxNLocator

        ax.set_xlim(*no_data_years(row, years))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.text(0.5, 0.7, w("chart.no_data"), transform=ax.transAxes, ha="center", va="center", color="#555",
                bbox={"facecolor": "white", "edgecolor": "#ccc", "boxstyle": "round"}, gid=NO_DATA)  # fmt: skip
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
