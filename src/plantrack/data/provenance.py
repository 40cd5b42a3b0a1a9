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

from .problems import Problem, coded
from .quoted import QuoteMismatch, quote_mismatch
from .schema import TABLES
from .units import offered_units
from .values import chinese_numbers, negative_numbers, numbers_in, optional_float, plain_number
from .vocabulary import QUOTE_ISSUES, TIERS

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
                coded(file, line, "raw_file", "", f"{what}: store the text as retrieved under raw/{WEB_DIR}",
                    "raw_missing_url" if r["url"] else "raw_missing", folder=f"raw/{WEB_DIR}")
            )
            continue
        outside = stored_text_problem(raw_dir, str(r["raw_file"]))
        if outside:
            code = "raw_path" if "no absolute path" in outside else "raw_hidden" if "hidden" in outside else "raw_link"
            problems.append(coded(file, line, "raw_file", r["raw_file"], outside, code, folder=raw_dir.resolve()))
            continue
        if not (raw_dir / r["raw_file"]).is_file():
            problems.append(coded(file, line, "raw_file", r["raw_file"], f"no such file in {raw_dir}",
                "raw_not_found", folder=raw_dir))
        if str(r["raw_file"]).startswith(WEB_DIR):
            for c in ("title", "issuer", "date", "url", "retrieved", "tier"):
                if not r[c]:
                    problems.append(
                        coded(
                            file,
                            line,
                            c,
                            "",
                            "a retrieved source needs title, issuer (the original publisher), date, url, "
                            "retrieved and tier (A, B or C)", "source_citation")
                    )
            if r["retrieved"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(r["retrieved"])):
                problems.append(coded(file, line, "retrieved", str(r["retrieved"]), "expected a date YYYY-MM-DD",
                    "retrieved_date"))
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
        coded(
            file, int(r["_line"]), "source_id", str(r["source_id"]),
            "a source of results, not a plan: give it a tier (A, B or C) in sources.csv", "source_ungraded")
        for r in observations.to_dict("records")
        if r["source_id"] in ungraded
    ]  # fmt: skip


#: text a garbled copy leaves: a character with its pinyin in brackets (發(fā)明), the replacement character,
#: the classic GBK-as-UTF-8 residue, Latin-1 read as UTF-8
GARBLED = re.compile(r"[\u4e00-\u9fff]\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)|\ufffd|锟斤拷|Ã[\x80-\xbf]|â€")


def quote_issues(value: object) -> tuple[str, ...]:
    """The codes of an observation's ``quote_issue`` cell (``garbled;wording_differs`` → both), in file order."""
    if not isinstance(value, str):
        return ()
    return tuple(c.strip() for c in value.split(";") if c.strip())


def quote_tier(tier: object, issues: Iterable[str]) -> str | None:
    """The tier a quote is graded: its source's, one lower (A → B, B → C) when the quote has an issue.

    C is the lowest tier: a quote of a C source with an issue stays C (the rows resting on it are weak evidence).
    None for a source without a tier (a plan document).
    """
    if tier not in TIERS:
        return None
    if not tuple(issues):
        return str(tier)
    return TIERS[min(TIERS.index(str(tier)) + 1, len(TIERS) - 1)]


def check_quote_issues(observations: pd.DataFrame) -> list[Problem]:
    """A declared quote issue is a known code and says why in ``note``; a quote that looks garbled declares it."""
    file = TABLES["observations"].file
    problems = []
    for r in observations.to_dict("records"):
        line, issues = int(r["_line"]), quote_issues(r.get("quote_issue"))
        for code in issues:
            if code not in QUOTE_ISSUES:
                problems.append(Problem(file, line, "quote_issue", code, f"one of {', '.join(QUOTE_ISSUES)}, "
                                        "separated by ;", code="quote_issue_unknown",
                                        params=(("codes", ", ".join(QUOTE_ISSUES)),)))
        if issues and not r.get("note"):
            problems.append(Problem(file, line, "note", "", "a quote with an issue says what is wrong in note",
                                    code="quote_issue_note"))
        found = GARBLED.search(str(r.get("quote") or ""))
        if found and "garbled" not in issues:
            problems.append(Problem(file, line, "quote_issue", r.get("quote_issue") or "", f"the quote looks garbled "
                                    f"({found.group(0)}): declare garbled", code="quote_garbled",
                                    params=(("text", found.group(0)),)))
    return problems


