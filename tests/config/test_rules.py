"""Rules across options: panels need a metric, the grid must fit them, limits in order, styles, pixels."""
from __future__ import annotations

import pytest

from rlplot.config.rules import MAX_FIGURE_PIXELS

from .helpers import messages, write


@pytest.mark.parametrize("text, expected", [
    ("panels: []\n", "panels: at least one panel is needed"),
    ("panels: [{title: x}]\n", "panels[0] has no metric"),
    ("panels: [{metric: a, y_min: 2, y_max: 1}]\n", "panels[0]: y_min 2 is not below y_max 1"),
    ("figure: {rows: 1, cols: 1}\n", "figure.rows × figure.cols = 1×1 is too small for 2 panels"),
    ("figure: {x_min: 5, x_max: 1}\n", "figure: x_min 5 is not below x_max 1"),
    ("output: {formats: []}\n", "output.formats: at least one format is needed (e.g. [png] or [png, pdf])"),
    ("style: ['https://example.com/x.mplstyle']\n", "styles from URLs are not loaded"),
    ("style: [nowhere.mplstyle]\n", "style[0]: no style file 'nowhere.mplstyle'"),
    ("style: [ggplt]\n", "style[0]: unknown matplotlib style 'ggplt' (did you mean 'ggplot'?)"),
])
def test_rules_name_what_is_wrong_at_the_line_that_set_it(tmp_path, text, expected):
    cfg = write(tmp_path / "bad.yaml", text)
    found = messages(cfg)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"{cfg}:1: "), found


def test_a_missing_metric_is_reported_at_the_panel_when_no_layer_set_it(tmp_path):
    cfg = write(tmp_path / "p.yaml", "figure: {width: 4}\npanels:\n  2:\n    title: third\n")
    assert messages(cfg) == [f"{cfg}:3: panels[2] has no metric (set panels.N.metric to a column name "
                             "or a role (accuracy, parallelism))"]


def test_a_figure_too_large_in_pixels_is_refused(tmp_path):
    cfg = write(tmp_path / "big.yaml", "figure: {width: 100, dpi: 1200}\noutput: {dpi: 300}\n")
    found = messages(cfg)
    assert found == [
        f"{cfg}:1: figure.dpi 1200 × 100 in makes a 120,000-pixel side "
        f"(at most {MAX_FIGURE_PIXELS:,} pixels a side: lower the dpi or the size)",
        f"{cfg}:2: output.dpi 300 × 100 in makes a 30,000-pixel side "
        f"(at most {MAX_FIGURE_PIXELS:,} pixels a side: lower the dpi or the size)"]
