"""Interactive exploration in JupyterLab: one target, what-if assumptions, a newer actual value.

* :class:`ProjectionPanel` (:mod:`.panel`) — region, indicator (Chinese names), growth
  assumption (13th-plan growth, a custom rate, damped, linear), target year and the reading
  of 增长N倍; any change redraws the chart (:mod:`.chart`, one figure kept and redrawn), the
  verdict with R and the indicator's targets across levels (:mod:`.views`), without
  re-running a cell.
* :class:`ActualPanel` (:mod:`.entry_form`) — a newer actual value (year, value, quote,
  source): previewed in the projection at once, saved to ``observations.csv`` only after the
  whole dataset validates.
* :class:`Explorer` — both panels; where no kernel runs (a notebook exported to HTML) it
  shows the default view as static HTML instead of dead controls.

Speed (``scripts/benchmark.py --only explore``): a change of any control updates the outputs
in about 15 ms (assumptions) to 45 ms (region, indicator) in the kernel; see docs/performance.md.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ...data.tables import PlanData
from ...present.htmltable import html
from .chart import LiveChart
from .entry_form import ActualPanel
from .options import LAST_YEAR, MODELS, READINGS, SLIDE_DELAY, note
from .panel import ProjectionPanel

__all__ = [
    "LAST_YEAR",
    "MODELS",
    "READINGS",
    "SLIDE_DELAY",
    "ActualPanel",
    "Explorer",
    "LiveChart",
    "ProjectionPanel",
]


class Explorer:
    """Both panels; displays as widgets in JupyterLab and as the static default view elsewhere.

    ``lang``: the language of every control and text (a catalogue's: ``zh``, ``en``).
    """

    def __init__(
        self,
        data: PlanData | None = None,
        region: str = "suzhou",
        indicator: str = "hv_invention_patents_per_10k",
        lang: str = "zh",
    ) -> None:
        self.projection = ProjectionPanel(data, region, indicator, lang)
        self.actual = ActualPanel(self.projection)
        self.fallback = self.projection.fallback_html()  # the default view, for static exports
        self.box = W.VBox(
            [
                W.HTML(str(html("<p style='color:#555'>{}</p>", note(lang)))),
                self.projection.widget(),
                self.actual.widget(),
            ]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget view plus an HTML fallback that exports show where the widget state is absent."""
        bundle = self.box._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.fallback
        return data
