"""Kernels and the worker pool of a batch render.

Every region runs in a fresh kernel of its own, started here (not by papermill) so that:

- on POSIX it talks over Unix sockets in a private folder: no TCP port can be taken by a
  concurrent kernel (the "address already in use" race) and ipykernel prints no warning
  about unencrypted TCP;
- it is stopped at once when its notebook is done (outputs are already collected);
- in a pool, it can be booted ahead of time.

Pool workers take regions one at a time from a shared list (largest first). With
*look-ahead*, a worker claims its next region as soon as the current region's kernel
is ready and boots that region's kernel, which runs the notebook's first import
(``prelude``, as ipykernel ``exec_lines``) while the current region executes. Booting
and importing is most of a report's cost; this overlaps it with the other work and keeps
both cores busy at the end of a batch, where otherwise one region would run alone. A
claimed region always runs in the worker that claimed it, so no kernel is booted for
nothing. ``--jobs 1`` renders in the calling process, one kernel at a time.

Stopping: while a batch runs (:func:`stop_on_signals`), SIGINT or SIGTERM kills the
process's kernels at once (each kernel leads its own process group), passes SIGTERM on
to the pool's workers, which do the same with theirs, and raises :class:`Stopped`. The
pool waits up to :data:`STOP_GRACE` seconds for its workers, kills any left (and any
kernel a killed worker left behind), and removes the batch's temporary folder. No report
is written after the signal; a worker also stops when its parent process disappears.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.client import KernelClient
from jupyter_core.utils import run_sync
from traitlets import DottedObjectName

from . import zygote

KERNEL_NAME = "python3"
STOP_GRACE = 3.0  # seconds the pool waits for its workers to stop before killing them
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived while a batch ran; ``code`` is the exit status for it (130, 143)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.code = 128 + signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


_stop: dict[str, int] = {"signum": 0, "owner": 0, "depth": 0}  # first stop signal, receiving process, nesting
_kernels: dict[int, KernelManager] = {}  # this process's live kernels (by id), killed on a stop signal
_workers: set[int] = set()  # pids of the pool's worker processes, signalled on a stop signal


class Client(AsyncKernelClient):
    """A kernel client whose wait for a new kernel ends as soon as the kernel has answered.

    jupyter_client's ``wait_for_ready`` then waits until IOPub has been silent for 0.2 s:
    a fixed 0.2 s per report in which the worker does nothing. Here the wait still
    confirms that IOPub is connected (an IOPub message after the kernel_info reply, so no
    output can be lost) and then drains what is already there. Stray status messages of
    the handshake are harmless: nbclient reads only the messages of the cell it runs.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except queue.Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected
                    except queue.Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.005)
            except queue.Empty:
                break

    wait_for_ready = _async_wait_for_ready


class KernelManager(AsyncKernelManager):
    """A kernel manager that closes the clients it handed out when its kernel stops.

    nbclient leaves open the client of a kernel it did not start; its sockets would
    otherwise linger until garbage collection. Its clients are :class:`Client`.
    """

    client_class = DottedObjectName("plantrack.app.pipeline.Client")

    def client(self, **kwargs: Any) -> KernelClient:
        kc = super().client(**kwargs)
        self.__dict__.setdefault("_plantrack_clients", []).append(kc)
        return kc

    def close_clients(self) -> None:
        for kc in self.__dict__.pop("_plantrack_clients", []):
            kc.stop_channels()


async def boot(cwd: Path, prelude: str = "") -> KernelManager:
    """Launch a kernel in ``cwd``; it finishes booting (and runs ``prelude``) on its own.

    Awaited inside nbclient's event loop, which papermill reuses for the next notebook of
    the same process, so the kernel's sockets belong to the loop that will talk to them.
    """
    check_not_stopping()
    if os.name == "posix":
        # in a pool, under the batch's folder, which the parent removes even if a worker dies;
        # short either way: socket paths are limited to about 100 bytes
        folder = Path(tempfile.mkdtemp(prefix="plantrack-k", dir=_worker.get("base")))
        km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc", connection_file=str(folder / "k.json"))
    else:
        km = KernelManager(kernel_name=KERNEL_NAME)
    if zygote.current(wait=False) is not None:  # this process has a template: fork the kernel from it
        km.kernel_id = str(uuid.uuid4())
        km.provisioner = zygote.ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    extra = [f"--IPKernelApp.exec_lines={line}" for line in prelude.splitlines() if line.strip()]
    _kernels[id(km)] = km  # before it starts: a stop signal during the start kills it too
    try:
        await km.start_kernel(cwd=str(cwd), extra_arguments=extra)
    except BaseException:
        _discard(km)
        raise
    pid = _kernel_pid(km)
    if pid and os.name == "posix":  # lets the pool kill it should this worker be killed first
        with contextlib.suppress(OSError):
            (Path(km.connection_file).parent / "kernel.pid").write_text(str(pid))
    return km


