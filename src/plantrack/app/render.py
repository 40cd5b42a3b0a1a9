"""Batch rendering: papermill runs the report notebook per region, nbconvert turns it into HTML.

Regions run in a process pool whose workers boot the next region's kernel ahead (see
:mod:`plantrack.app.pipeline`); a kernel that dies or times out while starting is replaced
and the region retried once. A region that fails leaves no HTML behind (files are written
under a temporary name and renamed only when complete). SIGINT or SIGTERM stops the batch
within seconds: kernels and workers are stopped, no report or index is written after the
signal, and :class:`plantrack.app.pipeline.Stopped` is raised. ``reports/index.html`` links the
reports with each region's counts and most pressing target, computed from the analysis.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from ..analysis.assumptions import check_assumptions
from ..analysis.comparison import report_regions
from ..data.files import write_atomic
from ..data.params import ParameterError, check_lang, check_region, check_target_year, default_plan
from ..data.prepared import Slicer
from ..data.tables import PlanData, load
from ..present.fonts import preload
from ..present.page import page
from ..present.startup import freeze_imported_objects
from ..present.words import words
from . import pipeline, zygote

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
    prepared: str | None = None,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path, dict[str, Any]]:
    """Execute the report notebook for one region and write ``<region>.<lang>.html``; retry once on kernel races.

    ``prepared``: the region's slice of the validated data (see :func:`prepare`), which the
    notebook reads instead of loading ``data_dir``. ``km``: a kernel already booted for this
    region (a pool's look-ahead), else one is started here; it is stopped when the notebook
    is done. ``on_kernel_ready`` is awaited once the kernel answers, before the first cell.
    ``as_of``: the year of the assessment (None: this year). Returns the region, the page and
    its entry on the index page (counts per group and the most pressing target, from the analysis).
    """
    import papermill as pm

    path = report_path(out_dir, f"{region}.{lang}.html")  # before any kernel starts
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
    if prepared:
        params["prepared"] = prepared

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
    params = (data_dir, target_year, times_reading, damping, growth_model, as_of)
    entry = _entry(region, lang, *params, prepared=prepared)
    title = words(lang)("report.title", name=entry["name"])
    pipeline.check_not_stopping()  # a stop signal arrived while the notebook ran: no report after it
    write_atomic(path, notebook_to_html(nb, title, lang))
    return region, path, entry


def report_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name`` resolved, refused (``ValueError``) unless it stays inside ``out_dir``.

    Report names come from data (region ids); validation allows only ``[a-z0-9_]`` in ids,
    and this check keeps any other name, or a link pointing away, from writing elsewhere.
    """
    out = Path(out_dir).resolve()
    path = (out / name).resolve()
    if path.parent != out or not path.name.endswith(".html"):
        raise ValueError(f"refusing to write {name!r}: it would be written outside {out} (at {path})")
    return path


def _entry(
    region: str,
    lang: str,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    growth_model: str,
    as_of: int | None,
    prepared: str | None = None,
    data: PlanData | None = None,
) -> dict[str, Any]:
    """The index page's entry for one region, computed from the analysis with the report's parameters.

    From the region's slice (``prepared``) or ``data`` where given: never a load of the whole dataset per region.
    """
    from ..present.report import context, index_entry

    ctx = context(
        region, lang, target_year, times_reading, damping, data_dir, data=data, growth_model=growth_model,
        as_of=as_of, prepared=prepared,
    )  # fmt: skip
    return index_entry(ctx)


def _task(
    args: tuple,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path | None, dict[str, int] | None, str | None]:
    region = args[0]
    try:
        r, path, entry = render_region(*args, km=km, on_kernel_ready=on_kernel_ready)
        return r, path, entry, None
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
    out_dir: str | Path = "reports",
) -> tuple[list[str], dict[str, int]]:
    """Validate everything before any kernel starts; return the regions to render and their target counts."""
    params = (target_year, times_reading, damping, growth_model, as_of)
    chosen, sizes, _ = _checked(regions, lang, params, data_dir, out_dir)
    return chosen, sizes


