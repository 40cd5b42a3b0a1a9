"""The kernels of a batch render, started here (not by papermill).

Every region runs in a fresh kernel of its own, so that:

- on POSIX it talks over Unix sockets in a private folder: no TCP port can be taken by a
  concurrent kernel (the "address already in use" race) and ipykernel prints no warning
  about unencrypted TCP;
- it is stopped at once when its notebook is done (outputs are already collected);
- in a pool, it can be booted ahead of time (:mod:`plantrack.app.pipeline`);
- where the process has a kernel template (:mod:`plantrack.app.zygote`), it is forked from it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.client import KernelClient
from jupyter_core.utils import run_sync
from traitlets import DottedObjectName

from . import zygote
from .stopping import check_not_stopping, discard_kernel, kernel_pid, kill_kernels, live_kernels, stopping

KERNEL_NAME = "python3"
#: no input history: a report's kernel has no use for it, and IPython's shared history database
#: (~/.ipython/profile_default/history.sqlite) is opened, written and locked by every kernel that starts,
#: which concurrent kernels (other batches, JupyterLab) make fail with "database is locked"
KERNEL_OPTIONS = ["--HistoryManager.enabled=False"]
_folder: dict[str, str | None] = {"base": None}  # where a pool worker's kernels keep their connection files


def use_folder(base: str | None) -> None:
    """Keep this process's kernel folders under ``base`` (a pool's folder, removed even if a worker dies)."""
    _folder["base"] = base


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

    client_class = DottedObjectName("plantrack.app.kernels.Client")

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
        folder = Path(tempfile.mkdtemp(prefix="plantrack-k", dir=_folder["base"]))
        km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc", connection_file=str(folder / "k.json"))
    else:
        km = KernelManager(kernel_name=KERNEL_NAME)
    if zygote.current(wait=False) is not None:  # this process has a template: fork the kernel from it
        km.kernel_id = str(uuid.uuid4())
        km.provisioner = zygote.ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    extra = [f"--IPKernelApp.exec_lines={line}" for line in prelude.splitlines() if line.strip()]
    extra += KERNEL_OPTIONS
    live_kernels[id(km)] = km  # before it starts: a stop signal during the start kills it too
    try:
        await km.start_kernel(cwd=str(cwd), extra_arguments=extra)
    except BaseException:
        discard_kernel(km)
        raise
    pid = kernel_pid(km)
    if pid and os.name == "posix":  # lets the pool kill it should this worker be killed first
        with contextlib.suppress(OSError):
            (Path(km.connection_file).parent / "kernel.pid").write_text(str(pid))
    return km


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
        live_kernels.pop(id(km), None)
        run_sync(km.cleanup_resources)()
        folder = Path(km.connection_file).parent
        if folder.name.startswith("plantrack-k"):
            shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ the pool
