"""Load the curated tables typed and cross-checked: :func:`load`."""

from __future__ import annotations

import hashlib
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd

from . import cache
from . import provenance as pv
from . import validation as v
from .frames import frames_from_json, frames_to_json
from .schema import LOAD_ORDER, TABLES
from .units import factor
from .values import parse_value_text


def bundled_data_dir() -> Path:
    """The ``data/`` folder shipped with the project (``PLANTRACK_DATA`` overrides it)."""
    env = os.environ.get("PLANTRACK_DATA")
    if env:
        return Path(env).resolve()
    return (Path(__file__).resolve().parents[3] / "data").resolve()


@dataclass
class PlanData:
    """The validated tables. Numeric columns are typed; ``*_norm`` columns are in the catalogue unit."""

    data_dir: Path
    regions: pd.DataFrame
    plans: pd.DataFrame
    sources: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    proxies: pd.DataFrame
    published: pd.DataFrame  # where figures of each indicator are usually published
    problems: list[v.Problem] = field(default_factory=list)
    whole: Whole | None = None  # set on a slice of a larger dataset (plantrack.data.prepared)

    @cached_property
    def lookup(self) -> Lookup:
        """Rows indexed by id and by (region, indicator), built on first use.

        The tables are treated as read-only after loading; call :meth:`refresh` after
        changing a DataFrame in place.
        """
        return Lookup.build(self)

    def refresh(self) -> None:
        """Forget the lookup index after the tables were changed in memory."""
        self.__dict__.pop("lookup", None)

    def region_ids(self) -> list[str]:
        """Region ids in the order of ``regions.csv``."""
        return list(self.regions["region_id"])

    def region_name(self, region_id: str, lang: str = "zh") -> str:
        """Chinese or English name of a region."""
        row = self.lookup.regions.get(region_id)
        return str(row[f"name_{lang}"]) if row else region_id

    def indicator(self, indicator_id: str) -> dict[str, object]:
        """One catalogue row as a dict."""
        return self.lookup.indicators[indicator_id]


@dataclass(frozen=True)
class Whole:
    """What a slice of the data keeps of the dataset it was cut from."""

    targeting: dict[str, int]  # per indicator of the slice's region: regions whose latest plan targets it
    #: plain JSON values an upper layer computed once on the whole dataset, by name (e.g. the hindcast's
    #: method records): the data layer carries them to the slice and never interprets them
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class Lookup:
    """Dictionaries over the tables, for the per-target loops of the analysis."""

    regions: dict[str, dict[str, object]]
    plans: dict[str, dict[str, object]]
    indicators: dict[str, dict[str, object]]
    proxies: dict[tuple[str, str], dict[str, object]]
    observations: dict[tuple[str, str], list[dict[str, object]]]
    targets: dict[tuple[str, str], list[dict[str, object]]]
    plan_targets: dict[tuple[str, str], list[dict[str, object]]]  # (region, plan): rows in file order
    region_plans: dict[str, list[str]]  # plans each region has targets in, oldest first (by start, end year)
    targeting: dict[str, dict[str, int]]  # indicator: regions whose latest plan targets it -> place in regions.csv
    children: dict[str, list[str]]  # region: the regions whose parent it is, in regions.csv order
    proxy_regions: dict[str, list[str]]  # region: the regions its declared proxies point to

    @classmethod
    def build(cls, data: PlanData) -> Lookup:
        """Index every table of ``data``."""
        obs: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        for r in data.observations.to_dict("records"):
            obs[(r["region_id"], r["indicator_id"])].append(r)
        tgt: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        by_plan: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        for r in data.targets.to_dict("records"):
            tgt[(r["region_id"], r["indicator_id"])].append(r)
            by_plan[(r["region_id"], r["plan"])].append(r)
        plans = {r["plan_id"]: r for r in data.plans.to_dict("records")}
        order = {p: i for i, p in enumerate(_plan_order(data.plans))}
        region_plans: dict[str, list[str]] = defaultdict(list)
        for region, plan in by_plan:
            region_plans[region].append(plan)
        targeting: dict[str, dict[str, int]] = defaultdict(dict)
        children: dict[str, list[str]] = defaultdict(list)
        for i, r in enumerate(data.regions.to_dict("records")):
            if r["parent_id"]:
                children[r["parent_id"]].append(r["region_id"])
            own = sorted(region_plans.get(r["region_id"], []), key=order.__getitem__)
            if own:
                region_plans[r["region_id"]] = own
                for ind in dict.fromkeys(t["indicator_id"] for t in by_plan[(r["region_id"], own[-1])]):
                    targeting[ind][r["region_id"]] = i
        return cls(
            regions={r["region_id"]: r for r in data.regions.to_dict("records")},
            plans=plans,
            indicators={r["indicator_id"]: r for r in data.indicators.to_dict("records")},
            proxies={(r["region_id"], r["indicator_id"]): r for r in data.proxies.to_dict("records")},
            observations=dict(obs),
            targets=dict(tgt),
            plan_targets=dict(by_plan),
            region_plans=dict(region_plans),
            targeting=dict(targeting),
            children=dict(children),
            proxy_regions={
                r: sorted({str(p["proxy_region_id"]) for p in rows})
                for r, rows in _group(data.proxies.to_dict("records"), "region_id").items()
            },
        )