def check_published(df: pd.DataFrame) -> list[Problem]:
    """Where an indicator's figures are published is backed by a source that shows one, or by a reason."""
    file = TABLES["published"].file
    return [
        coded(file, int(r["_line"]), "reason", "", "give a source_id that publishes such a figure, or a reason",
            "published_reason")
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
                coded(
                    file, line, "covers", str(covers), "expected YYYY-MM(-DD) or YYYY-MM..YYYY-MM (2025-01..2025-09)",
                        "covers_invalid")
            )
        elif not covers and (m := PART_YEAR.search(quote)):
            problems.append(
                coded(
                    file,
                    line,
                    "covers",
                    "",
                    f"the quote reports part of a year ({m.group(0)}): say which part in covers, "
                    "it is not the value for the whole year", "covers_part_year", part=m.group(0))
            )
        if r.get("use") != "no":
            key = tuple(r.get(k) for k in ("region_id", "indicator_id", "year", "period_start", "series", "covers"))
            if key in used:
                problems.append(
                    coded(
                        file,
                        line,
                        "use",
                        "",
                        f"line {used[key]} gives the same series and year: mark the one not used with use=no "
                        "and say why in note", "series_used_twice", line=used[key])
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
                    coded(file, r["_line"], "quote", quote[:50], f"not found verbatim in {raw} (whitespace ignored)",
                        "quote_not_found", stored=raw)
                )
        for col in number_columns:
            v = optional_float(r.get(col))
            if v is None:
                continue
            missing = missing_number_reason(v, quote)
            if missing:
                problems.append(coded(file, r["_line"], col, plain_number(v), missing,
                                      "number_not_in_quote" if missing == NOT_IN_QUOTE else "quote_sign",
                                      value=plain_number(-v)))
    return problems


def observation_number_columns(row: Mapping[str, object]) -> tuple[str, ...]:
    """Columns whose numbers must appear in an observation's quote."""
    if row.get("method") == "derived":
        return ("derived_from", "growth_number")
    return ("value",)




def _mismatch_code(found: QuoteMismatch) -> str:
    if found.code == "unit":
        return "quote_unit" if found.write_unit else "quote_value" if found.write_value else "quote_other_unit"
    return {"year": "quote_year", "counter": "quote_counter"}.get(found.code, "quote_absent")


def quote_problem(file: str, line: int, column: str, value: float, unit: str, found: QuoteMismatch) -> Problem:
    """The problem of a value whose amount the quote does not write, with what to write instead.

    Named in the unit column when the fix is the unit (write 亿元), else in ``column``; ``code`` and
    ``params`` name the catalogue entry (``problem.quote_*``) that says it in the reader's language.
    """
    shown = plain_number(value)
    params = (("quoted", found.quoted), ("value", found.write_value or shown), ("unit", found.write_unit or unit))
    if found.code == "year":
        expected = f"{found.quoted} in the quote is a date, not the value: give the number the quote reports"
    elif found.code == "counter":
        expected = (f"the quote counts {found.quoted}, but the plans of this indicator never write "
                    f"{found.write_unit}: check it is the same indicator")
    elif found.code == "unit" and found.write_unit:
        expected = f"{shown} {unit} contradicts the quote's {found.quoted}: write the unit {found.write_unit}"
    elif found.code == "unit" and found.write_value:
        fix = f"write {found.write_value} with the unit {unit}"
        expected = f"{shown} {unit} contradicts the quote's {found.quoted}: {fix}"
    elif found.code == "unit":
        expected = f"{shown} {unit} contradicts the quote's {found.quoted}"
    else:
        expected, params = "this number does not appear in the quote", ()
    in_unit = found.code == "counter" or (found.code == "unit" and bool(found.write_unit))
    return Problem(
        file, line, "unit_as_written" if in_unit else column, unit if in_unit else shown, expected,
        _mismatch_code(found), params,
    )


def check_quoted_units(
    df: pd.DataFrame, indicators: pd.DataFrame, counters: Mapping[str, Iterable[str]]
) -> list[Problem]:
    """Each observation's value in its unit is an amount its quote writes (26亿元 is not 26 万元, 2025年 no value).

    Checks ``value`` of stated rows and ``derived_from`` of derived ones; ``counters``: per
    indicator, the counters its plans write.
    """
    file = TABLES["observations"].file
    units = dict(zip(indicators["indicator_id"], indicators["unit"].fillna(""), strict=True))
    problems = []
    for r in df.to_dict("records"):
        column = "derived_from" if r.get("method") == "derived" else "value"
        v = optional_float(r.get(column))
        if v is None or r["indicator_id"] not in units:
            continue
        unit = str(r.get("unit_as_written") or "")
        own = counters.get(r["indicator_id"], ())
        found = quote_mismatch(v, unit, str(r.get("quote") or ""), offered_units(units[r["indicator_id"]], own), own)
        if found is not None and found.code != "missing":  # a number missing altogether: check_provenance says so
            problems.append(quote_problem(file, r["_line"], column, v, unit, found))
    return problems
