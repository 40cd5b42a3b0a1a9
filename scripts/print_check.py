"""How the reports print on A4: cells over three lines, the longest cell, pages (a measurement, not a test).

    .venv/bin/python scripts/print_check.py [--reports DIR] [--show N] [--pdf-dir DIR]

Without ``--reports`` the bundled data is rendered (zh and en, as of this year) into a temporary
folder. For each ``<region>.<lang>.html``: every table cell's printed line count on the page its
section prints on (``tests/browser/printed.py``: print media, the page's content width read from
the report's ``@page`` rules), and the number of A4 pages Chromium prints (``--print-to-pdf``,
counted with ``pdfinfo``), and the web addresses shown outside the sources appendix (where copies of
sources are listed, marked as copies). ``--show N`` lists the N longest cells of each report.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from plantrack.app.render import render  # noqa: E402
from plantrack.present.context import ReportParameters  # noqa: E402
from tests.browser.printed import MOST_LINES, measure  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: web addresses shown outside the sources appendix (where copies of sources are listed and marked as copies)
ADDRESSES_OUTSIDE_JS = """
() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('section.sources')) continue;
    for (const m of node.textContent.matchAll(/(https?:\\/\\/|www\\.)\\S+/g)) found.push(m[0]);
  }
  return found;
}
"""


def pdf_pages(html: Path, pdf: Path, profile: Path) -> int:
    """Print ``html`` to ``pdf`` with headless Chromium (no header or footer) and count its pages."""
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
           f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri()]  # fmt: skip
    subprocess.run(cmd, capture_output=True, timeout=300, check=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, help="folder of rendered reports (default: render the bundled data)")
    parser.add_argument("--show", type=int, default=0, help="list the N longest cells of each report")
    parser.add_argument("--pdf-dir", type=Path, help="keep the PDFs here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.reports
        if folder is None:
            folder = Path(tmp) / "reports"
            for lang in ("zh", "en"):
                render(None, ReportParameters.of(lang), out_dir=folder, progress=False)
        pdf_dir = args.pdf_dir or Path(tmp) / "pdf"
        pdf_dir.mkdir(parents=True, exist_ok=True)
        pages = sorted(p for p in folder.glob("*.*.html") if not p.name.startswith("index."))
        print(
            f"{'report':<18}{'cells':>7}{f'>{MOST_LINES} lines':>11}{'worst':>7}{'too wide':>10}{'A4 pages':>10}"
            f"{'addresses':>11}"
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
            tab = browser.new_page()
            for html in pages:
                printed = measure(tab, html.as_uri())
                over = printed.over()
                addresses = tab.evaluate(ADDRESSES_OUTSIDE_JS)
                n = pdf_pages(html, pdf_dir / f"{html.stem}.pdf", Path(tmp) / "profile")
                name = html.name.removesuffix(".html")
                print(
                    f"{name:<18}{len(printed.cells):>7}{len(over):>11}{printed.worst:>7}{len(printed.too_wide):>10}"
                    f"{n:>10}{len(addresses):>11}"
                )
                for address in addresses[: args.show]:
                    print(f"    address outside the sources appendix: {address}")
                for cell in over[: args.show]:
                    print(f"    {cell}")
                for table in printed.too_wide:
                    print(f"    too wide: {table}")
            browser.close()


if __name__ == "__main__":
    main()
