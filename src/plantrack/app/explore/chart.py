"""The explorer's chart: one matplotlib figure, kept and redrawn (see :class:`LiveChart`).

Speed (measured with ``scripts/benchmark.py --only explore``): a change of assumption moves
the projection, target and required path of the figure kept from the last change (no new
figure, no new layout) and encodes it quickly.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import AutoLocator
from matplotlib.transforms import Bbox

from ...present.charts import NO_DATA, draw_path, has_dated_points, no_data_years, path_figure, path_series


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


class LiveChart:
    """The panel's chart: one figure, kept and redrawn.

    Drawn first by :func:`~plantrack.present.charts.path_figure`. A change of growth model,
    damping or target year moves the projection band, the central line, the target and the
    required path, rescales the axes, and draws only those data over a kept background
    (axes, grid, ticks and labels, redrawn only when the limits change), with the legend
    laid over (drawn once per set of entries): what a full draw gives, at a third of its cost. A change of
    region, indicator or reading draws the new data into the same axes (their ticks are
    reused) with the margins of the last chart unless its tick labels are wider or its unit
    differs (then they are measured again). The PNG is written quickly (128 colours as in
    the reports, light compression): it is shown, not stored. ``lang``: the language of its words.
    """

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.fig: Any = None
        self.key: tuple | None = None
        self.shape: tuple[bool, ...] = ()  # whether it has a target, a required path and a band
        self.drawn: list[Any] = []  # the artists drawn over the background (data, spines, legend), in order
        self.background: Any = None  # the figure drawn without them (axes, grid, ticks, labels, title)
        self.frame: tuple | None = None  # the axis limits and position the background was drawn for
        self.legends: dict[tuple, Any] = {}  # the legend drawn alone (RGBA), per set of entries and size
        self.margins: tuple[tuple, dict[str, float]] | None = None  # layout signature and subplot parameters
        self.years: tuple[int, int] | None = None  # the plan's first and last year (the axis of a chart without data)

    def forget(self) -> None:
        """Draw the next chart anew (the data changed)."""
        self.key = None

    def png(self, key: tuple, pts: pd.DataFrame, row: dict[str, Any], years: tuple[int, int] | None = None) -> bytes:
        """The chart for ``row`` as PNG bytes; ``years``: its plan's first and last year."""
        self.years = years
        s = path_series(pts, row)
        shape = tuple(s[k] is not None for k in ("target", "required", "band"))
        if self.fig is None:
            self._first(pts, row)
        elif key != self.key or shape != self.shape:
            self._redraw(pts, row)
        else:
            self._move(s, row)
        self.key, self.shape = key, shape
        return self._encode()

    def _first(self, pts: pd.DataFrame, row: dict[str, Any]) -> None:
        import matplotlib as mpl
        import matplotlib.pyplot as plt

        # the title where matplotlib would put it (the axes have no ticks on top), without it checking at every draw
        with mpl.rc_context({"axes.titley": 1.0}):
            self.fig = path_figure(pts, row, self.lang, layout=False, years=self.years)
        plt.close(self.fig)  # not a pyplot figure: drawn here only, and freed with this object
        FigureCanvasAgg(self.fig)
        self._new_artists()

    def _redraw(self, pts: pd.DataFrame, row: dict[str, Any]) -> None:
        """Another indicator (or region, or reading) in the same axes, as a new figure would show it."""
        ax = self.fig.axes[0]
        for a in self.drawn:
            if a not in ax.spines.values():
                a.remove()
        for t in ax.texts:
            if t.get_gid() == NO_DATA:
                t.remove()
        ax.xaxis.set_major_locator(AutoLocator())  # a chart without data counts whole years
        ax.set_xlim(0, 1)  # a new axes' limits: what the first artists are scaled against
        ax.set_ylim(0, 1)
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
        draw_path(ax, pts, row, self.lang, self.years)
        self._new_artists()

    def _new_artists(self) -> None:
        ax = self.fig.axes[0]
        drawn = [a for a in ax.get_children() if a not in _fixed(ax)]
        for a in drawn:
            a.set_animated(True)  # left out of the background
        self.drawn = sorted(drawn, key=lambda a: a.get_zorder())  # the order Axes.draw uses
        self.background = None
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
        from ...present.words import words

        w = words(self.lang)
        labels = {w(f"chart.{k}"): k for k in ("target", "required_path", "band", "central")}
        ax = self.fig.axes[0]
        return {labels[a.get_label()]: a for a in ax.get_children() if a.get_label() in labels}

    def _move(self, s: dict[str, Any], row: dict[str, Any]) -> None:
        found = self._artists()
        if s["target"]:
            found["target"].set_ydata([s["target"]["value"][0]] * 2)
        if s["required"]:
            found["required_path"].set_data(s["required"]["year"], s["required"]["value"])
        b = s["band"]
        if b:
            found["band"].set_data(b["year"], b["low"], b["high"])
            found["central"].set_data(b["year"], b["central"])
        self._rescale(s, row)
        if self.margins is None or self._widest() > self.margins[0][1]:  # a wider tick label: lay out again
            self.margins = None
            self._lay_out()

    def _rescale(self, s: dict[str, Any], row: dict[str, Any]) -> None:
        """Axis limits from everything drawn, as a new figure's autoscaling sets them.

        Where nothing is: 0-1, or for x, with the plan's years known, the years of :func:`draw_path`.
        """
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
            ax.set_xlim(*(no_data_years(row, self.years) if self.years and not has_dated_points(s) else (0, 1)))
        if not ys:
            ax.set_ylim(0, 1)

    def _widest(self) -> int:
        ax = self.fig.axes[0]
        return max((len(t) for t in ax.yaxis.major.formatter.format_ticks(list(ax.get_yticks()))), default=0)

    def _legend_layer(self, legend: Any, box: Any) -> Any:
        """The legend drawn alone on a transparent canvas of the figure's size, cut to ``box`` (RGBA rows)."""
        import numpy as np
        from matplotlib.backends.backend_agg import RendererAgg

        w, h = (round(v) for v in self.fig.bbox.size)
        renderer = RendererAgg(w, h, self.fig.dpi)
        legend.draw(renderer)
        x0, top, x1, bottom = box
        return np.array(renderer.buffer_rgba())[top:bottom, x0:x1]

    def _lay_legend_over(self, rgb: Any, legend: Any) -> None:
        """Lay the legend over the drawing, as Axes.draw puts it last (its text is the costliest part to draw).

        The legend of the same entries at the same fraction of a pixel looks the same wherever it goes:
        it is drawn once per set of entries and fraction, and laid at the place the legend takes now
        (loc "best" moves it with the data).
        """
        import numpy as np

        h, w = rgb.shape[:2]
        ext = legend.get_window_extent(self.fig.canvas.get_renderer())
        box = (int(ext.x0) - 2, h - int(np.ceil(ext.y1)) - 2, int(np.ceil(ext.x1)) + 2, h - int(ext.y0) + 2)
        x0, top, x1, bottom = box
        if x0 < 0 or top < 0 or x1 > w or bottom > h:  # reaching beyond the figure: drawn in place
            self.fig.axes[0].draw_artist(legend)
            rgb[...] = np.array(self.fig.canvas.buffer_rgba())[..., :3]
            return
        # text is placed on whole pixels from the legend's fractional position: a layer fits only the same fraction
        frac = (round(ext.x0 % 1, 3), round(ext.y0 % 1, 3), round(ext.y1 % 1, 3))
        key = (tuple(t.get_text() for t in legend.get_texts()), x1 - x0, bottom - top, frac)
        layer = self.legends.get(key)
        if layer is None:
            layer = self.legends[key] = self._legend_layer(legend, box)
        alpha = layer[..., 3:4].astype(np.float32) / 255
        part = rgb[top:bottom, x0:x1]
        part[...] = (layer[..., :3] * alpha + part * (1 - alpha) + 0.5).astype(np.uint8)

    def _encode(self) -> bytes:
        import numpy as np
        from PIL import Image

        ax, canvas = self.fig.axes[0], self.fig.canvas
        frame = (ax.get_xlim(), ax.get_ylim(), tuple(ax.get_position().bounds))
        legend = ax.get_legend()
        if self.background is None or self.frame != frame:
            canvas.draw()  # everything but the data: axes, grid, ticks, labels, title
            self.background, self.frame = canvas.copy_from_bbox(self.fig.bbox), frame
        else:
            canvas.restore_region(self.background)
        for a in self.drawn:
            if a is not legend:
                ax.draw_artist(a)
        rgb = np.array(canvas.buffer_rgba())[..., :3]
        if legend is not None:
            self._lay_legend_over(rgb, legend)
        buf = io.BytesIO()  # 128 colours, light compression: 4 ms, against 9 ms for a true-colour PNG
        Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(buf, "png", compress_level=1)
        return buf.getvalue()
