"""Caches: a hit gives the same tables, any change validates again; entries are data checked by digest, never code."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from plantrack import DataError, load
from plantrack.analysis.comparison import compare
from plantrack.analysis.projection import project_region
from plantrack.data.tables import fingerprint


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "data").glob("*.json"))


def test_cached_load_equals_validated_load(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    first = load(data_copy)
    assert len(_entries(tmp_path / "c")) == 1
    second = load(data_copy)
    for name in ("targets", "observations", "indicators", "sources", "proxies", "plans", "regions"):
        a, b = getattr(first, name), getattr(second, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        for col in a.columns:  # None stays None, NaN stays NaN, NA stays NA
            assert [type(x) for x in a[col]] == [type(x) for x in b[col]], (name, col)
    assert second.data_dir == data_copy.resolve()


def test_edited_data_is_validated_again(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit_cell
) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    load(data_copy)
    edit_cell(data_copy / "targets.csv", 2, "target_year", "twenty")
    with pytest.raises(DataError, match=r"targets\.csv line 2, column target_year"):
        load(data_copy)
    skipped = load(data_copy, on_error="skip")
    assert skipped.problems and len(_entries(tmp_path / "c")) == 1  # data with problems is never cached


def test_raw_text_is_part_of_the_key(data_copy: Path) -> None:
    before = fingerprint(data_copy)
    raw = next((data_copy / "raw").glob("*.txt"))
    raw.write_text(raw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(data_copy) != before


def test_corrupt_entry_falls_back_to_validation(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    first = len(load(data_copy).targets)
    entry = _entries(tmp_path / "c")[0]
    entry.write_bytes(b"not a cache entry")
    assert len(load(data_copy).targets) == first


def test_cache_off_writes_nothing(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    load(data_copy)
    assert not any(tmp_path.rglob("*.json"))


def test_known_rows_give_the_same_comparison(data) -> None:
    own = project_region(data, "suzhou")
    mine = set(own["indicator_id"])
    pd.testing.assert_frame_equal(compare(data, among=mine), compare(data, among=mine, known=own))


# ------------------------------------------------------------------ hostile cache entries

MARKER_CODE = "open({marker!r}, 'w').close()"


def _evil_pickle(marker: Path) -> bytes:
    """A pickle that creates ``marker`` when unpickled (built by hand: the project never imports pickle)."""
    code = MARKER_CODE.format(marker=str(marker)).encode()
    # protocol 2: GLOBAL builtins.exec, the code as a unicode string, TUPLE1, REDUCE, STOP
    return b"\x80\x02cbuiltins\nexec\nX" + len(code).to_bytes(4, "little") + code + b"\x85R."


def _with_header(name: str, payload: bytes) -> bytes:
    """An entry whose header digest matches its payload: only the format protects the reader."""
    from plantrack.data.cache import FORMAT, _digest

    return FORMAT + f" {name} sha256={_digest(name, payload)}\n".encode() + payload


def test_crafted_entries_never_run_code(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from plantrack.present.fonts import font_face_css

    marker = tmp_path / "executed"
    evil = _evil_pickle(marker)
    # the payload is live: unpickling it (in another process) creates the marker
    probe = tmp_path / "probe.pickle"
    probe.write_bytes(evil)
    subprocess.run(
        [sys.executable, "-c", f"import pickle; pickle.loads(open({str(probe)!r}, 'rb').read())"], check=True
    )
    assert marker.exists()
    marker.unlink()

    cache = tmp_path / "c"
    monkeypatch.setenv("PLANTRACK_CACHE", str(cache))
    expected = load(data_copy)  # validated; also creates the private cache folders
    key = fingerprint(data_copy.resolve())
    (cache / "data" / f"{key}.json").write_bytes(_with_header(f"{key}.json", evil))
    (cache / "data" / f"{key}.pickle").write_bytes(evil)  # where earlier versions looked, as they wrote it
    font_face_css("苏州")  # creates the font entry for these characters
    for entry in sorted((cache / "fonts").glob("*.css")):
        entry.write_bytes(_with_header(entry.name, evil))

    again = load(data_copy)
    assert "<style>" not in font_face_css("苏州") and "@font-face" in font_face_css("苏州")
    assert not marker.exists(), "a cache entry ran code"
    pd.testing.assert_frame_equal(again.targets, expected.targets)


def test_entry_not_matching_its_digest_is_ignored(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited entry (here: a target value changed, the digest left alone) is not served; validation runs again."""
    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    expected = load(data_copy)
    entry = _entries(tmp_path / "c")[0]
    raw = entry.read_bytes()
    header, _, payload = raw.partition(b"\n")
    value = repr(float(expected.targets["target_low"].dropna().iloc[0])).encode()
    assert value in payload
    entry.write_bytes(header + b"\n" + payload.replace(value, b"999999.0", 1))
    again = load(data_copy)
    pd.testing.assert_frame_equal(again.targets, expected.targets)
    assert entry.read_bytes() == raw, "the entry was written again from the validated tables"


