"""Batch rendering: papermill runs the report notebook per region, nbconvert turns it into HTML.

Regions run in a process pool whose workers boot the next region's kernel ahead (see
:mod:`plantrack.app.pipeline`); a kernel that dies or times out while starting is replaced
and the region retried once. A region that fails leaves no HTML behind (files are written
under a temporary name and renamed only when complete). ``reports/index.html`` links the
reports with each region's counts and most pressing target, computed from the analysis.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from ..analysis.assumptions import check_assumptions
from ..data.files import write_atomic
from ..data.params import check_lang, check_region, check_target_year, default_plan
from ..data.tables import load
from ..present.page import page
from ..present.startup import freeze_imported_objects
from ..present.words import words
from . import pipeline

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

NOTEBOOK_DIR = Path(__file__).resolve().parents[3] / "notebooks"
REPORT_NOTEBOOK = NOTEBOOK_DIR / "report.ipynb"
PRELUDE = "import plantrack.present.report"  # report.ipynb's first import; look-ahead kernels run it while they wait
RETRYABLE = re.compile(r"address already in use|zmqerror|kernel didn't respond|timed? ?out|kernel died before", re.I)


@dataclass
class RenderResult:
    """What a batch produced."""

    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    tallies: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    index: Path | None = None


@cache
def _exporter() -> HTMLExporter:
    """One exporter per process: building one compiles its Jinja templates again (about 0.05 s)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    tags = TagRemovePreprocessor(
        remove_cell_tags={"parameters", "injected-parameters", "remove-from-report"}, enabled=True
    )
    exporter.register_preprocessor(tags, enabled=True)
    return exporter


def notebook_to_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    """Export an executed notebook without code, prompts or parameter cells, as a self-contained page."""
    body, _ = _exporter().from_notebook_node(nb)
    body = re.sub(r'\s(?:id|data-cell-id)="[^"]*"', "", body)  # cell ids are not content; keep renders identical
    return page(body, title, lang, words(lang)("report.footer"))


def render_region(
    region: str,
    lang: str,
    out_dir: Path,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    notebook: Path = REPORT_NOTEBOOK,
    growth_model: str = "observed",
    as_of: int | None = None,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path, dict[str, tuple[int, int]]]:
    """Execute the report notebook for one region and write ``<region>.<lang>.html``; retry once on kernel races.

    ``km``: a kernel already booted for this region (a pool's look-ahead), else one is
    started here; it is stopped when the notebook is done. ``on_kernel_ready`` is awaited
    once the kernel answers, before the first cell. ``as_of``: the year of the assessment
    (None: this year). Returns the region, the page and its counts per group (from the analysis).
    """
    import papermill as pm

    _exporter()
    freeze_imported_objects()  # after papermill and nbconvert, the renderer's heavy imports
    params = {
        "region": region,
        "lang": lang,
        "target_year": target_year or 0,
        "times_reading": times_reading,
        "damping": damping,
        "growth_model": growth_model,
        "data_dir": data_dir or "",
        "as_of": as_of or 0,
    }

    async def on_notebook_start(**_: object) -> None:
        if on_kernel_ready is not None:
            await on_kernel_ready()

    try:
        for attempt in (1, 2):
            km = km or pipeline.start(notebook.parent)
            try:
                # no output path: papermill would rewrite the whole notebook file before and after every cell
                nb = pm.execute_notebook(
                    str(notebook),
                    None,
                    parameters=params,
                    kernel_name=pipeline.KERNEL_NAME,
                    progress_bar=False,
                    cwd=str(notebook.parent),
                    start_timeout=120,
                    km=km,
                    on_notebook_start=on_notebook_start,
                )
                break
            except Exception as err:  # papermill wraps kernel errors in several types
                pipeline.stop(km)
                km = None
                if attempt == 2 or not RETRYABLE.search(f"{type(err).__name__}: {err}"):
                    raise
    finally:
        if km is not None:
            pipeline.stop(km)
    entry = _entry(region, lang, data_dir, target_year, times_reading, damping, growth_model, as_of)
    title = words(lang)("report.title", name=entry["name"])
    path = out_dir / f"{region}.{lang}.html"
    write_atomic(path, notebook_to_html(nb, title, lang))
    return region, path, entry["tally"]


def _entry(
    region: str,
    lang: str,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    growth_model: str,
    as_of: int | None,
) -> dict:
    """The index page's entry for one region, computed from the analysis with the report's parameters."""
    from ..present.report import context, index_entry

    ctx = context(region, lang, target_year, times_reading, damping, data_dir, growth_model=growth_model, as_of=as_of)
    return index_entry(ctx)


