"""Writing a file so that readers see the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import os
import secrets
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


class UnsafeWrite(ValueError):
    """A write into an output folder was refused: the name is a link or not a file, or the folder moved."""


def write_inside(folder: Path, name: str, payload: str | bytes) -> Path:
    """Write ``folder/name`` so that the bytes land in ``folder`` itself, whatever happens to the names meanwhile.

    Checked at write time, not before: the folder is opened without following a link (so a
    folder swapped for a link is refused), the name must be a plain file name that is not
    a link or anything but a regular file, the new content is written to a temporary file
    created there with ``O_EXCL | O_NOFOLLOW``, and the final step renames it onto the
    name, relative to the opened folder. A rename replaces a link at the name instead of
    following it, so even a link created after the last check never leads the write
    elsewhere. Raises :class:`UnsafeWrite` (nothing written) or ``OSError``.
    """
    folder = Path(folder)
    if not name or name in (".", "..") or "/" in name or os.sep in name or name.startswith("."):
        raise UnsafeWrite(f"refusing to write {name!r}: not a plain file name")
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        dir_fd = os.open(folder, flags)
    except OSError as err:
        raise UnsafeWrite(f"refusing to write into {folder}: {err.strerror} (a link, or not a folder?)") from None
    temporary = f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        mode = _plain_file_mode(dir_fd, folder, name)
        fd = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
            0o666,
            dir_fd=dir_fd,
        )
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
                if mode is not None:
                    os.fchmod(f.fileno(), mode)
            _plain_file_mode(dir_fd, folder, name)  # again, just before the rename
            os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)
    return folder / name


def _plain_file_mode(dir_fd: int, folder: Path, name: str) -> int | None:
    """The permission bits of ``name`` in the opened folder (None: absent); :class:`UnsafeWrite` unless a plain file."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        kind = "a link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        raise UnsafeWrite(f"refusing to write {folder / name}: it is {kind}")
    return stat.S_IMODE(st.st_mode)


def unwritable_folder(folder: Path) -> str | None:
    """Why files cannot be written into ``folder`` (None when they can), checked without leaving anything behind.

    A missing folder is judged by the nearest folder above it that exists (it will be
    created there). Writing is tried, not inferred from permission bits: a read-only
    mount or an administrator's rights are what they are.
    """
    path = Path(folder)
    if path.is_symlink() and not path.is_dir():
        return "is a link to nothing"
    if path.exists() and not path.is_dir():
        return "is a file, not a folder"
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return "cannot be created"
        probe = probe.parent
    if not probe.is_dir():
        return f"cannot be created: {probe} is a file"
    try:
        fd, name = tempfile.mkstemp(dir=probe, prefix=".plantrack-probe-")
    except OSError as err:
        what = "cannot be written" if probe == path else f"cannot be created in {probe}"
        return f"{what} ({err.strerror or err})"
    os.close(fd)
    os.unlink(name)
    return None