def _checked(
    regions: list[str] | None, lang: str, params: tuple, data_dir: str | None, out_dir: str | Path
) -> tuple[list[str], dict[str, int], PlanData]:
    """:func:`check_render_params`, also returning the loaded data; ``params``: target year to as-of year."""
    target_year, times_reading, damping, growth_model, as_of = params
    check_lang(lang)
    check_assumptions(times_reading, damping, growth_model, as_of)
    data = load(data_dir)
    chosen = regions or [r for r in data.region_ids() if r in data.lookup.region_plans]
    sizes = {}
    for r in chosen:
        check_region(data, r)
        plan = default_plan(data, r)
        check_target_year(data, r, plan, target_year)
        sizes[r] = len(data.lookup.plan_targets[(r, plan)])
    return chosen, sizes, data


@dataclass
class Batch:
    """What the validation of a batch hands on: the regions to render (largest first) and their slices."""

    chosen: list[str]
    slices: dict[str, str]
    with_targets: list[str]  # every region with targets, in the order of regions.csv


def _prepare_batch(
    regions: list[str] | None, lang: str, params: tuple, data_dir: str | None, out_dir: Path, folder: Path
) -> tuple[str, Any]:
    """Validate, check the parameters and write every region's slice; errors come back as values."""
    from ..data.validation import DataError

    try:
        chosen, sizes, data = _checked(regions, lang, params, data_dir, out_dir)
        chosen = sorted(chosen, key=lambda r: -sizes[r])  # largest reports first: the pool ends more evenly
        with_targets = [r for r in data.region_ids() if r in data.lookup.region_plans]
        return "ok", Batch(chosen, prepare(data, chosen, folder), with_targets)
    except DataError as err:
        return "data", err.problems
    except (ParameterError, FileNotFoundError, ValueError) as err:
        return type(err).__name__, str(err)


def _send_batch(send: Any, *args: Any) -> None:
    send.send(_prepare_batch(*args))
    send.close()


def _validated(
    regions: list[str] | None, lang: str, params: tuple, data_dir: str | None, out_dir: Path, folder: Path
) -> Batch:
    """:func:`_prepare_batch` in a forked process where possible, so that this one never holds the whole dataset.

    Its memory goes back to the system when it ends: the pool's workers, forked from this
    process, do not carry it, and the batch's memory does not grow with the dataset. A stop
    signal while it runs kills it.
    """
    from ..data.validation import DataError

    args = (regions, lang, params, data_dir, out_dir, folder)
    if sys.platform == "linux":
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_send_batch, args=(send, *args), daemon=True)
        child.start()
        send.close()
        try:
            kind, value = receive.recv()
            child.join(5)
        except EOFError:
            child.join()
            raise RuntimeError(f"the process validating the data stopped (exit status {child.exitcode})") from None
        finally:  # a stop signal (or anything else) while it runs: it is not waited for
            if child.is_alive():
                child.kill()
            child.join()
            receive.close()
    else:
        kind, value = _prepare_batch(*args)
    if kind == "ok":
        return value
    if kind == "data":
        raise DataError(value)
    raise {"ParameterError": ParameterError, "FileNotFoundError": FileNotFoundError}.get(kind, ValueError)(value)


