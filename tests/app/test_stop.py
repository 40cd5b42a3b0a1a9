"""Stopping a batch: SIGTERM or Ctrl-C during a pooled render stops workers and kernels, writes nothing after the
signal, keeps earlier reports whole, leaves no temporary folder, prints one line and exits 143 or 130."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from plantrack.app import pipeline

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process groups as on POSIX")

REGIONS = ("china", "jiangsu", "suzhou", "tongzhou", "wujiang")
EARLIER = "<!DOCTYPE html>\n<p>an earlier report</p>\n</html>\n"

try:
    import psutil
except ImportError:  # pragma: no cover - psutil comes with ipykernel; /proc is the fallback
    psutil = None


# ------------------------------------------------------------------ the process tree


def _processes() -> dict[int, tuple[int, float, str]]:
    """Every process: pid → (parent pid, start time, command line)."""
    found: dict[int, tuple[int, float, str]] = {}
    if psutil is not None:
        for p in psutil.process_iter(["ppid", "create_time", "cmdline"]):
            found[p.pid] = (p.info["ppid"] or 0, p.info["create_time"] or 0.0, " ".join(p.info["cmdline"] or []))
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        found[int(stat.parent.name)] = (int(fields[1]), float(fields[19]), cmdline)
    return found


def _descendants(pid: int) -> dict[int, tuple[float, str]]:
    """Children, grandchildren … of ``pid``: pid → (start time, command line)."""
    procs = _processes()
    out: dict[int, tuple[float, str]] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, start, cmd) in procs.items():
            if ppid == parent and child not in out:
                out[child] = (start, cmd)
                frontier.append(child)
    return out


def _kernels(tree: dict[int, tuple[float, str]]) -> int:
    """Kernels among ``tree``: started as programs (ipykernel) or forked from a template (children of one)."""
    procs = _processes()
    templates = {pid for pid, (_, cmd) in tree.items() if "plantrack.app.zygote" in cmd}
    forked = {pid for pid in tree if procs.get(pid, (None,))[0] in templates}
    return sum("ipykernel" in cmd for _, cmd in tree.values()) + len(forked)


def _running(pid: int, start: float) -> bool:
    """Whether the process that had ``pid`` and ``start`` still runs (a zombie or a reused pid does not count)."""
    if psutil is not None:
        try:
            p = psutil.Process(pid)
            return p.create_time() == start and p.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and float(fields[19]) == start


def _kernels(tree: dict[int, tuple[float, str]]) -> int:
    """Kernels in ``tree``: started as ``ipykernel_launcher``, or forked from a template (plantrack.app.zygote)."""
    procs = _processes()
    template = "plantrack.app.zygote"
    return sum(
        "ipykernel" in cmd or (template in cmd and template in procs.get(procs.get(pid, (0,))[0], (0, 0.0, ""))[2])
        for pid, (_, cmd) in tree.items()
    )


# ------------------------------------------------------------------ the batch, signalled


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["sigterm", "sigint-to-the-command", "ctrl-c-to-the-process-group"],
)
def test_stop_signal_during_a_pooled_render(tmp_path: Path, signum: int, whole_group: bool) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pt"))  # short: kernel socket paths must stay under ~100 bytes
    try:
        _signal_a_render(tmp_path / "out", tmp, signum, whole_group)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _signal_a_render(out: Path, tmp: Path, signum: int, whole_group: bool) -> None:
    out.mkdir()
    names = [f"{r}.zh.html" for r in REGIONS] + ["index.html"]
    for name in names:
        (out / name).write_text(EARLIER, encoding="utf-8")
    cmd = [sys.executable, "-m", "plantrack.app.cli", "render", "--out", str(out), "--quiet", "--jobs", "2"]
    proc = subprocess.Popen(
        cmd,
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    try:
        deadline = time.monotonic() + 180
        while True:  # mid-run: both workers are running a kernel
            tree = _descendants(proc.pid)
            if _kernels(tree) >= 2:
                break
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no kernel started"
            time.sleep(0.05)
        if whole_group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        signalled = time.time_ns()
        t0 = time.monotonic()
        stdout, stderr = proc.communicate(timeout=120)
        stopped_in = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    # one line, the conventional status, no traceback
    lines = stderr.decode(errors="replace").splitlines()
    assert proc.returncode == 128 + signum, (proc.returncode, lines)
    assert len(lines) == 1 and lines[0].startswith("plantrack render: stopped by"), lines
    assert stdout == b""

    # no process of the batch is left: workers and kernels seen mid-run, and any started later under its folders
    later = {pid: (start, cmd) for pid, (_, start, cmd) in _processes().items() if str(tmp) in cmd or str(out) in cmd}
    survivors = [cmd for pid, (start, cmd) in {**tree, **later}.items() if _running(pid, start)]
    assert not survivors, f"still running {stopped_in:.1f} s after the signal: {survivors}"

    # no temporary folder (kernel connection files and keys included), no temporary file among the reports
    assert not list(tmp.glob("plantrack-*")) and not list(tmp.rglob("*.json")), list(tmp.rglob("*"))
    assert sorted(p.name for p in out.iterdir()) == sorted(names)

    # earlier reports are intact or replaced by a complete report written before the signal; no index after it
    assert (out / "index.html").read_text(encoding="utf-8") == EARLIER
    for name in names[:-1]:
        path = out / name
        html = path.read_text(encoding="utf-8")
        if html != EARLIER:
            assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n") and "苏州" in html, name
            assert path.stat().st_mtime_ns <= signalled, f"{name} was written after the signal"


# ------------------------------------------------------------------ the pool, stopped by its caller


def _slow(task: tuple, km: object, hook: object) -> tuple:
    time.sleep(task[1])
    return task


def test_closing_the_pool_early_stops_its_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller stops reading (as render does on a signal): workers end and the batch folder goes."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's folders only
    outcomes = pipeline.run_pool([("fast", 0.0), ("slow", 60.0), ("slower", 60.0)], 2, _slow, Path("."), None)
    assert next(outcomes) == ("fast", 0.0)
    procs = _processes()
    workers = {pid: procs[pid][1] for pid in pipeline.worker_pids}
    assert len(workers) == 2
    outcomes.close()
    assert not [pid for pid, start in workers.items() if _running(pid, start)]
    assert not list(tmp_path.glob("plantrack-*"))
