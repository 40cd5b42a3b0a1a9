"""What a report or a chapter is computed from (:class:`ReportContext`); :class:`Fragment`, the HTML a part returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from typing import Any

import pandas as pd

from ..analysis.assumptions import Assumptions
from ..analysis.plans import plan_span
from ..analysis.projection import group_tally, project_region
from ..analysis.review import review_plan
from ..data.params import Scope, scope
from ..data.tables import PlanData, load
from .startup import freeze_imported_objects
from .words import Words, check_lang, words

#: the report's numbered sections in order; ``review`` only where a finished plan has completions
ORDER = ("summary", "targets", "distance", "comparison", "review", "backtest", "method")


class Fragment(str):
    """HTML text that Jupyter displays as HTML.

    Only the HTML and a one-line plain-text label are sent to the notebook: IPython's
    default plain-text output would repeat the whole HTML source as a quoted string.
    """

    def _repr_html_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        from IPython.display import publish_display_data

        publish_display_data({"text/html": str(self), "text/plain": self.label()})

    def label(self) -> str:
        """The section's heading as plain text (what a viewer without HTML shows)."""
        heading = re.search(r"<h[12][^>]*>(.*?)</h[12]>", self, re.S)
        return f"[HTML] {unescape(re.sub(r'<[^>]+>', '', heading.group(1))).strip()}" if heading else "[HTML]"


@dataclass
class ReportContext:
    """Everything one report is computed from."""

    data: PlanData
    region: str
    lang: str
    plan: str
    target_year: int | None
    assumptions: Assumptions
    projection: pd.DataFrame
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def w(self) -> Words:
        """The words of the report's language."""
        return words(self.lang)

    @property
    def as_of(self) -> int:
        """The year of the assessment."""
        return self.assumptions.year

    @property
    def name(self) -> str:
        """Region name in the report language."""
        return self.data.region_name(self.region, self.lang)

    @property
    def span(self) -> tuple[int, int]:
        """First and last year of the plan."""
        return plan_span(self.data, self.plan)

    def plan_name(self, plan: str | None = None) -> str:
        """A plan's name from plans.csv in the report's language."""
        row = self.data.lookup.plans[plan or self.plan]
        return self.w.name(row)

    @property
    def scope(self) -> Scope:
        """The report's region, plan and target year, checked when the context was made."""
        return Scope(self.region, self.plan, self.target_year)

    def whose_plan(self, plan: str | None = None) -> str:
        """``苏州市“十四五”规划`` / ``Suzhou's 14th Five-Year Plan``; the plan's name alone when it names the region."""
        name = self.plan_name(plan)
        if name.startswith(self.name):
            return name
        return self.w("chapter.whose_plan", region=self.name, plan=name)

    def indicator_name(self, indicator: str) -> str:
        """An indicator's catalogue name in the report's language."""
        return self.w.name(self.data.indicator(indicator))

    @cached_property
    def names(self) -> dict[str, str]:
        """Indicator id → name, ``region:<id>`` → region name, in the report's language (series a row borrows)."""
        col = self.w("language.name")
        out = dict(zip(self.data.indicators["indicator_id"], self.data.indicators[col], strict=True))
        out.update({f"region:{r}": self.data.region_name(r, self.lang) for r in self.data.region_ids()})
        return out

    def coverage(self) -> list[tuple[int | None, int]]:
        """What the assessment rests on: how many quantified targets have this region's data up to each year."""
        quantified = self.projection[~self.projection["verdict"].isin(["not_quantifiable", "no_target"])]
        own = quantified["latest_year"].where(quantified["latest_source_id"].notna()).dropna().astype(int)
        counts = own.value_counts()
        out: list[tuple[int | None, int]] = [(int(y), int(counts[y])) for y in sorted(counts.index, reverse=True)]
        missing = len(quantified) - len(own)
        return [*out, (None, missing)] if missing else out

    @property
    def data_year(self) -> int | None:
        """Latest year of this region's own data used in the assessment (None: no data of its own)."""
        years = self.projection["latest_year"].dropna()
        return int(years.max()) if len(years) else None

    @cached_property
    def reviewed_plan(self) -> str | None:
        """The finished plan the report reviews (the latest one with completions), if any."""
        return review_plan(self.data, self.scope, self.as_of)

    def sections(self) -> list[str]:
        """The numbered sections this report has, in order."""
        return [s for s in ORDER if s != "review" or self.reviewed_plan]

    def heading(self, section: str, **values: object) -> str:
        """A section's numbered heading (numbers stay consecutive when a section is left out)."""
        title = self.w(f"section.{section}", **values)
        return self.w.heading(self.sections().index(section) + 1, title)

    def targets_of(self, plan: str | None = None) -> pd.DataFrame:
        """This region's rows of targets.csv for ``plan`` (default: the report's plan)."""
        t = self.data.targets
        return t[(t["region_id"] == self.region) & (t["plan"] == (plan or self.plan))]