def _kernel_pid(km: KernelManager) -> int | None:
    process = getattr(km.provisioner, "process", None) if km.provisioner is not None else None
    return getattr(process, "pid", None)


def _kill_process_group(pid: int) -> None:
    """SIGKILL ``pid`` and its process group (jupyter_client starts a kernel in a session of its own)."""
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(pid, kill)
    with contextlib.suppress(OSError):
        os.kill(pid, kill)


def _discard(km: KernelManager) -> None:
    """Kill one kernel's process group, reap it and remove its connection folder, without the event loop."""
    pid = _kernel_pid(km)
    if pid:
        _kill_process_group(pid)
        with contextlib.suppress(Exception):
            km.provisioner.process.wait(timeout=1)  # type: ignore[union-attr]  # reap it
    folder = Path(km.connection_file).parent if km.connection_file else None
    if folder is not None and folder.name.startswith("plantrack-k"):
        shutil.rmtree(folder, ignore_errors=True)
    _kernels.pop(id(km), None)


def kill_kernels() -> None:
    """Kill this process's kernels at once and remove their connection folders (safe in a signal handler)."""
    for km in list(_kernels.values()):
        _discard(km)


def stopping() -> bool:
    """Whether this process has received a stop signal."""
    return bool(_stop["signum"]) and _stop["owner"] == os.getpid()


def check_not_stopping() -> None:
    """Raise :class:`Stopped` once a stop signal has arrived (before booting a kernel or writing a report)."""
    if stopping():
        raise Stopped(_stop["signum"])


def _quiet() -> None:
    """After a stop signal: no log lines from papermill or nbclient about the kernels just killed.

    Also no "Exception ignored" report should :class:`Stopped` be raised inside a finalizer, where
    Python drops it (the batch then stops at the next :func:`check_not_stopping`).
    """
    logging.disable(logging.CRITICAL)
    previous = sys.unraisablehook
    if getattr(previous, "__name__", "") != "_drop_stopped":

        def _drop_stopped(unraisable: Any) -> None:
            if not isinstance(unraisable.exc_value, Stopped):
                previous(unraisable)

        sys.unraisablehook = _drop_stopped


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM stop the batch: kernels and workers at once, then :class:`Stopped`.

    Only in the main thread (the only one Python delivers signals to); elsewhere it does nothing.
    """
    if threading.current_thread() is not threading.main_thread() or not STOP_SIGNALS:
        yield
        return
    if not _stop["depth"]:  # the outermost of nested uses (the command line's, then render's) starts afresh
        _stop.update(signum=0, owner=os.getpid())
    _stop["depth"] += 1

    def handler(signum: int, frame: object) -> None:
        if _stop["owner"] != os.getpid():  # a forked child before it set its own handler
            os._exit(128 + signum)
        first = not _stop["signum"]
        _stop["signum"] = _stop["signum"] or signum
        _quiet()
        kill_kernels()
        for pid in list(_workers):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        if first:
            raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        _stop["depth"] -= 1
        if not _stop["depth"] and _stop["signum"]:
            logging.disable(logging.NOTSET)
            _stop["signum"] = 0


def start(cwd: Path) -> KernelManager:
    """:func:`boot` from synchronous code."""
    return run_sync(boot)(cwd)


def stop(km: KernelManager) -> None:
    """Stop a kernel at once, close its clients and remove its connection files."""
    if stopping():  # killed by the stop signal already; running the event loop again would resume the notebook
        kill_kernels()
        return
    try:
        km.close_clients()
        process = getattr(km.provisioner, "process", None)
        if process is not None:  # kill and wait on the process itself: the manager's wait would poll every 0.1 s
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(Exception):
                process.wait(timeout=2)
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    except RuntimeError:  # already gone
        pass
    finally:
        _kernels.pop(id(km), None)
        run_sync(km.cleanup_resources)()
        folder = Path(km.connection_file).parent
        if folder.name.startswith("plantrack-k"):
            shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ the pool

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
    if template is not None:
        zygote.start(template, cwd)  # imports while the worker starts; kernels are then forks of it


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
    _stop.update(signum=0, owner=os.getpid(), depth=0)
    _workers.clear()

    def on_signal(signum: int, frame: object) -> None:
        if _stop["signum"]:
            return
        _stop["signum"] = signum
        _quiet()
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
    worker process dies, the outcomes received are yielded and then
    :class:`WorkerLost` is raised: the caller reports the regions that yielded nothing.
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
            _workers.add(p.pid)  # type: ignore[arg-type]
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
        _workers.clear()
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
                _kill_process_group(pid)
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
