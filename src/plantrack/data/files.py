"""Writing a file so that readers see the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set back at once."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomic(path: Path, payload: str | bytes, mode: int | None = None) -> Path:
    """Write ``payload`` (text as UTF-8, line ends kept as given) under a unique temporary name, then rename it.

    ``mode`` None: an existing file keeps its permission bits, a new one gets ``0o666``
    less the umask (as any program creating a file). A symbolic link is kept: the file
    it points to is replaced. Returns the path actually written.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~umask()
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
