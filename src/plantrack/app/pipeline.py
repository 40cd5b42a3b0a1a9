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
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.client import KernelClient
from jupyter_core.utils import run_sync
from traitlets import DottedObjectName

from . import zygote

KERNEL_NAME = "python3"


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
    await km.start_kernel(cwd=str(cwd), extra_arguments=extra)
    return km


def start(cwd: Path) -> KernelManager:
    """:func:`boot` from synchronous code."""
    return run_sync(boot)(cwd)


def stop(km: KernelManager) -> None:
    """Stop a kernel at once, close its clients and remove its connection files."""
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


def run_pool(
    tasks: list[tuple], jobs: int, run_one: RunOne, cwd: Path, prelude: str | None, template: str | None = None
) -> Iterator[Any]:
    """Run ``run_one`` over ``tasks`` in ``jobs`` worker processes; yield each outcome as it arrives.

    ``prelude`` None turns look-ahead off (a worker then claims a region only when it is
    free). ``template``: each worker forks its kernels from a template process that has run
    these imports (:mod:`plantrack.app.zygote`; None: kernels start as new programs). If a
    worker process dies, the outcomes received are yielded and then :class:`WorkerLost` is
    raised: the caller reports the regions that yielded nothing.
    """
    ctx = multiprocessing.get_context()
    claimed, results = ctx.Value("i", 0), ctx.Queue()
    base = tempfile.TemporaryDirectory(prefix="plantrack-b", ignore_cleanup_errors=True)
    initargs = (tasks, claimed, results, prelude, cwd, base.name, template)
    with base, ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=initargs) as pool:
        workers = [pool.submit(_drain, run_one) for _ in range(jobs)]
        received = 0
        while received < len(tasks):
            finished = all(w.done() for w in workers)
            try:  # once every worker has returned, wait a little for outcomes still in the pipe
                outcome = results.get(timeout=2.0 if finished else 0.2)
            except queue.Empty:
                if finished:
                    break
                continue
            received += 1
            yield outcome
    if received < len(tasks):
        reasons = {f"{type(e).__name__}: {e}" for w in workers if (e := w.exception()) is not None}
        raise WorkerLost("; ".join(sorted(reasons)) or "a worker process stopped")


class WorkerLost(RuntimeError):
    """A pool worker process died before reporting every region it had taken."""