def test_font_css_is_verified_before_it_reaches_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached @font-face rule carrying a script, even with a matching digest, is regenerated, not pasted."""
    from plantrack.present.fonts import font_face_css
    from plantrack.present.page import page

    monkeypatch.setenv("PLANTRACK_CACHE", str(tmp_path / "c"))
    good = font_face_css("通州区")
    (entry,) = (tmp_path / "c" / "fonts").glob("*.css")
    hostile = good.replace("format('opentype'); }", "format('opentype'); } </style><script>alert(1)</script><style>")
    entry.write_bytes(_with_header(entry.name, hostile.encode()))
    html = page("<p>通州区</p>", "通州区")
    assert "<script" not in html and good in html
    assert entry.read_bytes() == _with_header(entry.name, good.encode())


def test_cache_folder_is_private(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "new" / "c"
    monkeypatch.setenv("PLANTRACK_CACHE", str(cache))
    load(data_copy)
    for folder in (cache, cache / "data"):
        assert folder.stat().st_mode & 0o077 == 0, oct(folder.stat().st_mode)
    assert _entries(cache)[0].stat().st_mode & 0o077 == 0


def test_folder_writable_by_others_is_refused(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plantrack.data import cache as cache_module

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("PLANTRACK_CACHE", str(shared))
    monkeypatch.setattr(cache_module, "_warned", set())
    with pytest.warns(cache_module.CacheWarning, match="writable by other users"):
        data = load(data_copy)
    rows = sum(1 for _ in (data_copy / "targets.csv").open(encoding="utf-8")) - 1
    assert len(data.targets) == rows and not any(shared.rglob("*.json")), "nothing is read from or written there"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_folder_of_another_user_is_refused(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plantrack.data import cache as cache_module

    theirs = tmp_path / "theirs"
    (theirs / "data").mkdir(parents=True, mode=0o700)
    os.chown(theirs, 4242, -1)
    monkeypatch.setenv("PLANTRACK_CACHE", str(theirs))
    monkeypatch.setattr(cache_module, "_warned", set())
    with pytest.warns(cache_module.CacheWarning, match="belongs to another user"):
        load(data_copy)
    assert not any(theirs.rglob("*.json"))


def test_frames_round_trip_exactly_and_refuse_anything_else() -> None:
    """The cache's JSON keeps each dtype and each missing value as it was (None, NaN, NA); other content is refused."""
    import json

    from plantrack.data.frames import frames_from_json, frames_to_json

    df = pd.DataFrame(
        {
            "text": pd.Series(["x", None, float("nan")], dtype=object),
            "number": [0.1 + 0.2, float("nan"), -1e-300],
            "year": pd.array([2020, None, 2025], dtype="Int64"),
            "line": [2, 3, 4],
            "unit": pd.Series(["件", None, "%"], dtype="str"),
        }
    )
    back = frames_from_json(frames_to_json({"t": df}))["t"]  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(df, back, check_exact=True)
    assert [type(v) for v in back["text"]] == [str, type(None), float]
    assert frames_to_json({"t": df.set_index("line")}) is None, "only the default index is kept"
    assert frames_to_json({"t": pd.DataFrame({"when": pd.to_datetime(["2020-01-01"])})}) is None
    doc = json.loads(frames_to_json({"t": df}))  # type: ignore[arg-type]
    doc["frames"]["t"]["columns"]["text"]["values"][0] = {"__reduce__": "os.system"}
    with pytest.raises(ValueError):
        frames_from_json(json.dumps(doc).encode())
