"""rlplot.batch as a package: light to import, no import cycles, the names the CLI uses."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rlplot.batch

PACKAGE = Path(rlplot.batch.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_cli_and_library_import_no_heavy_modules():
    code = ("import sys, rlplot.cli.batch, rlplot.cli.watch, rlplot.batch, rlplot.batch.dask, "
            "rlplot.watch; print(sorted(m for m in ('numpy', 'matplotlib', 'statsmodels', 'dask', "
            "'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _imports_within_batch(module: str) -> set[str]:
    """The sibling modules ``module`` imports at its top level (``from .x import ...``)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {a.name for a in node.names}
    return found & set(MODULES)


def test_the_modules_import_each_other_without_cycles():
    graph = {m: _imports_within_batch(m) for m in MODULES}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join(path + (module,))
        if module not in done:
            for other in graph[module]:
                visit(other, path + (module,))
            done.add(module)
    for module in MODULES:
        visit(module, ())
    assert graph["discovery"] == set() and "run" not in set().union(*graph.values())


def test_every_module_imports_alone():
    code = "import importlib, sys; importlib.import_module(sys.argv[1])"
    for module in MODULES:
        done = subprocess.run([sys.executable, "-c", code, f"rlplot.batch.{module}"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_the_names_the_cli_uses_are_public():
    from rlplot.batch import (FAILED, RENDERED, Report, discover, make_executor, parse_shard, plan,
                              remove_leftovers, run_batch, select_shard)

    assert all(callable(f) for f in (discover, make_executor, parse_shard, plan, remove_leftovers,
                                     run_batch, select_shard, Report))
    assert (FAILED, RENDERED) == ("failed", "rendered")
    assert set(rlplot.batch.__all__) <= set(dir(rlplot.batch))
