"""The chart's automatic choices, through a real render: legend place, tick labels, chosen bandwidth."""
from __future__ import annotations

import numpy as np

from rlplot.config import load_config
from rlplot.pipeline import render

from ..conftest import SAMPLE_JSONL, write_jsonl


def _render(path, tmp_path, *layers, sets=()):
    config = load_config(list(layers), list(sets)).config
    return render([str(path)], [str(tmp_path / "fig.png")], config).figure


def _drawn_points_under_legend(ax) -> int:
    box = ax.get_legend().get_window_extent()
    xy = np.vstack([ax.transData.transform(c.get_offsets()) for c in ax.collections]
                   + [ax.transData.transform(line.get_xydata()) for line in ax.lines])
    return int(np.sum((xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1)
                      & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)))


def test_a_falling_curve_keeps_every_drawn_point_clear_of_the_legend(tmp_path):
    steps = np.arange(0, 200_000, 2_000)
    loss = 1.0 - 0.9 * (steps / steps[-1]) ** 0.5   # falls from the upper left corner
    log = write_jsonl(tmp_path / "loss.jsonl", [{"step": int(s), "loss": float(v)}
                                                for s, v in zip(steps, loss)])
    # y_max close above the first point: the curve really fills the upper left corner
    fig = _render(log, tmp_path, sets=["panels=[{metric: loss, y_max: 1.02}]"])
    fig.canvas.draw()
    ax = fig.axes[0]
    assert _drawn_points_under_legend(ax) == 0
    assert ax.get_legend()._loc != 2        # not the upper left (2), which the curve fills


def test_the_seed_sample_keeps_its_legend_at_the_upper_left(tmp_path):
    fig = _render(SAMPLE_JSONL, tmp_path)
    fig.canvas.draw()
    assert [ax.get_legend()._loc for ax in fig.axes] == [2, 2]


def test_step_columns_get_count_ticks_and_flops_keep_scientific_ones(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"global_step": s, "reward": s % 7}
                                             for s in range(0, 1_500_000, 10_000)])
    fig = _render(log, tmp_path, sets=["panels=[{metric: reward}]"])
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert {"400k", "800k", "1.2M"} <= set(labels) and not any("e" in t for t in labels)
    seed = _render(SAMPLE_JSONL, tmp_path)
    seed.canvas.draw()
    offset = seed.axes[0].xaxis.get_major_formatter().get_offset()
    assert offset in ("\u00d710\u00b2\u00b9", "\u00d710\u00b2\u2070")   # x10^21 / x10^20


def test_the_seed_chart_parses_no_mathtext(tmp_path, monkeypatch):
    # Mathtext costs a tenth of a small render (issue 18): no label of the default chart needs it.
    from matplotlib import mathtext

    parsed = []
    parse = mathtext.MathTextParser.parse
    monkeypatch.setattr(mathtext.MathTextParser, "parse",
                        lambda self, s, *a, **k: parsed.append(s) or parse(self, s, *a, **k))
    fig = _render(SAMPLE_JSONL, tmp_path)
    fig.canvas.draw()
    assert parsed == []


def test_frac_auto_says_in_the_footnote_what_it_chose(tmp_path, invoke):
    out = tmp_path / "auto.png"
    result = invoke("render", SAMPLE_JSONL, "--frac", "auto", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    fig = render([str(SAMPLE_JSONL)], [], load_config([], ["smoothing.frac=auto"]).config).figure
    footnotes = [t.get_text() for t in fig.texts]
    assert any("frac=auto→" in text for text in footnotes), footnotes
    bad = invoke("render", SAMPLE_JSONL, "--frac", "wide", "-o", out)
    assert bad.exit_code == 2 and "neither a number nor 'auto'" in bad.output


def test_time_axes_get_date_and_duration_ticks(tmp_path):
    start = 1_754_321_849.0
    log = write_jsonl(tmp_path / "t.jsonl", [{"step": i, "_timestamp": start + 37.0 * i, "reward": i % 5}
                                             for i in range(200)])
    labels = {}
    for axis in ("wall", "relative"):
        fig = _render(log, tmp_path, sets=["panels=[{metric: reward}]", f"data.x={axis}"])
        fig.canvas.draw()
        labels[axis] = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert any(":" in text for text in labels["wall"])            # clock times, e.g. 15:40
    assert any(text.endswith(("min", "h")) for text in labels["relative"]), labels["relative"]


def test_the_default_style_is_matplotlibs_without_importing_matplotlib_style(tmp_path):
    # The default style is applied from rcParamsDefault: importing matplotlib.style reads every
    # bundled sheet (issue 18). Its list of non-style settings must stay matplotlib's own.
    import subprocess
    import sys

    import matplotlib
    import matplotlib.style

    from rlplot.figure.chart import NOT_STYLE, default_style

    assert NOT_STYLE == set(matplotlib.style._STYLE_BLACKLIST)
    with matplotlib.style.context("default"):
        expected = {key: matplotlib.rcParams[key] for key in default_style()}
    assert default_style() == expected
    code = ("import sys; from rlplot.cli import cli\n"
            f"try: cli(['render', {str(SAMPLE_JSONL)!r}, '-o', {str(tmp_path / 'f.png')!r}, '-q'])\n"
            "except SystemExit as exit: assert exit.code in (0, None), exit.code\n"
            "print('matplotlib.style.core' in sys.modules or 'matplotlib.style' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split()[-1] == "False" and (tmp_path / "f.png").stat().st_size > 0
