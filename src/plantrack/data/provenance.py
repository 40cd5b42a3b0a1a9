"""Provenance: every number traceable to a verbatim quote in a stored text.

Sources are the five plan documents in ``raw/`` or texts retrieved from public statistics in
``raw/web/`` (a header gives the address and the retrieval date). Outside sources carry a tier
(A official, B state medium, C identified copy) and the date retrieved; part-year figures say which
part of the year they cover; of two values for the same series and year only one is used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath

import pandas as pd

from .problems import Problem
from .schema import TABLES
from .values import chinese_numbers, negative_numbers, numbers_in, optional_float, plain_number

WEB_DIR = "web/"
#: phrases that mark a figure for part of a year (1-9月, 上半年, 前三季度, 截至6月底 …)
PART_YEAR = re.compile(
    r"\d{1,2}\s*[-—–~至到]\s*\d{1,2}\s*月|上半年|前三季度|[一二三]季度|截至\s*\d{1,2}\s*月|\d{1,2}\s*月(底|末)"
)
COVERS = re.compile(r"^(\d{4}-\d{2}(-\d{2})?)(\.\.\d{4}-\d{2}(-\d{2})?)?$")


def retrieved_text(source: Mapping[str, object], text: str) -> str:
    """A retrieved text as stored under ``raw/web/``: a header citing where and when it was found, then the text."""
    head = "".join(f"{k}: {source.get(k) or ''}\n" for k in ("url", "retrieved", "issuer", "title", "date", "tier"))
    return f"{head}---\n{text}\n"


def stored_text_problem(raw_dir: Path, raw_file: str) -> str | None:
    """Why ``raw_file`` is not a stored text inside ``raw_dir`` (None when it is one).

    A source's text must be a visible file under ``raw/``: no absolute path, no ``..``, no
    hidden name (the validated-data cache, like every listing of the folder, leaves hidden
    files out), and no link leading out of ``raw/``.
    """
    parts = PurePosixPath(raw_file.replace("\\", "/")).parts
    if raw_file.startswith(("/", "\\")) or PureWindowsPath(raw_file).drive or ".." in parts:
        return "a stored text must be a path inside raw/, such as web/name.txt (no absolute path, no ..)"
    if any(part.startswith(".") for part in parts):
        return "a stored text may not be hidden (a name starting with .): rename it"
    root = raw_dir.resolve()
    if root not in (raw_dir / raw_file).resolve().parents:
        return f"the stored text leads out of {root} (a link?): store the text itself under raw/"
    return None


def check_sources(df: pd.DataFrame, raw_dir: Path) -> list[Problem]:
    """Every source has its text stored; one retrieved from the web has a full citation, a date and a tier."""
    file = TABLES["sources"].file
    problems = []
    for r in df.to_dict("records"):
        line = r["_line"]
        if not r["raw_file"]:
            what = "the address has no stored text" if r["url"] else "no stored text"
            problems.append(
                Problem(file, line, "raw_file", "", f"{what}: store the text as retrieved under raw/{WEB_DIR}")
            )
            continue
        outside = stored_text_problem(raw_dir, str(r["raw_file"]))
        if outside:
            problems.append(Problem(file, line, "raw_file", r["raw_file"], outside))
            continue
        if not (raw_dir / r["raw_file"]).is_file():
            problems.append(Problem(file, line, "raw_file", r["raw_file"], f"no such file in {raw_dir}"))
        if str(r["raw_file"]).startswith(WEB_DIR):
            for c in ("title", "issuer", "date", "url", "retrieved", "tier"):
                if not r[c]:
                    problems.append(
                        Problem(
                            file,
                            line,
                            c,
                            "",
                            "a retrieved source needs title, issuer (the original publisher), date, url, "
                            "retrieved and tier (A, B or C)",
                        )
                    )
            if r["retrieved"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(r["retrieved"])):
                problems.append(Problem(file, line, "retrieved", str(r["retrieved"]), "expected a date YYYY-MM-DD"))
    return problems


def check_graded(observations: pd.DataFrame, sources: pd.DataFrame, targets: pd.DataFrame) -> list[Problem]:
    """A source of statistics is graded: an observation citing a source that no target cites (not a plan) needs
    that source to have a tier.

    Only plan documents, the texts targets are quoted from, go without a tier; an article, bulletin or release
    that reports results is graded A, B or C wherever its text is stored, so a report never lists it as a plan.
    """
    plans = set(targets["source_id"])
    ungraded = {str(r["source_id"]) for r in sources.to_dict("records") if not r.get("tier")} - plans
    file = TABLES["observations"].file
    return [
        Problem(
            file, int(r["_line"]), "source_id", str(r["source_id"]),
            "a source of results, not a plan: give it a tier (A, B or C) in sources.csv",
        )
        for r in observations.to_dict("records")
        if r["source_id"] in ungraded
    ]  # fmt: skip


def check_published(df: pd.DataFrame) -> list[Problem]:
    """Where an indicator's figures are published is backed by a source that shows one, or by a reason."""
    file = TABLES["published"].file
    return [
        Problem(file, int(r["_line"]), "reason", "", "give a source_id that publishes such a figure, or a reason")
        for r in df.to_dict("records")
        if not r.get("source_id") and not r.get("reason")
    ]


