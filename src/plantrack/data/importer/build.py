"""The rows of observations.csv and sources.csv (as text) that checked sheet rows become.

A row citing a new source gets a source id of its own (``added_<region>_<date>``) and a stored
text under ``raw/web/`` holding its quotes; a citation already imported whose stored text holds
the quotes reuses that source.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from ..provenance import WEB_DIR, retrieved_text, squash
from ..tables import PlanData
from .check import parse_number, period_start_for
from .sheet import SheetRow


def _number_text(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else format(v, ".15g")


def _source_key(r: SheetRow) -> tuple[str, ...]:
    return tuple(r.get(c) for c in ("source_title", "issuer", "date", "source_url", "tier", "retrieved"))


def _new_source_id(region: str, date: str, taken: set[str]) -> str:
    base = f"added_{region}_{date.replace('-', '')}"
    n, sid = 1, base
    while sid in taken:
        n += 1
        sid = f"{base}_{n}"
    taken.add(sid)
    return sid


def stored_text(source: dict[str, str], quotes: Iterable[str]) -> str:
    """The stored text of a new source: the header of a retrieved text, then its quotes, one paragraph each."""
    return retrieved_text(source, "\n\n".join(dict.fromkeys(q.strip() for q in quotes)))


def _stored_sources(data: PlanData, rows: list[SheetRow]) -> dict[tuple[str, ...], str]:
    """New-source citations of ``rows`` that match a stored source whose text already holds all their quotes."""
    by_cite = {
        (str(s["title"]), str(s["issuer"]), str(s["date"] or ""), str(s["url"] or "")): s
        for s in data.sources.to_dict("records")
        if s["raw_file"]
    }
    wanted: dict[tuple[str, ...], list[str]] = {}
    for r in rows:
        if not r.get("source_id"):
            wanted.setdefault(_source_key(r), []).append(r.get("quote"))
    out = {}
    for key, quotes in wanted.items():
        s = by_cite.get(key[:4])
        if s is None or (key[4] and s.get("tier") != key[4]):
            continue
        path = data.data_dir / "raw" / str(s["raw_file"])
        text = squash(path.read_text(encoding="utf-8")) if path.is_file() else ""
        if all(squash(q) in text for q in quotes):
            out[key] = str(s["source_id"])
    return out


def build_rows(
    data: PlanData, rows: list[SheetRow], today: datetime.date, origin: str
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str], list[SheetRow]]:
    """Rows of observations.csv and sources.csv (as text) and the new sources' texts."""
    taken = set(data.sources["source_id"])
    titles = dict(zip(data.sources["source_id"], data.sources["title"], strict=True))
    new_ids: dict[tuple[str, ...], str] = {}
    stored = _stored_sources(data, rows)
    sources: dict[str, dict[str, str]] = {}
    quotes: dict[str, list[str]] = {}
    obs = []
    for r in rows:
        sid = r.get("source_id")
        if not sid and _source_key(r) in stored:  # a source imported before, whose text holds the quotes
            sid = stored[_source_key(r)]
        if not sid:
            key = _source_key(r)
            if key not in new_ids:
                new_ids[key] = _new_source_id(r.get("region_id"), r.get("date"), taken)
                sid = new_ids[key]
                sources[sid] = {
                    "source_id": sid,
                    "title": r.get("source_title"),
                    "issuer": r.get("issuer"),
                    "date": r.get("date"),
                    "raw_file": f"{WEB_DIR}{sid}.txt",
                    "url": r.get("source_url"),
                    "retrieved": r.get("retrieved") or today.isoformat(),
                    "tier": r.get("tier"),
                    "note": origin,
                }
            sid = new_ids[key]
            quotes.setdefault(sid, []).append(r.get("quote"))
        indicator, region = r.get("indicator_id"), r.get("region_id")
        start = r.get("period_start")
        if not start and data.indicator(indicator)["measure"] == "period_total":
            start = str(period_start_for(data, region, int(r.get("year"))))
        note = r.get("note")
        where = f"{origin}, {r.sheet} row {r.row}" if r.sheet else origin
        obs.append(
            {
                "region_id": region,
                "indicator_id": indicator,
                "year": r.get("year"),
                "period_start": start,
                "value": _number_text(parse_number(r.get("value"))),  # type: ignore[arg-type]
                "unit_as_written": r.get("unit"),
                "value_qualifier": r.get("qualifier") or "exact",
                "series": "",
                "covers": r.get("covers"),
                "use": "",
                "method": "stated",
                "source_id": sid,
                "locator": r.get("locator") or r.get("source_title") or str(titles.get(sid) or sid),
                "quote": r.get("quote"),
                "note": f"{note} ({where})" if note else where,
                "quote_issue": r.get("quote_issue") or "",
            }
        )
    texts = {sources[s]["raw_file"]: stored_text(sources[s], q) for s, q in quotes.items()}
    return obs, list(sources.values()), texts, rows
