"""A small on-disk cache for results that are costly to recompute and keyed by their inputs.

Entries live under ``$PLANTRACK_CACHE`` or ``~/.cache/plantrack``, one folder per kind
(``fonts``, ``data``). They are written under a temporary name and renamed, so a reader
never sees half a file; a read-only home simply means no cache, never a different result.
``PLANTRACK_CACHE=off`` disables every cache.

An entry is data, never code: callers store bytes they parse themselves (JSON, CSS) and
check before use. Each entry starts with a header line naming the entry and the SHA-256
digest of its payload; an entry whose name or digest does not match is ignored (and then
rewritten), so a truncated, corrupt or renamed file is never served. The folders are
created private (0700); a folder writable by other users, or owned by another user, is
refused with a :class:`CacheWarning` and the program runs without a cache, because whoever
can write there could choose what the next run reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import warnings
from pathlib import Path

from .files import write_atomic

FORMAT = b"plantrack-cache 1"


class CacheWarning(UserWarning):
    """The cache folder is not safe to use; the program runs without it."""


_warned: set[str] = set()


def enabled() -> bool:
    """False when ``PLANTRACK_CACHE`` is ``off``."""
    return os.environ.get("PLANTRACK_CACHE", "").lower() != "off"


def cache_root() -> Path:
    """The folder holding every kind of entry."""
    return Path(os.environ.get("PLANTRACK_CACHE") or Path.home() / ".cache" / "plantrack")


def cache_dir(kind: str) -> Path:
    """The folder for one kind of entry."""
    return cache_root() / kind


def unsafe_reason(folder: Path) -> str | None:
    """Why ``folder`` must not be used as a cache (another owner, writable by others, not a folder), or None."""
    try:
        st = folder.stat()
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"belongs to another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"is writable by other users (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _safe_dir(kind: str, create: bool) -> Path | None:
    """The folder of ``kind`` once it and the root pass :func:`unsafe_reason`; None (warned once) otherwise."""
    if not enabled():
        return None
    root, folder = cache_root(), cache_dir(kind)
    for path in (root, folder):
        if create and not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.mkdir(mode=0o700)
            except FileExistsError:  # created meanwhile by a concurrent run: checked below like any other
                pass
            except OSError:  # a read-only home: no cache, same result
                return None
        elif not path.exists():
            return None
        reason = unsafe_reason(path)
        if reason is not None:
            if str(path) not in _warned:
                _warned.add(str(path))
                warnings.warn(
                    f"plantrack: not using the cache folder {path}: it {reason}; running without a cache "
                    "(remove it, or set PLANTRACK_CACHE to a private folder)",
                    CacheWarning,
                    stacklevel=3,
                )
            return None
    return folder


def _digest(name: str, payload: bytes) -> str:
    return hashlib.sha256(name.encode("utf-8") + b"\0" + payload).hexdigest()


def read(kind: str, name: str) -> bytes | None:
    """The cached payload, or None when absent, unreadable, not matching its digest or the cache is off/unsafe."""
    folder = _safe_dir(kind, create=False)
    if folder is None:
        return None
    try:
        raw = (folder / name).read_bytes()
    except OSError:
        return None
    header, _, payload = raw.partition(b"\n")
    if header != FORMAT + f" {name} sha256={_digest(name, payload)}".encode():
        return None
    return payload


def write(kind: str, name: str, payload: bytes) -> None:
    """Store ``payload`` atomically with its digest; silently skip when the folder cannot be written or is unsafe."""
    folder = _safe_dir(kind, create=True)
    if folder is None:
        return
    header = FORMAT + f" {name} sha256={_digest(name, payload)}\n".encode()
    with contextlib.suppress(OSError):
        write_atomic(folder / name, header + payload, mode=0o600)
