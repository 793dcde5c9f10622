"""docs/notebook.ipynb executes end to end in a Jupyter kernel of this interpreter, and shows its figures."""
from __future__ import annotations

import base64
import gc
import json
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat", reason="test extra: pip install -e '.[dev]'")
nbclient = pytest.importorskip("nbclient", reason="test extra: pip install -e '.[dev]'")
pytest.importorskip("ipykernel", reason="test extra: pip install -e '.[dev]'")

NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def this_interpreter_kernel(folder: Path):
    """A kernel manager whose kernel is this interpreter (the test venv's), whatever kernels the
    machine has installed: a kernelspec of our own, found only in ``folder``."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = folder / "kernels" / "rlplot-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "rlplot test", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return KernelManager(kernel_name="rlplot-test", kernel_spec_manager=specs)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The example notebook run in a temp folder (what it saves lands there), and that folder."""
    folder = tmp_path_factory.mktemp("notebook")
    copy = folder / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    notebook = nbformat.read(copy, as_version=4)
    execute(notebook, folder)
    # jupyter_client leaves sockets unclosed; collected later, their ResourceWarnings would fire
    # inside whichever test happens to run then.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    return notebook, folder


def execute(notebook, folder: Path) -> None:
    """Run ``notebook`` in place in a kernel of this interpreter, and stop that kernel."""
    kernel = this_interpreter_kernel(folder)
    client = nbclient.NotebookClient(notebook, km=kernel, timeout=300,
                                     resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
        if kernel.has_kernel:
            kernel.shutdown_kernel(now=True)


def outputs(notebook):
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def test_the_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_it_runs_without_an_error_and_shows_each_figure_as_a_png(executed):
    notebook, _ = executed
    shown = outputs(notebook)
    assert not [out for out in shown if out.output_type == "error"]
    images = [out for out in shown if "image/png" in out.get("data", {})]
    # fig, by_lr and the edited fig: three figures displayed
    assert len(images) == 3
    for out in images:
        assert base64.b64decode(out["data"]["image/png"]).startswith(PNG_MAGIC)
        assert "text/html" not in out["data"]   # the live chart is asked for, never the default


def test_its_summary_shows_as_markdown_and_its_error_as_the_cli_message(executed):
    notebook, _ = executed
    shown = outputs(notebook)
    markdown = [out["data"]["text/markdown"] for out in shown if "text/markdown" in out.get("data", {})]
    assert any("reward" in text and "|" in text for text in markdown)
    printed = "".join(out.get("text", "") for out in shown if out.output_type == "stream")
    assert "<data> [lr0.001_seed0]: no column 'rewrd'" in printed
    warned = [out for out in shown if "text/plain" in out.get("data", {})
              and "dropped points: 1 of 100 from 'reward' (1 missing)" in out["data"]["text/plain"]]
    assert warned


def test_what_it_saves_is_a_png_with_provenance(executed):
    from rlplot.provenance import read_provenance

    _, folder = executed
    saved = folder / "reward.png"
    assert saved.read_bytes().startswith(PNG_MAGIC)
    record = read_provenance(str(saved))
    assert record.command.startswith("rlplot.plot(<DataFrame>")
    assert record.inputs[0].path == "<data>" and len(record.inputs[0].sha256) == 64
