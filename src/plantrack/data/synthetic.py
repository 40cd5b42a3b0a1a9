"""Synthetic regions for the scale tests and the benchmark: a copy of the data with one region's rows copied.

The copies are rows only, under new region ids; they cite the same sources, or a copy of the
base region's own source text, so validation checks every quote again. Nothing here invents a
number: every value is one of the base region's, read from the data folder being copied.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Sequence
from pathlib import Path

from .tables import bundled_data_dir

#: the tables with region ids, and which of their columns hold one
REGION_COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("region_id",),
    "targets": ("region_id",),
    "observations": ("region_id",),
    "proxies": ("region_id", "proxy_region_id"),
}
#: characters synthetic names are made of: every region gets a name of its own, as real cities do,
#: so that every report embeds a different font subset (a cold batch pays for each)
NAME_CHARS = "安宁平阳昌江山东西南北海湖河泉州德兴华春林云丰洛庆新余长清源临宜城岳通怀汉广定远"


def read_rows(path: Path) -> list[list[str]]:
    """All rows of a CSV file, header first."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Write rows as UTF-8 CSV with LF line ends (as the data folder keeps them)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def synthetic_id(i: int) -> str:
    """The id of the ``i``-th synthetic region (from 1): ``synthetic_001``…"""
    return f"synthetic_{i:03d}"


def synthetic_names(i: int) -> tuple[str, str]:
    """The Chinese and English names of the ``i``-th synthetic region (from 1)."""
    k = len(NAME_CHARS)
    return f"{NAME_CHARS[(i - 1) % k]}{NAME_CHARS[(i - 1) // k % k]}市", f"Synthetic {i:03d}"


def synthetic_data(dest: Path, n: int, base: str = "suzhou", source: Path | None = None) -> list[str]:
    """Copy the data folder (default: the bundled one) to ``dest`` and add ``n`` copies of ``base``'s rows.

    The copies are ``synthetic_001``… with ``base``'s level and parent. Returns the new ids.
    """
    shutil.copytree(source or bundled_data_dir(), dest)
    ids = [synthetic_id(i) for i in range(1, n + 1)]
    add_copies(dest, base, {new: synthetic_names(i) for i, new in enumerate(ids, 1)})
    return ids


def add_copies(
    folder: Path,
    base: str,
    names: dict[str, tuple[str, str]],
    parent: str | None = None,
    level: str | None = None,
    sources: dict[str, str] | None = None,
) -> None:
    """Add to ``folder``'s tables a copy of ``base``'s rows per new id (``names``: id -> Chinese and English name).

    ``parent`` and ``level``: the copies' place among the regions (default: ``base``'s).
    ``sources``: source ids the copies cite instead of ``base``'s (old -> new; see :func:`copy_source`).
    """
    for table, columns in REGION_COLUMNS.items():
        path = folder / f"{table}.csv"
        rows = read_rows(path)
        head = rows[0]
        mine = [r for r in rows[1:] if r[head.index("region_id")] == base]
        for new, (name_zh, name_en) in names.items():
            for r in mine:
                copy = [new if head[j] in columns and v == base else v for j, v in enumerate(r)]
                if "source_id" in head and sources:
                    j = head.index("source_id")
                    copy[j] = sources.get(copy[j], copy[j])
                if table == "regions":
                    fields = {"name_zh": name_zh, "name_en": name_en, "parent_id": parent, "level": level}
                    for column, value in fields.items():
                        if value is not None:
                            copy[head.index(column)] = value
                rows.append(copy)
        write_rows(path, rows)


def add_region(folder: Path, base: str, new: str, names: tuple[str, str], parent: str, level: str) -> None:
    """Add region ``new`` to ``folder``: a copy of ``base``'s rows under ``parent`` at ``level``.

    Its targets and observations cite copies of the sources of ``base``'s targets (``<new>_<source>``,
    each with a copy of its stored text), as a region with a plan of its own would.
    """
    rows = read_rows(folder / "targets.csv")
    head = rows[0]
    cited = dict.fromkeys(r[head.index("source_id")] for r in rows[1:] if r[head.index("region_id")] == base)
    sources = {old: copy_source(folder, old, f"{new}_{old}") for old in cited}
    add_copies(folder, base, {new: names}, parent, level, sources)


def copy_source(folder: Path, source_id: str, new_id: str) -> str:
    """Add a source ``new_id`` to ``folder``: a copy of ``source_id``'s row and of its stored text, under new names.

    Returns ``new_id``. The text is copied byte for byte, so every quote of the old source is found in the new one.
    """
    path = folder / "sources.csv"
    rows = read_rows(path)
    head = rows[0]
    old = next(r for r in rows[1:] if r[head.index("source_id")] == source_id)
    raw = Path(old[head.index("raw_file")])
    new_raw = raw.with_name(f"{new_id}{raw.suffix}")
    shutil.copyfile(folder / "raw" / raw, folder / "raw" / new_raw)
    copy = list(old)
    copy[head.index("source_id")] = new_id
    copy[head.index("raw_file")] = new_raw.as_posix()
    write_rows(path, [*rows, copy])
    return new_id
