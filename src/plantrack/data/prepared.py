"""A report's slice of the validated data, prepared once per batch and read by the report's kernel.

A batch validates the dataset once and writes for each region only the rows its report reads
(:func:`subset`; which regions those are is the analysis layer's business:
:func:`plantrack.analysis.comparison.report_regions`). A kernel then loads a few hundred rows,
whatever the size of the dataset, instead of validating or unpacking all of it and indexing
every region's rows.

The tables are stored as the validated-data cache stores them (:mod:`plantrack.data.frames`:
JSON, every column with its dtype, read back exactly and checked), inside a small document
that also carries what the slice keeps of the whole dataset (:class:`~plantrack.data.tables.Whole`).
The file is named after the SHA-256 digest of its bytes; :func:`read` refuses a file whose
bytes do not match its name. No pickle: reading a slice runs no code.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from pathlib import Path

from .frames import FORMAT as FRAMES
from .frames import frames_from_doc, frames_to_json
from .schema import LOAD_ORDER
from .tables import PlanData, Whole

FORMAT = "plantrack-slice/2"
_BY_REGION = ("targets", "observations", "proxies")


class SliceError(ValueError):
    """A prepared slice that is missing, altered or of another format."""


def _ancestry(data: PlanData, regions: set[str]) -> set[str]:
    """``regions``, every ancestor of them and the national region."""
    out = set(regions) | {str(r) for r, row in data.lookup.regions.items() if row["level"] == "national"}
    for r in regions:
        cur = data.lookup.regions.get(r, {}).get("parent_id")
        while cur and cur not in out:
            out.add(str(cur))
            cur = data.lookup.regions.get(str(cur), {}).get("parent_id")
    return out


def subset(
    data: PlanData, regions: set[str], targeting: dict[str, int], facts: dict[str, object] | None = None
) -> PlanData:
    """The rows of ``regions`` (targets, observations, proxies), their ancestors' and the sources they cite.

    Plans and indicators are kept whole (a fixed catalogue), and so is the national region.
    ``targeting`` (regions that target each indicator in the whole dataset) and ``facts`` (plain
    values computed on the whole dataset) travel with the slice as :class:`~plantrack.data.tables.Whole`.
    """
    rows = {name: getattr(data, name)[getattr(data, name)["region_id"].isin(regions)] for name in _BY_REGION}
    cited = set(rows["targets"]["source_id"]) | set(rows["observations"]["source_id"])
    tables = {
        "regions": data.regions[data.regions["region_id"].isin(_ancestry(data, regions))],
        "plans": data.plans,
        "sources": data.sources[data.sources["source_id"].isin(cited)],
        "indicators": data.indicators,
        "published": data.published,
        **rows,
    }
    whole = Whole(targeting=dict(targeting), facts=dict(facts or {}))
    return PlanData(data_dir=data.data_dir, whole=whole, **{k: v.reset_index(drop=True) for k, v in tables.items()})


def _document(data_dir: Path, whole: Whole | None, frames: bytes) -> bytes:
    meta = None if whole is None else {"targeting": whole.targeting, "facts": whole.facts}
    head = {"format": FORMAT, "data_dir": str(data_dir), "whole": meta}
    return json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1].encode() + b',"tables":' + frames + b"}"


def dumps(data: PlanData) -> bytes:
    """The tables of ``data`` (and its :class:`Whole`) as JSON bytes."""
    frames = frames_to_json({name: getattr(data, name) for name in LOAD_ORDER})
    if frames is None:
        raise SliceError("a table holds values the frames format does not keep exactly")
    return _document(data.data_dir, data.whole, frames)


def loads(payload: bytes) -> PlanData:
    """The :class:`PlanData` written by :func:`dumps` (``SliceError`` for anything else)."""
    try:
        doc = json.loads(payload.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        tables = frames_from_doc(doc.get("tables"))
        if set(tables) != set(LOAD_ORDER):
            raise ValueError("the slice does not hold every table")
        whole = doc.get("whole")
        if whole is not None and not (
            isinstance(whole.get("targeting"), dict) and isinstance(whole.get("facts", {}), dict)
        ):
            raise ValueError("malformed whole-dataset facts")
    except (ValueError, AttributeError) as err:
        raise SliceError(f"prepared data: {err}") from None
    return PlanData(
        data_dir=Path(str(doc.get("data_dir"))),
        whole=Whole(targeting=dict(whole["targeting"]), facts=dict(whole.get("facts", {}))) if whole else None,
        **{name: tables[name] for name in LOAD_ORDER},
    )


class Slicer:
    """Slices of one dataset, cheaply: every value is encoded once, and a slice joins the values it keeps.

    ``Slicer(data).dumps(regions, targeting, facts)`` gives the bytes of
    ``dumps(subset(data, regions, targeting, facts))``.
    """

    def __init__(self, data: PlanData) -> None:
        self.data = data
        whole = json.loads(frames_to_json({name: getattr(data, name) for name in LOAD_ORDER}) or b"null")
        if whole is None:
            raise SliceError("a table holds values the frames format does not keep exactly")
        self.columns: dict[str, list[tuple[str, str, list[str]]]] = {
            name: [(c, spec["dtype"], [_json(v) for v in spec["values"]]) for c, spec in frame["columns"].items()]
            for name, frame in whole["frames"].items()
        }
        self.rows = {name: len(getattr(data, name)) for name in LOAD_ORDER}
        self.at: dict[str, dict[str, list[int]]] = {}
        for name in (*_BY_REGION, "regions"):
            self.at[name] = defaultdict(list)
            for i, r in enumerate(getattr(data, name)["region_id"]):
                self.at[name][r].append(i)
        self.at["sources"] = {s: [i] for i, s in enumerate(data.sources["source_id"])}
        self.cites = {name: list(getattr(data, name)["source_id"]) for name in ("targets", "observations")}

    def _pick(self, name: str, keys: set[str]) -> list[int]:
        return sorted(i for k in keys for i in self.at[name].get(k, []))

    def _frame(self, name: str, rows: list[int] | None) -> str:
        n = self.rows[name] if rows is None else len(rows)
        cols = ",".join(
            f'{json.dumps(c, ensure_ascii=False)}:{{"dtype":"{dtype}","values":['
            + ",".join(values if rows is None else [values[i] for i in rows])
            + "]}"
            for c, dtype, values in self.columns[name]
        )
        return f'{json.dumps(name)}:{{"rows":{n},"columns":{{{cols}}}}}'

    def dumps(self, regions: set[str], targeting: dict[str, int], facts: dict[str, object] | None = None) -> bytes:
        """The slice of ``regions`` as JSON bytes."""
        picked: dict[str, list[int] | None] = {name: self._pick(name, regions) for name in _BY_REGION}
        cited = {self.cites[n][i] for n in ("targets", "observations") for i in picked[n] or []}
        picked["regions"] = self._pick("regions", _ancestry(self.data, regions))
        picked["sources"] = self._pick("sources", cited)
        frames = ",".join(self._frame(name, picked.get(name)) for name in LOAD_ORDER)
        doc = f'{{"format":"{FRAMES}","frames":{{{frames}}}}}'.encode()
        return _document(self.data.data_dir, Whole(targeting=dict(targeting), facts=dict(facts or {})), doc)

    def write(
        self, regions: set[str], targeting: dict[str, int], folder: Path, facts: dict[str, object] | None = None
    ) -> Path:
        """Write the slice of ``regions`` into ``folder`` (see :func:`write`)."""
        return _write(self.dumps(regions, targeting, facts), folder)


_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_text = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _json(v: object) -> str:
    """One value as :func:`json.dumps` writes it inside a compact document (text, the common case, fast)."""
    return _text(v) if type(v) is str else _encoder.encode(v)


def write(data: PlanData, folder: Path) -> Path:
    """Write ``data`` to ``folder/<sha256>.json``; return the path."""
    return _write(dumps(data), folder)


def _write(payload: bytes, folder: Path) -> Path:
    """A new file readable by this user only; not synced to disk (it lives as long as the batch)."""
    path = folder / f"{hashlib.sha256(payload).hexdigest()}.json"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # the same slice (same bytes) for another region
        return path
    with os.fdopen(fd, "wb") as f:
        f.write(payload)
    return path


def read(path: str | Path) -> PlanData:
    """The slice at ``path``, after checking that its bytes match the digest in its name."""
    path = Path(path)
    try:
        payload = path.read_bytes()
    except OSError as err:
        raise SliceError(f"prepared data {path}: {err.strerror or err}") from None
    if hashlib.sha256(payload).hexdigest() != path.stem:
        raise SliceError(f"prepared data {path}: its content does not match its digest; render again")
    return loads(payload)

