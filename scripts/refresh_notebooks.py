"""Execute the notebooks and keep stored outputs only where nbval checks them.

Run after changing the data or a checked summary:  .venv/bin/python scripts/refresh_notebooks.py
Cells marked ``# NBVAL_CHECK_OUTPUT`` keep their output (nbval compares it on every test run);
all other outputs are stripped so the notebooks stay small and diffs stay readable.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def refresh(path: Path) -> None:
    """Execute one notebook in its folder and strip unchecked outputs."""
    nb = nbformat.read(path, as_version=4)
    # no widget state: JupyterLab does not save it by default either, and exports then show the static fallback
    executor = ExecutePreprocessor(timeout=300, kernel_name="python3", store_widget_state=False)
    executor.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    nb.metadata.pop("widgets", None)
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        checked = "NBVAL_CHECK_OUTPUT" in cell.source
        if not checked:
            cell.outputs = []
        cell.execution_count = number if checked else None  # nbval needs a count on the cells it checks
        for out in cell.get("outputs", []):
            if "execution_count" in out:
                out["execution_count"] = cell.execution_count
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"refreshed {path.name}")


if __name__ == "__main__":
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        refresh(notebook)
