"""Computed once: ``plantrack render`` projects each region once; its index comes from the kernels' outputs;
the run's parameters are checked where they enter and passed on as one typed value.

Kernels run in processes of their own (forks of a template process), so the calls are counted
in a file: a ``sitecustomize`` module on ``PYTHONPATH`` wraps ``compute_region`` (run by
``project_region`` unless it has the answer) in every Python process of the render, and each
computation appends its region, plan and assumptions to the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import plantrack.analysis.assumptions as assumptions_module
import plantrack.data.params as params_module
import plantrack.present.context as context_module
from plantrack import load
from plantrack.analysis.tally import GROUPS
from plantrack.app import render as render_module
from plantrack.data import PlanData
from plantrack.data.params import ParameterError
from plantrack.present.context import ReportParameters, context_for
from tests.fixture import build

COUNT_CALLS = '''
import os

if os.environ.get("PLANTRACK_TEST_PROJECTIONS"):
    import plantrack.analysis.projection as projection

    _compute_region = projection.compute_region

    def _counted(data, region, plan, target_year, a, indicators, fragility):
        whole = indicators is None
        with open(os.environ["PLANTRACK_TEST_PROJECTIONS"], "a", encoding="utf-8") as f:
            f.write(f"{region}|{plan}|{a!r}|{'whole' if whole else 'some'}\\n")
        return _compute_region(data, region, plan, target_year, a, indicators, fragility)

    projection.compute_region = _counted
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
    whole = Counter(line for line in lines if line.endswith("|whole"))
    # the same projection (region, plan, assumptions) is never made twice; a review of a finished plan as of its
    # own year is another projection, made once too
    assert set(whole.values()) == {1}, f"a region's projection was computed more than once: {whole}"
    assert {line.split("|")[0] for line in whole} == set(rendered)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"href='{r}.zh.html'" in index for r in rendered)


def test_parameters_are_checked_where_they_enter() -> None:
    with pytest.raises(ParameterError, match="lang"):
        ReportParameters("xx")
    with pytest.raises(ParameterError, match="damping"):
        ReportParameters.of("en", damping=2)
    params = ReportParameters.of("en", None, "multiple", 0.3, "damped", 2024)
    assert params.notebook() == {
        "lang": "en", "target_year": 0, "times_reading": "multiple", "damping": 0.3, "growth_model": "damped",
        "as_of": 2024,
    }  # fmt: skip


def test_checked_parameters_are_passed_on_not_checked_again(
    data: PlanData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the entry (the command line), the batch and a report's context take the typed value as it is."""
    params = ReportParameters.of("en", as_of=2024)

    a = params.assumptions
    own = (a.times_reading, a.damping, a.growth_model, a.as_of)
    check_assumptions = assumptions_module.check_assumptions

    def counted(*values: object) -> None:  # variants the analysis derives (other readings, models) are new values
        if values == own:
            raise AssertionError("the assumptions were checked again")
        check_assumptions(*values)

    def refused(*_: object) -> None:
        raise AssertionError("the language was checked again")

    monkeypatch.setattr(assumptions_module, "check_assumptions", counted)
    for module in (params_module, context_module, render_module):
        if hasattr(module, "check_lang"):
            monkeypatch.setattr(module, "check_lang", refused)
    ctx = context_for("suzhou", params, data=data)  # checks only what needs the data
    assert (ctx.lang, ctx.assumptions) == ("en", params.assumptions)
    handed: list[ReportParameters] = []

    def fake_region(region: str, given: ReportParameters, out: Path, *_: object, **__: object) -> tuple:
        handed.append(given)
        tally = {g: (0, 0) for g in GROUPS}
        entry = {"name": region, "plan": "", "as_of": 2024, "data_year": None, "tally": tally, "pressing": None}
        return region, out / f"{region}.{given.lang}.html", entry

    monkeypatch.setattr(render_module, "render_region", fake_region)
    result = render_module.render(["suzhou", "wujiang"], params, jobs=1, out_dir=tmp_path, progress=False)
    assert sorted(result.tallies) == ["suzhou", "wujiang"] and handed == [params, params]


def test_a_report_checks_its_region_plan_and_target_year_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's context checks them (one :class:`Scope`); the projection, the review and the comparison
    of the same report take that value and check nothing again (they checked the region three times)."""
    import sys as system

    import plantrack.present.report as report

    data = load(build(tmp_path / "fixture"))
    calls: Counter[tuple[str, str]] = Counter()
    for name in ("check_region", "check_plan", "check_target_year"):
        real = getattr(params_module, name)

        def counted(*args: object, _real=real, _name=name, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
            calls[(_name, str(args[1]))] += 1
            return _real(*args, **kwargs)

        for module in list(system.modules.values()):
            if getattr(module, "__name__", "").startswith("plantrack") and getattr(module, name, None) is real:
                monkeypatch.setattr(module, name, counted)
    ctx = report.context("city", "en", target_year=2025, data=data, as_of=2026)
    assert ctx.reviewed_plan is not None, "the fixture's city has a finished plan to review"
    html = report.full_report(ctx)
    assert "<section" in html
    assert calls == Counter({("check_region", "city"): 1, ("check_target_year", "city"): 1})