def _plan_order(plans: pd.DataFrame) -> list[str]:
    """Plan ids oldest first: by first year; of plans starting the same year, the long-range one first.

    A region's last plan in this order is its current plan: a five-year plan rather than a
    long-range outline that starts with it (the outline's milestones are due at the same time).
    """
    ranked = plans.assign(_span=plans["end_year"] - plans["start_year"])
    return list(ranked.sort_values(["start_year", "_span"], ascending=[True, False], kind="stable")["plan_id"])


def _group(records: list[dict[str, object]], key: str) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in records:
        out[str(r[key])].append(r)
    return out


def _foreign(name: str, loaded: dict[str, pd.DataFrame], own: pd.DataFrame) -> dict[str, list[str]]:
    """For each column that names a row of another table (or of its own), the ids it may name."""
    fk: dict[str, list[str]] = {}
    for column, col in TABLES[name].columns.items():
        if not col.references:
            continue
        source = own if col.references == name else loaded.get(col.references)
        key = TABLES[col.references].key[0]
        fk[column] = [] if source is None else list(source[key].dropna())
    return fk


#: reads of a folder tried while a writer keeps changing it, before the last read is returned as it is
READ_ATTEMPTS = 5


def _state(data_dir: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """Each table file's inode, size and modification time: a save replaces the file, so any of them changes."""
    out: list[tuple[int, int, int] | None] = []
    for name in LOAD_ORDER:
        try:
            st = (data_dir / TABLES[name].file).stat()
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def read_all(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[v.Problem]]:
    """Read and check every table; return only the rows without problems, and all problems.

    The tables are one state of the folder: when a save replaced a table while they were
    read (a new source, then the observations citing it), they are read again.
    """
    for _ in range(READ_ATTEMPTS):
        before = _state(data_dir)
        tables, problems = _read_all_once(data_dir)
        if _state(data_dir) == before:
            break
    return tables, problems


def _read_all_once(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[v.Problem]]:
    """:func:`read_all` once, whatever a writer does meanwhile."""
    raw_dir = data_dir / "raw"
    loaded: dict[str, pd.DataFrame] = {}
    problems: list[v.Problem] = []
    for name in LOAD_ORDER:
        table = TABLES[name]
        raw, found = v.read_table(data_dir / table.file, table)
        typed, schema_problems = v.check_schema(raw, table, _foreign(name, loaded, raw))
        found += schema_problems
        found += v.check_duplicates(typed, table)
        bad_lines = {p.line for p in found if p.file == table.file and p.line > 1}
        clean = typed[~typed["_line"].isin(bad_lines)]
        extra: list[v.Problem] = []
        if name == "regions":
            extra = v.check_regions(clean)
        elif name == "plans":
            extra = v.check_plans(clean)
        elif name == "indicators":
            extra = v.check_indicators(clean)
        elif name == "sources":
            extra = pv.check_sources(clean, raw_dir)
        elif name == "targets":
            extra = v.check_targets(clean, loaded["plans"], loaded["indicators"])
            extra += pv.check_provenance(
                clean, name, loaded["sources"], raw_dir, ("baseline_value", "target_low", "target_high", "actual_value")
            )
        elif name == "published":
            extra = pv.check_published(clean)
        elif name == "observations":
            counters = v.plan_counters(loaded["targets"])
            extra = v.check_observations(clean, loaded["indicators"], counters) + pv.check_periods(clean)
            extra += pv.check_quoted_units(clean, loaded["indicators"], counters)
            extra += pv.check_graded(clean, loaded["sources"], loaded["targets"])
            extra += pv.check_quote_issues(clean)
            for method in ("stated", "derived"):
                part = clean[clean["method"] == method]
                extra += pv.check_provenance(
                    part, name, loaded["sources"], raw_dir, pv.observation_number_columns({"method": method})
                )
        found += extra
        bad_lines |= {p.line for p in extra if p.line > 1}
        loaded[name] = typed[~typed["_line"].isin(bad_lines)].reset_index(drop=True)
        problems += found
    place = {TABLES[name].file: i for i, name in enumerate(LOAD_ORDER)}  # files in load order; another file first
    return loaded, sorted(set(problems), key=lambda p: (place.get(p.file, 0), p.line, p.column))


def _normalise(tables: dict[str, pd.DataFrame]) -> None:
    units = dict(zip(tables["indicators"]["indicator_id"], tables["indicators"]["unit"], strict=True))
    t = tables["targets"]
    t["unit"] = t["indicator_id"].map(units)
    t["factor"] = t["unit_as_written"].fillna("").map(factor)
    for col in ("baseline_value", "target_low", "target_high", "actual_value"):
        t[f"{col}_norm"] = t[col] * t["factor"]
    _parse_targets(t)
    o = tables["observations"]
    o["unit"] = o["indicator_id"].map(units)
    o["factor"] = o["unit_as_written"].fillna("").map(factor)
    o["value_norm"] = o["value"] * o["factor"]
    o["derived_from_norm"] = o["derived_from"] * o["factor"]


def _parse_targets(t: pd.DataFrame) -> None:
    """A target parsed once: whether its bound is strict (超, 以上 vs 不低于) and the number it is judged against.

    ``target_threshold`` (as written) and ``target_threshold_norm`` (catalogue unit) are the lower end of a
    point, range or lower bound and the upper end of an upper bound; later layers read these columns and
    never parse ``target_text`` or apply a unit factor again.
    """
    bound = t["target_kind"].isin(["lower_bound", "upper_bound"])
    t["target_strict"] = [
        bool(b) and parse_value_text(str(text or "")).strict for b, text in zip(bound, t["target_text"], strict=True)
    ]
    upper = t["target_kind"] == "upper_bound"
    judged = t["target_kind"].isin(["point", "range", "lower_bound", "upper_bound"])
    t["target_threshold"] = t["target_low"].where(~upper, t["target_high"]).where(judged)
    t["target_threshold_norm"] = t["target_low_norm"].where(~upper, t["target_high_norm"]).where(judged)


def load(data_dir: str | Path | None = None, on_error: Literal["raise", "skip"] = "raise") -> PlanData:
    """Load the plan dataset from ``data_dir`` (default: the bundled ``data/``).

    ``on_error="raise"`` raises :class:`~plantrack.data.validation.DataError` listing every
    problem; ``"skip"`` drops the rows with problems, keeps every valid row and records
    the problems in :attr:`PlanData.problems`.
    """
    path = Path(data_dir).expanduser().resolve() if data_dir is not None else bundled_data_dir()
    if not path.is_dir():
        raise FileNotFoundError(f"data folder not found: {path}")
    for _ in range(READ_ATTEMPTS):
        before = _state(path)
        key = f"{fingerprint(path)}.json"
        cached = cache.read("data", key)
        if cached is not None:
            try:
                return PlanData(data_dir=path, **_cached_tables(cached))
            except Exception:  # another format or a damaged entry: validate again (and rewrite it)
                pass
        tables, problems = read_all(path)
        unchanged = _state(path) == before  # else the key may name another state than the one read
        if unchanged:
            break
    if problems and on_error == "raise":
        raise v.DataError(problems)
    _normalise(tables)
    if not problems and unchanged:  # only a fully valid dataset is cached, so both on_error modes see the same rows
        payload = frames_to_json(tables)
        if payload is not None:
            cache.write("data", key, payload)
    return PlanData(data_dir=path, problems=problems, **{k: tables[k] for k in LOAD_ORDER})


def _cached_tables(payload: bytes) -> dict[str, pd.DataFrame]:
    """The tables of a cache entry, checked to be every table with its columns (``ValueError`` otherwise)."""
    tables = frames_from_json(payload)
    if set(tables) != set(LOAD_ORDER):
        raise ValueError("the entry does not hold every table")
    for name in LOAD_ORDER:
        missing = {*TABLES[name].columns, "_line"} - set(tables[name].columns)
        if missing:
            raise ValueError(f"{name}: columns missing from the entry: {sorted(missing)}")
    return {name: tables[name] for name in LOAD_ORDER}


def fingerprint(data_dir: Path) -> str:
    """A hash of every file under ``data_dir`` and of the code that checks and types it.

    Validated tables are cached under this key: editing any data file, raw text, the unit
    table or plantrack module, or upgrading Python or pandas, means the next load validates again.
    Hidden files (``.plantrack.lock``, temporary files of a save in progress) are left out.
    """
    h = hashlib.sha256(f"{sys.version}|{pd.__version__}".encode())
    code = sorted([*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("*.csv")])  # and the unit table
    files = []
    for p in sorted(data_dir.rglob("*")):
        rel = p.relative_to(data_dir).as_posix()
        if p.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            files.append((rel, p))
    for label, p in [(f"code/{c.name}", c) for c in code] + files:
        h.update(label.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:40]
