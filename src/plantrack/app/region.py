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
from ..present.context import ReportParameters
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
def html_exporter() -> HTMLExporter:
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
    body, _ = html_exporter().from_notebook_node(nb)
    body = re.sub(r'\s(?:id|data-cell-id)="[^"]*"', "", body)  # cell ids are not content; keep renders identical
    return page(body, title, lang, words(lang)("report.footer"))


def render_region(
    region: str,
    params: ReportParameters,
    out_dir: Path,
    data_dir: str | None = None,
    notebook: Path = REPORT_NOTEBOOK,
    prepared: str | None = None,
    km: pipeline.KernelManager | None = None,
    on_kernel_ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[str, Path, dict[str, Any]]:
    """Execute the report notebook for one region and write ``<region>.<lang>.html``; retry once on kernel races.

    ``params``: checked where they entered (the command line); the notebook receives them as
    its parameters. ``prepared``: the region's slice of the validated data (see :func:`prepare`),
    which the notebook reads instead of loading ``data_dir``. ``km``: a kernel already booted
    for this region (a pool's look-ahead), else one is started here; it is stopped when the
    notebook is done. ``on_kernel_ready`` is awaited once the kernel answers, before the first
    cell. Returns the region, the page and its entry on the index page (counts per group and
    the most pressing target), which the notebook's kernel computed with the report and
    published (:func:`plantrack.present.report.publish_index_entry`).
    """
    import papermill as pm

    lang = params.lang
    path = report_path(out_dir, f"{region}.{lang}.html")  # before any kernel starts
    html_exporter()
    freeze_imported_objects()  # after papermill and nbconvert, the renderer's heavy imports
    values = {"region": region, **params.notebook(), "data_dir": data_dir or ""}
    if prepared:
        values["prepared"] = prepared

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
                    parameters=values,
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
    from ..present.report import index_entry_from

    entry = index_entry_from([out for cell in nb.cells for out in cell.get("outputs", [])], lang)
    if entry is None:
        raise ValueError(f"{notebook.name} published no index entry (plantrack.present.report.publish_index_entry)")
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


#: the name of the page's record of what the index shows for it (a ``<meta>`` in the page's head)
RECORD_NAME = "plantrack-record"


def with_record(page_html: str, record: dict[str, Any]) -> str:
    """The page with its record in its head, as a ``<meta>`` whose content is escaped JSON."""
    import html
    import json

    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    meta = f'<meta name="{RECORD_NAME}" content="{html.escape(text, quote=True)}">\n'
    head = '<meta charset="utf-8">\n'
    return page_html.replace(head, head + meta, 1)
