"""The worker pool of a batch render (its kernels: :mod:`plantrack.app.kernels`).

Pool workers take regions one at a time from a shared list (largest first). With
*look-ahead*, a worker claims its next region as soon as the current region's kernel
is ready and boots that region's kernel, which runs the notebook's first import
(``prelude``, as ipykernel ``exec_lines``) while the current region executes. Booting
and importing is most of a report's cost; this overlaps it with the other work and keeps
both cores busy at the end of a batch, where otherwise one region would run alone. A
claimed region always runs in the worker that claimed it, so no kernel is booted for
nothing. ``--jobs 1`` renders in the calling process, one kernel at a time.

Stopping (:mod:`plantrack.app.stopping`): a stop signal kills the process's kernels, passes
SIGTERM on to the pool's workers, which do the same with theirs, and raises :class:`Stopped`.
The pool waits up to :data:`STOP_GRACE` seconds for its workers, kills any left (and any
kernel a killed worker left behind), and removes the batch's temporary folder. No report
is written after the signal; a worker also stops when its parent process disappears.

The kernel and stop functions are importable from here too (``pipeline.start``, ``pipeline.Stopped``…).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from . import kernels, zygote
from .kernels import KERNEL_NAME, Client, KernelManager, boot, start, stop
from .stopping import (
    STOP_SIGNALS,
    Stopped,
    check_not_stopping,
    kill_kernels,
    kill_process_group,
    quiet_after_stop,
    stop_on_signals,
    stop_state,
    stopping,
    worker_pids,
)

__all__ = [
    "KERNEL_NAME",
    "STOP_GRACE",
    "Client",
    "KernelManager",
    "Stopped",
    "WorkerLost",
    "boot",
    "check_not_stopping",
    "kill_kernels",
    "run_pool",
    "start",
    "stop",
    "stop_on_signals",
    "stopping",
]

STOP_GRACE = 3.0  # seconds the pool waits for its workers to stop before killing them

#: what a worker runs per region: (task, kernel or None, hook to await once that kernel is ready) -> outcome
RunOne = Callable[[tuple, KernelManager | None, Callable[[], Awaitable[None]] | None], Any]

_worker: dict[str, Any] = {}  # a pool worker's shared state, set by _init_worker


def _init_worker(
    tasks: list[tuple],
    claimed: Any,
    results: Any,
    prelude: str | None,
    cwd: Path,
    base: str | None = None,
    template: str | None = None,
) -> None:
    _worker.update(tasks=tasks, claimed=claimed, results=results, prelude=prelude, cwd=cwd, base=base)
    kernels.use_folder(base)
    if template is not None:
        zygote.start(template, cwd)  # imports while the worker starts; its kernels are then forks of it


def _claim() -> tuple | None:
    """The next region no worker has taken yet (None when all are taken)."""
    claimed = _worker["claimed"]
    with claimed.get_lock():
        i = claimed.value
        if i >= len(_worker["tasks"]):
            return None
        claimed.value = i + 1
    return _worker["tasks"][i]


DEPTH = 1  # regions a worker claims ahead of the one it runs (2 measured no faster on 2 cores: 3.88 vs 3.90 s)


class _LookAhead:
    """Awaited once the current region's kernel is ready: claim the next regions and boot their kernels."""

    def __init__(self) -> None:
        self.queue: list[tuple[tuple, KernelManager | None]] = []

    async def __call__(self) -> None:
        while len(self.queue) < DEPTH and (task := _claim()) is not None:
            km = None
            with contextlib.suppress(Exception):  # an optimisation: failing that, the region starts its own kernel
                km = await boot(_worker["cwd"], _worker["prelude"])
            self.queue.append((task, km))


def _drain(run_one: RunOne) -> None:
    """A worker's life: run regions until none is left, booting the next ones' kernels ahead."""
    ahead = _LookAhead()
    task, km = _claim(), None
    try:
        while task is not None:
            _worker["results"].put(run_one(task, km, ahead if _worker["prelude"] is not None else None))
            task, km = ahead.queue.pop(0) if ahead.queue else (_claim(), None)
    finally:
        zygote.stop()