def prepare(data: PlanData, regions: list[str], folder: Path) -> dict[str, str]:
    """Write each region's slice of ``data`` (what its report reads) into ``folder``; return region -> path.

    The batch validates the dataset once; each kernel then reads a few hundred rows instead
    of the whole dataset, so a report costs the same in a dataset of 5 regions or 300.
    """
    slicer = Slicer(data)
    return {r: str(slicer.write(*report_regions(data, r), folder)) for r in regions}


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

    The data is validated once, here, and each region's kernel reads only its slice of it
    (:func:`prepare`). Kernels are forks of a template process that has done their imports
    (:mod:`plantrack.app.zygote`, on Linux). With more than one job, each pool worker boots
    its next region's kernel while the current one runs (``lookahead``; see
    :mod:`plantrack.app.pipeline`). One job renders one region after another in this
    process, with one kernel at a time. ``as_of``: the year of the assessment (None: this
    year); the same data and ``as_of`` give byte-identical pages.
    """
    template = PRELUDE if notebook == REPORT_NOTEBOOK else ""
    serial = (jobs or os.cpu_count() or 1) == 1 or (regions is not None and len(regions) == 1)
    if serial:
        zygote.start(template, notebook.parent)  # the kernels' imports run beside the validation
    params = (target_year, times_reading, damping, growth_model, as_of)
    out = Path(out_dir).resolve()
    data_abs = str(Path(data_dir).resolve()) if data_dir else None
    # SIGINT/SIGTERM: kernels and workers stop at once, nothing is written after (pipeline.stop_on_signals)
    with pipeline.stop_on_signals(), tempfile.TemporaryDirectory(prefix="plantrack-p") as folder:
        try:
            batch = _validated(regions, lang, params, data_dir, Path(out_dir), Path(folder))
            if serial:  # no fork follows: the font can be read while the kernels run (a cold start's last wait)
                threading.Thread(target=preload, daemon=True).start()
            tasks = [
                (r, lang, out, data_abs, target_year, times_reading, damping, notebook, growth_model, as_of, path)
                for r, path in ((r, batch.slices[r]) for r in batch.chosen)
            ]
            jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
            result, entries = _run(tasks, jobs, notebook, lookahead, template, progress)
        finally:
            zygote.stop()
        pipeline.check_not_stopping()
        if result.tallies:
            result.index = write_index(out, lang, data_abs, *params, entries=entries, regions=batch.with_targets)
    return result


def _run(
    tasks: list[tuple], jobs: int, notebook: Path, lookahead: bool, template: str, progress: bool
) -> tuple[RenderResult, dict[str, dict[str, Any]]]:
    """Render every task, in this process (one job) or in a pool; collect what each gave and its index entry."""
    result, entries = RenderResult(), {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), desc="rendering", unit="report")
    with pipeline.stop_on_signals():
        if jobs == 1:
            outcomes: Iterator[tuple] = (_task(t) for t in tasks)
        else:
            # import the client side once here: forked workers inherit it instead of importing it each
            import papermill  # noqa: F401

            _exporter()
            prelude = (PRELUDE if notebook == REPORT_NOTEBOOK else "") if lookahead else None
            zygote.stop()  # each worker has a template of its own
            outcomes = pipeline.run_pool(
                tasks, jobs, _task, notebook.parent, prelude, template if zygote.supported() else None
            )
        try:
            for region, path, entry, error in outcomes:
                if error:
                    result.failed[region] = error
                else:
                    result.written.append(path)  # type: ignore[arg-type]
                    result.tallies[region] = entry["tally"]
                    entries[region] = entry
                if bar:
                    bar.update(1)
        except pipeline.WorkerLost as lost:
            for task in tasks:
                if task[0] not in result.tallies and task[0] not in result.failed:
                    result.failed[task[0]] = f"the worker process rendering it stopped: {lost}"
        finally:
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()  # stopped early: the pool stops its workers and removes its folder now, not at exit
            if bar:
                bar.close()
        pipeline.check_not_stopping()
    return result, entries


def write_index(
    out: Path,
    lang: str,
    data_dir: str | None,
    target_year: int | None = None,
    times_reading: str = "increase",
    damping: float = 0.5,
    growth_model: str = "observed",
    as_of: int | None = None,
    entries: dict[str, dict[str, Any]] | None = None,
    regions: list[str] | None = None,
) -> Path:
    """``index.html``: one row per report of the folder, with its as-of year, counts and most pressing target.

    Every row is computed from the analysis with the batch's parameters (nothing is read back
    from the pages). ``entries``: rows the batch computed already; the others (reports of the
    folder from earlier runs) are computed here, from one load of the data. ``regions``: those
    with targets in the order of ``regions.csv`` (the data tells them where not given).
    """
    from ..present.htmltable import html, table
    from ..present.report import index_head, index_row

    entries = dict(entries or {})
    w = words(lang)
    existing = {p.name.split(".")[0]: p.name for p in out.glob(f"*.{lang}.html")}
    data = None if regions is not None else load(data_dir)
    if data is not None:
        regions = [r for r in data.region_ids() if r in data.lookup.region_plans]
    order = [r for r in regions or [] if r in existing]
    params = (data_dir, target_year, times_reading, damping, growth_model, as_of)
    for r in order:
        if r not in entries:
            data = data or load(data_dir)
            entries[r] = _entry(r, lang, *params, data=data)
    body_rows = [index_row(entries[r], existing[r], lang) for r in order]
    title = w("summary.index_title")
    body = html("<header><h1>{}</h1></header>{}", title, table(index_head(lang), body_rows, cls="index"))
    path = report_path(out, "index.html" if lang == "zh" else f"index.{lang}.html")
    write_atomic(path, page(str(body), title, lang))
    return path
