"""The conda spec agrees with pyproject.toml; docs cover every column; nothing reads ../shared."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from plantrack.data.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return req.strip()[len(_name(req)) :].replace(" ", "")


def test_environment_yml_agrees_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): _spec(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    listed: dict[str, str] = {}
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+)\s*([<>=!~].*)?$", line)
        if m and m.group(1) not in ("pip", "python"):
            # conda-forge spells some names with "_" (jupyter_client), PyPI normalises them to "-"
            listed[m.group(1).lower().replace("_", "-")] = (m.group(2) or "").replace(" ", "")
    assert "python=3.11" in text
    assert "-e ." in text, "conda users install the package itself through pip"
    assert listed == wanted


def _documented(body: str) -> dict[str, str]:
    """Column name → its meaning cell, from the rows of a section's column table."""
    rows: dict[str, str] = {}
    for line in body.splitlines():
        if line.startswith("| `"):
            cells = line.split("|")
            for name in re.findall(r"`([^`]+)`", cells[1]):
                rows[name] = cells[2]
    return rows


def test_data_readme_agrees_with_the_models() -> None:
    """Every column of every pandera model is documented, nothing else is, and so is every allowed value."""
    doc = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        section = doc.split(f"## {table.file}", 1)
        assert len(section) == 2, f"data/README.md has no section for {table.file}"
        rows = _documented(section[1].split("\n## ", 1)[0])
        assert set(rows) == set(table.columns), f"{table.file}: documented {sorted(rows)}, model {list(table.columns)}"
        for name, col in table.columns.items():
            undocumented = [a for a in col.allowed if f"`{a}`" not in rows[name]]
            assert not undocumented, f"{table.file}: {name} allows {undocumented}, not in data/README.md"


def test_project_never_reads_shared() -> None:
    for path in [*ROOT.glob("src/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("notebooks/*.ipynb")]:
        if path.name == "test_packaging.py":
            continue
        assert "../shared" not in path.read_text(encoding="utf-8"), path


def test_raw_files_are_carried() -> None:
    raw = sorted(p.name for p in (ROOT / "data" / "raw").glob("0*.txt"))
    assert raw == [
        "000_8b0ee015ba47a741.txt",
        "001_dee32d37c247ebb2.txt",
        "002_b8b706b9a472a45d.txt",
        "003_490c044983d1bc4d.txt",
        "004_4cfd48b162073e4a.txt",
    ]
