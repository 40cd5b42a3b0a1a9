"""Interactive exploration in JupyterLab: one target, what-if assumptions, a newer actual value.

* :class:`ProjectionPanel` — region, indicator (Chinese names), growth assumption (13th-plan
  growth, a custom rate, damped, linear), target year and the reading of 增长N倍; any change
  redraws the chart (history, band, target, required path), the verdict with R and the
  indicator's targets across levels, without re-running a cell.
* :class:`ActualPanel` — a newer actual value (year, value, quote, source): previewed in the
  projection at once, saved to ``observations.csv`` only after the whole dataset validates.
* :class:`Explorer` — both panels; where no kernel runs (a notebook exported to HTML) it
  shows the default view as static HTML instead of dead controls.

The panels keep their results as plain attributes (``row``, ``series``, ``table``), so tests
set control values and check the state without a browser.

Speed (measured with ``scripts/benchmark.py --only explore``): a change of assumption
recomputes the one target, moves the projection, target and required path of the chart
kept from the last change (no new figure, no new layout) and encodes it quickly; what does
not depend on the growth model, damping or target year (history points, the comparison
across levels) is kept per region, indicator and reading of 增长N倍. While a slider is
dragged, changes that arrive during a redraw are coalesced into one redraw of the latest
value, so no queue of stale redraws forms.
"""

from __future__ import annotations

import asyncio
import gc
import io
from html import escape
from typing import Any

import ipywidgets as W
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

from ..analysis.comparison import compare
from ..analysis.projection import Assumptions, project_region
from ..analysis.series import points
from ..data.entry import FIELDS, Entry, EntryError, preview, save_entry, units_for
from ..data.params import ParameterError, default_plan, target_year_floor
from ..data.tables import PlanData, load
from ..data.validation import DataError
from ..data.values import present
from ..present import labels
from ..present.charts import VERDICT_COLOURS, draw_path, img_tag, path_figure, path_series
from ..present.startup import freeze_imported_objects


#: growth assumptions offered, as the panel names them
def fmt_number(v: object) -> str:
    """A number with thousands separators; — if absent."""
    if not present(v):
        return "—"
    f = float(v)  # type: ignore[arg-type]
    return f"{f:,.0f}" if abs(f) >= 1000 else f"{f:.4g}"


def fmt_percent(v: object) -> str:
    """A signed percentage; — if absent."""
    return f"{float(v):+.1%}" if present(v) else "—"  # type: ignore[arg-type]


def verdict_chip(verdict: str, r: object = None, progress: object = None) -> str:
    """A coloured label for one verdict."""
    return (
        f'<span class="chip" style="background:{VERDICT_COLOURS.get(verdict, "#ddd")};border-radius:10px;'
        f'padding:1px 8px">{escape(labels.verdict(verdict, r, progress))}</span>'
    )


MODELS = {
    "observed": "上一规划期年均增速",
    "custom": "自定义年增速",
    "damped": "减速（实际增速 × 系数）",
    "linear": "线性趋势（每年增加相同数量）",
}
READINGS = {"increase": "×(1+N)：增长了N倍（统计惯例）", "multiple": "×N：为原来的N倍（敏感性检验）"}
LAST_YEAR = 2035
NOTE = (
    "交互控件需要在 JupyterLab 中运行（README：make lab）。在导出的静态 HTML 中只显示默认视图："
    "改变假设、录入新数据都需要运行中的内核。"
)
_STYLE = {"description_width": "8em"}


def _layout(width: str = "34em") -> W.Layout:
    return W.Layout(width=width)


SLIDE_DELAY = 0.03  # seconds a moving slider's changes are gathered before one redraw