def check_periods(df: pd.DataFrame) -> list[Problem]:
    """Part-year figures say which part they cover; of one series and year only one value is used."""
    file = TABLES["observations"].file
    problems = []
    used: dict[tuple[object, ...], int] = {}
    for r in df.to_dict("records"):
        line, covers, quote = r["_line"], r.get("covers"), str(r.get("quote") or "")
        if covers and not COVERS.match(str(covers)):
            problems.append(
                Problem(
                    file, line, "covers", str(covers), "expected YYYY-MM(-DD) or YYYY-MM..YYYY-MM (2025-01..2025-09)"
                )
            )
        elif not covers and (m := PART_YEAR.search(quote)):
            problems.append(
                Problem(
                    file,
                    line,
                    "covers",
                    "",
                    f"the quote reports part of a year ({m.group(0)}): say which part in covers, "
                    "it is not the value for the whole year",
                )
            )
        if r.get("use") != "no":
            key = tuple(r.get(k) for k in ("region_id", "indicator_id", "year", "period_start", "series", "covers"))
            if key in used:
                problems.append(
                    Problem(
                        file,
                        line,
                        "use",
                        "",
                        f"line {used[key]} gives the same series and year: mark the one not used with use=no "
                        "and say why in note",
                    )
                )
            else:
                used[key] = line
    return problems




_WS = re.compile(r"\s+")
def squash(text: str) -> str:
    """Text without any whitespace: table cells are split across lines in the raw files."""
    return _WS.sub("", text or "")


NOT_IN_QUOTE = "this number does not appear in the quote"


def numbers_in_quote(quote: str) -> set[float]:
    """Numbers written in a quote: in digits, in Chinese numerals (二十六亿, 八家, 两倍), scaled by 万/亿, signed."""
    return numbers_in(quote) | chinese_numbers(quote) | negative_numbers(quote)


def missing_number_reason(value: float, quote: str) -> str | None:
    """Why ``value`` is not a number the quote writes (None when it is): absent, or written without its sign."""
    found = numbers_in_quote(quote)
    if any(math.isclose(value, f, rel_tol=1e-9, abs_tol=1e-9) for f in found):
        return None
    if value < 0 and any(math.isclose(-value, f, rel_tol=1e-9) for f in found):
        return f"the quote writes {plain_number(-value)} without a minus sign (or 负): a negative value needs its sign"
    return NOT_IN_QUOTE


def check_provenance(
    df: pd.DataFrame, table_name: str, sources: pd.DataFrame, raw_dir: Path, number_columns: Iterable[str]
) -> list[Problem]:
    """Every quote is in its raw document and every number of the row is in its quote."""
    file = TABLES[table_name].file
    raw_files = dict(zip(sources["source_id"], sources["raw_file"], strict=True))
    texts: dict[str, str] = {}
    problems = []
    for r in df.to_dict("records"):
        quote = r["quote"] or ""
        raw = raw_files.get(r["source_id"])
        if raw:
            if raw not in texts:
                path = raw_dir / raw
                texts[raw] = squash(path.read_text(encoding="utf-8")) if path.is_file() else ""
            if squash(quote) not in texts[raw]:
                problems.append(
                    Problem(file, r["_line"], "quote", quote[:50], f"not found verbatim in {raw} (whitespace ignored)")
                )
        for col in number_columns:
            v = optional_float(r.get(col))
            if v is None:
                continue
            missing = missing_number_reason(v, quote)
            if missing:
                problems.append(Problem(file, r["_line"], col, plain_number(v), missing))
    return problems


def observation_number_columns(row: Mapping[str, object]) -> tuple[str, ...]:
    """Columns whose numbers must appear in an observation's quote."""
    if row.get("method") == "derived":
        return ("derived_from", "growth_number")
    return ("value",)


