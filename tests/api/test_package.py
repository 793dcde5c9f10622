"""`import rlplot` stays light; the notebook functions share their names with the command modules."""
from __future__ import annotations

import subprocess
import sys

import rlplot


def loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_rlplot_loads_none_of_the_heavy_libraries():
    loaded = loaded_after("import rlplot")
    assert not {"numpy", "matplotlib", "narwhals", "pandas", "polars", "pyarrow", "click"} & loaded


def test_the_notebook_functions_load_no_pyplot_and_no_cli():
    loaded = loaded_after("import rlplot; rlplot.plot({'step': [0, 1, 2, 3], 'r': [1, 2, 3, 4]}, "
                          "y='r', smooth='none')")
    assert "matplotlib.pyplot" not in loaded and "rlplot.cli" not in loaded and "click" not in loaded


def test_summary_inspect_compare_report_are_their_modules_and_callable():
    import rlplot.compare as glue
    from rlplot import summary

    for name in ("summary", "inspect", "compare", "report"):
        module = getattr(rlplot, name)
        assert module.__name__ == f"rlplot.{name}" and callable(module)
    assert glue is rlplot.compare and glue.evaluate_logs and summary.to_text
    shown = rlplot.summary({"step": [0, 1, 2, 3], "r": [1.0, 2.0, 3.0, 4.0]}, y="r", smooth="none")
    assert shown.runs[0].metrics[0].insight.last == 4.0


def test_a_fresh_interpreter_calls_them_before_and_after_importing_the_modules():
    code = ("import rlplot.inspect, rlplot.report.build\nimport rlplot\n"
            "r = rlplot.inspect({'step': [0, 1], 'r': [1, 2]})\n"
            "assert r.report.files[0].runs[0].rows == 2, r\n"
            "from rlplot.inspect import inspect_log\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_the_public_names_resolve():
    from rlplot.api import Plot, RlplotWarning

    assert rlplot.plot is rlplot.api.plot and rlplot.Plot is Plot
    assert issubclass(rlplot.RlplotWarning, UserWarning) and rlplot.RlplotWarning is RlplotWarning
    assert issubclass(rlplot.ColumnError, rlplot.InputError)
    assert rlplot.prepare_runs.__module__ == "rlplot.pipeline"
    assert set(rlplot.__all__) >= {"plot", "summary", "inspect", "compare", "report", "Plot"}