def _margins(fig: Any) -> dict[str, float]:
    """Subplot margins that fit the tick labels, the unit and the title, measured from their text.

    What ``tight_layout`` finds, within a few pixels, without drawing the whole axes (a third of
    a redraw's cost).
    """
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    w, h = fig.get_size_inches() * fig.dpi
    pt = fig.dpi / 72
    pad = 1.08 * _rc("font.size") * pt  # tight_layout's padding at the figure's edge

    def extent(texts: list[Any], dim: str) -> float:
        return max((getattr(t.get_window_extent(renderer), dim) for t in texts if t.get_text()), default=0.0)

    def tick(axis: str) -> float:  # a tick's length and its gap to the label
        return (_rc(f"{axis}tick.major.size") + _rc(f"{axis}tick.major.pad")) * pt

    label = ax.yaxis.label
    left = pad + extent(ax.yaxis.get_ticklabels(), "width") + tick("y")
    if label.get_text():
        left += extent([label], "width") + ax.yaxis.labelpad * pt
    bottom = pad + extent(ax.xaxis.get_ticklabels(), "height") + tick("x")
    top = pad + extent([ax.title], "height") + _rc("axes.titlepad") * pt
    right = pad
    x0, x1 = ax.get_xlim()
    shown = [t for t in ax.xaxis.get_ticklabels() if t.get_text()]
    labels = [t for t in shown if min(x0, x1) <= t.get_position()[0] <= max(x0, x1)]
    if labels and x1 != x0:  # the last label, centred on its tick, may reach beyond the axes
        frac = (labels[-1].get_position()[0] - x0) / (x1 - x0)
        inside = (1 - frac) * (w - left - right)
        right += max(0.0, extent(labels[-1:], "width") / 2 - inside)
    return {"left": left / w, "right": 1 - right / w, "top": 1 - top / h, "bottom": bottom / h}


def _rc(key: str) -> float:
    """A number from matplotlib's settings."""
    import matplotlib as mpl

    return float(mpl.rcParams[key])


def _fixed(ax: Any) -> set[Any]:
    """What a chart's background holds: the axes patch, the axes (grid, ticks, labels) and the titles."""
    import matplotlib.text as mtext

    return {ax.patch, ax.xaxis, ax.yaxis, *(a for a in ax.get_children() if isinstance(a, mtext.Text))}


