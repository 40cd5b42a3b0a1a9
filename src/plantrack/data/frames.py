"""Typed tables as JSON and back, exactly: the format of the validated-data cache (no pickle, no code).

Each column is stored with its dtype and its values; only the dtypes the loader produces
are accepted (``object`` holding text, None or NaN, ``str``, ``float64``, ``int64``, ``Int64``, ``bool``),
and the index must be the default one. Floats are written with ``repr`` precision (NaN as
``NaN``), so a round trip gives the same frames bit for bit. Anything else is refused:
:func:`frames_to_json` returns None (nothing is cached) and :func:`frames_from_json`
raises ``ValueError`` (the caller validates the CSV files again).
"""

from __future__ import annotations

import json
import math

import pandas as pd

FORMAT = "plantrack-frames/1"
_DTYPES = ("object", "str", "float64", "int64", "Int64", "bool")
_NAN = {"nan": True}  # NaN in a text (object) column


def _column(s: pd.Series) -> dict[str, object] | None:
    dtype = str(s.dtype)
    if dtype not in _DTYPES:
        return None
    values: list[object] = []
    for v in s.tolist():
        if dtype == "object":
            if isinstance(v, float) and math.isnan(v):
                v = _NAN  # a missing value that pandas wrote as NaN (not None) stays NaN
            elif v is not None and not isinstance(v, str):
                return None
        elif dtype == "str":
            if not isinstance(v, str):  # missing text of the str dtype is NaN
                if not (isinstance(v, float) and math.isnan(v)):
                    return None
                v = None
        elif dtype == "float64":
            v = float(v)
        elif dtype == "Int64":
            v = None if v is pd.NA else int(v)
        elif dtype == "bool":
            v = bool(v)
        else:
            v = int(v)
        values.append(v)
    return {"dtype": dtype, "values": values}


def frames_to_json(frames: dict[str, pd.DataFrame]) -> bytes | None:
    """``frames`` as JSON bytes, or None when a frame holds anything this format does not keep exactly."""
    out: dict[str, object] = {"format": FORMAT, "frames": {}}
    for name, df in frames.items():
        if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
            return None
        if not all(isinstance(c, str) for c in df.columns) or df.columns.has_duplicates:
            return None
        cols = {}
        for c in df.columns:
            col = _column(df[c])
            if col is None:
                return None
            cols[c] = col
        out["frames"][name] = {"rows": len(df), "columns": cols}  # type: ignore[index]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _series(col: object, rows: int) -> pd.Series:
    if not isinstance(col, dict) or col.get("dtype") not in _DTYPES or not isinstance(col.get("values"), list):
        raise ValueError("malformed column")
    dtype, values = col["dtype"], col["values"]
    if len(values) != rows:
        raise ValueError("column length differs from the row count")
    if dtype == "object":
        if not all(v is None or isinstance(v, str) or v == _NAN for v in values):
            raise ValueError("text column holds something else")
        return pd.Series([float("nan") if v == _NAN else v for v in values], dtype=object)
    if dtype == "str":
        if not all(v is None or isinstance(v, str) for v in values):
            raise ValueError("text column holds something else")
        return pd.Series(values, dtype="str")
    if dtype == "float64":
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise ValueError("float column holds something else")
        return pd.Series([float(v) for v in values], dtype="float64")
    if dtype == "bool":
        if not all(isinstance(v, bool) for v in values):
            raise ValueError("boolean column holds something else")
        return pd.Series(values, dtype="bool")
    if not all((v is None and dtype == "Int64") or (isinstance(v, int) and not isinstance(v, bool)) for v in values):
        raise ValueError("integer column holds something else")
    return pd.Series(values, dtype=dtype)


def frames_from_json(payload: bytes) -> dict[str, pd.DataFrame]:
    """The frames stored by :func:`frames_to_json`; ``ValueError`` for anything else."""
    return frames_from_doc(json.loads(payload.decode("utf-8")))


def frames_from_doc(doc: object) -> dict[str, pd.DataFrame]:
    """:func:`frames_from_json` on a document already parsed (one embedded in a larger document)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("frames"), dict):
        raise ValueError("not a plantrack frames document")
    frames = {}
    for name, spec in doc["frames"].items():
        if not (isinstance(spec, dict) and isinstance(spec.get("rows"), int) and isinstance(spec.get("columns"), dict)):
            raise ValueError(f"malformed frame {name!r}")
        rows = spec["rows"]
        data = {c: _series(col, rows) for c, col in spec["columns"].items()}
        frames[name] = pd.DataFrame(data, index=pd.RangeIndex(rows))
    return frames