def _task(
    args: tuple,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path | None, dict[str, int] | None, str | None]:
    region = args[0]
    try:
        r, path, tally = render_region(*args, km=km, on_kernel_ready=on_kernel_ready)
        return r, path, tally, None
    except Exception as err:
        msg = str(err).strip().splitlines()
        detail = next((m for m in reversed(msg) if m.strip()), type(err).__name__)
        return region, None, None, f"{type(err).__name__}: {detail}\n{traceback.format_exc(limit=2)}"


def check_render_params(
    regions: list[str] | None,
    lang: str,
    target_year: int | None,
    times_reading: str,
    damping: float,
    data_dir: str | None,
    growth_model: str = "observed",
    as_of: int | None = None,
) -> tuple[list[str], dict[str, int]]:
    """Validate everything before any kernel starts; return the regions to render and their target counts."""
    check_lang(lang)
    check_assumptions(times_reading, damping, growth_model, as_of)
    data = load(data_dir)
    valid = [r for r in data.region_ids() if r in set(data.targets["region_id"])]
    chosen = regions or valid
    sizes = {}
    for r in chosen:
        check_region(data, r)
        plan = default_plan(data, r)
        check_target_year(data, r, plan, target_year)
        sizes[r] = int(((data.targets["region_id"] == r) & (data.targets["plan"] == plan)).sum())
    return chosen, sizes


def render(
    regions: list[str] | None = None,
    lang: str = "zh",
    jobs: int | None = None,
    out_dir: str | Path = "reports",
    data_dir: str | None = None,
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    progress: bool = True,
    notebook: Path = REPORT_NOTEBOOK,
    growth_model: str = "observed",
    lookahead: bool = True,
    as_of: int | None = None,
) -> RenderResult:
    """Render reports for ``regions`` (default: every region with targets) and the index page.

    With more than one job, each pool worker boots its next region's kernel while the
    current one runs (``lookahead``; see :mod:`plantrack.app.pipeline`). One job renders one
    region after another in this process, with one kernel at a time. ``as_of``: the year of the
    assessment (None: this year); the same data and ``as_of`` give byte-identical pages.
    """
    chosen, sizes = check_render_params(
        regions, lang, target_year, times_reading, damping, data_dir, growth_model, as_of
    )
    chosen = sorted(chosen, key=lambda r: -sizes[r])  # largest reports first: the pool ends more evenly
    out = Path(out_dir).resolve()
    data_abs = str(Path(data_dir).resolve()) if data_dir else None
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(chosen)))
    result = RenderResult()
    tasks = [
        (r, lang, out, data_abs, target_year, times_reading, damping, notebook, growth_model, as_of) for r in chosen
    ]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), desc="rendering", unit="report")
    if jobs == 1:
        outcomes: Iterator[tuple] = (_task(t) for t in tasks)
    else:
        # import the client side once here: forked workers inherit it instead of importing it each
        import papermill  # noqa: F401

        _exporter()
        prelude = (PRELUDE if notebook == REPORT_NOTEBOOK else "") if lookahead else None
        outcomes = pipeline.run_pool(tasks, jobs, _task, notebook.parent, prelude)
    try:
        for region, path, tally, error in outcomes:
            if error:
                result.failed[region] = error
            else:
                result.written.append(path)  # type: ignore[arg-type]
                result.tallies[region] = tally  # type: ignore[assignment]
            if bar:
                bar.update(1)
    except pipeline.WorkerLost as lost:
        for region in chosen:
            if region not in result.tallies and region not in result.failed:
                result.failed[region] = f"the worker process rendering it stopped: {lost}"
    finally:
        if bar:
            bar.close()
    if result.tallies:
        result.index = write_index(out, lang, data_abs, target_year, times_reading, damping, growth_model, as_of)
    return result


def write_index(
    out: Path,
    lang: str,
    data_dir: str | None,
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    growth_model: str = "observed",
    as_of: int | None = None,
) -> Path:
    """``index.html``: one row per report of the folder, with its as-of year, counts and most pressing target.

    Every row is computed from the analysis with the batch's parameters (nothing is read back
    from the pages).
    """
    from ..present.htmltable import html, table
    from ..present.report import index_head, index_row

    data = load(data_dir)
    w = words(lang)
    existing = {p.name.split(".")[0]: p.name for p in out.glob(f"*.{lang}.html")}
    with_targets = set(data.targets["region_id"])
    order = [r for r in data.region_ids() if r in existing and r in with_targets]
    params = (data_dir, target_year, times_reading, damping, growth_model, as_of)
    body_rows = [index_row(_entry(r, lang, *params), existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = out / ("index.html" if lang == "zh" else f"index.{lang}.html")
    write_atomic(path, page(str(body), title, lang))
    return path
