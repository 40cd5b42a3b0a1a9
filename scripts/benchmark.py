"""Measure rendering speed, memory, report sizes and the explorer (a benchmark, not a test).

    .venv/bin/python scripts/benchmark.py [--repeat 3] [--only one|batch|scale|explore] [--regions N]

1. One region's report against a *floor* notebook that only imports pandas, seaborn and
   matplotlib and draws one chart, both executed with papermill (each in a new kernel) and
   exported with the same nbconvert settings. Target: report ≤ 1.3 × floor. Then the first
   report after installation: ``plantrack render --region suzhou`` in a new process with
   empty caches against the same with warm caches. Target: ≤ 1.5 ×.
2. All regions serially (--jobs 1: one kernel at a time) and in parallel (all cores), plus the
   pool without look-ahead, to show what booting the next kernel ahead adds. Target: speed-up
   ≥ 1.7 × on 2 cores. Then ``plantrack render`` end to end in a new process, as a user runs it
   (--jobs 1 and the default), which adds the imports and the pool's start to both.
3. Size of each HTML file. Target: ≤ 1.5 MB.
4. ``--regions N`` (part ``scale``): N synthetic regions, copies of Suzhou's rows under new ids
   (``synthetic_001``…, each with a name of its own) beside the real ones, in a temporary data
   folder (never in ``data/``; raw texts and sources are reused). The whole batch is rendered on
   all cores, first with empty caches, then warm: wall time per report, reports per minute, and
   the peak memory of the batch (the sum of the resident memory of the process tree: this
   process, its pool workers and their kernels, sampled every 0.1 s). Targets on 2 cores:
   ≤ 0.75 s per report at 65 and 300 regions, memory flat from 65 to 300.
5. The explorer (part ``explore``): in-process time from setting a control's value to the
   outputs updated, for every control, on three regions. Target: ≤ 40 ms median, ≤ 100 ms worst.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from plantrack.app.render import render, render_region
from plantrack.data.synthetic import read_rows, synthetic_data
from plantrack.present.context import ReportParameters
from plantrack.present.report import INDEX_ENTRY_MIME

FLOOR_CELLS = [
    (
        'region = "suzhou"\nlang = "zh"\ntarget_year = 0\ntimes_reading = "increase"\ndamping = 0.5\n'
        'growth_model = "observed"\ndata_dir = ""\nas_of = 0\nprepared = ""',
        ["parameters"],
    ),
    (
        "import pandas as pd\nimport seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "from IPython.display import publish_display_data\n"  # a report's kernel hands the batch its index entry
        f"publish_display_data({{{INDEX_ENTRY_MIME!r}: {{'name': 'floor', 'tally': {{}}, 'pressing': None}}}})",
        [],
    ),
    ("fig, ax = plt.subplots()\nsns.barplot(x=[1, 2, 3], y=[3, 1, 2], ax=ax)\nplt.show()", []),
]


def floor_notebook(folder: Path) -> Path:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(src, metadata={"tags": tags}) for src, tags in FLOOR_CELLS]
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def time_floor(folder: Path) -> float:
    """The floor notebook through the very same path as a report: papermill, then the HTML export.

    The page's index entry (a report's counts, published by its kernel) has no meaning for the
    floor: its notebook publishes a fixed one.
    """
    notebook = floor_notebook(folder)
    start = time.perf_counter()
    render_region("floor", ReportParameters(), folder / "floor", notebook=notebook)
    return time.perf_counter() - start


def time_report(folder: Path, prepared: str | None = None) -> float:
    """Suzhou's report through render_region, as a batch runs it (with its slice of the data, when given)."""
    start = time.perf_counter()
    render_region("suzhou", ReportParameters(), folder, prepared=prepared)
    return time.perf_counter() - start


def suzhou_slice(folder: Path) -> str:
    """Suzhou's slice of the bundled data, as a batch prepares it."""
    from plantrack.app.render import prepare
    from plantrack.data.tables import load

    data = load()
    (folder / "slices").mkdir(exist_ok=True)
    return prepare(data, ["suzhou"], folder / "slices")["suzhou"]


def time_batch(folder: Path, jobs: int, lookahead: bool = True) -> tuple[float, list[Path]]:
    start = time.perf_counter()
    result = render(out_dir=folder, jobs=jobs, progress=False, lookahead=lookahead)
    return time.perf_counter() - start, result.written