class _LiveChart:
    """The panel's chart: one figure, kept and redrawn.

    Drawn first by :func:`~plantrack.present.charts.path_figure`. A change of growth model,
    damping or target year moves the projection band, the central line, the target and the
    required path, rescales the axes, and draws only those data over a kept background
    (axes, grid, ticks and labels, redrawn only when the limits change), with the legend
    laid over as it was drawn: what a full draw gives, at a third of its cost. A change of
    region, indicator or reading draws the new data into the same axes (their ticks are
    reused) with the margins of the last chart unless its tick labels are wider or its unit
    differs (then they are measured again). The PNG is written quickly (128 colours as in
    the reports, light compression): it is shown, not stored.
    """

    def __init__(self) -> None:
        self.fig: Any = None
        self.key: tuple | None = None
        self.shape: tuple[bool, ...] = ()  # whether it has a target, a required path and a band
        self.drawn: list[Any] = []  # the artists drawn over the background (data, spines, legend), in order
        self.background: Any = None  # the figure drawn without them (axes, grid, ticks, labels, title)
        self.frame: tuple | None = None  # the axis limits and position the background was drawn for
        self.legend: tuple[Any, int, int] | None = None  # the legend drawn alone (RGBA), and its top-left pixel
        self.margins: tuple[tuple, dict[str, float]] | None = None  # layout signature and subplot parameters

    def forget(self) -> None:
        """Draw the next chart anew (the data changed)."""
        self.key = None

    def png(self, key: tuple, pts: pd.DataFrame, row: dict[str, Any]) -> bytes:
        """The chart for ``row`` as PNG bytes."""
        s = path_series(pts, row)
        shape = tuple(s[k] is not None for k in ("target", "required", "band"))
        if self.fig is None:
            self._first(pts, row)
        elif key != self.key or shape != self.shape:
            self._redraw(pts, row)
        else:
            self._move(s)
        self.key, self.shape = key, shape
        return self._encode()

    def _first(self, pts: pd.DataFrame, row: dict[str, Any]) -> None:
        import matplotlib as mpl
        import matplotlib.pyplot as plt

        # the title where matplotlib would put it (the axes have no ticks on top), without it checking at every draw
        with mpl.rc_context({"axes.titley": 1.0}):
            self.fig = path_figure(pts, row, "zh", layout=False)
        plt.close(self.fig)  # not a pyplot figure: drawn here only, and freed with this object
        FigureCanvasAgg(self.fig)
        self._new_artists()

    def _redraw(self, pts: pd.DataFrame, row: dict[str, Any]) -> None:
        """Another indicator (or region, or reading) in the same axes, as a new figure would show it."""
        ax = self.fig.axes[0]
        for a in self.drawn:
            if a not in ax.spines.values():
                a.remove()
        ax.set_xlim(0, 1)  # a new axes' limits: what the first artists are scaled against
        ax.set_ylim(0, 1)
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
        draw_path(ax, pts, row, "zh")
        self._new_artists()

    def _new_artists(self) -> None:
        ax = self.fig.axes[0]
        drawn = [a for a in ax.get_children() if a not in _fixed(ax)]
        for a in drawn:
            a.set_animated(True)  # left out of the background
        self.drawn = sorted(drawn, key=lambda a: a.get_zorder())  # the order Axes.draw uses
        self.background = self.legend = None
        self._lay_out()

    def _signature(self) -> tuple:
        ax = self.fig.axes[0]
        label = ax.yaxis.label
        return (label.get_text(), label.get_rotation()), self._widest()

    def _lay_out(self) -> None:
        """The last chart's margins where they fit (same unit, tick labels no wider), else measured anew."""
        sig = self._signature()
        if self.margins is None or self.margins[0][0] != sig[0] or sig[1] > self.margins[0][1]:
            self.margins = sig, _margins(self.fig)
        self.fig.subplots_adjust(**self.margins[1])

    def _artists(self) -> dict[str, Any]:
        from ..present.words import words

        w = words("zh")
        labels = {w(f"chart.{k}"): k for k in ("target", "required_path", "band", "central")}
        ax = self.fig.axes[0]
        return {labels[a.get_label()]: a for a in ax.get_children() if a.get_label() in labels}

    def _move(self, s: dict[str, Any]) -> None:
        found = self._artists()
        if s["target"]:
            found["target"].set_ydata([s["target"]["value"][0]] * 2)
        if s["required"]:
            found["required_path"].set_data(s["required"]["year"], s["required"]["value"])
        b = s["band"]
        if b:
            found["band"].set_data(b["year"], b["low"], b["high"])
            found["central"].set_data(b["year"], b["central"])
        self._rescale(s)
        if self.margins is None or self._widest() > self.margins[0][1]:  # a wider tick label: lay out again
            self.margins = None
            self._lay_out()

    def _rescale(self, s: dict[str, Any]) -> None:
        """Axis limits from everything drawn, as a new figure's autoscaling sets them (0-1 where nothing is)."""
        xs: list[float] = []
        ys: list[float] = []
        if s["history"]:
            xs += s["history"]["year"]
            ys += s["history"]["value"]
        if s["totals"]:
            xs += [y - 1 for y in s["totals"]["period_start"]] + s["totals"]["year"]  # the bars start a year early
            ys += s["totals"]["value"]
        if s["target"]:
            ys += s["target"]["value"]  # a horizontal line: no x
        for part in ("required", "band"):
            if s[part]:
                xs += s[part]["year"]
                ys += [v for k, vs in s[part].items() if k != "year" for v in vs]
        ax = self.fig.axes[0]
        ax.set_autoscale_on(True)
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
        if xs:
            ax.update_datalim([(x, ys[0]) for x in xs], updatey=False)
        if ys:
            ax.update_datalim([(xs[0] if xs else 0, y) for y in ys], updatex=False)
        ax.autoscale_view(scalex=bool(xs), scaley=bool(ys))
        if not xs:
            ax.set_xlim(0, 1)
        if not ys:
            ax.set_ylim(0, 1)

    def _widest(self) -> int:
        ax = self.fig.axes[0]
        return max((len(t) for t in ax.yaxis.major.formatter.format_ticks(list(ax.get_yticks()))), default=0)

    def _legend_layer(self) -> tuple[Any, int, int] | None:
        """The legend drawn alone on a transparent canvas of the figure's size, cut to its box."""
        import numpy as np
        from matplotlib.backends.backend_agg import RendererAgg

        legend = self.fig.axes[0].get_legend()
        if legend is None:
            return None
        w, h = (round(v) for v in self.fig.bbox.size)
        renderer = RendererAgg(w, h, self.fig.dpi)
        legend.draw(renderer)
        box = legend.get_window_extent(renderer)
        x0, x1 = max(0, int(box.x0) - 2), min(w, int(np.ceil(box.x1)) + 2)
        top, bottom = max(0, h - int(np.ceil(box.y1)) - 2), min(h, h - int(box.y0) + 2)  # rows count from the top
        layer = np.array(renderer.buffer_rgba())[top:bottom, x0:x1]
        return layer, top, x0

    def _encode(self) -> bytes:
        import numpy as np
        from PIL import Image

        ax, canvas = self.fig.axes[0], self.fig.canvas
        frame = (ax.get_xlim(), ax.get_ylim(), tuple(ax.get_position().bounds))
        legend = ax.get_legend()
        if self.background is None or self.frame != frame:
            canvas.draw()  # everything but the data: axes, grid, ticks, labels, title
            self.background, self.frame, self.legend = canvas.copy_from_bbox(self.fig.bbox), frame, None
            fresh = True
        else:
            canvas.restore_region(self.background)
            fresh = False
            if self.legend is None and legend is not None:  # moved in the same frame: the legend becomes a layer
                self.legend = self._legend_layer()
        for a in self.drawn:
            if a is not legend or fresh:  # on a new background the legend is drawn; after, laid over
                ax.draw_artist(a)
        rgb = np.array(canvas.buffer_rgba())[..., :3]
        if not fresh and self.legend is not None:  # on top, as Axes.draw puts it (its text is costly to draw)
            layer, top, left = self.legend
            alpha = layer[..., 3:4].astype(np.float32) / 255
            part = rgb[top : top + layer.shape[0], left : left + layer.shape[1]]
            part[...] = (layer[..., :3] * alpha + part * (1 - alpha) + 0.5).astype(np.uint8)
        buf = io.BytesIO()  # 128 colours, light compression: 4 ms, against 9 ms for a true-colour PNG
        Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(buf, "png", compress_level=1)
        return buf.getvalue()


