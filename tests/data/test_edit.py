"""Writes to data/: under the folder's lock, on the files as they are, validated, atomic, keeping mode and links."""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from plantrack import load
from plantrack.data import edit
from plantrack.data.entry import Entry, EntryError, save_entry
from plantrack.data.files import write_atomic
from plantrack.present.words import words
from tests.conftest import read_rows, write_rows

BULLETIN = {
    "title": "2023年苏州市知识产权发展与保护状况",
    "issuer": "苏州市知识产权局",
    "date": "2024-04-26",
    "url": "https://example.org/suzhou-ip-2023",
    "tier": "A",
}
INDICATOR = "hv_invention_patents_per_10k"


def _entry(year: str, value: str = "27.5") -> Entry:
    return Entry("suzhou", INDICATOR, year, value, "件", f"拥有量达{value}件", **BULLETIN)


def _save_at_the_same_moment(folder: str, year: str, value: str, barrier: object, results: object) -> None:
    """One writer process: wait for the other, then save; report what happened."""
    barrier.wait()  # type: ignore[attr-defined]
    try:
        saved = save_entry(folder, _entry(year, value), say=words("zh").sayer("entry_check"))
        results.put(("saved", year, value, saved.line, saved.source_id))  # type: ignore[attr-defined]
    except EntryError as err:
        results.put(("refused", year, value, err.messages))  # type: ignore[attr-defined]
    except BaseException as err:  # anything else is a failure of the test, reported by the parent
        results.put(("error", year, value, f"{type(err).__name__}: {err}"))  # type: ignore[attr-defined]


def _race(folder: Path, *writers: tuple[str, str]) -> list[tuple]:
    """Run one process per (year, value), released together; return their reports."""
    ctx = multiprocessing.get_context()
    barrier, results = ctx.Barrier(len(writers)), ctx.Queue()
    procs = [
        ctx.Process(target=_save_at_the_same_moment, args=(str(folder), year, value, barrier, results))
        for year, value in writers
    ]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return reports


def _rows(folder: Path, year: str) -> list[list[str]]:
    rows = read_rows(folder / "observations.csv")
    h = rows[0]
    return [
        r
        for r in rows[1:]
        if r[h.index("region_id")] == "suzhou"
        and r[h.index("indicator_id")] == INDICATOR
        and r[h.index("year")] == year
    ]


@pytest.mark.parametrize("trial", range(3))
def test_two_writers_at_once_both_land(data_copy: Path, trial: int) -> None:
    """Two processes save different years at the same moment: both rows and both new sources are kept."""
    before = len(load(data_copy).observations)
    reports = _race(data_copy, ("2021", "27.5"), ("2022", "28.5"))
    assert sorted(r[0] for r in reports) == ["saved", "saved"], reports
    data = load(data_copy)
    assert len(data.observations) == before + 2, "a row was lost"
    assert {r[4] for r in reports} <= set(data.sources["source_id"]), "a new source was lost"
    assert len({r[3] for r in reports}) == 2, "both writers reported the same line"
    assert len(_rows(data_copy, "2021")) == len(_rows(data_copy, "2022")) == 1


def test_second_writer_of_the_same_year_is_refused(data_copy: Path) -> None:
    """Two processes save the same year: one lands, the other is refused with the conflicting line named."""
    rows_before = len(load(data_copy).observations)
    reports = _race(data_copy, ("2023", "27.5"), ("2023", "31.5"))
    outcomes = sorted(r[0] for r in reports)
    assert outcomes == ["refused", "saved"], reports
    saved = next(r for r in reports if r[0] == "saved")
    refused = next(r for r in reports if r[0] == "refused")
    assert f"observations.csv 第 {saved[3]} 行已有 2023 年的数值" in refused[3]["year"]
    assert "不会覆盖" in refused[3]["year"]
    (row,) = _rows(data_copy, "2023")
    assert row[4] == saved[2], "the stored value is the one reported as saved"
    assert len(load(data_copy).observations) == rows_before + 1


def test_replace_finds_its_row_after_a_multiline_cell(data_copy: Path) -> None:
    """Line numbers count physical lines: a multi-line note above must not shift the replaced row."""
    rows_before = len(load(data_copy).observations)
    path = data_copy / "observations.csv"
    rows = read_rows(path)
    h = rows[0]
    col = {c: i for i, c in enumerate(h)}
    rows[1][col["note"]] = "first line\nsecond line\nthird line"
    write_rows(path, rows)
    # a later single-year stated value, saved again with replace: same numbers, so the data stays valid
    k = next(i for i, r in enumerate(rows) if i > 5 and r[col["method"]] == "stated" and not r[col["period_start"]])
    r = rows[k]
    e = Entry(
        r[col["region_id"]],
        r[col["indicator_id"]],
        r[col["year"]],
        r[col["value"]],
        r[col["unit_as_written"]],
        r[col["quote"]],
        source_id=r[col["source_id"]],
    )
    saved = save_entry(data_copy, e, replace_existing=True)
    assert saved.line == k + 1 + 2, "line numbers count the two extra lines of the multi-line note"
    assert saved.replaced == ",".join(r)
    after = read_rows(path)
    assert after[1][col["note"]] == "first line\nsecond line\nthird line", "the multi-line row is untouched"
    for c in ("region_id", "indicator_id", "year", "value", "quote", "source_id"):
        assert after[k][col[c]] == r[col[c]], c
    assert after[k][col["note"]].endswith("(05_explore)") and after[:k] + after[k + 1 :] == rows[:k] + rows[k + 1 :]
    assert len(load(data_copy).observations) == rows_before


