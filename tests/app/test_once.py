"""Computed once: ``plantrack render`` projects each region once; its index comes from the kernels' outputs.

Kernels run in processes of their own (forks of a template process), so the calls are counted
in a file: a ``sitecustomize`` module on ``PYTHONPATH`` wraps ``project_region`` in every Python
process of the render, and each call appends its region to the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from plantrack import load
from tests.fixture import build

COUNT_CALLS = '''
import os

if os.environ.get("PLANTRACK_TEST_PROJECTIONS"):
    import plantrack.analysis.projection as projection

    _project_region = projection.project_region

    def _counted(data, region, *args, **kwargs):
        whole = kwargs.get("indicators", args[3] if len(args) > 3 else None) is None
        with open(os.environ["PLANTRACK_TEST_PROJECTIONS"], "a", encoding="utf-8") as f:
            f.write(f"{region} {'whole' if whole else 'some'}\\n")
        return _project_region(data, region, *args, **kwargs)

    projection.project_region = _counted
'''


@pytest.mark.parametrize("jobs", [1, 2])
def test_render_projects_each_region_once(tmp_path: Path, jobs: int) -> None:
    data_dir = build(tmp_path / "fixture")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNT_CALLS, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PYTHONPATH": str(hook), "PLANTRACK_TEST_PROJECTIONS": str(calls)}
    out = tmp_path / "out"
    plantrack = Path(sys.executable).with_name("plantrack")
    argv = [str(plantrack), "render", "--data", str(data_dir), "--out", str(out), "--quiet", "--jobs", str(jobs)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    data = load(data_dir)
    rendered = [r for r in data.region_ids() if r in data.lookup.region_plans]
    assert sorted(p.name for p in out.glob("*.html")) == sorted([*(f"{r}.zh.html" for r in rendered), "index.html"])
    lines = calls.read_text(encoding="utf-8").splitlines()
    whole = Counter(line.split()[0] for line in lines if line.endswith(" whole"))
    assert whole == dict.fromkeys(rendered, 1), "each region's targets are projected once, by its report's kernel"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"href='{r}.zh.html'" in index for r in rendered)
