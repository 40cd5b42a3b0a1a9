"""Placing rows into the data folder's files: under the folder's lock, never overwriting a value unasked.

:func:`write_rows` is the one function of an import that writes: it re-reads the files under the
lock, renames new sources whose id another writer took, refuses to overwrite a stored value
unless asked, validates the whole dataset with the rows in place and replaces each file
atomically (through :mod:`plantrack.data.edit`). :func:`placed_files` does the same placement
without the lock, to check a copy before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..edit import CsvFile, Edit, EditError, Invalid, editing, validate_with
from ..problems import Problem
from ..provenance import WEB_DIR
from ..schema import TABLES
from .check import key_of


class WriteConflict(ValueError):
    """``write_rows`` refused: a value already stored, or the folder's data changed into something invalid."""

    def __init__(self, messages: list[str], problems: Sequence[Problem] = ()) -> None:
        self.messages = messages
        self.problems = list(problems)
        super().__init__("; ".join(messages))


@dataclass
class Written:
    """What :func:`write_rows` changed."""

    lines: list[int]  # line of observations.csv holding each new row, in order
    replaced: list[str]  # the rows replaced, as they were
    new_sources: list[str]
    files: list[Path]
    source_ids: list[str] = field(default_factory=list)  # the source of each new row, in order


def stored_keys(folder: Path) -> dict[tuple[str, ...], tuple[int, str]]:
    """Each value stored in observations.csv (not set aside): its key → (line, the value as shown)."""
    table = CsvFile.read(folder / TABLES["observations"].file)
    header = table.header
    out = {}
    for row in table.records[1:]:
        rec = dict(zip(header, row.cells, strict=False))
        if rec.get("use") == "no":
            continue
        shown = f"{rec.get('value')}{rec.get('unit_as_written', '')}, source {rec.get('source_id')}"
        out[key_of(rec)] = (row.start, shown)
    return out


def placed_files(
    folder: Path, obs: list[dict[str, str]], sources: list[dict[str, str]], replace: bool
) -> tuple[dict[str, str], list[int], list[str], list[int]]:
    """New texts of observations.csv (and sources.csv) with the rows in place; lines of the new rows; rows replaced.

    The same placement as the writer's (:func:`place_rows`), on the files as they are now, without the lock.
    """
    edit = Edit(folder)
    lines, replaced, src_lines = place_rows(edit, obs, sources, replace)
    tables = [edit.table("observations"), *([edit.table("sources")] if sources else [])]
    return {f.path.name: f.text() for f in tables}, lines, replaced, src_lines


def validate_copy(folder: Path, files: dict[str, str], texts: dict[str, str]) -> list[Problem]:
    """Problems of a copy of ``folder`` with ``files`` replaced and ``texts`` added under raw/."""
    return validate_with(folder, {**files, **{f"raw/{rel}": text for rel, text in texts.items()}})


def _fresh_ids(
    edit: Edit, observations: list[dict[str, str]], sources: list[dict[str, str]], texts: dict[str, str]
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str]]:
    """New sources renamed where another writer took their id since they were checked (read under the lock)."""
    folder = edit.folder
    taken = {rec.cells[0] for rec in edit.table("sources").records[1:] if rec.cells}
    renames = {}
    for s in sources:
        sid = s["source_id"]
        if sid in taken or (folder / "raw" / s["raw_file"]).exists():
            base, n = sid, 2
            while f"{base}_{n}" in taken or (folder / "raw" / f"{WEB_DIR}{base}_{n}.txt").exists():
                n += 1
            renames[sid] = f"{base}_{n}"
        taken.add(renames.get(sid, sid))
    if not renames:
        return observations, sources, texts
    new_sources, new_texts = [], dict(texts)
    for s in sources:
        sid = renames.get(s["source_id"])
        if sid:
            old_file = s["raw_file"]
            s = {**s, "source_id": sid, "raw_file": f"{WEB_DIR}{sid}.txt"}
            new_texts[s["raw_file"]] = new_texts.pop(old_file)
        new_sources.append(s)
    new_obs = [{**o, "source_id": renames.get(o["source_id"], o["source_id"])} for o in observations]
    return new_obs, new_sources, new_texts


def place_rows(
    edit: Edit, obs: list[dict[str, str]], sources: list[dict[str, str]], replace: bool
) -> tuple[list[int], list[str], list[int]]:
    """Put the rows into the files; the line of each new row, the rows replaced, the lines of new sources.

    Raises :class:`WriteConflict` when a value is already stored and ``replace`` is False.
    """
    table = edit.table("observations")
    header = table.header
    index: dict[tuple[str, ...], int] = {}
    for rec in table.records[1:]:
        values = dict(zip(header, rec.cells, strict=False))
        if values.get("use") != "no":
            index.setdefault(key_of(values), rec.start)
    lines, replaced, conflicts = [], [], []
    for o in obs:
        line = index.get(key_of(o))
        if line is not None:
            if not replace:
                conflicts.append(
                    f"observations.csv line {line} already holds a value for {o['region_id']}, "
                    f"{o['indicator_id']}, {o['year']}"
                )
                continue
            replaced.append(f"observations.csv line {line}: {table.replace(line, o)}")
            lines.append(line)
        else:
            line = table.append(o)
            index[key_of(o)] = line
            lines.append(line)
    src_lines = [edit.table("sources").append(s) for s in sources]
    if conflicts:
        raise WriteConflict(conflicts)
    return lines, replaced, src_lines


def write_rows(
    data_dir: str | Path,
    observations: list[dict[str, str]],
    sources: list[dict[str, str]],
    texts: dict[str, str],
    replace: bool = False,
) -> Written:
    """Write checked rows through the data folder's one writer (:mod:`plantrack.data.edit`).

    Under the folder's lock, on the files as they are then: new source ids still free, no value
    overwritten without ``replace``, the whole dataset validated with the rows in place, each
    file written atomically keeping its mode and links. ``texts`` maps a path under ``raw/``
    to the stored text of a new source. Raises :class:`WriteConflict` and writes nothing when
    anything is wrong.
    """
    try:
        with editing(data_dir) as edit:
            observations, sources, texts = _fresh_ids(edit, observations, sources, texts)
            for rel, text in texts.items():
                edit.add_text(rel, text)
            lines, replaced, _ = place_rows(edit, observations, sources, replace)
            written = edit.commit()
    except Invalid as err:
        raise WriteConflict([str(p) for p in err.problems], err.problems) from err
    except EditError as err:
        raise WriteConflict([str(err)]) from err
    return Written(lines, replaced, [s["source_id"] for s in sources], written, [o["source_id"] for o in observations])
