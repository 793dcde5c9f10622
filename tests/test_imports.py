"""Import discipline: what each stage may import, and no import cycle in the package.

Reading, cleaning and smoothing never import matplotlib; ``prepare`` imports no pandas;
the registries, names and help stay free of numpy. Cycles are found by walking every
module's imports (module-level and inside functions) in the source.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rlplot"


def modules_after(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def _prepare_sample() -> str:
    sample = PACKAGE.parent / "sample_runs" / "seed_like_run.jsonl"
    return f"from rlplot.pipeline import prepare\nprepare([{str(sample)!r}])"


def _cli(args: str) -> str:
    return ("from rlplot.cli import cli\n"
            f"try:\n    cli.main(args={args}, standalone_mode=False)\nexcept SystemExit:\n    pass")


DATA_STAGES = ["rlplot.io", "rlplot.io.read", "rlplot.io.fast", "rlplot.io.adapters", "rlplot.clean",
               "rlplot.columns", "rlplot.smoothing", "rlplot.aggregate", "rlplot.runs",
               "rlplot.pipeline", "rlplot.config", "rlplot.inspect", "rlplot.export",
               "rlplot.figure.text", "rlplot.insights", "rlplot.summary", "rlplot.stats",
               "rlplot.stats.tables", "rlplot.report", "rlplot.io.frames", "rlplot.frames_out"]
LIGHT = ["rlplot", "rlplot.io", "rlplot.io.registry", "rlplot.names", "rlplot.runs.discover",
         "rlplot.choices"]
# Batch and watch drive workers: the parent needs none of the drawing or cluster code.
ORCHESTRATION = ["rlplot.batch", "rlplot.batch.dask", "rlplot.cli.batch", "rlplot.cli.watch",
                 "rlplot.watch"]

CASES = (
    [(f"import {m}", {"matplotlib"}) for m in DATA_STAGES]
    + [(f"import {m}", {"statsmodels"}) for m in ("rlplot.io", "rlplot.clean", "rlplot.columns",
                                                  "rlplot.inspect")]
    + [(f"import {m}", {"numpy"}) for m in LIGHT]
    + [(f"import {m}", {"numpy", "matplotlib", "statsmodels", "dask", "distributed"})
       for m in ORCHESTRATION]
    # the numbers of compare need neither pandas nor scipy; frames need no frame library
    + [(f"import {m}", {"pandas", "scipy"}) for m in ("rlplot.stats", "rlplot.stats.tables")]
    + [(f"import {m}", {"pandas", "polars"}) for m in ("rlplot.io.frames", "rlplot.frames_out")]
    # narwhals is for notebooks: the CLI's path never loads it
    + [(f"import {m}", {"narwhals"}) for m in ("rlplot.io", "rlplot.pipeline", "rlplot.runs.load",
                                               "rlplot.cli")]
    # statsmodels' compiled LOWESS is loaded without its package __init__ (pandas + scipy, ~0.5 s)
    + [(_prepare_sample(), {"matplotlib", "pandas"})]
    # one small log is read here: no pool, no spill folder, no SVG entity table (issue 18, the
    # small render's own imports)
    + [(_prepare_sample(), {"multiprocessing", "tempfile", "shutil", "html"})]
    + [(_cli(args), {"numpy", "matplotlib", "statsmodels", "pandas"})
       for args in ("['--help']", "['--version']", "['render', '--help']", "['inspect', '--help']")]
)


@pytest.mark.parametrize("code, forbidden", CASES,
                         ids=[c.split("args=")[1].split(",")[0] if "args=" in c else c.splitlines()[0]
                              for c, _ in CASES])
def test_stage_imports_nothing_heavier_than_it_needs(code, forbidden):
    loaded = modules_after(code)
    assert not {m for m in loaded if m.split(".")[0] in forbidden}


def package_modules(root: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, is a package)."""
    modules = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def import_graph(modules: dict[str, tuple[Path, bool]]) -> dict[str, set[str]]:
    """module -> the package's modules it imports anywhere in its source (``from . import x`` -> x)."""
    top = next(iter(modules)).split(".")[0]
    graph = {}
    for name, (path, is_package) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(here[:len(here) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module
                found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                          for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name and m.startswith(top)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or around a loop (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_loop_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_resolves_relative_imports(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\nfrom . import c\n")
    (pkg / "c.py").write_text("def f():\n    from .sub.b import g\n")
    (pkg / "sub" / "__init__.py").write_text("from ..a import x\n")
    (pkg / "sub" / "b.py").write_text("import pkg.c\n")
    graph = import_graph(package_modules(pkg))
    assert graph["pkg.a"] == {"pkg.sub.b", "pkg.c"}
    assert graph["pkg.c"] == {"pkg.sub.b"} and graph["pkg.sub"] == {"pkg.a"}
    assert cycles(graph) == [{"pkg.c", "pkg.sub.b"}]


def test_no_module_of_the_package_imports_itself_around_a_loop():
    graph = import_graph(package_modules())
    assert "rlplot.io.fast" in graph["rlplot.io.read"]   # the walk sees imports inside functions
    assert cycles(graph) == []


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@pytest.mark.parametrize("name", sorted(package_modules()))
def test_modules_and_functions_stay_small_enough_to_read_in_one_sitting(name):
    path, _ = package_modules()[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, name
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{name}: {long}"


def test_every_module_imports_in_a_fresh_interpreter():
    # One interpreter per module would take a minute; importing each in dependency-free
    # sorted order still catches a module that fails at import (a cycle of top-level names).
    code = ("import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)")
    names = sorted(n for n in package_modules() if not n.endswith("__main__"))
    done = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_small_log_loads_neither_fast_readers_nor_shared_lowess():
    # The tolerant reader reads a small log and one series is smoothed alone: the column readers
    # of big logs and LOWESS-together stay unloaded (issue 18: the small render's own imports).
    loaded = modules_after(_prepare_sample())
    assert not loaded & {"rlplot.io.fast.csv_columns", "rlplot.io.fast.jsonl_columns",
                         "rlplot.smoothing.lowess_shared"}
    assert "rlplot.smoothing.lowess" in loaded and "rlplot.io.fast" in loaded
