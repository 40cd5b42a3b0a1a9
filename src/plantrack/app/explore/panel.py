"""The projection panel: controls for one target (region, indicator, growth model, target year,
reading of 增长N倍) and what they give, redrawn on any change without re-running a cell.

The panel keeps its results as plain attributes (``row``, ``series``, ``table``, ``png``), so
tests set control values and check the state without a browser. What does not depend on the
growth model, damping or target year (history points, the comparison across levels) is kept
per region, indicator and reading of 增长N倍. While a slider is dragged, changes that arrive
during a redraw are coalesced into one redraw of the latest value, so no queue of stale
redraws forms.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import ipywidgets as W
import pandas as pd

from ...analysis.comparison import compare
from ...analysis.plans import plan_span
from ...analysis.projection import Assumptions, project_region
from ...analysis.series import points
from ...data.params import ParameterError, default_plan, target_year_floor
from ...data.tables import PlanData, load
from ...present.charts import path_series
from ...present.startup import freeze_imported_objects
from ...present.words import check_lang, words
from . import views
from .chart import LiveChart
from .options import LAST_YEAR, MODELS, READINGS, SLIDE_DELAY, STYLE, layout, offers


class ProjectionPanel:
    """Controls for one target and what they give: ``row`` (projection), ``series`` (chart data), ``table``.

    ``lang``: the language of the controls, the texts and the chart (a catalogue's).
    """

    def __init__(
        self,
        data: PlanData | None = None,
        region: str = "suzhou",
        indicator: str = "hv_invention_patents_per_10k",
        lang: str = "zh",
    ) -> None:
        self.lang = check_lang(lang)
        w = words(lang)
        self._data = data if data is not None else load()
        freeze_imported_objects()  # the collector no longer rescans what the imports made (pauses of 0.1-0.2 s)
        self._cache: dict[tuple, Any] = {}  # what does not depend on the growth model, damping or target year
        self._chart = LiveChart(lang)
        self._pending: asyncio.TimerHandle | None = None  # a coalesced redraw while a slider moves
        self.row: dict[str, Any] = {}
        self.series: dict[str, Any] = {}
        self.table = pd.DataFrame()
        self.png = b""
        self._quiet = False
        with_targets = set(self.data.targets["region_id"])
        regions = [(self.data.region_name(r, lang), r) for r in self.data.region_ids() if r in with_targets]
        self.region = W.Dropdown(
            options=regions, value=region, description=w("explore.region"), style=STYLE, layout=layout()
        )
        self.indicator = W.Dropdown(description=w("explore.indicator"), style=STYLE, layout=layout())
        self.model = W.Dropdown(
            options=offers(MODELS, "model", lang), value="observed", description=w("explore.model"), style=STYLE,
            layout=layout(),
        )  # fmt: skip
        self.custom_growth = W.FloatSlider(
            value=0.10, min=-0.20, max=0.60, step=0.005, readout_format=".1%", description=w("explore.custom_growth"),
            disabled=True, continuous_update=True, style=STYLE, layout=layout(),
        )  # fmt: skip
        self.damping = W.FloatSlider(
            value=0.5, min=0.0, max=1.0, step=0.05, description=w("explore.damping"), continuous_update=True,
            style=STYLE, layout=layout(),
        )  # fmt: skip
        self.target_year = W.IntSlider(
            description=w("explore.target_year"), continuous_update=True, style=STYLE, layout=layout()
        )
        self.times_reading = W.Dropdown(
            options=offers(READINGS, "reading", lang), value="increase", description=w("explore.times_reading"),
            style=STYLE, layout=layout(),
        )  # fmt: skip
        self.verdict = W.HTML()
        self.chart = W.Image(format="png", layout=W.Layout(max_width="760px"))
        self.comparison = W.HTML()
        self.method = W.HTML()
        hooks = {"region": self.region, "indicator": self.indicator, "model": self.model, "verdict": self.verdict}
        for hook, w in {**hooks, "custom-growth": self.custom_growth}.items():
            w.add_class(f"plantrack-{hook}")  # stable hooks for the browser test (tests/browser/test_browser.py)
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
        """Indicator options of the selected region's latest plan, by the name the plan uses (in English, the
        catalogue's)."""
        rows = self.data.lookup.plan_targets[(self.region.value, self.plan)]
        w = words(self.lang)
        options = [(w.name(self._named(r), as_written=True), str(r["indicator_id"])) for r in rows]
        ids = [v for _, v in options]
        self._quiet = True
        try:
            self.indicator.options = options
            self.indicator.value = keep if keep in ids else ids[0]
            self._reset_year()
        finally:
            self._quiet = False

    def _named(self, row: dict[str, Any]) -> dict[str, Any]:
        """A target row with its indicator's English name (targets.csv holds the plan's wording only)."""
        return {**row, "name_en": self.data.indicator(str(row["indicator_id"]))["name_en"]}

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
            self.verdict.value = str(views.error_html(str(err)))
            return
        self.row = proj.iloc[0].to_dict()
        key = (region, indicator, a.times_reading, a.as_of)  # what history and comparison depend on
        pts = self._kept(("points", *key), lambda: points(self.data, region, indicator, a.times_reading, a.as_of))
        self.series = path_series(pts, self.row)
        self.png = self._chart.png(key, pts, self.row, plan_span(self.data, self.plan))
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
        return views.summary(self.data, self.region.value, self.model.value, self.row, self.lang)

    def verdict_html(self) -> str:
        """The verdict with its label, R, the growth assumed and needed, and the reason."""
        return str(views.verdict_html(self.row, self.lang))

    def comparison_html(self) -> str:
        """This indicator's targets across levels (national, province, city, district)."""
        return str(views.comparison_html(self.table, self.region.value, self.data, self.lang))

    def method_html(self) -> str:
        """Which points, which growth model and which assumptions the projection used."""
        return str(views.method_html(self.data, self.assumptions(), self.row, self.lang))

    def fallback_html(self) -> str:
        """The current view as static HTML (chart, verdict, comparison) with a note on the controls."""
        return str(
            views.fallback_html(
                self.summary(),
                views.verdict_html(self.row, self.lang),
                self.png,
                words(self.lang).name(self.row, as_written=True) if self.row else "",
                views.comparison_html(self.table, self.region.value, self.data, self.lang),
                views.method_html(self.data, self.assumptions(), self.row, self.lang),
                self.lang,
            )
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
