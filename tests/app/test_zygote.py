"""Kernels forked from a template: same reports as new kernels, nothing left running, fallbacks work."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from plantrack.app import pipeline, zygote
from plantrack.app.render import PRELUDE, REPORT_NOTEBOOK, render, render_region
from plantrack.present.context import ReportParameters

pytestmark = pytest.mark.skipif(not zygote.supported(), reason="kernels are forked on Linux only")


@pytest.fixture
def mark(monkeypatch: pytest.MonkeyPatch) -> str:
    """A value in the environment of every process this test starts (templates and kernels inherit it)."""
    value = uuid.uuid4().hex
    monkeypatch.setenv("PLANTRACK_TEST_MARK", value)
    return value


def _marked(value: str) -> list[int]:
    """Processes still running with ``value`` in their environment (this test process aside)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"PLANTRACK_TEST_MARK={value}".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return [pid for pid in found if pid != os.getpid()]


def _gone(value: str, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while _marked(value) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _marked(value)


def test_forked_kernels_write_the_same_reports_as_new_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mark: str
) -> None:
    regions = ["wujiang", "tongzhou"]
    forked = render(regions, out_dir=tmp_path / "forked", jobs=1, progress=False)
    monkeypatch.setenv("PLANTRACK_FORK_KERNELS", "0")
    new = render(regions, out_dir=tmp_path / "new", jobs=1, progress=False)
    assert not forked.failed and not new.failed
    for path in new.written:
        assert (tmp_path / "forked" / path.name).read_bytes() == path.read_bytes(), path.name
    assert _gone(mark), "a template or kernel outlived the batch"


def test_kernels_come_from_the_template_and_stop_with_it(tmp_path: Path, mark: str) -> None:
    zygote.start(PRELUDE, REPORT_NOTEBOOK.parent)
    try:
        template = zygote.current()
        assert template is not None
        km = pipeline.start(REPORT_NOTEBOOK.parent)
        assert isinstance(km.provisioner, zygote.ForkProvisioner)
        kernel = km.provisioner.process
        assert isinstance(kernel, zygote.ForkedKernel)
        assert Path(f"/proc/{kernel.pid}/stat").read_text().split()[3] == str(template.process.pid)  # its parent
        assert kernel.poll() is None
    finally:
        zygote.stop()  # without stopping the kernel first: the template takes it along
    assert _gone(mark)
    assert kernel.wait(5) is not None
    pipeline.stop(km)


def test_a_forked_kernel_that_dies_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mark: str) -> None:
    real_start, started = pipeline.start, []

    def start_then_kill_the_first(cwd: Path) -> pipeline.KernelManager:
        km = real_start(cwd)
        started.append(km)
        if len(started) == 1:
            os.kill(km.provisioner.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
        return km

    monkeypatch.setattr(pipeline, "start", start_then_kill_the_first)
    zygote.start(PRELUDE, REPORT_NOTEBOOK.parent)
    try:
        _, path, _ = render_region("china", ReportParameters(), tmp_path)
    finally:
        zygote.stop()
    assert len(started) == 2 and path.is_file()
    assert all(isinstance(km.provisioner, zygote.ForkProvisioner) or km.provisioner is None for km in started)
    assert _gone(mark)


def test_without_a_template_kernels_start_as_programs(tmp_path: Path, mark: str) -> None:
    zygote.start(PRELUDE, REPORT_NOTEBOOK.parent)
    template = zygote.current()
    assert template is not None
    template.process.kill()  # the template dies: the next kernel is started the usual way
    template.process.wait()
    try:
        _, path, _ = render_region("wujiang", ReportParameters(), tmp_path)
    finally:
        zygote.stop()
    assert path.is_file()
    assert _gone(mark)


def test_a_template_whose_owner_dies_takes_its_kernels_along(mark: str) -> None:
    import multiprocessing

    def owner(ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
        zygote.start("", REPORT_NOTEBOOK.parent)
        km = pipeline.start(REPORT_NOTEBOOK.parent)
        assert isinstance(km.provisioner, zygote.ForkProvisioner)
        ready.set()
        time.sleep(60)

    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    child = ctx.Process(target=owner, args=(ready,))
    child.start()
    assert ready.wait(60)
    assert len(_marked(mark)) == 2  # template and kernel (the owner, forked from pytest, has its environment)
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    child.join()
    assert _gone(mark), "the template or its kernel outlived their owner"


def test_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_FORK_KERNELS", "0")
    assert not zygote.supported()
    zygote.start(PRELUDE, REPORT_NOTEBOOK.parent)
    assert zygote.current() is None


def test_pool_workers_fork_their_kernels_and_leave_nothing_running(tmp_path: Path, mark: str) -> None:
    result = render(["china", "wujiang", "tongzhou"], out_dir=tmp_path, jobs=2, progress=False)
    assert not result.failed and len(result.written) == 3
    assert _gone(mark), "a template or kernel outlived the pool"
