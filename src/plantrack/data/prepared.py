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


def subset(data: PlanData, regions: set[str], targeting: dict[str, int]) -> PlanData:
    """The rows of ``regions`` (targets, observations, proxies), their ancestors' and the sources they cite.

    Plans and indicators are kept whole (a fixed catalogue). ``targeting`` (regions that
    target each indicator in the whole dataset) and the newest observation year travel with
    the slice as :class:`~plantrack.data.tables.Whole`.
    """
    keep_regions = set(regions)
    for r in regions:
        cur = data.lookup.regions.get(r, {}).get("parent_id")
        while cur and cur not in keep_regions:
            keep_regions.add(str(cur))
            cur = data.lookup.regions.get(str(cur), {}).get("parent_id")
    rows = {
        name: getattr(data, name)[getattr(data, name)["region_id"].isin(regions)]
        for name in ("targets", "observations", "proxies")
    }
    cited = set(rows["targets"]["source_id"]) | set(rows["observations"]["source_id"])
    tables = {
        "regions": data.regions[data.regions["region_id"].isin(keep_regions)],
        "plans": data.plans,
        "sources": data.sources[data.sources["source_id"].isin(cited)],
        "indicators": data.indicators,
        **rows,
    }
    whole = Whole(latest_year=data.latest_observation_year(), targeting=dict(targeting))
    return PlanData(data_dir=data.data_dir, whole=whole, **{k: v.reset_index(drop=True) for k, v in tables.items()})


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


def dumps(data: PlanData) -> bytes:
    """The tables of ``data`` (and its :class:`Whole`) as JSON bytes."""
    tables = {}
    for name in LOAD_ORDER:
        df = getattr(data, name)
        tables[name] = {
            "columns": list(df.columns),
            "dtypes": [str(t) for t in df.dtypes],
            "values": [[_encode(v) for v in df[c].tolist()] for c in df.columns],
        }
    whole = None if data.whole is None else {"latest_year": data.whole.latest_year, "targeting": data.whole.targeting}
    doc = {"format": FORMAT, "data_dir": str(data.data_dir), "whole": whole, "tables": tables}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(payload: bytes) -> PlanData:
    """The :class:`PlanData` written by :func:`dumps`."""
    doc = json.loads(payload)
    if doc.get("format") != FORMAT:
        raise SliceError(f"not a {FORMAT} file")
    tables = {}
    for name in LOAD_ORDER:
        t = doc["tables"][name]
        columns = {
            c: pd.Series([_decode(v) for v in values], dtype=dtype, name=c)
            for c, dtype, values in zip(t["columns"], t["dtypes"], t["values"], strict=True)
        }
        tables[name] = pd.DataFrame(columns, columns=t["columns"])
    whole = Whole(**doc["whole"]) if doc["whole"] else None
    return PlanData(data_dir=Path(doc["data_dir"]), whole=whole, **tables)


def write(data: PlanData, folder: Path) -> Path:
    """Write ``data`` to ``folder/<sha256>.json``; return the path."""
    payload = dumps(data)
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
