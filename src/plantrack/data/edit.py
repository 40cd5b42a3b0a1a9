"""Every write to a data folder: under the folder's lock, on the files as they are now, validated, atomic.

The entry form saves through here, and so should any later writer (an import command):

    with editing(folder) as edit:          # waits for the folder's lock (another save in progress)
        data = load(edit.folder)           # the tables as they are now, read under the lock
        ...                                # decide on them: refuse a duplicate, pick a new id
        line = edit.table("observations").append({"region_id": ..., ...})
        edit.commit()                      # validate the folder with the change in place, then write

Two writers at the same moment therefore queue: the second reads what the first wrote,
so both rows land, or the second is refused because the first took its place (the
caller's check names the row). :meth:`Edit.commit` writes nothing unless the whole folder
validates with every change in place; it replaces each changed file atomically, keeping
its permission bits, a symbolic link as a link, its byte order mark, its line ends and
every untouched line byte for byte. Every failure (lock held too long, read-only or full
disk, invalid result) is an :class:`EditError` whose message names the file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .files import write_atomic
from .problems import Problem
from .reading import csv_error_text
from .schema import LOAD_ORDER, TABLES
from .tables import read_all

LOCK_NAME = ".plantrack.lock"  # hidden: plantrack.data.tables.fingerprint ignores it
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one to finish


class EditError(ValueError):
    """The data folder was not changed; the message says which file and why."""


class Invalid(EditError):
    """The folder would not validate with the changes in place; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        super().__init__(f"not saved: {len(problems)} problem(s) with the change in place: {shown}")


@dataclass
class _Record:
    start: int  # first line of the record in the file (1 = header)
    end: int  # last line (a quoted cell may span lines)
    cells: list[str]


