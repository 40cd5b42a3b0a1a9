"""Measure rendering speed and report sizes (a benchmark, not a test).

    .venv/bin/python scripts/benchmark.py [--repeat 3] [--only one|batch]

1. One region's report against a *floor* notebook that only imports pandas, seaborn and
   matplotlib and draws one chart, both executed with papermill and exported with the
   same nbconvert settings. Target: report ≤ 1.3 × floor.
2. All regions serially (--jobs 1: one kernel at a time) and in parallel (all cores), plus the
   pool without look-ahead, to show what booting the next kernel ahead adds. Target: speed-up
   ≥ 1.7 × on 2 cores. Then ``plantrack render`` end to end in a new process, as a user runs it
   (--jobs 1 and the default), which adds the imports and the pool's start to both.
3. Size of each HTML file. Target: ≤ 1.5 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from plantrack.app.render import render, render_region

FLOOR_CELLS = [
    (
        'region = "suzhou"\nlang = "zh"\ntarget_year = 0\ntimes_reading = "increase"\ndamping = 0.5\n'
        'growth_model = "observed"\ndata_dir = ""',
        ["parameters"],
    ),
    ("import pandas as pd\nimport seaborn as sns\nimport matplotlib.pyplot as plt", []),
    ("fig, ax = plt.subplots()\nsns.barplot(x=[1, 2, 3], y=[3, 1, 2], ax=ax)\nplt.show()", []),
]


def floor_notebook(folder: Path) -> Path:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(src, metadata={"tags": tags}) for src, tags in FLOOR_CELLS]
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def time_floor(folder: Path) -> float:
    """The floor notebook through the very same path as a report: papermill, then the HTML export."""
    notebook = floor_notebook(folder)
    start = time.perf_counter()
    render_region("floor", "zh", folder / "floor", None, None, "increase", 0.5, notebook=notebook)
    return time.perf_counter() - start


def time_report(folder: Path) -> float:
    start = time.perf_counter()
    render_region("suzhou", "zh", folder, None, None, "increase", 0.5)
    return time.perf_counter() - start


def time_batch(folder: Path, jobs: int, lookahead: bool = True) -> tuple[float, list[Path]]:
    start = time.perf_counter()
    result = render(out_dir=folder, jobs=jobs, progress=False, lookahead=lookahead)
    return time.perf_counter() - start, result.written


def time_command(folder: Path, jobs: int) -> float:
    """``plantrack render`` as a user runs it: a new process, imports and all."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "plantrack.app.cli", "render", "--quiet", "--jobs", str(jobs), "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def bench_one(folder: Path, repeat: int) -> None:
    """One report against the floor, alternated so drift in machine load hits both alike."""
    cold = time_report(folder)
    time_floor(folder)  # warm the disk cache once
    floors, reports = [], []
    for _ in range(repeat):
        floors.append(time_floor(folder))
        reports.append(time_report(folder))
    floor, report = statistics.median(floors), statistics.median(reports)
    print(
        f"one region (suzhou): report {report:.2f} s vs floor {floor:.2f} s = {report / floor:.2f} × "
        f"(target ≤ 1.3); runs: report {runs(reports)}; floor {runs(floors)}"
    )
    print(f"first report with an empty cache (validates the data, subsets the font): {cold:.2f} s")


def bench_batch(folder: Path, repeat: int, cores: int) -> None:
    """All regions: serial (one kernel at a time), the pool, and the pool without look-ahead, interleaved."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are reported")
    parser.add_argument("--only", choices=["one", "batch"], help="run one part only")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; medians of {args.repeat} runs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["PLANTRACK_CACHE"] = str(folder / "cache")  # start cold, whatever the user's cache holds
        if args.only != "batch":
            bench_one(folder, args.repeat)
        if args.only != "one":
            bench_batch(folder, args.repeat, cores)


if __name__ == "__main__":
    main()