class ProjectionPanel:
    """Controls for one target and what they give: ``row`` (projection), ``series`` (chart data), ``table``."""

    def __init__(
        self, data: PlanData | None = None, region: str = "suzhou", indicator: str = "hv_invention_patents_per_10k"
    ) -> None:
        self._data = data if data is not None else load()
        freeze_imported_objects()  # the collector no longer rescans what the imports made (pauses of 0.1-0.2 s)
        self._cache: dict[tuple, Any] = {}  # what does not depend on the growth model, damping or target year
        self._chart = _LiveChart()
        self._pending: asyncio.TimerHandle | None = None  # a coalesced redraw while a slider moves
        self.row: dict[str, Any] = {}
        self.series: dict[str, Any] = {}
        self.table = pd.DataFrame()
        self.png = b""
        self._quiet = False
        with_targets = set(self.data.targets["region_id"])
        regions = [(self.data.region_name(r), r) for r in self.data.region_ids() if r in with_targets]
        self.region = W.Dropdown(options=regions, value=region, description="地区", style=_STYLE, layout=_layout())
        self.indicator = W.Dropdown(description="指标", style=_STYLE, layout=_layout())
        self.model = W.Dropdown(
            options=[(v, k) for k, v in MODELS.items()], value="observed", description="增速假设", style=_STYLE,
            layout=_layout(),
        )  # fmt: skip
        self.custom_growth = W.FloatSlider(
            value=0.10, min=-0.20, max=0.60, step=0.005, readout_format=".1%", description="自定义年增速",
            disabled=True, continuous_update=True, style=_STYLE, layout=_layout(),
        )  # fmt: skip
        self.damping = W.FloatSlider(
            value=0.5, min=0.0, max=1.0, step=0.05, description="减速系数", continuous_update=True, style=_STYLE,
            layout=_layout(),
        )  # fmt: skip
        self.target_year = W.IntSlider(description="目标年份", continuous_update=True, style=_STYLE, layout=_layout())
        self.times_reading = W.Dropdown(
            options=[(v, k) for k, v in READINGS.items()], value="increase", description="“增长N倍”", style=_STYLE,
            layout=_layout(),
        )  # fmt: skip
        self.verdict = W.HTML()
        self.chart = W.Image(format="png", layout=W.Layout(max_width="760px"))
        self.comparison = W.HTML()
        self.method = W.HTML()
        hooks = {"region": self.region, "indicator": self.indicator, "model": self.model, "verdict": self.verdict}
        for hook, w in {**hooks, "custom-growth": self.custom_growth}.items():
            w.add_class(f"plantrack-{hook}")  # stable hooks for the browser test (tests/test_browser.py)
        self._fill_indicators(indicator)
        self.region.observe(self._on_region, names="value")
        self.indicator.observe(self._on_indicator, names="value")
        for control in (self.model, self.times_reading):
            control.observe(self._on_change, names="value")
        for slider in (self.custom_growth, self.damping, self.target_year):
            slider.observe(self._on_slide, names="value")
        self.update()

    # ------------------------------------------------------------ state

    @property
    def data(self) -> PlanData:
        """The data shown (the data on disk, or a preview with a new value)."""
        return self._data

    @data.setter
    def data(self, data: PlanData) -> None:
        self._data = data
        self._cache.clear()
        self._chart.forget()

    @property
    def plan(self) -> str:
        """The selected region's latest plan."""
        return default_plan(self.data, self.region.value)

    def controls(self) -> list[W.Widget]:
        """Every control, in display order."""
        return [
            self.region,
            self.indicator,
            self.model,
            self.custom_growth,
            self.damping,
            self.target_year,
            self.times_reading,
        ]

    def assumptions(self) -> Assumptions:
        """The assumptions the controls describe."""
        model = self.model.value
        return Assumptions(
            times_reading=self.times_reading.value,
            damping=float(self.damping.value),
            custom_growth=float(self.custom_growth.value) if model == "custom" else None,
            growth_model="observed" if model == "custom" else model,
        )

    def _target_row(self) -> dict[str, Any]:
        rows = self.data.lookup.plan_targets[(self.region.value, self.plan)]
        return next(r for r in rows if r["indicator_id"] == self.indicator.value)

    def _fill_indicators(self, keep: str | None = None) -> None:
        """Indicator options of the selected region's latest plan, by the name the plan uses."""
        rows = self.data.lookup.plan_targets[(self.region.value, self.plan)]
        options = [(str(r["name_as_written"]), str(r["indicator_id"])) for r in rows]
        ids = [v for _, v in options]
        self._quiet = True
        try:
            self.indicator.options = options
            self.indicator.value = keep if keep in ids else ids[0]
            self._reset_year()
        finally:
            self._quiet = False

    def _reset_year(self) -> None:
        own = int(self._target_row()["target_year"])
        floor = target_year_floor(self.data, self.region.value, self.plan)
        self.target_year.max = max(LAST_YEAR, own)  # max first: the default range is 0-100
        self.target_year.min = min(floor, own)
        self.target_year.value = own

    def _on_region(self, _: object) -> None:
        self._fill_indicators(self.indicator.value)
        self.update()

    def _on_indicator(self, _: object) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            self._reset_year()
        finally:
            self._quiet = False
        self.update()

    def _on_change(self, _: object) -> None:
        self.custom_growth.disabled = self.model.value != "custom"
        if not self._quiet:
            self.update()

    def _on_slide(self, _: object) -> None:
        """A slider moved: redraw at once, or in a kernel once the changes already waiting have arrived."""
        if self._quiet:
            return
        try:
            loop = asyncio.get_running_loop()  # a kernel: coalesce the changes a drag sends
        except RuntimeError:
            self.update()  # no event loop (a script, a test): at once
            return
        if self._pending is None:
            self._pending = loop.call_later(SLIDE_DELAY, self._redraw_pending)

    def _redraw_pending(self) -> None:
        self._pending = None
        self.update()

    def settle(self) -> None:
        """Run a redraw still waiting for its slider (tests and timings call this after a change)."""
        if self._pending is not None:
            self._pending.cancel()
            self._redraw_pending()

    # ------------------------------------------------------------ results

    def update(self) -> None:
        """Recompute everything from the controls and redraw the outputs (no garbage collection meanwhile)."""
        enabled = gc.isenabled()
        gc.disable()  # a full collection costs 0.1-0.2 s: it waits until the outputs are out
        try:
            self._update()
        finally:
            if enabled:
                gc.enable()

    def _update(self) -> None:
        a = self.assumptions()
        region, indicator = self.region.value, self.indicator.value
        own = int(self._target_row()["target_year"])
        year = self.target_year.value
        try:
            proj = project_region(self.data, region, self.plan, None if year == own else year, a, {indicator})
        except ParameterError as err:
            self.verdict.value = f"<p style='color:#b2182b'>{escape(str(err))}</p>"
            return
        self.row = proj.iloc[0].to_dict()
        key = (region, indicator, a.times_reading, a.as_of)  # what history and comparison depend on
        pts = self._kept(("points", *key), lambda: points(self.data, region, indicator, a.times_reading, a.as_of))
        self.series = path_series(pts, self.row)
        self.png = self._chart.png(key, pts, self.row)
        self.chart.value = self.png
        self.table = self._kept(("table", *key), lambda: compare(self.data, indicator, a, region=region))
        self.verdict.value = self.verdict_html()
        self.comparison.value = self._kept(("comparison", *key), self.comparison_html)
        self.method.value = self.method_html()

    def _kept(self, key: tuple, make: Any) -> Any:
        """``make()``, computed once per ``key`` until the data change."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def summary(self) -> str:
        """One line: region, indicator, target, assumption, verdict and R."""
        r = self.row
        R = f"，R = {float(r['R']):.2f}" if present(r.get("R")) else ""
        return (
            f"{self.data.region_name(self.region.value)} · {r['name_as_written']} · {r['target_year']}年目标 "
            f"{r['target_text']} · {MODELS[self.model.value]}（预测所用增速 {fmt_percent(r.get('assumed_growth'))}）"
            f" · {labels.verdict(str(r['verdict']), r.get('R'), r.get('progress_ratio'))}{R}"
        )

    def verdict_html(self) -> str:
        """The verdict with its label, R, the growth assumed and needed, and the reason."""
        r = self.row
        reason = labels.why(r, "zh")
        lines = [
            f"<div style='font-size:15px'>{verdict_chip(str(r['verdict']), r.get('R'), r.get('progress_ratio'))}"
            + (f" &nbsp;<span class='plantrack-R'>R = {float(r['R']):.2f}</span>" if present(r.get("R")) else "")
            + "</div>",
            f"<div>目标（{r['target_year']}年）：{escape(str(r['target_text'] or '—'))} {escape(str(r['unit'] or ''))}"
            f"；最新值：{fmt_number(r.get('latest_value'))}（{escape(str(r.get('latest_year') or '—'))}）</div>",
            f"<div>所需增速 {fmt_percent(r.get('required_growth'))}；"
            f"上一规划期实际增速 {fmt_percent(r.get('observed_growth'))}；"
            f"预测所用增速 {fmt_percent(r.get('assumed_growth'))}</div>",
            f"<div>预测（{r['target_year']}年）：{fmt_number(r.get('projection_central'))}"
            f"（区间 {fmt_number(r.get('projection_low'))}—{fmt_number(r.get('projection_high'))}）</div>",
            f"<div style='color:#555'>{escape(reason)}</div>",
        ]
        return "".join(lines)

    def comparison_html(self) -> str:
        """This indicator's targets across levels (national, province, city, district)."""
        if self.table.empty:
            return "<p>其他层级没有该指标的目标。</p>"
        head = ["地区", "规划", "基期", "目标（原文）", "目标年份", "所需增速", "实际增速", "相对上级", "说明"]
        body = []
        for r in self.table.to_dict("records"):
            mark = " style='background:#fff7d6'" if r["region_id"] == self.region.value else ""
            base = "—"
            if present(r["baseline_value"]):
                base = f"{fmt_number(r['baseline_value'])}（{int(r['baseline_year'])}）"
            rel = f"{float(r['vs_compared']):.2f}倍" if present(r["vs_compared"]) else "—"
            cells = [
                r["region_zh"], r["plan"], base, r["target_text"] or "—", r["target_year"],
                fmt_percent(r["required_growth"]), fmt_percent(r["observed_growth"]), rel, r.get("note_zh") or "",
            ]  # fmt: skip
            body.append(f"<tr{mark}>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
        th = "".join(f"<th>{h}</th>" for h in head)
        return (
            "<h4>各层级目标对比</h4><table style='border-collapse:collapse' border='1' cellpadding='4'>"
            f"<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    def method_html(self) -> str:
        """Which points, which growth model and which assumptions the projection used."""
        r = self.row
        points = "—"
        if present(r.get("growth_from_year")):
            points = (
                f"{self.data.region_name(str(r['growth_region_id']))}"
                f"{self.data.indicator(str(r['growth_indicator_id']))['name_zh']}："
                f"{int(r['growth_from_year'])}年 {fmt_number(r['growth_from_value'])} → "
                f"{int(r['growth_to_year'])}年 {fmt_number(r['growth_to_value'])}"
            )
        return (
            f"<p style='color:#555;font-size:12px'>证据等级：{escape(labels.evidence(r.get('evidence')))}"
            f"；所用数据点：{escape(points)}；{self._model_line(r)}；评估年份：{r.get('as_of')}</p>"
        )

    def _model_line(self, r: dict) -> str:
        """The growth the central projection uses, with its rate per year."""
        a = self.assumptions()
        names = {"observed": "实际增速", "damped": f"减速增速（实际增速×{a.damping:g}）", "linear": "线性趋势"}
        if a.custom_growth is not None:
            return f"中值按自定义增速 {fmt_percent(a.custom_growth)}/年"
        return f"中值按{names[a.growth_model]}，相当于 {fmt_percent(r.get('assumed_growth'))}/年"

    def fallback_html(self) -> str:
        """The current view as static HTML (chart, verdict, comparison) with a note on the controls."""
        chart = img_tag(self.png, str(self.row.get("name_as_written", ""))) if self.png else ""
        return (
            f"<div class='plantrack-explore-static'><p><b>{escape(NOTE)}</b></p>"
            f"<p>{escape(self.summary())}</p>{self.verdict_html()}{chart}{self.comparison_html()}"
            f"{self.method_html()}</div>"
        )

    def widget(self) -> W.Widget:
        """Controls on the left, verdict on the right, chart, comparison and method below."""
        return W.VBox(
            [
                W.HBox([W.VBox(self.controls()), W.VBox([self.verdict], layout=W.Layout(padding="0 0 0 1em"))]),
                self.chart,
                self.comparison,
                self.method,
            ]
        )


class ActualPanel:
    """Enter a newer actual value: messages next to the fields, preview at once, save after validation."""

    def __init__(self, projection: ProjectionPanel) -> None:
        self.projection = projection
        self.saved_data = projection.data  # the data as on disk; previews never change it
        self.year = W.Text(description="年份", placeholder="如 2023", continuous_update=False, style=_STYLE)
        self.value = W.Text(description="数值", placeholder="按原文的单位", continuous_update=False, style=_STYLE)
        self.unit = W.Dropdown(description="单位", style=_STYLE)
        self.quote = W.Textarea(
            description="原文摘录", placeholder="含该数值的原文句子，逐字粘贴", style=_STYLE, layout=_layout()
        )
        self.source = W.Dropdown(description="来源", style=_STYLE, layout=_layout())
        self.title = W.Text(description="标题", style=_STYLE, layout=_layout())
        self.issuer = W.Text(description="发布单位", style=_STYLE, layout=_layout())
        self.date = W.Text(description="发布日期", placeholder="YYYY-MM-DD", style=_STYLE)
        self.url = W.Text(description="网址", placeholder="https://…", style=_STYLE, layout=_layout())
        self.tier = W.Dropdown(
            description="来源等级",
            options=[
                ("（请选择）", ""),
                ("A 官方网站或统计公报", "A"),
                ("B 国家通讯社或官方媒体", "B"),
                ("C 可识别原文的转载", "C"),
            ],
            style=_STYLE,
        )
        self.note = W.Text(description="备注", style=_STYLE, layout=_layout())
        self.replace = W.Checkbox(description="替换已有数值", value=False)
        self.messages = {f: W.HTML() for f in (*FIELDS, "indicator")}
        self.preview_button = W.Button(description="预览（不保存）", icon="eye")
        self.save_button = W.Button(description="校验并保存", button_style="primary", icon="save")
        self.undo_button = W.Button(description="撤销预览", icon="undo")
        self.status = W.HTML()
        self.previewing = False
        hooks = {f"entry-{f}": getattr(self, f) for f in FIELDS} | {f"message-{f}": m for f, m in self.messages.items()}
        hooks |= {"preview": self.preview_button, "save": self.save_button, "undo": self.undo_button}
        for hook, w in {**hooks, "replace": self.replace, "status": self.status}.items():
            w.add_class(f"plantrack-{hook}")  # stable hooks for the browser test (tests/test_browser.py)
        self._fill_sources()
        self._fill_units()
        for field in (self.year, self.value, self.unit):
            field.observe(self._on_field, names="value")
        self.source.observe(self._on_source, names="value")
        projection.region.observe(self._on_target, names="value")
        projection.indicator.observe(self._on_target, names="value")
        self.preview_button.on_click(lambda _: self.apply_preview())
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())

    def _fill_sources(self) -> None:
        s = self.saved_data.sources
        self.source.options = [("新来源（填写下方引用信息）", "")] + [
            (f"{r['title']}（{r['source_id']}）", str(r["source_id"])) for r in s.to_dict("records")
        ]
        self.source.value = ""

    def _fill_units(self) -> None:
        units = units_for(self.saved_data, self.projection.indicator.value)
        self.unit.options = [(u or "（无单位）", u) for u in units]
        self.unit.value = units[0]

    def _on_source(self, _: object) -> None:
        new = self.source.value == ""
        for w in (self.title, self.issuer, self.date, self.url, self.tier):
            w.disabled = not new

    def _on_target(self, _: object) -> None:
        self.undo()
        self._fill_units()

    def _on_field(self, _: object) -> None:
        if str(self.year.value).strip() and str(self.value.value).strip():
            self.apply_preview()

    def entry(self) -> Entry:
        """The form as an :class:`~plantrack.data.entry.Entry` for the selected region and indicator."""
        return Entry(
            region=self.projection.region.value,
            indicator=self.projection.indicator.value,
            year=self.year.value,
            value=self.value.value,
            unit=self.unit.value,
            quote=self.quote.value,
            source_id=self.source.value,
            title=self.title.value,
            issuer=self.issuer.value,
            date=self.date.value,
            url=self.url.value,
            tier=self.tier.value,
            note=self.note.value,
        )

    def _show(self, messages: dict[str, str]) -> None:
        for field, html in self.messages.items():
            text = messages.get(field, "")
            html.value = f"<span style='color:#b2182b'>⚠ {escape(text)}</span>" if text else ""

    def apply_preview(self) -> bool:
        """Add the value in memory and redraw the projection; False (with messages) when it is invalid."""
        try:
            data = preview(self.saved_data, self.entry(), replace_existing=self.replace.value)
        except EntryError as err:
            self._show(err.messages)
            self.status.value = ""
            return False
        self._show({})
        self.projection.data = data
        self.projection.update()
        self.previewing = True
        self.status.value = (
            f"预览：{escape(str(self.year.value))}年 {escape(str(self.value.value))}{escape(self.unit.value)}"
            "（尚未保存；点击“校验并保存”写入 data/observations.csv）"
        )
        return True

    def undo(self) -> None:
        """Drop the previewed value."""
        if self.previewing:
            self.projection.data = self.saved_data
            self.projection.update()
        self.previewing = False
        self.status.value = ""

    def save(self) -> bool:
        """Validate the dataset with the value in place and write it; False (with messages) when refused."""
        folder = self.saved_data.data_dir
        try:
            saved = save_entry(folder, self.entry(), replace_existing=self.replace.value)
        except EntryError as err:
            self._show(err.messages)
            problem = err.messages.get("save", "请按提示修改。")
            self.status.value = f"<span style='color:#b2182b'>未保存：{escape(problem)}</span>"
            return False
        except (DataError, OSError) as err:  # the folder's data is invalid, or it cannot be read: beside the button
            self._show({})
            text = escape(str(err)).replace("\n", "<br>")
            self.status.value = f"<span style='color:#b2182b'>未保存：{text}</span>"
            return False
        self._show({})
        self.saved_data = load(folder)
        self.projection.data = self.saved_data
        self.previewing = False
        self._fill_sources()
        self.projection.update()
        replaced = f"；替换了原有的行：{escape(saved.replaced)}" if saved.replaced else ""
        self.status.value = (
            f"已保存至 {escape(str(folder / 'observations.csv'))} 第 {saved.line} 行"
            f"（来源 {escape(saved.source_id)}{'，新增于 sources.csv' if saved.new_source else ''}）{replaced}"
        )
        return True

    def widget(self) -> W.Widget:
        """The form: each field with its message beside it, then the buttons and the status line."""
        fields = {
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "quote": self.quote,
            "source": self.source,
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date,
            "url": self.url,
            "tier": self.tier,
            "note": self.note,
        }
        rows = [W.HBox([w, self.messages[f]]) for f, w in fields.items()]
        return W.VBox(
            [
                W.HTML(
                    "<h4>录入新的实际值</h4><p>数值立即进入预测；保存前整套数据会重新校验，已有数值不会被悄悄覆盖。</p>"
                ),
                self.messages["indicator"],
                *rows,
                self.replace,
                W.HBox([self.preview_button, self.undo_button, self.save_button]),
                self.status,
            ]
        )


class Explorer:
    """Both panels; displays as widgets in JupyterLab and as the static default view elsewhere."""

    def __init__(
        self, data: PlanData | None = None, region: str = "suzhou", indicator: str = "hv_invention_patents_per_10k"
    ) -> None:
        self.projection = ProjectionPanel(data, region, indicator)
        self.actual = ActualPanel(self.projection)
        self.fallback = self.projection.fallback_html()  # the default view, for static exports
        self.box = W.VBox(
            [W.HTML(f"<p style='color:#555'>{escape(NOTE)}</p>"), self.projection.widget(), self.actual.widget()]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget view plus an HTML fallback that exports show where the widget state is absent."""
        bundle = self.box._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.fallback
        return data
