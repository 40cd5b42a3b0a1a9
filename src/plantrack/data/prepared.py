"""A report's slice of the validated data, prepared once per batch and read by the report's kernel.

A batch validates the dataset once, in the process that runs it, and writes for each region
only the rows its report reads (:func:`subset`; which regions those are is the analysis
layer's business: :func:`plantrack.analysis.comparison.report_regions`). A kernel then loads a
few hundred rows, whatever the size of the dataset, instead of validating or unpacking all of
it and indexing every region's rows.

The file is JSON (no pickle: reading it runs no code) named after the SHA-256 digest of its
bytes; :func:`read` refuses a file whose bytes do not match its name. Typed columns come back
with their dtypes, and missing values as they were (None, NaN or pandas' NA), so a report
drawn from a slice is byte-identical to one drawn from the whole dataset.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from .files import write_atomic
from .schema import LOAD_ORDER
from .tables import PlanData, Whole

FORMAT = "plantrack-slice-1"
_NAN, _NA = {"$": "nan"}, {"$": "na"}


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


def subset(data: PlanData, regions: set[str], targeting: dict[str, int]) -> PlanData:
    """The rows of ``regions`` (targets, observations, proxies), their ancestors' and the sources they cite.

    Plans and indicators are kept whole (a fixed catalogue), and so is the national region.
    ``targeting`` (regions that target each indicator in the whole dataset) travels with the
    slice as :class:`~plantrack.data.tables.Whole`.
    """
    rows = {name: getattr(data, name)[getattr(data, name)["region_id"].isin(regions)] for name in _BY_REGION}
    cited = set(rows["targets"]["source_id"]) | set(rows["observations"]["source_id"])
    tables = {
        "regions": data.regions[data.regions["region_id"].isin(_ancestry(data, regions))],
        "plans": data.plans,
        "sources": data.sources[data.sources["source_id"].isin(cited)],
        "indicators": data.indicators,
        **rows,
    }
    whole = Whole(targeting=dict(targeting))
    return PlanData(data_dir=data.data_dir, whole=whole, **{k: v.reset_index(drop=True) for k, v in tables.items()})


_BY_REGION = ("targets", "observations", "proxies")


def _encode(v: Any) -> Any:
    if v is pd.NA:
        return _NA
    if isinstance(v, float) and math.isnan(v):
        return _NAN
    if hasattr(v, "item"):  # a numpy scalar
        return v.item()
    return v


def _decode(v: Any) -> Any:
    if isinstance(v, dict):
        return pd.NA if v == _NA else math.nan
    return v


def _head(df: pd.DataFrame) -> str:
    return json.dumps({"columns": list(df.columns), "dtypes": [str(t) for t in df.dtypes]}, ensure_ascii=False)


def _rows(df: pd.DataFrame) -> list[str]:
    """Each row as a JSON array (missing values marked by kind)."""
    columns = [[_encode(v) for v in df[c].tolist()] for c in df.columns]
    return [json.dumps(list(row), ensure_ascii=False, separators=(",", ":")) for row in zip(*columns, strict=True)]


def _document(data_dir: Path, whole: Whole | None, tables: dict[str, tuple[str, list[str]]]) -> bytes:
    meta = None if whole is None else {"targeting": whole.targeting}
    parts = [
        f'{{"format":"{FORMAT}","data_dir":{json.dumps(str(data_dir), ensure_ascii=False)},'
        f'"whole":{json.dumps(meta, ensure_ascii=False, sort_keys=True)},"tables":{{'
    ]
    parts.append(",".join(f'"{n}":{{"head":{head},"rows":[{",".join(rows)}]}}' for n, (head, rows) in tables.items()))
    parts.append("}}")
    return "".join(parts).encode("utf-8")


def dumps(data: PlanData) -> bytes:
    """The tables of ``data`` (and its :class:`Whole`) as JSON bytes."""
    tables = {name: (_head(getattr(data, name)), _rows(getattr(data, name))) for name in LOAD_ORDER}
    return _document(data.data_dir, data.whole, tables)


def loads(payload: bytes) -> PlanData:
    """The :class:`PlanData` written by :func:`dumps`."""
    doc = json.loads(payload)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SliceError(f"not a {FORMAT} file")
    tables = {}
    for name in LOAD_ORDER:
        t = doc["tables"][name]
        head, rows = t["head"], t["rows"]
        values = list(zip(*rows, strict=True)) if rows else [() for _ in head["columns"]]
        columns = {
            c: pd.Series([_decode(v) for v in vs], dtype=dtype, name=c)
            for c, dtype, vs in zip(head["columns"], head["dtypes"], values, strict=True)
        }
        tables[name] = pd.DataFrame(columns, columns=head["columns"])
    whole = Whole(**doc["whole"]) if doc["whole"] else None
    return PlanData(data_dir=Path(doc["data_dir"]), whole=whole, **tables)


class Slicer:
    """Slices of one dataset, cheaply: every row is encoded once, and a slice joins the rows it keeps.

    ``Slicer(data).dumps(regions, targeting)`` gives the bytes of
    ``dumps(subset(data, regions, targeting))``.
    """

    def __init__(self, data: PlanData) -> None:
        self.data = data
        self.head = {name: _head(getattr(data, name)) for name in LOAD_ORDER}
        self.rows = {name: _rows(getattr(data, name)) for name in LOAD_ORDER}
        self.at: dict[str, dict[str, list[int]]] = {}
        for name in (*_BY_REGION, "regions"):
            self.at[name] = defaultdict(list)
            for i, r in enumerate(getattr(data, name)["region_id"]):
                self.at[name][r].append(i)
        self.at["sources"] = {s: [i] for i, s in enumerate(data.sources["source_id"])}
        self.cites = {name: list(getattr(data, name)["source_id"]) for name in ("targets", "observations")}

    def _pick(self, name: str, keys: set[str]) -> list[int]:
        return sorted(i for k in keys for i in self.at[name].get(k, []))

    def dumps(self, regions: set[str], targeting: dict[str, int]) -> bytes:
        """The slice of ``regions`` as JSON bytes."""
        picked = {name: self._pick(name, regions) for name in _BY_REGION}
        cited = {self.cites[n][i] for n in ("targets", "observations") for i in picked[n]}
        picked["regions"] = self._pick("regions", _ancestry(self.data, regions))
        picked["sources"] = self._pick("sources", cited)
        rows = {name: [self.rows[name][i] for i in at] for name, at in picked.items()}
        tables = {name: (self.head[name], rows.get(name, self.rows[name])) for name in LOAD_ORDER}
        whole = Whole(targeting=dict(targeting))
        return _document(self.data.data_dir, whole, tables)

    def write(self, regions: set[str], targeting: dict[str, int], folder: Path) -> Path:
        """Write the slice of ``regions`` into ``folder`` (see :func:`write`)."""
        return _write(self.dumps(regions, targeting), folder)


def write(data: PlanData, folder: Path) -> Path:
    """Write ``data`` to ``folder/<sha256>.json``; return the path."""
    return _write(dumps(data), folder)


def _write(payload: bytes, folder: Path) -> Path:
    path = folder / f"{hashlib.sha256(payload).hexdigest()}.json"
    if not path.exists():
        write_atomic(path, payload, mode=0o600)
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
