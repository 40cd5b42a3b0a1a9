"""A small on-disk cache for results that are costly to recompute and keyed by their inputs.

Entries live under ``$PLANTRACK_CACHE`` or ``~/.cache/plantrack``, one folder per kind
(``fonts``, ``data``). They are written under a temporary name and renamed, so a reader
never sees half a file; a read-only home simply means no cache, never a different result.
``PLANTRACK_CACHE=off`` disables every cache.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .files import write_atomic


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
    with contextlib.suppress(OSError):  # a read-only home: no cache, same result
        write_atomic(cache_dir(kind) / name, payload, mode=0o600)
