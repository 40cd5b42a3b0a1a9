"""Measure rendering speed and report sizes (a benchmark, not a test).

    .venv/bin/python scripts/benchmark.py [--repeat 3]

1. One region's report against a *floor* notebook that only imports pandas, seaborn and
   matplotlib and draws one chart, both executed with papermill and exported with the
   same nbconvert settings. Target: report ≤ 1.3 × floor.
2. All regions serially (--jobs 1) and in parallel (all cores). Target: speed-up ≥ 1.7 × on 2 cores.
3. Size of each HTML file. Target: ≤ 1.5 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from nbformat.v4 import new_code_cell, new_notebook

from plantrack.render import notebook_to_html, render, render_region

FLOOR_CELLS = [
    ('region = "suzhou"', ["parameters"]),
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
    start = time.perf_counter()
    out = folder / "floor.out.ipynb"
    pm.execute_notebook(
        str(floor_notebook(folder)),
        str(out),
        parameters={"region": "suzhou"},
        kernel_name="python3",
        progress_bar=False,
    )
    (folder / "floor.html").write_text(
        notebook_to_html(nbformat.read(out, as_version=4), "floor", "zh"), encoding="utf-8"
    )
    return time.perf_counter() - start


def time_report(folder: Path) -> float:
    start = time.perf_counter()
    render_region("suzhou", "zh", folder, None, None, "increase", 0.5)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        time_floor(folder)  # warm the disk cache and font cache once
        floors = [time_floor(folder) for _ in range(args.repeat)]
        reports = [time_report(folder) for _ in range(args.repeat)]
        floor, report = statistics.median(floors), statistics.median(reports)
        print(
            f"one region (suzhou): report {report:.2f} s vs floor {floor:.2f} s = {report / floor:.2f} × (target ≤ 1.3)"
        )

        start = time.perf_counter()
        render(out_dir=folder / "serial", jobs=1, progress=False)
        serial = time.perf_counter() - start
        start = time.perf_counter()
        result = render(out_dir=folder / "parallel", jobs=os.cpu_count(), progress=False)
        parallel = time.perf_counter() - start
        print(
            f"all {len(result.written)} regions: serial {serial:.1f} s, "
            f"parallel ({os.cpu_count()} jobs) {parallel:.1f} s, "
            f"speed-up {serial / parallel:.2f} × (target ≥ 1.7)"
        )
        for path in sorted(result.written):
            print(f"  {path.name}: {path.stat().st_size / 1e6:.2f} MB (target ≤ 1.5)")


if __name__ == "__main__":
    main()
