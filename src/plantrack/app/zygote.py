"""Report kernels forked from a template process that has already imported what they need (Linux).

A new kernel costs about 1 s of CPU before it runs a cell, nearly all of it importing
ipykernel, pandas, matplotlib, seaborn and plantrack: the same work for every region, and
most of a report's cost. A *template* (one per batch process: the renderer or a pool
worker) does those imports once and then only forks; each region still gets a kernel
process of its own, fresh from the imports, which jupyter_client talks to and stops as
usual (:class:`ForkProvisioner`). Nothing else is shared: a kernel starts with the
environment, working folder and arguments jupyter_client gives it, in a session of its own.

The template and its kernels never outlive the process that started them: each dies with
its parent (``PR_SET_PDEATHSIG``), and the template kills its kernels and exits when its
owner closes the socket between them (or exits). Where this cannot work (not Linux, no
``pidfd``), or when ``PLANTRACK_FORK_KERNELS=0``, kernels are started as new programs.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

LAUNCHER = ["-m", "ipykernel_launcher"]
#: what a kernel imports while it starts and a report imports on its way (measured): imported once,
#: in the template; none of them starts a thread or opens a socket on import
KERNEL_IMPORTS = """
import ipykernel.kernelapp, ipykernel.ipkernel, ipykernel.debugger
import IPython.core.completerlib, IPython.core.debugger, IPython.core.oinspect, IPython.extensions.storemagic
import sqlite3, psutil, tornado.gen, tornado.locks, tornado.queues, tornado.platform.asyncio
import pandas.core.methods.to_dict, pandas.core.reshape.reshape
import matplotlib.backends.backend_agg, mplfonts, fontTools.ttLib, PIL.Image
PIL.Image.preinit()
"""


def supported() -> bool:
    """True where kernels can be forked from a template (Linux with pidfd), unless turned off."""
    return (
        sys.platform == "linux"
        and hasattr(os, "pidfd_open")
        and hasattr(signal, "pidfd_send_signal")
        and os.environ.get("PLANTRACK_FORK_KERNELS", "1") != "0"
    )


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message).encode()
    sock.sendall(struct.pack("!I", len(data)) + data)


def _receive(sock: socket.socket) -> dict[str, Any] | None:
    """One message, or None when the other end closed the socket."""
    head = _read_exactly(sock, 4)
    if head is None:
        return None
    body = _read_exactly(sock, struct.unpack("!I", head)[0])
    return None if body is None else json.loads(body)


def _read_exactly(sock: socket.socket, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent (pid ``parent``) ends."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


# ------------------------------------------------------------------ the template process


def _serve(sock: socket.socket, prelude: str, owner: int) -> None:
    """The template: import, then fork one kernel per request until the owner closes the socket."""
    _die_with_parent(owner)
    import gc

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as jupyter_client sets it for kernels
    exec(compile(KERNEL_IMPORTS + prelude, "<imports>", "exec"), {})
    gc.collect()
    gc.freeze()  # the imported objects stay untouched in the forked kernels (no copy on write by the collector)
    kernels: set[int] = set()

    def reap(*_: object) -> None:
        with contextlib.suppress(ChildProcessError):
            while (pid := os.waitpid(-1, os.WNOHANG)[0]) > 0:
                kernels.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    _send(sock, {"ready": os.getpid()})
    me = os.getpid()
    try:
        while (request := _receive(sock)) is not None:
            pid = os.fork()
            if pid == 0:
                sock.close()
                _kernel(request, me)  # never returns
            kernels.add(pid)
            _send(sock, {"pid": pid})
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for pid in kernels:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _kernel(request: dict[str, Any], template: int) -> None:
    """In a forked child: become the kernel jupyter_client asked for, then exit."""
    code = 1
    try:
        os.setsid()  # its own session, as jupyter_client starts kernels
        _die_with_parent(template)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = os.getcwd()  # as ``python -m`` sets it
        import ipykernel_launcher
        from ipykernel import kernelapp

        args = list(request["args"])
        if os.environ.get("JPY_PARENT_PID"):  # read at import in a new program; the template imported before it was set
            args.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
        sys.argv = [ipykernel_launcher.__file__, *args]
        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # a kernel that cannot start says why, like any kernel
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# ------------------------------------------------------------------ the owner's side


class Template:
    """A running template process and the socket to it."""

    def __init__(self, prelude: str, cwd: Path) -> None:
        ours, theirs = socket.socketpair()
        self.owner = os.getpid()
        self.sock = ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plantrack.app.zygote", str(theirs.fileno()), str(self.owner), prelude],
            pass_fds=[theirs.fileno()],
            cwd=str(cwd),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.ready = False

    def wait_ready(self) -> bool:
        """Wait for the template's imports; False if it failed."""
        if not self.ready:
            try:
                self.ready = _receive(self.sock) is not None
            except OSError:
                self.ready = False
            if not self.ready:
                self.close()
        return self.ready

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process with these arguments (after ``-m ipykernel_launcher``); its pid."""
        _send(self.sock, {"args": args, "env": env, "cwd": cwd})
        reply = _receive(self.sock)
        if reply is None:
            raise OSError("the kernel template stopped")
        return int(reply["pid"])

    def close(self) -> None:
        """Stop the template (and any kernel it still runs)."""
        with contextlib.suppress(OSError):
            self.sock.close()  # the template kills its kernels and exits
        if self.ready:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        if self.process.poll() is None:  # still importing (it has no kernel yet), or stuck
            self.process.kill()
            self.process.wait()


_template: Template | None = None


def start(prelude: str, cwd: Path) -> None:
    """Start this process's template (it imports in the background); nothing where unsupported."""
    global _template
    if supported() and current(wait=False) is None:
        try:
            _template = Template(prelude, cwd)
        except OSError:
            _template = None