@dataclass(frozen=True)
class ReportParameters:
    """A report's parameters, checked once where they enter (the command line, a notebook's parameters cell).

    The language here, the assumptions by :class:`Assumptions` itself; the region and the target
    year need the data and are checked with it (:func:`context_for`, the batch's validation).
    """

    lang: str = "zh"
    target_year: int | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)

    def __post_init__(self) -> None:
        check_lang(self.lang)

    @classmethod
    def of(
        cls,
        lang: str = "zh",
        target_year: int | None = None,
        times_reading: str = "increase",
        damping: float = 0.5,
        growth_model: str = "observed",
        as_of: int | None = None,
    ) -> ReportParameters:
        """The parameters as the command line and the notebooks name them, checked."""
        a = Assumptions(times_reading=times_reading, damping=damping, growth_model=growth_model, as_of=as_of)  # type: ignore[arg-type]
        return cls(lang, target_year, a)

    def notebook(self) -> dict[str, object]:
        """The report notebook's parameters (0 for a year not given, as its parameters cell writes it)."""
        a = self.assumptions
        return {
            "lang": self.lang,
            "target_year": self.target_year or 0,
            "times_reading": a.times_reading,
            "damping": a.damping,
            "growth_model": a.growth_model,
            "as_of": a.as_of or 0,
        }


def context(
    region: str,
    lang: str = "zh",
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    data_dir: str | None = None,
    plan: str | None = None,
    data: PlanData | None = None,
    growth_model: str = "observed",
    as_of: int | None = None,
    prepared: str | None = None,
) -> ReportContext:
    """Load the data, check the parameters and assess every target for one report (``as_of`` None: this year).

    ``prepared``: the region's slice of the data that a batch validated and wrote
    (:mod:`plantrack.data.prepared`), read instead of ``data_dir``.
    """
    params = ReportParameters.of(lang, target_year, times_reading, damping, growth_model, as_of)
    return context_for(region, params, data_dir, plan, data, prepared)


def context_for(
    region: str,
    params: ReportParameters,
    data_dir: str | None = None,
    plan: str | None = None,
    data: PlanData | None = None,
    prepared: str | None = None,
) -> ReportContext:
    """:func:`context` from parameters checked already: only what needs the data (region, plan, target year)."""
    freeze_imported_objects()
    if data is None and prepared:
        from ..data.prepared import read

        data = read(prepared)
    data = data or load(data_dir or None)
    checked = scope(data, region, plan, params.target_year)
    proj = project_region(data, checked, assumptions=params.assumptions)
    return ReportContext(data, region, params.lang, checked.plan, params.target_year, params.assumptions, proj)


def tally_line(ctx: ReportContext) -> str:
    """One line of group counts, for a report and a chapter (checked by nbval so that the summaries do not drift)."""
    counts = ", ".join(
        f"{g} {n}" + (f" ({weak} weak)" if weak else "") for g, (n, weak) in group_tally(ctx.projection).items()
    )
    return f"{ctx.region} {ctx.plan}: {len(ctx.projection)} targets; {counts}"
