"""Batch rendering: every region's report (see :mod:`plantrack.app.region`) and the index page.

The data is validated once per batch, in a forked process, and each region's kernel reads only
its slice. Regions run in a process pool whose workers boot the next region's kernel ahead (see
:mod:`plantrack.app.pipeline`). SIGINT or SIGTERM stops the batch within seconds: kernels and
workers are stopped, no report or index is written after the signal, and
:class:`plantrack.app.stopping.Stopped` is raised. ``reports/index.html`` links the reports with
each region's counts and most pressing target, computed from the analysis (:mod:`plantrack.app.index`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.comparison import report_regions
from ..analysis.hindcast import facts
from ..data.files import unwritable_folder
from ..data.params import ParameterError, check_target_year, default_plan
from ..data.prepared import Slicer
from ..data.tables import PlanData, load
from ..present.context import ReportParameters
from ..present.fonts import preload
from . import pipeline, zygote
from .index import write_index
from .region import PRELUDE, REPORT_NOTEBOOK, html_exporter, notebook_to_html, render_region, report_path

__all__ = [
    "PRELUDE",
    "REPORT_NOTEBOOK",
    "Batch",
    "RenderResult",
    "notebook_to_html",
    "prepare",
    "render",
    "render_region",
    "report_path",
    "write_index",
]


@dataclass
class RenderResult:
    """What a batch produced."""

    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    tallies: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    index: Path | None = None


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


def _checked(
    regions: list[str] | None, params: ReportParameters, data_dir: str | None
) -> tuple[list[str], dict[str, int], PlanData]:
    """The regions to render, their target counts and the loaded data; what needs the data checked against it."""
    data = load(data_dir)
    chosen = regions or [r for r in data.region_ids() if r in data.lookup.region_plans]
    sizes = {}
    for r in chosen:
        plan = default_plan(data, r)  # checks the region
        check_target_year(data, r, plan, params.target_year)
        sizes[r] = len(data.lookup.plan_targets[(r, plan)])
    return chosen, sizes, data


@dataclass
class Batch:
    """What the validation of a batch hands on: the regions to render (largest first) and their slices."""

    chosen: list[str]
    slices: dict[str, str]
    with_targets: list[str]  # every region with targets, in the order of regions.csv


def _prepare_batch(
    regions: list[str] | None, params: ReportParameters, data_dir: str | None, folder: Path
) -> tuple[str, Any]:
    """Validate, check the parameters and write every region's slice; errors come back as values."""
    from ..data.validation import DataError

    try:
        chosen, sizes, data = _checked(regions, params, data_dir)
        chosen = sorted(chosen, key=lambda r: -sizes[r])  # largest reports first: the pool ends more evenly
        with_targets = [r for r in data.region_ids() if r in data.lookup.region_plans]
        return "ok", Batch(chosen, prepare(data, chosen, folder, params.assumptions.as_of), with_targets)
    except DataError as err:
        return "data", err.problems
    except (ParameterError, FileNotFoundError, ValueError) as err:
        return type(err).__name__, str(err)


def _send_batch(send: Any, *args: Any) -> None:
    send.send(_prepare_batch(*args))
    send.close()


def _validated(regions: list[str] | None, params: ReportParameters, data_dir: str | None, folder: Path) -> Batch:
    """:func:`_prepare_batch` in a forked process where possible, so that this one never holds the whole dataset.

    Its memory goes back to the system when it ends: the pool's workers, forked from this
    process, do not carry it, and the batch's memory does not grow with the dataset. A stop
    signal while it runs kills it.
    """
    from ..data.validation import DataError

    args = (regions, params, data_dir, folder)
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


def prepare(data: PlanData, regions: list[str], folder: Path, as_of: int | None = None) -> dict[str, str]:
    """Write each region's slice of ``data`` (what its report reads) into ``folder``; return region -> path.

    The batch validates the dataset once; each kernel then reads a few hundred rows instead
    of the whole dataset, so a report costs the same in a dataset of 5 regions or 300. What every
    report reads of the whole dataset is computed here once and carried by each slice: the hindcast's
    method records as of ``as_of`` (:func:`plantrack.analysis.hindcast.facts`).
    """
    slicer = Slicer(data)
    whole = facts(data, as_of)
    return {r: str(slicer.write(*report_regions(data, r), folder, whole)) for r in regions}


def render(
    regions: list[str] | None = None,
    params: ReportParameters | None = None,
    jobs: int | None = None,
    out_dir: str | Path = "reports",
    data_dir: str | None = None,
    progress: bool = True,
    notebook: Path = REPORT_NOTEBOOK,
    lookahead: bool = True,
) -> RenderResult:
    """Render reports for ``regions`` (default: every region with targets) and the index page.

    The data is validated once, here, and each region's kernel reads only its slice of it
    (:func:`prepare`). Kernels are forks of a template process that has done their imports
    (:mod:`plantrack.app.zygote`, on Linux). With more than one job, each pool worker boots
    its next region's kernel while the current one runs (``lookahead``; see
    :mod:`plantrack.app.pipeline`). One job renders one region after another in this
    process, with one kernel at a time. ``params``: language, target year and assumptions,
    checked where they entered (default: Chinese, this year); the same data and parameters
    give byte-identical pages.
    """
    unwritable = unwritable_folder(Path(out_dir))  # before any work: not after the reports are rendered
    if unwritable:
        raise ParameterError(f"--out {out_dir} {unwritable}")
    params = params or ReportParameters()
    template = PRELUDE if notebook == REPORT_NOTEBOOK else ""
    serial = (jobs or os.cpu_count() or 1) == 1 or (regions is not None and len(regions) == 1)
    if serial:
        zygote.start(template, notebook.parent)  # the kernels' imports run beside the validation
    out = Path(out_dir).resolve()
    data_abs = str(Path(data_dir).resolve()) if data_dir else None
    # SIGINT/SIGTERM: kernels and workers stop at once, nothing is written after (pipeline.stop_on_signals)
    with pipeline.stop_on_signals(), tempfile.TemporaryDirectory(prefix="plantrack-p") as folder:
        try:
            batch = _validated(regions, params, data_dir, Path(folder))
            if serial:  # no fork follows: the font can be read while the kernels run (a cold start's last wait)
                threading.Thread(target=preload, daemon=True).start()
            tasks = [(r, params, out, data_abs, notebook, batch.slices[r]) for r in batch.chosen]
            jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
            result, entries = _run(tasks, jobs, notebook, lookahead, template, progress)
        finally:
            zygote.stop()
        pipeline.check_not_stopping()
        if result.tallies:
            result.index = write_index(out, params, data_abs, entries=entries, regions=batch.with_targets)
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

            html_exporter()
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
