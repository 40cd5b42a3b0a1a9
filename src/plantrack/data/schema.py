"""The curated tables as their pandera models declare them, described for the code that reads and writes them.

The models (:mod:`plantrack.data.models`) are the one declaration of each table's columns;
``TABLES`` describes them for the code that reads, checks and writes CSV files, and imports
pandera only when a table is first looked at. ``data/README.md`` documents the same columns
for people; ``tests/test_packaging.py`` checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = ["LOAD_ORDER", "TABLES", "Column", "Table"]


@dataclass(frozen=True)
class Column:
    """What the rest of the package needs of one column, read from its pandera model."""

    type: str  # "str", "float" or "int"
    required: bool
    allowed: tuple[str, ...] = ()
    year: bool = False
    references: str = ""  # the table whose first key column this column names


@dataclass(frozen=True)
class Table:
    """One CSV file as its pandera model declares it: file, columns in order, key, optional columns."""

    name: str
    file: str
    columns: dict[str, Column]
    key: tuple[str, ...]
    optional_columns: tuple[str, ...] = field(default=())
    optional_file: bool = False  # a folder without the file holds an empty table

    @property
    def id_columns(self) -> frozenset[str]:
        """Columns holding an id (ids name files and folders): the key of a one-key table, and every reference."""
        own = {self.key[0]} if len(self.key) == 1 else set()
        return frozenset(own | {name for name, col in self.columns.items() if col.references})

    def model(self) -> type[pa.DataFrameModel]:
        """The pandera ``DataFrameModel`` this description was read from."""
        from .models import MODELS

        return MODELS[self.name]


_TYPES = {"str": "str", "string": "str", "float64": "float", "Int64": "int"}


def _describe(name: str) -> Table:
    from .models import MODELS

    model = MODELS[name]
    meta = model.__config__.metadata or {}
    schema = model.to_schema()
    columns: dict[str, Column] = {}
    for col_name, col in schema.columns.items():
        dtype = str(col.dtype)
        kind = _TYPES.get(dtype.split("[", 1)[0])
        if kind is None:
            raise TypeError(f"{name}.{col_name}: unsupported column type {dtype}")
        allowed: tuple[str, ...] = ()
        year = False
        for check in col.checks:
            if check.name == "isin":
                allowed = tuple(check.statistics["allowed_values"])
            elif check.name == "in_range":  # only years have a range
                year = True
        references = (col.metadata or {}).get("references", "")
        columns[col_name] = Column(kind, not col.nullable, allowed, year, references)
    optional = tuple(meta.get("optional_columns", ()))
    return Table(name, meta["file"], columns, tuple(meta["key"]), optional, bool(meta.get("optional_file", False)))


class _Tables(Mapping[str, Table]):
    """The tables by name, read from their models on first use (so reading cached data needs no pandera)."""

    def __init__(self) -> None:
        self._known: dict[str, Table] = {}

    def __getitem__(self, name: str) -> Table:
        if name not in self._known:
            if name not in LOAD_ORDER:
                raise KeyError(name)
            self._known[name] = _describe(name)
        return self._known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(LOAD_ORDER)

    def __len__(self) -> int:
        return len(LOAD_ORDER)


#: The order tables are read in: a table's foreign keys point to tables read before it (or to itself).
LOAD_ORDER = ("regions", "plans", "sources", "indicators", "targets", "observations", "proxies", "published")
TABLES: Mapping[str, Table] = _Tables()
