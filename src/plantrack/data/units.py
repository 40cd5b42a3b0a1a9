"""Units as written in the plans and their normalised form (万件 → 件, 万人 → 人), from one table: ``units.csv``.

Each row of ``units.csv`` (beside this module) is a unit as written (``kind`` unit) or a scale prefix
(``kind`` scale: 万, 亿, 百万, 千): the unit it normalises to and the factor, whether the template
offers it, and whether it is a counter (个, 家, 项: one may stand for another where the indicator's
plan writes it). A unit not listed but written as a scale and a listed unit (26亿件) is read as their
product. The table is checked when it is read: a malformed row stops the import of the package.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .vocabulary import MAGNITUDES

TABLE = Path(__file__).with_name("units.csv")
TABLE_COLUMNS = ("unit", "kind", "normalised", "factor", "offered", "counter", "magnitude", "note")


@dataclass(frozen=True)
class Unit:
    """One unit as written: what it normalises to, by which factor, offered in drop-downs, a counter."""

    unit: str
    normalised: str
    factor: float
    offered: bool
    counter: bool
    magnitude: str


def _read_table(path: Path = TABLE) -> tuple[dict[str, Unit], dict[str, float]]:
    """The units and scale prefixes of the table; raises ``ValueError`` naming the line of a malformed row."""
    units: dict[str, Unit] = {}
    scales: dict[str, float] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != TABLE_COLUMNS:
            raise ValueError(f"{path.name}: expected the columns {', '.join(TABLE_COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            unit, kind = row["unit"], row["kind"]
            try:
                factor = float(row["factor"])
            except ValueError:
                factor = math.nan
            if not (math.isfinite(factor) and factor > 0):
                raise ValueError(f"{path.name} line {line}: factor must be a positive number")
            if row["offered"] not in ("yes", "no") or row["counter"] not in ("yes", ""):
                raise ValueError(f"{path.name} line {line}: offered is yes or no, counter yes or empty")
            if (kind == "unit") != (row["magnitude"] in MAGNITUDES) or (kind == "scale" and row["magnitude"]):
                raise ValueError(f"{path.name} line {line}: magnitude: absolute or relative (a unit), empty (a scale)")
            if unit in units or unit in scales:
                raise ValueError(f"{path.name} line {line}: {unit!r} is listed twice")
            if kind == "scale":
                scales[unit] = factor
            elif kind == "unit":
                units[unit] = Unit(
                    unit, row["normalised"], factor, row["offered"] == "yes", row["counter"] == "yes", row["magnitude"]
                )
            else:
                raise ValueError(f"{path.name} line {line}: kind is unit or scale")
    for u in units.values():
        base = units.get(u.normalised)
        if base is None or base.factor != 1.0:
            raise ValueError(f"{path.name}: {u.unit!r} normalises to {u.normalised!r}, which is not a unit of factor 1")
        if u.magnitude != base.magnitude:
            raise ValueError(f"{path.name}: {u.unit!r} is {u.magnitude} but {u.normalised!r} is {base.magnitude}")
    return units, scales


UNITS, SCALES = _read_table()
#: unit as written -> (normalised unit, factor)
UNIT_FACTORS: dict[str, tuple[str, float]] = {u.unit: (u.normalised, u.factor) for u in UNITS.values()}
#: units that occur only in retrieved texts (traditional characters, English tables): accepted, never offered
WRITTEN_ONLY = {u.unit for u in UNITS.values() if not u.offered}
#: Counters that count the same kind of thing (organisations, sites): 个, 家 and 项.
COUNTERS = {u.normalised for u in UNITS.values() if u.counter}


def normalise_unit(unit: str) -> tuple[str, float] | None:
    """Return ``(normalised unit, factor)`` for a written unit (or a scale and a listed unit), or ``None``."""
    text = (unit or "").strip()
    if text in UNIT_FACTORS:
        return UNIT_FACTORS[text]
    for scale in sorted(SCALES, key=len, reverse=True):
        rest = text[len(scale) :]
        if text.startswith(scale) and rest and rest in UNIT_FACTORS:
            norm, f = UNIT_FACTORS[rest]
            return norm, SCALES[scale] * f
    return None


def allowed_counters(plan_units: Iterable[str]) -> set[str]:
    """The counters an indicator's plan writes (个 where it writes 个): these may stand for its own counter."""
    out = set()
    for u in plan_units:
        norm = normalise_unit(u)
        if norm is not None and norm[0] in COUNTERS:
            out.add(norm[0])
    return out


def compatible(written: str, catalogue_unit: str, counters: Collection[str] | None = None) -> bool:
    """True when a value written in ``written`` can be expressed in the indicator's unit.

    One counter stands for another (10个 for an indicator counted in 家) only when it is among
    ``counters``, the counters the indicator's plan writes; ``None`` allows every counter.
    """
    norm = normalise_unit(written)
    target = normalise_unit(catalogue_unit)
    if norm is None or target is None:
        return False
    if norm[0] == target[0] or written == "":
        return True
    if {norm[0], target[0]} <= COUNTERS:
        return counters is None or norm[0] in counters
    return False


def factor(written: str) -> float:
    """Multiplier that turns a value in ``written`` units into normalised units."""
    norm = normalise_unit(written)
    return norm[1] if norm else float("nan")


def offered_units(catalogue_unit: str, plan_units: Iterable[str] = ()) -> list[str]:
    """Units a value of an indicator may be typed in: its own first, the table's offered ones, the plan's counters."""
    counters = allowed_counters(plan_units)
    target = normalise_unit(catalogue_unit)
    others = [
        u.unit
        for u in UNITS.values()
        if u.unit
        and u.unit != catalogue_unit
        and u.offered
        and target is not None
        and (u.normalised == target[0] or (u.normalised in counters and u.factor == 1.0))
    ]
    return [catalogue_unit, *others]


def in_catalogue(value: float, written: str) -> float:
    """A value written in ``written`` in the catalogue unit (43 in 万件 → 430000); unknown units as they are."""
    k = factor(written) if written else 1.0
    return value * (k if k == k else 1.0)


def in_written(value: float, written: str) -> float | None:
    """A value held in the catalogue unit expressed in the unit a plan writes (430000 in 万件 → 43); None if unknown."""
    k = factor(written) if written else float("nan")
    return None if k != k or not k else value / k


def magnitude(unit: object, declared: object = None, relation: object = None) -> str | None:
    """``absolute`` or ``relative``: the indicator's own declaration (``indicators.csv`` ``magnitude``) where it
    makes one, else ``relative`` for a value computed per 10 000 people (``relation`` ``per_10k``), else its
    unit's (``units.csv``); None for a unit the table does not know."""
    if isinstance(declared, str) and declared in MAGNITUDES:
        return declared
    if relation == "per_10k":
        return "relative"
    u = UNITS.get(unit.strip() if isinstance(unit, str) else "")
    return u.magnitude if u is not None else None


def magnitude_of(indicator: Mapping[str, object]) -> str | None:
    """:func:`magnitude` of a row of ``indicators.csv`` (its unit, ``magnitude`` and ``relation``)."""
    return magnitude(indicator.get("unit"), indicator.get("magnitude"), indicator.get("relation"))
