"""The batch pipeline: every region once, look-ahead kernels used and stopped, races retried, lost workers reported."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from plantrack.app import pipeline
from plantrack.app import render as render_module
from plantrack.app.render import render, render_region
from plantrack.present.context import ReportParameters


def _kernel_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("plantrack-[kb]*")}


def _our_kernels_running() -> list[str]:
    """Kernel processes started by this plantrack (their connection file lies in a plantrack-k folder).

    Only kernels of this environment's Python count: other checkouts may be rendering on the same machine.
    """
    import sys

    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "ipykernel" in text and "plantrack-k" in text and sys.prefix in text:
            found.append(text)
    return found


@pytest.fixture
def fake_kernels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Look-ahead boots that record their call instead of starting a process."""
    booted: list[str] = []

    async def boot(cwd: Path, prelude: str = "") -> str:
        booted.append(prelude)
        return f"kernel-{len(booted)}"

    monkeypatch.setattr(pipeline, "boot", boot)
    return booted


def _drain_in_process(tasks: list[tuple], prelude: str | None) -> list[tuple]:
    """Run a worker's loop here, with a recording ``run_one`` that awaits the look-ahead hook."""
    ran: list[tuple] = []

    def run_one(task: tuple, km: object, hook: Callable[[], Awaitable[None]] | None) -> tuple:
        if hook is not None:
            asyncio.run(hook())  # what nbclient does once the kernel answers
        ran.append((task[0], km))
        return task

    results: list[tuple] = []

    class Sink:
        put = staticmethod(results.append)

    pipeline._init_worker(tasks, multiprocessing.Value("i", 0), Sink(), prelude, Path("."))
    pipeline._drain(run_one)
    assert results == tasks
    return ran


def test_worker_runs_each_region_once_with_the_kernel_booted_ahead(fake_kernels: list[str]) -> None:
    ran = _drain_in_process([("a",), ("b",), ("c",)], prelude="import plantrack.present.report")
    assert ran == [("a", None), ("b", "kernel-1"), ("c", "kernel-2")]
    assert fake_kernels == ["import plantrack.present.report"] * 2, "one kernel per later region, none for nothing"


def test_without_look_ahead_nothing_is_booted_early(fake_kernels: list[str]) -> None:
    ran = _drain_in_process([("a",), ("b",)], prelude=None)
    assert ran == [("a", None), ("b", None)] and fake_kernels == []


@pytest.fixture
def private_tempdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temporary folders of this test only (forked workers inherit it): other checkouts may render meanwhile.

    Short, under the system's temporary folder: kernel socket paths must stay under about 100 bytes.
    """
    folder = Path(tempfile.mkdtemp(prefix="pt"))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_pool_output_equals_serial_and_leaves_no_kernel(tmp_path: Path, private_tempdir: Path) -> None:
    before = _kernel_folders()
    regions = ["suzhou", "tongzhou", "china"]
    serial = render(regions, out_dir=tmp_path / "serial", jobs=1, progress=False)
    pooled = render(regions, out_dir=tmp_path / "pool", jobs=2, progress=False)
    assert not serial.failed and not pooled.failed
    assert sorted(p.name for p in pooled.written) == sorted(p.name for p in serial.written)
    for path in serial.written:
        assert (tmp_path / "pool" / path.name).read_bytes() == path.read_bytes(), path.name
    assert pooled.tallies == serial.tallies
    assert before == set() and _kernel_folders() == set(), "connection folders left behind"
    assert not _our_kernels_running()


def test_a_kernel_that_dies_while_starting_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_start, started = pipeline.start, []

    def start_then_kill_the_first(cwd: Path) -> pipeline.KernelManager:
        km = real_start(cwd)
        started.append(km)
        if len(started) == 1:
            os.kill(km.provisioner.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
        return km

    monkeypatch.setattr(pipeline, "start", start_then_kill_the_first)
    _, path, _ = render_region("china", ReportParameters(), tmp_path)
    assert len(started) == 2 and path.is_file()


def _exit_on_tongzhou(*args: object, **kwargs: object) -> object:
    if args[0] == "tongzhou":
        os._exit(3)  # a worker process dies (out of memory, say)
    return _real_render_region(*args, **kwargs)


_real_render_region = render_module.render_region


def test_a_lost_worker_is_reported_for_its_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "render_region", _exit_on_tongzhou)  # forked workers inherit it
    result = render(["china", "tongzhou"], out_dir=tmp_path, jobs=2, progress=False)
    assert "tongzhou" in result.failed and "worker process" in result.failed["tongzhou"]
    assert not (tmp_path / "tongzhou.zh.html").exists()
    assert set(result.failed) | set(result.tallies) == {"china", "tongzhou"}


def test_kernels_keep_no_input_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No kernel of a render opens IPython's shared history database (concurrent kernels lock it)."""
    ipython = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    _, path, _ = render_region("china", ReportParameters(), tmp_path)
    assert path.is_file()
    assert ipython.is_dir(), "the kernel did not run with this IPYTHONDIR"
    assert not list(ipython.rglob("history*.sqlite"))
