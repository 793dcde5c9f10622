"""The config package is small and acyclic: each module imports alone, none imports in a circle."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import rlplot.config.{module}"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", MODULES)
def test_no_module_reaches_itself_through_its_imports(module):
    assert module not in reachable(module)


def test_docs_and_loader_do_not_depend_on_each_other():
    assert "loader" not in reachable("docs") and "docs" not in reachable("loader")
    assert {"schema", "presets"} <= reachable("docs")


@pytest.mark.parametrize("module", MODULES)
def test_modules_and_functions_stay_small(module):
    text = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 400
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno - node.lineno < 60, f"{module}.{node.name}"
