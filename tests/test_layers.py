"""The package's layers: app → present → analysis → data, imports pointing down only."""

from __future__ import annotations

import ast
from pathlib import Path

import plantrack

PACKAGE = Path(plantrack.__file__).parent
ORDER = ["data", "analysis", "present", "app"]


def _imports(path: Path) -> set[str]:
    """The plantrack layers a module imports (relative or absolute), read from its syntax tree."""
    layer = path.relative_to(PACKAGE).parts[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found.add(layer)
            elif node.level == 2 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 0 and node.module and node.module.startswith("plantrack."):
                found.add(node.module.split(".")[1])
    return {f for f in found if f in ORDER}


def test_every_module_lives_in_a_layer() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def test_imports_point_down_only() -> None:
    wrong = []
    for layer in ORDER:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for target in _imports(path):
                if ORDER.index(target) > ORDER.index(layer):
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert wrong == []



def test_no_module_imports_another_modules_private_names() -> None:
    """A name with a leading underscore is used only in its own module (``import x as _x`` is not such a use)."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("plantrack")):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.endswith("__")]
                wrong += [f"{path.relative_to(PACKAGE)}: {name}" for name in private]
    assert wrong == []
