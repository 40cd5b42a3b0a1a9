"""The README is a map of the code: its layout table names every package and module of ``src/plantrack``."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "plantrack"
README = ROOT / "README.md"
README_LINES = 220  # at most: details live in docs/ and data/README.md


def layout_table(text: str) -> dict[str, set[str]]:
    """The README's layout table: package path (``app/explore/``) → the modules its row names."""
    section = text.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = line.split("|")
        package = re.fullmatch(r"\s*`([^`]+)`\s*", cells[1])
        assert package, f"a layout row names one package in its first cell: {line[:60]}"
        assert package.group(1) not in rows, f"{package.group(1)} has two rows"
        rows[package.group(1)] = set(re.findall(r"`([^`]+)`", cells[2]))
    return rows


def source_tree(root: Path) -> dict[str, set[str]]:
    """Every package under ``root`` (path relative to it, ending in ``/``) → its modules (without ``__init__``)."""
    tree = {}
    for init in sorted(root.rglob("__init__.py")):
        folder = init.parent
        if folder == root:
            continue
        modules = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
        tree[f"{folder.relative_to(root).as_posix()}/"] = modules
    return tree


def differences(table: dict[str, set[str]], tree: dict[str, set[str]], root_modules: set[str]) -> list[str]:
    """What the table and the tree disagree on, one line each."""
    found = [f"package {p} has no row in the README's layout table" for p in sorted(set(tree) - set(table))]
    found += [f"the layout table names package {p}, which does not exist" for p in sorted(set(table) - set(tree))]
    for package in sorted(set(table) & set(tree)):
        named, there = table[package], tree[package]
        found += [f"{package}{m}.py is not named in the layout table" for m in sorted(there - named)]
        found += [f"the layout table names {package}{m}, which does not exist" for m in sorted(named - there)]
    found += [f"{m}.py sits at the top of the package, outside the four layers" for m in sorted(root_modules)]
    return found


def test_the_layout_table_names_every_module_and_nothing_else() -> None:
    table = layout_table(README.read_text(encoding="utf-8"))
    root_modules = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert differences(table, source_tree(PACKAGE), root_modules) == []


def test_the_check_fails_on_a_missing_or_an_invented_module(tmp_path: Path) -> None:
    """The check itself: a module added to the tree, or one named that is not there, is reported."""
    for folder in ("app", "app/explore"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "app" / "cli.py").write_text("")
    (tmp_path / "app" / "new.py").write_text("")
    (tmp_path / "app" / "explore" / "panel.py").write_text("")
    readme = (
        "# x\n\n## Layout\n\n| package | modules | what |\n|---|---|---|\n"
        "| `app/` | `cli` · `gone` | the command line |\n| `data/` | `models` | tables |\n\n## After\n"
    )
    found = differences(layout_table(readme), source_tree(tmp_path), set())
    assert found == [
        "package app/explore/ has no row in the README's layout table",
        "the layout table names package data/, which does not exist",
        "app/new.py is not named in the layout table",
        "the layout table names app/gone, which does not exist",
    ]


def test_the_readme_is_a_map() -> None:
    """The README stays short: what plantrack answers, two commands, a picture, the commands, the layout."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_LINES
    for heading in ("## Set-up", "## Command line", "## Layout"):
        assert heading in text
    assert "](docs/suzhou_report.png)" in text and "make reports" in text and "make test" in text
    for linked in re.findall(r"\]\(((?:docs|data)/[^)#]+)", text):
        assert (ROOT / linked).is_file(), f"README links {linked}, which does not exist"
