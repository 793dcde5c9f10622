"""docs and loader never depend on each other. (Cycles, sizes and light imports of every module:
tests/test_imports.py.)"""
from __future__ import annotations

import ast
from pathlib import Path

import rlplot.config

PACKAGE = Path(rlplot.config.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def config_imports(module: str) -> set[str]:
    """The config modules ``module`` imports anywhere in its source (inside functions too)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rlplot.config."):
            found.add(node.module.split(".")[2])
    return found & set(MODULES)


def reachable(module: str) -> set[str]:
    """Every config module ``module`` depends on, directly or not."""
    seen, todo = set(), [module]
    while todo:
        for dep in config_imports(todo.pop()) - seen:
            seen.add(dep)
            todo.append(dep)
    return seen


def test_docs_and_loader_do_not_depend_on_each_other():
    assert "loader" not in reachable("docs") and "docs" not in reachable("loader")
    assert {"schema", "presets"} <= reachable("docs")
