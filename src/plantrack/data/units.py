"""Units as written in the plans and their normalised form (万件 → 件, 万人 → 人)."""

from __future__ import annotations

#: unit as written -> (normalised unit, factor)
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "件": ("件", 1.0),
    "万件": ("件", 1e4),
    "家": ("家", 1.0),
    "万家": ("家", 1e4),
    "个": ("个", 1.0),
    "人": ("人", 1.0),
    "万人": ("人", 1e4),
    "名": ("人", 1.0),
    "人次": ("人次", 1.0),
    "万人次": ("人次", 1e4),
    "亿元": ("亿元", 1.0),
    "万元": ("亿元", 1e-4),
    "%": ("%", 1.0),
    "分": ("分", 1.0),
    "项": ("项", 1.0),
    "次": ("次", 1.0),
    "单": ("单", 1.0),
    "万亿元": ("亿元", 1e4),
    # as written in retrieved texts: traditional characters and English statistics tables
    "萬件": ("件", 1e4),
    "個": ("个", 1.0),
    "percent": ("%", 1.0),
    "億元": ("亿元", 1.0),
    "亿人民币": ("亿元", 1.0),
    "piece": ("件", 1.0),
    "pieces": ("件", 1.0),
    "companies": ("家", 1.0),
    "million yuan": ("亿元", 1e-2),
    "billion yuan": ("亿元", 10.0),
    "": ("", 1.0),
}


#: units that occur only in retrieved texts (traditional characters, English tables): accepted, never offered
WRITTEN_ONLY = {
    "萬件",
    "個",
    "percent",
    "億元",
    "亿人民币",
    "piece",
    "pieces",
    "companies",
    "million yuan",
    "billion yuan",
}

#: Counters that count the same kind of thing (organisations, sites): 个 and 家.
COUNTERS = {"个", "家"}


def normalise_unit(unit: str) -> tuple[str, float] | None:
    """Return ``(normalised unit, factor)`` for a written unit, or ``None`` if unknown."""
    return UNIT_FACTORS.get((unit or "").strip())


def compatible(written: str, catalogue_unit: str) -> bool:
    """True when a value written in ``written`` can be expressed in the indicator's unit."""
    norm = normalise_unit(written)
    target = normalise_unit(catalogue_unit)
    if norm is None or target is None:
        return False
    return norm[0] == target[0] or written == "" or {norm[0], target[0]} <= COUNTERS


def factor(written: str) -> float:
    """Multiplier that turns a value in ``written`` units into normalised units."""
    norm = normalise_unit(written)
    return norm[1] if norm else float("nan")


def in_catalogue(value: float, written: str) -> float:
    """A value written in ``written`` in the catalogue unit (43 in 万件 → 430000); unknown units as they are."""
    k = factor(written) if written else 1.0
    return value * (k if k == k else 1.0)


def in_written(value: float, written: str) -> float | None:
    """A value held in the catalogue unit expressed in the unit a plan writes (430000 in 万件 → 43); None if unknown."""
    k = factor(written) if written else float("nan")
    return None if k != k or not k else value / k