def _worker_main(
    run_one: RunOne,
    tasks: list[tuple],
    claimed: Any,
    results: Any,
    prelude: str | None,
    cwd: Path,
    base: str,
    template: str | None = None,
) -> None:
    """A pool worker process: stop cleanly on SIGINT/SIGTERM or when the parent goes, else run :func:`_drain`."""
    parent = os.getppid()
    stop_state.update(signum=0, owner=os.getpid(), depth=0)
    worker_pids.clear()

    def on_signal(signum: int, frame: object) -> None:
        if stop_state["signum"]:
            return
        stop_state["signum"] = signum
        quiet_after_stop()
        kill_kernels()
        # unwinding removes a report's temporary file; should anything hang, exit regardless
        threading.Thread(target=_exit_after, args=(1.0, 128 + signum), daemon=True).start()
        raise Stopped(signum)

    for s in STOP_SIGNALS:
        signal.signal(s, on_signal)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _init_worker(tasks, claimed, results, prelude, cwd, base, template)
    try:
        _drain(run_one)
    except Stopped as stop:
        kill_kernels()
        os._exit(stop.code)
    except Exception as err:
        results.put(_WorkerFailed(f"{type(err).__name__}: {err}"))
        kill_kernels()
        os._exit(1)


def _exit_after(seconds: float, code: int) -> None:
    time.sleep(seconds)
    kill_kernels()
    os._exit(code)


def _watch_parent(parent: int) -> None:
    """Stop this worker (as SIGTERM would) once the process that started it is gone."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


class _WorkerFailed:
    """Sent by a worker whose loop failed outside any region (a region's own failure is its outcome)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def run_pool(
    tasks: list[tuple], jobs: int, run_one: RunOne, cwd: Path, prelude: str | None, template: str | None = None
) -> Iterator[Any]:
    """Run ``run_one`` over ``tasks`` in ``jobs`` worker processes; yield each outcome as it arrives.

    ``prelude`` None turns look-ahead off (a worker then claims a region only when it is
    free). ``template``: each worker forks its kernels from a template process that has run
    these imports (:mod:`plantrack.app.zygote`; None: kernels start as new programs). If a
    worker process dies, the outcomes received are yielded and then :class:`WorkerLost` is
    raised: the caller reports the regions that yielded nothing.
    When the caller stops early (a stop signal, or closing this generator) the workers are
    stopped: SIGTERM, then SIGKILL after :data:`STOP_GRACE` seconds, their kernels with them.
    """
    ctx = multiprocessing.get_context()
    claimed, results = ctx.Value("i", 0), ctx.Queue()
    base = tempfile.mkdtemp(prefix="plantrack-b")
    args = (run_one, tasks, claimed, results, prelude, cwd, base, template)
    procs = [ctx.Process(target=_worker_main, args=args, daemon=True) for _ in range(jobs)]
    received, failures, complete = 0, [], False
    try:
        for p in procs:
            p.start()
            worker_pids.add(p.pid)  # type: ignore[arg-type]
        while received < len(tasks):
            finished = not any(p.is_alive() for p in procs)
            check_not_stopping()  # should the signal handler's exception have been dropped somewhere
            try:  # once every worker has exited, wait a little for outcomes still in the pipe
                outcome = results.get(timeout=2.0 if finished else 0.2)
            except queue.Empty:
                if finished:
                    break
                continue
            if isinstance(outcome, _WorkerFailed):
                failures.append(outcome.reason)
                continue
            received += 1
            yield outcome
        complete = True
    finally:
        _stop_workers(procs, base, graceful=complete)
        worker_pids.clear()
    if received < len(tasks):
        for p in procs:
            if p.exitcode:
                how = f"was killed by signal {-p.exitcode}" if p.exitcode < 0 else f"exited with status {p.exitcode}"
                failures.append(f"worker process {p.pid} {how}")
        raise WorkerLost("; ".join(failures) or "a worker process stopped")


def _stop_workers(procs: list[Any], base: str, graceful: bool) -> None:
    """Wait for the workers (all regions done) or stop them (interrupted); then no kernel and no folder is left."""
    started = [p for p in procs if p.pid is not None]
    if not graceful:
        for p in started:
            if p.is_alive():
                with contextlib.suppress(OSError):
                    os.kill(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + (STOP_GRACE if not graceful else 60.0)
    for p in started:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in started:
        if p.is_alive():
            p.kill()
            p.join(5)
    for pid_file in Path(base).glob("plantrack-k*/kernel.pid"):  # kernels of a worker that was killed
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text())
            if _is_kernel_of(pid, pid_file.parent):
                kill_process_group(pid)
    shutil.rmtree(base, ignore_errors=True)


def _is_kernel_of(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` is still the kernel whose connection file is in ``folder`` (not a reused pid)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return str(folder) in cmdline.read_bytes().decode(errors="replace")
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


class WorkerLost(RuntimeError):
    """A pool worker process died before reporting every region it had taken."""
