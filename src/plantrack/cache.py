"""A small on-disk cache for results that are costly to recompute and keyed by their inputs.

Entries live under ``$PLANTRACK_CACHE`` or ``~/.cache/plantrack``, one folder per kind
(``fonts``, ``data``). They are written under a temporary name and renamed, so a reader
never sees half a file; a read-only home simply means no cache, never a different result.
``PLANTRACK_CACHE=off`` disables every cache.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def enabled() -> bool:
    """False when ``PLANTRACK_CACHE`` is ``off``."""
    return os.environ.get("PLANTRACK_CACHE", "").lower() != "off"


def cache_dir(kind: str) -> Path:
    """The folder for one kind of entry."""
    root = os.environ.get("PLANTRACK_CACHE") or Path.home() / ".cache" / "plantrack"
    return Path(root) / kind


def read(kind: str, name: str) -> bytes | None:
    """The cached bytes, or None when absent, unreadable or the cache is off."""
    if not enabled():
        return None
    try:
        return (cache_dir(kind) / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, payload: bytes) -> None:
    """Store ``payload`` atomically; silently skip when the folder cannot be written or the cache is off."""
    if not enabled():
        return
    folder = cache_dir(kind)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