def time_command(folder: Path, jobs: int, extra: list[str] | None = None) -> float:
    """``plantrack render`` as a user runs it: a new process, imports and all."""
    cmd = [sys.executable, "-m", "plantrack.app.cli", "render", "--quiet", "--jobs", str(jobs), "--out", str(folder)]
    start = time.perf_counter()
    subprocess.run([*cmd, *(extra or [])], check=True, capture_output=True)
    return time.perf_counter() - start


def runs(times: list[float], fmt: str = "{:.2f}") -> str:
    return ", ".join(fmt.format(t) for t in times)


def spread(times: list[float], fmt: str = "{:.2f}") -> str:
    """``median (min–max)``."""
    return f"{fmt.format(statistics.median(times))} ({fmt.format(min(times))}–{fmt.format(max(times))})"


def fresh_cache(folder: Path, name: str) -> None:
    """Point the caches (validated data, font subsets) at a new, empty folder."""
    os.environ["PLANTRACK_CACHE"] = str(folder / f"cache-{name}")


def bench_one(folder: Path, repeat: int) -> None:
    """One report against the floor, alternated so drift in machine load hits both alike; then cold against warm."""
    fresh_cache(folder, "one")
    cold = time_report(folder)
    sliced = suzhou_slice(folder)
    time_floor(folder)  # warm the disk cache once
    floors, reports = [], []
    for _ in range(repeat):
        floors.append(time_floor(folder))
        reports.append(time_report(folder, sliced))
    floor, report = statistics.median(floors), statistics.median(reports)
    print(
        f"one region (suzhou): report {report:.2f} s vs floor {floor:.2f} s = {report / floor:.2f} × "
        f"(target ≤ 1.3); runs: report {runs(reports)}; floor {runs(floors)}"
    )
    print(f"  the first report, with empty caches and no slice (the kernel validates the data): {cold:.2f} s")
    # the first report after installation, as a user runs it: `plantrack render --region suzhou`, empty caches
    # (validation, the template's imports, the font subsets) against the same with warm caches, alternated
    colds, warms = [], []
    for i in range(repeat):
        fresh_cache(folder, f"one-cold{i}")
        colds.append(time_command(folder / f"cold{i}", 1, ["--region", "suzhou"]))
        warms.append(time_command(folder / f"warm{i}", 1, ["--region", "suzhou"]))
    fresh_cache(folder, "one")
    print(
        f"first report after installation (`plantrack render --region suzhou`, new process): empty caches "
        f"{spread(colds)} s vs warm {spread(warms)} s = {statistics.median(colds) / statistics.median(warms):.2f} × "
        "(target ≤ 1.5)"
    )


def bench_batch(folder: Path, repeat: int, cores: int) -> None:
    """All regions: serial (one kernel at a time), the pool, and the pool without look-ahead, interleaved."""
    fresh_cache(folder, "batch")
    time_batch(folder / "warm", 1)
    serials, parallels, plains = [], [], []
    for i in range(repeat):
        serials.append(time_batch(folder / f"serial{i}", 1)[0])
        took, written = time_batch(folder / f"parallel{i}", cores)
        parallels.append(took)
        plains.append(time_batch(folder / f"plain{i}", cores, lookahead=False)[0])
    serial, parallel, plain = (statistics.median(x) for x in (serials, parallels, plains))
    print(
        f"all {len(written)} regions: serial {serial:.2f} s, parallel ({cores} jobs) {parallel:.2f} s, "
        f"speed-up {serial / parallel:.2f} × (target ≥ 1.7); runs: serial {runs(serials)}; parallel {runs(parallels)}"
    )
    print(
        f"  the same pool without look-ahead (no kernel booted ahead): {plain:.2f} s, "
        f"speed-up {serial / plain:.2f} ×; runs: {runs(plains)}"
    )
    commands: dict[int, list[float]] = {1: [], cores: []}
    for i in range(repeat):
        for jobs in commands:
            commands[jobs].append(time_command(folder / f"command{jobs}-{i}", jobs))
    one, many = statistics.median(commands[1]), statistics.median(commands[cores])
    print(
        f"  `plantrack render` end to end (new process: imports, pool start): --jobs 1 {one:.2f} s, "
        f"default ({cores} jobs) {many:.2f} s = {one / many:.2f} ×; runs: {runs(commands[1])}; {runs(commands[cores])}"
    )
    for path in sorted(written):
        print(f"  {path.name}: {path.stat().st_size / 1e6:.2f} MB (target ≤ 1.5)")