def current(wait: bool = True) -> Template | None:
    """This process's template, ready (or None: start kernels as new programs)."""
    global _template
    t = _template
    if t is None or t.owner != os.getpid():  # a forked pool worker does not use its parent's template
        return None
    if wait and not t.wait_ready():
        _template = None
        return None
    return t


def stop() -> None:
    """Stop this process's template."""
    global _template
    t, _template = _template, None
    if t is not None and t.owner == os.getpid():
        t.close()


class ForkedKernel:
    """What jupyter_client needs of a kernel process (like ``subprocess.Popen``), for a forked one.

    The kernel is the template's child, not ours: it is watched and signalled through a
    pidfd, which always refers to this very process.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._killed = False
        try:
            self._fd = os.pidfd_open(pid)
        except ProcessLookupError:  # it died at once; jupyter_client reports a kernel that died
            self._fd = os.open(os.devnull, os.O_RDONLY)
            self._exited()

    def poll(self) -> int | None:
        import select

        if self.returncode is None and select.select([self._fd], [], [], 0)[0]:
            self._exited()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        import select

        if self.returncode is None and select.select([self._fd], [], [], timeout)[0]:
            self._exited()
        return self.returncode

    def _exited(self) -> None:
        self.returncode = -signal.SIGKILL if self._killed else 0
        os.close(self._fd)

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._fd, signum)
                self._killed |= signum == signal.SIGKILL

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def __del__(self) -> None:
        if self.returncode is None:
            with contextlib.suppress(OSError):
                os.close(self._fd)


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client's local provisioner, launching ``python -m ipykernel_launcher`` as a fork of the template."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        template = current()
        same_python = cmd[:1] == [sys.executable] and cmd[1:3] == LAUNCHER
        if template is None or not same_python:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        try:
            pid = template.fork(cmd[3:], env, cwd)
        except OSError:  # the template is gone: this and later kernels start as programs
            stop()
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        ret = 0
        if self.process:
            while await self.poll() is None:
                import asyncio

                await asyncio.sleep(0.02)
            ret = self.process.wait()
            self.process = None
        return ret


def main() -> None:
    """``python -m plantrack.app.zygote FD OWNER PRELUDE``: run as a template on the inherited socket."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    try:
        _serve(sock, sys.argv[3], int(sys.argv[2]))
    except BaseException:
        os._exit(1)
    os._exit(0)


if __name__ == "__main__":
    main()