def test_untouched_lines_are_kept_byte_for_byte(data_copy: Path) -> None:
    path = data_copy / "observations.csv"
    path.write_bytes(path.read_bytes().replace(b"Total over the 13th plan.", b'"Total over the 13th plan."'))
    before = path.read_bytes()
    save_entry(data_copy, _entry("2023"))
    assert path.read_bytes().startswith(before)


def test_mode_and_symlink_are_kept(data_copy: Path, tmp_path: Path) -> None:
    rows_before = len(load(data_copy).observations)
    real = tmp_path / "elsewhere" / "observations.csv"
    real.parent.mkdir()
    (data_copy / "observations.csv").replace(real)
    (data_copy / "observations.csv").symlink_to(real)
    real.chmod(0o640)
    (data_copy / "sources.csv").chmod(0o664)
    save_entry(data_copy, _entry("2023"))
    assert (data_copy / "observations.csv").is_symlink(), "the link was replaced by a copy"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert stat.S_IMODE((data_copy / "sources.csv").stat().st_mode) == 0o664
    assert len(_rows(data_copy, "2023")) == 1 and len(load(data_copy).observations) == rows_before + 1


def test_a_full_disk_is_a_message_and_writes_nothing(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, *args: object, **kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(edit, "write_atomic", full)
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    with pytest.raises(EntryError) as err:
        save_entry(data_copy, _entry("2023"))
    assert "cannot write" in err.value.messages["save"] and "No space left on device" in err.value.messages["save"]
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


def test_a_held_lock_is_a_message(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    monkeypatch.setattr(edit, "LOCK_TIMEOUT", 0.2)
    holder = multiprocessing.get_context().Process(target=_hold_lock, args=(str(data_copy / edit.LOCK_NAME),))
    ready = data_copy.parent / "held"
    holder.start()
    try:
        while not ready.exists():
            assert holder.is_alive(), "the process holding the lock ended early"
            holder.join(0.05)
        with pytest.raises(EntryError) as err:
            save_entry(data_copy, _entry("2023"))
        assert "being changed by another program" in err.value.messages["save"]
    finally:
        holder.terminate()
        holder.join()
    assert not _rows(data_copy, "2023")
    with FileLock(data_copy / edit.LOCK_NAME, timeout=5):
        pass  # released with its holder


def _hold_lock(path: str) -> None:
    import time

    from filelock import FileLock

    with FileLock(path):
        (Path(path).parent.parent / "held").touch()
        time.sleep(60)


def test_panel_shows_a_failed_save_beside_the_button(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No exception escapes the save button: an unwritable file and an invalid folder are status messages."""
    from plantrack.app.explore import Explorer

    ex = Explorer(load(data_copy), "suzhou", INDICATOR)
    form = ex.actual
    form.year.value, form.value.value, form.quote.value = "2023", "27.5", "拥有量达27.5件"
    form.title.value, form.issuer.value = BULLETIN["title"], BULLETIN["issuer"]
    form.date.value, form.url.value = BULLETIN["date"], BULLETIN["url"]
    form.tier.value = BULLETIN["tier"]

    def denied(path: Path, *args: object, **kwargs: object) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(edit, "write_atomic", denied)
    form.save_button.click()
    assert "未保存" in form.status.value and "Permission denied" in form.status.value
    monkeypatch.undo()
    rows = read_rows(data_copy / "targets.csv")
    rows[1][rows[0].index("target_year")] = "twenty"
    write_rows(data_copy / "targets.csv", rows)
    form.save_button.click()
    assert "未保存" in form.status.value and "targets.csv line 2, column target_year" in form.status.value


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        path = write_atomic(tmp_path / "report.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_atomic_writes_use_unique_temporary_names(tmp_path: Path) -> None:
    """Many concurrent writers of one path: each write succeeds, the file is one of them whole, no temp file is left."""
    from concurrent.futures import ThreadPoolExecutor

    target = tmp_path / "out.txt"
    payloads = [f"writer {i}\n" * 2000 for i in range(16)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda text: write_atomic(target, text), payloads))
    assert target.read_text() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