# ------------------------------------------------------------------ synthetic regions

class MemorySampler:
    """Peak of the summed resident memory of this process and all its descendants, sampled in a thread.

    RSS counts a page shared by several processes (a forked kernel's imports, say) once in each;
    PSS (Linux) divides it among them, so its sum is the memory the batch really holds.
    """

    def __init__(self, every: float = 0.1) -> None:
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.peak = self.peak_pss = 0
        self.processes = 0
        self.roles: dict[str, int] = {}  # PSS per kind of process at the moment of the highest total
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        total, pss, count, roles = 0, 0, 0, {}
        for p in [self.me, *self.me.children(recursive=True)]:
            try:
                info = p.memory_full_info()
                role = self._role(p)
            except psutil.Error:  # ended between listing and reading
                continue
            total += info.rss
            pss += getattr(info, "pss", info.rss)
            roles[role] = roles.get(role, 0) + getattr(info, "pss", info.rss)
            count += 1
        if total > self.peak:
            self.peak, self.processes = total, count
        if pss > self.peak_pss:
            self.peak_pss, self.roles = pss, roles

    def _role(self, p: object) -> str:
        """renderer, worker, template or kernel."""
        if p.pid == self.me.pid:  # type: ignore[attr-defined]
            return "renderer"
        line = " ".join(p.cmdline())  # type: ignore[attr-defined]
        if "ipykernel" in line:
            return "kernels"
        if "plantrack.app.zygote" in line:
            parent = " ".join(p.parent().cmdline())  # type: ignore[attr-defined]
            return "kernels" if "plantrack.app.zygote" in parent else "templates"
        return "workers"

    def breakdown(self) -> str:
        """PSS per kind of process at the peak."""
        return ", ".join(f"{k} {v / 2**20:.0f}" for k, v in sorted(self.roles.items()))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of every descendant it has waited for."""
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _scale_data(data: Path, n: int) -> tuple[int, int]:
    """Build the synthetic data folder; return its number of regions with targets and of targets."""
    synthetic_data(data, n)
    rows = read_rows(data / "targets.csv")
    regions = [r[rows[0].index("region_id")] for r in rows[1:]]
    return len(set(regions)), len(regions)


def bench_scale(folder: Path, repeat: int, cores: int, n: int) -> None:
    """A batch over the real regions plus ``n`` synthetic ones: cold once, then ``repeat`` warm runs."""
    data = folder / f"data-{n}"
    # built in a child process: the rows read and written here would stay in this process's heap (the
    # renderer's), and in the workers forked from it, and count in the batch's peak memory
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        total, targets = pool.apply(_scale_data, (data, n))
    print(f"{total} regions ({total - n} real + {n} synthetic copies of suzhou), {targets} targets, {cores} jobs:")
    walls, cpus, peaks, psss, reports = [], [], [], [], 0
    for i in range(repeat + 1):  # run 0: empty caches
        if i == 0:
            fresh_cache(folder, f"scale{n}")
        out = folder / f"scale{n}-{i}"
        with MemorySampler() as mem:
            start, cpu = time.perf_counter(), cpu_seconds()
            result = render(out_dir=out, jobs=cores, progress=False, data_dir=str(data))
            took, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        if result.failed:
            first = next(iter(result.failed.items()))
            raise SystemExit(f"{len(result.failed)} reports failed, e.g. {first[0]}: {first[1]}")
        reports = len(result.written)
        walls.append(took)
        cpus.append(cpu / reports)
        peaks.append(mem.peak / 2**20)
        psss.append(mem.peak_pss / 2**20)
        what = "empty caches" if i == 0 else f"warm {i}"
        print(
            f"  {what}: {took:.1f} s = {took / reports:.3f} s per report, {60 * reports / took:.0f} reports/min, "
            f"CPU {cpu / reports:.2f} s per report; peak memory: RSS {mem.peak / 2**20:.0f} MB "
            f"({mem.processes} processes), PSS {mem.peak_pss / 2**20:.0f} MB ({mem.breakdown()})"
        )
        shutil.rmtree(out)
    warm = walls[1:]
    per = [w / reports for w in warm]
    print(
        f"  warm: {spread(per, '{:.3f}')} s per report (target ≤ 0.75), "
        f"{statistics.median([60 * reports / w for w in warm]):.0f} reports/min "
        f"({statistics.median([60 * reports / w for w in warm]) / cores:.0f} per core), "
        f"CPU {spread(cpus[1:])} s per report; "
        f"peak memory: RSS {spread(peaks, '{:.0f}')} MB, PSS {spread(psss, '{:.0f}')} MB; "
        f"cold batch {walls[0] / statistics.median(warm):.2f} × warm"
    )
    shutil.rmtree(data)


# ------------------------------------------------------------------ explorer

EXPLORE_REGIONS = ("suzhou", "tongzhou", "jiangsu")


def control_changes(panel: object) -> dict[str, list[Callable[[], None]]]:
    """For each control, the value changes a user makes (each a callable setting one value)."""
    p = panel

    def setter(widget: object, value: object) -> Callable[[], None]:
        return lambda: setattr(widget, "value", value)

    indicators = [v for _, v in p.indicator.options][:6]
    regions = [r for r in EXPLORE_REGIONS if r != p.region.value]
    years = list(range(p.target_year.min, p.target_year.max + 1, 3))
    return {
        "model": [setter(p.model, m) for m in ("damped", "linear", "custom", "observed")],
        "custom_growth": [setter(p.model, "custom")]
        + [setter(p.custom_growth, g) for g in (0.02, 0.05, 0.08, 0.12, 0.2)],
        "damping": [setter(p.damping, d) for d in (0.3, 0.4, 0.6, 0.8, 0.5)],
        "target_year": [setter(p.target_year, y) for y in years[:6]],
        "times_reading": [setter(p.times_reading, r) for r in ("multiple", "increase")],
        "indicator": [setter(p.indicator, i) for i in indicators[1:] + indicators[:1]],
        "region": [setter(p.region, r) for r in [*regions, p.region.value]],
    }


def bench_explore(repeat: int) -> None:
    """Every control of the projection panel on three regions: in-process time to the outputs updated."""
    from plantrack.app.explore import ProjectionPanel
    from plantrack.data.tables import load

    data = load()
    by_control: dict[str, list[float]] = {}
    for region in EXPLORE_REGIONS:
        panel = ProjectionPanel(data, region)
        settle = getattr(panel, "settle", lambda: None)  # waits out a debounced redraw, where there is one
        for _ in range(repeat):
            for control, changes in control_changes(panel).items():
                if control == "custom_growth":
                    changes[0]()  # the model menu, not timed here
                    settle()
                    changes = changes[1:]
                for change in changes:
                    start = time.perf_counter()
                    change()
                    settle()
                    by_control.setdefault(control, []).append(1000 * (time.perf_counter() - start))
            panel.model.value = "observed"
            settle()
    every = [t for ts in by_control.values() for t in ts]
    print(f"explorer ({', '.join(EXPLORE_REGIONS)}; {len(every)} changes): in-process ms to outputs updated")
    for control, ts in by_control.items():
        print(f"  {control}: median {statistics.median(ts):.0f} ms, max {max(ts):.0f} ms ({len(ts)} changes)")
    print(
        f"  all controls: median {statistics.median(every):.0f} ms (target ≤ 40), "
        f"max {max(every):.0f} ms (target ≤ 100)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are reported")
    parser.add_argument("--only", choices=["one", "batch", "scale", "explore"], help="run one part only")
    parser.add_argument(
        "--regions", type=int, action="append", metavar="N",
        help="add N synthetic regions and time the whole batch (repeatable: --regions 60 --regions 295)",
    )  # fmt: skip
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; medians of {args.repeat} runs")
    parts = [args.only] if args.only else ["one", "batch", "explore"] + (["scale"] if args.regions else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "one" in parts:
            bench_one(folder, args.repeat)
        if "batch" in parts:
            bench_batch(folder, args.repeat, cores)
        if "explore" in parts:
            bench_explore(args.repeat)
        if "scale" in parts:
            for n in args.regions or [60]:
                bench_scale(folder, args.repeat, cores, n)


if __name__ == "__main__":
    main()
