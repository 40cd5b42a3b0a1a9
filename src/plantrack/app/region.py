"""One region's report: papermill runs the report notebook in a kernel of its own, nbconvert turns it into HTML.

A kernel that dies or times out while starting is replaced and the region retried once. A region
that fails leaves no HTML behind (the page is written under a temporary name and renamed only when
complete), and none is written after a stop signal (:mod:`plantrack.app.stopping`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from ..data.files import write_inside
from ..data.tables import PlanData
from ..present.page import page
from ..present.startup import freeze_imported_objects
from ..present.words import words
from . import pipeline

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

NOTEBOOK_DIR = Path(__file__).resolve().parents[3] / "notebooks"
REPORT_NOTEBOOK = NOTEBOOK_DIR / "report.ipynb"
PRELUDE = "import plantrack.present.report"  # report.ipynb's first import; look-ahead kernels run it while they wait
RETRYABLE = re.compile(r"address already in use|zmqerror|kernel didn't respond|timed? ?out|kernel died before", re.I)


@cache
def _exporter() -> HTMLExporter:
    """One exporter per process: building one compiles its Jinja templates again (about 0.05 s)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    tags = TagRemovePreprocessor(
        remove_cell_tags={"parameters", "injected-parameters", "remove-from-report"}, enabled=True
    )
    exporter.register_preprocessor(tags, enabled=True)
    return exporter


def notebook_to_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    """Export an executed notebook without code, prompts or parameter cells, as a self-contained page."""
    body, _ = _exporter().from_notebook_node(nb)
    body = re.sub(r'\s(?:id|data-cell-id)="[^"]*"', "", body)  # cell ids are not content; keep renders identical
    return page(body, title, lang, words(lang)("report.footer"))


def render_region(
    region: str,
    lang: str,
    out_dir: Path,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    notebook: Path = REPORT_NOTEBOOK,
    growth_model: str = "observed",
    as_of: int | None = None,
    prepared: str | None = None,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path, dict[str, Any]]:
    """Execute the report notebook for one region and write ``<region>.<lang>.html``; retry once on kernel races.

    ``prepared``: the region's slice of the validated data (see :func:`prepare`), which the
    notebook reads instead of loading ``data_dir``. ``km``: a kernel already booted for this
    region (a pool's look-ahead), else one is started here; it is stopped when the notebook
    is done. ``on_kernel_ready`` is awaited once the kernel answers, before the first cell.
    ``as_of``: the year of the assessment (None: this year). Returns the region, the page and
    its entry on the index page (counts per group and the most pressing target, from the analysis).
    """
    import papermill as pm

    path = report_path(out_dir, f"{region}.{lang}.html")  # before any kernel starts
    _exporter()
    freeze_imported_objects()  # after papermill and nbconvert, the renderer's heavy imports
    params = {
        "region": region,
        "lang": lang,
        "target_year": target_year or 0,
        "times_reading": times_reading,
        "damping": damping,
        "growth_model": growth_model,
        "data_dir": data_dir or "",
        "as_of": as_of or 0,
    }
    if prepared:
        params["prepared"] = prepared

    async def on_notebook_start(**_: object) -> None:
        if on_kernel_ready is not None:
            await on_kernel_ready()

    try:
        for attempt in (1, 2):
            km = km or pipeline.start(notebook.parent)
            try:
                # no output path: papermill would rewrite the whole notebook file before and after every cell
                nb = pm.execute_notebook(
                    str(notebook),
                    None,
                    parameters=params,
                    kernel_name=pipeline.KERNEL_NAME,
                    progress_bar=False,
                    cwd=str(notebook.parent),
                    start_timeout=120,
                    km=km,
                    on_notebook_start=on_notebook_start,
                )
                break
            except Exception as err:  # papermill wraps kernel errors in several types
                pipeline.stop(km)
                km = None
                if attempt == 2 or not RETRYABLE.search(f"{type(err).__name__}: {err}"):
                    raise
    finally:
        if km is not None:
            pipeline.stop(km)
    params = (data_dir, target_year, times_reading, damping, growth_model, as_of)
    entry = _entry(region, lang, *params, prepared=prepared)
    title = words(lang)("report.title", name=entry["name"])
    pipeline.check_not_stopping()  # a stop signal arrived while the notebook ran: no report after it
    path.parent.mkdir(parents=True, exist_ok=True)
    write_inside(path.parent, path.name, with_record(notebook_to_html(nb, title, lang), entry["record"]))
    return region, path, entry


def report_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name`` resolved, refused (``ValueError``) unless it stays inside ``out_dir``.

    Report names come from data (region ids); validation allows only ``[a-z0-9_]`` in ids,
    and this check keeps any other name, or a link pointing away, from writing elsewhere.
    """
    out = Path(out_dir).resolve()
    path = (out / name).resolve()
    if path.parent != out or not path.name.endswith(".html"):
        raise ValueError(f"refusing to write {name!r}: it would be written outside {out} (at {path})")
    return path


def _entry(
    region: str,
    lang: str,
    data_dir: str | None,
    target_year: int | None,
    times_reading: str,
    damping: float,
    growth_model: str,
    as_of: int | None,
    prepared: str | None = None,
    data: PlanData | None = None,
) -> dict[str, Any]:
    """The index page's entry for one region, computed from the analysis with the report's parameters.

    From the region's slice (``prepared``) or ``data`` where given: never a load of the whole dataset per region.
    """
    from ..present.report import context, index_entry

    ctx = context(
        region, lang, target_year, times_reading, damping, data_dir, data=data, growth_model=growth_model,
        as_of=as_of, prepared=prepared,
    )  # fmt: skip
    entry = index_entry(ctx)
    entry["record"] = page_record(entry, entry.pop("pressing_row", None), ctx.w.zh)
    return entry


#: the name of the page's record of what the index shows for it (a ``<meta>`` in the page's head)
RECORD_NAME = "plantrack-record"


def page_record(entry: dict[str, Any], top: dict[str, Any] | None, zh: bool) -> dict[str, Any]:
    """What the index shows for a page, as plain JSON values: the index reads it back, never recomputes it.

    The most pressing target is kept as its verdict, whether it is a lean, and its name (text),
    from which the index draws the chip again, so a page's record can never put markup into the index.
    """
    from ..analysis.tally import row_group

    pressing = None
    if top is not None:
        pressing = {
            "verdict": str(top["verdict"]),
            "lean": row_group(top) == "lean",
            "R": _plain(top.get("R")),
            "progress": _plain(top.get("progress_ratio")),
            "outcome": _plain(top.get("outcome")),
            "name": str(top["name_as_written"] if zh else top["name_en"]),
        }
    return {
        "name": str(entry["name"]),
        "plan": str(entry["plan"]),
        "as_of": int(entry["as_of"]),
        "data_year": None if entry["data_year"] is None else int(entry["data_year"]),
        "tally": {str(g): [int(n), int(weak)] for g, (n, weak) in entry["tally"].items()},
        "pressing": pressing,
    }


def _plain(v: object) -> object:
    """A number or text of a row as a JSON value (NaN and NA as null)."""
    from ..data.values import present

    if not present(v):
        return None
    if isinstance(v, bool | str):
        return v
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)


def with_record(page_html: str, record: dict[str, Any]) -> str:
    """The page with its record in its head, as a ``<meta>`` whose content is escaped JSON."""
    import html
    import json

    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    meta = f'<meta name="{RECORD_NAME}" content="{html.escape(text, quote=True)}">\n'
    head = '<meta charset="utf-8">\n'
    return page_html.replace(head, head + meta, 1)
