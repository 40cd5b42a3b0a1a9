"""The batch command: render the HTML reports (papermill + nbconvert) and their index page."""

from __future__ import annotations

import argparse
import sys

from .common import Command, UsageError, add_lang_option, assumptions_of


def _skip_iri_grammars() -> None:
    """Keep jsonschema, imported by nbformat, from building rfc3987-syntax's IRI grammars.

    That import takes about 1 s (jsonschema issue #1428) and serves only the ``iri`` and
    ``iri-reference`` formats, which no notebook schema uses; jsonschema then simply skips
    those two formats. Only the ``render`` command's own process is affected.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def cmd_render(args: argparse.Namespace) -> int:
    """Execute the report notebook per region (papermill) and export HTML (nbconvert)."""
    _skip_iri_grammars()
    import warnings

    from ...present.context import ReportParameters
    from .. import pipeline
    from ..render import render

    # a stop signal can leave a kernel client's coroutine unawaited: Python would say so at exit, after the one line
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    params = ReportParameters(args.lang, args.target_year, assumptions_of(args))  # checked once, here
    try:
        with pipeline.stop_on_signals():
            result = render(
                regions=args.region or None,
                params=params,
                jobs=args.jobs,
                out_dir=args.out,
                data_dir=args.data,
                progress=not args.quiet,
            )
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: pipeline.Stopped, or a plain interrupt before it
        code = stop.code if isinstance(stop, pipeline.Stopped) else 130
        name = "SIGTERM" if code == 143 else "SIGINT"
        print(
            f"plantrack render: stopped by {name}; reports finished before it are kept, nothing was written after it",
            file=sys.stderr,
        )
        return code
    for path in sorted(result.written):
        print(f"wrote {path}")
    if result.index:
        print(f"wrote {result.index}")
    for region, error in sorted(result.failed.items()):
        print(f"plantrack render: region {region} failed: {error.splitlines()[0]}", file=sys.stderr)
    return 1 if result.failed else 0


def _render_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--region", action="append", help="region id; repeat for several (default: every region with targets)"
    )
    add_lang_option(p, "the reports (en writes <region>.en.html and index.en.html)", checked_here=False)
    p.add_argument("--jobs", type=int, help="parallel notebooks (default: all cores)")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports/)")
    p.add_argument("--target-year", type=int, help="project every target to this year")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


COMMANDS: dict[str, Command] = {
    "render": Command(
        cmd_render,
        "HTML report per region (papermill + nbconvert)",
        "Execute the report notebook per region and write self-contained HTML reports and an index page.",
        ("common", "assume"),
        _render_options,
    ),
}