@dataclass
class CsvFile:
    """One CSV file as read under the lock: its physical lines, kept as they are unless a row is changed."""

    path: Path
    lines: list[str]  # with their line ends; the byte order mark removed
    bom: bool
    newline: str
    records: list[_Record] = field(default_factory=list)
    changed: bool = False

    @classmethod
    def read(cls, path: Path) -> CsvFile:
        """Parse ``path``; ``EditError`` when it cannot be read as UTF-8 CSV."""
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as err:
            raise EditError(f"cannot read {path}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise EditError(f"{path.name} is not UTF-8 text; run plantrack validate") from None
        lines = list(io.StringIO(text, newline=""))
        f = cls(path, lines, raw.startswith(b"\xef\xbb\xbf"), "\r\n" if "\r\n" in text else "\n")
        reader = csv.reader(lines)
        last = 0
        try:
            for cells in reader:
                f.records.append(_Record(last + 1, reader.line_num, cells))
                last = reader.line_num
        except csv.Error as err:
            where = f"{path.name} line {reader.line_num}"
            raise EditError(f"{where}: {csv_error_text(err)}; run plantrack validate") from None
        if not f.records:
            raise EditError(f"{path.name} has no header row")
        return f

    @property
    def header(self) -> list[str]:
        """Column names of the first line."""
        return [h.lstrip("\ufeff").strip() for h in self.records[0].cells]

    def _row_lines(self, values: dict[str, str]) -> tuple[list[str], list[str]]:
        """A row (columns by name, missing ones empty) as cells and as physical lines in this file's style."""
        cells = [values.get(c, "") for c in self.header]
        buf = io.StringIO()
        csv.writer(buf, lineterminator=self.newline).writerow(cells)
        return cells, list(io.StringIO(buf.getvalue(), newline=""))

    def append(self, values: dict[str, str]) -> int:
        """Add a row at the end; return the line it starts on."""
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
        cells, lines = self._row_lines(values)
        line = len(self.lines) + 1
        self.lines += lines
        self.records.append(_Record(line, line + len(lines) - 1, cells))
        self.changed = True
        return line

    def replace(self, line: int, values: dict[str, str]) -> str:
        """Replace the row that starts on ``line`` (as validation numbers lines); return its text as it was."""
        for i, rec in enumerate(self.records):
            if rec.start == line and i > 0:
                old = "".join(self.lines[rec.start - 1 : rec.end]).rstrip("\r\n")
                cells, lines = self._row_lines(values)
                self.lines[rec.start - 1 : rec.end] = lines
                shift = len(lines) - (rec.end - rec.start + 1)
                self.records[i] = _Record(rec.start, rec.start + len(lines) - 1, cells)
                for later in self.records[i + 1 :]:
                    later.start += shift
                    later.end += shift
                self.changed = True
                return old
        raise EditError(f"{self.path.name} has no row starting on line {line}")

    def text(self) -> str:
        """The file's content with the changes."""
        return ("\ufeff" if self.bom else "") + "".join(self.lines)


class Edit:
    """Changes to the tables of one folder, made while holding its lock (see :func:`editing`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, CsvFile] = {}
        self._texts: dict[str, str] = {}

    def add_text(self, raw_file: str, text: str) -> None:
        """A new stored text ``raw/<raw_file>`` (a retrieved source); an existing file is never replaced."""
        target = (self.folder / "raw" / raw_file).resolve()
        raw = (self.folder / "raw").resolve()
        if raw not in target.parents:
            raise EditError(f"refusing to store {raw_file!r} outside {raw}")
        if target.exists():
            raise EditError(f"{target} exists already; a stored text is never replaced")
        self._texts[f"raw/{raw_file}"] = text

    def table(self, name: str) -> CsvFile:
        """The file of table ``name`` (``observations``, ``sources`` …) as it is now."""
        if name not in self._files:
            self._files[name] = CsvFile.read(self.folder / TABLES[name].file)
        return self._files[name]

    def commit(self) -> list[Path]:
        """Validate the folder with every change in place, then write the changed files; return them.

        Raises :class:`Invalid` (nothing written) when the result has problems, and
        :class:`EditError` when a file cannot be written.
        """
        changed = {name: f for name, f in self._files.items() if f.changed}
        if not changed and not self._texts:
            return []
        problems = validate_with(self.folder, {**self._texts, **{f.path.name: f.text() for f in changed.values()}})
        if problems:
            raise Invalid(problems)
        written = []
        for name, text in self._texts.items():  # stored texts first: the sources citing them come next
            path = self.folder / name
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                written.append(write_atomic(path, text))
            except OSError as err:
                raise EditError(f"cannot write {path}: {err.strerror or err}") from None
        for name in LOAD_ORDER:  # referenced tables first: a source nobody cites yet is still valid data
            if name in changed:
                f = changed[name]
                try:
                    written.append(write_atomic(f.path, f.text()))
                except OSError as err:
                    raise EditError(f"cannot write {f.path}: {err.strerror or err}") from None
        return written


@contextmanager
def editing(folder: str | Path, timeout: float | None = None) -> Iterator[Edit]:
    """Hold the data folder's lock while the caller reads, changes and commits; ``EditError`` if it cannot be had.

    ``timeout``: seconds to wait for another writer (default :data:`LOCK_TIMEOUT`).
    """
    from filelock import FileLock, Timeout

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path = Path(folder).expanduser().resolve()
    if not path.is_dir():
        raise EditError(f"data folder not found: {path}")
    lock = FileLock(path / LOCK_NAME, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EditError(
            f"{path} is being changed by another program (it has held {LOCK_NAME} for over {timeout:g} s); "
            "nothing was saved, try again"
        ) from None
    except OSError as err:
        raise EditError(f"cannot lock {path} for writing ({err.strerror or err}); nothing was saved") from None
    try:
        remove_stale_temporaries(path)
        yield Edit(path)
    finally:
        lock.release()


#: a temporary file of :func:`plantrack.data.files.write_atomic`: ``.<name>.<8 random characters>.tmp``
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove what a writer killed mid-save left (its temporary files); call only while holding the folder's lock.

    Every save to the folder writes under the lock, so a temporary file found by the holder
    of the lock belongs to no save in progress. Looks in the folder and under ``raw/``.
    """
    removed = []
    raw = folder / "raw"
    candidates = [*folder.iterdir(), *(raw.rglob(".*.tmp") if raw.is_dir() else [])]
    for path in candidates:
        if _TEMPORARY.match(path.name) and (path.is_symlink() or path.is_file()):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def validate_with(folder: Path, files: dict[str, str]) -> list[Problem]:
    """Problems of a copy of ``folder`` with ``files`` (name → content) replaced; the folder is not touched."""
    with tempfile.TemporaryDirectory(prefix="plantrack-edit-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
        for name, text in files.items():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).write_text(text, encoding="utf-8", newline="")
        _, problems = read_all(copy)
    return problems
