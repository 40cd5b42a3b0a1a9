"""Stopping a batch: SIGINT or SIGTERM kills the kernels at once and raises :class:`Stopped`.

While a batch runs (:func:`stop_on_signals`), a stop signal kills the process's kernels (each
kernel leads its own process group), passes SIGTERM on to the pool's workers (which do the same
with theirs, :mod:`plantrack.app.pipeline`) and raises :class:`Stopped`. No report is written
after the signal (:func:`check_not_stopping`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .kernels import KernelManager

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived while a batch ran; ``code`` is the exit status for it (130, 143)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.code = 128 + signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


stop_state: dict[str, int] = {"signum": 0, "owner": 0, "depth": 0}  # first stop signal, receiving process, nesting
live_kernels: dict[int, KernelManager] = {}  # this process's live kernels (by id), killed on a stop signal
worker_pids: set[int] = set()  # pids of the pool's worker processes, signalled on a stop signal


def kernel_pid(km: KernelManager) -> int | None:
    process = getattr(km.provisioner, "process", None) if km.provisioner is not None else None
    return getattr(process, "pid", None)


def kill_process_group(pid: int) -> None:
    """SIGKILL ``pid`` and its process group (jupyter_client starts a kernel in a session of its own)."""
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(pid, kill)
    with contextlib.suppress(OSError):
        os.kill(pid, kill)


def discard_kernel(km: KernelManager) -> None:
    """Kill one kernel's process group, reap it and remove its connection folder, without the event loop."""
    pid = kernel_pid(km)
    if pid:
        kill_process_group(pid)
        with contextlib.suppress(Exception):
            km.provisioner.process.wait(timeout=1)  # type: ignore[union-attr]  # reap it
    folder = Path(km.connection_file).parent if km.connection_file else None
    if folder is not None and folder.name.startswith("plantrack-k"):
        shutil.rmtree(folder, ignore_errors=True)
    live_kernels.pop(id(km), None)


def kill_kernels() -> None:
    """Kill this process's kernels at once and remove their connection folders (safe in a signal handler)."""
    for km in list(live_kernels.values()):
        discard_kernel(km)


def stopping() -> bool:
    """Whether this process has received a stop signal."""
    return bool(stop_state["signum"]) and stop_state["owner"] == os.getpid()


def check_not_stopping() -> None:
    """Raise :class:`Stopped` once a stop signal has arrived (before booting a kernel or writing a report)."""
    if stopping():
        raise Stopped(stop_state["signum"])


def quiet_after_stop() -> None:
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
    if not stop_state["depth"]:  # the outermost of nested uses (the command line's, then render's) starts afresh
        stop_state.update(signum=0, owner=os.getpid())
    stop_state["depth"] += 1

    def handler(signum: int, frame: object) -> None:
        if stop_state["owner"] != os.getpid():  # a forked child before it set its own handler
            os._exit(128 + signum)
        first = not stop_state["signum"]
        stop_state["signum"] = stop_state["signum"] or signum
        quiet_after_stop()
        kill_kernels()
        for pid in list(worker_pids):
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
        stop_state["depth"] -= 1
        if not stop_state["depth"] and stop_state["signum"]:
            logging.disable(logging.NOTSET)
            stop_state["signum"] = 0
