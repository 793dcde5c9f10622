"""Runs -> the report model (rlplot.report.build, .sections, .static): sections per run, group or
aggregate; the live points are the static figure's; summary numbers, notes, inputs, thinning."""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from matplotlib.collections import PathCollection

from rlplot.config import load_config
from rlplot.config.schema import Config
from rlplot.data import Smoothed
from rlplot.figure.downsample import scatter_indices
from rlplot.pipeline import prepare
from rlplot.provenance import read_provenance
from rlplot.report import image_names, render_html
from rlplot.report.build import (FEWEST_CURVE_POINTS, FEWEST_POINTS, budget_for, build_report,
                                 buckets, data_date, path_labels)
from rlplot.report.sections import Budget, thinned, units
from rlplot.report.static import (draw_figure, fallback_config, fallback_panel, fallback_svg,
                                  lean_svg, thin_curve)

from ..conftest import make_sweep, write_jsonl
from .sweeps import write_sweep


def build(paths, config=None, **kwargs):
    kwargs.setdefault("title", "t")
    kwargs.setdefault("command", "rlplot report sweep")
    return build_report([str(p) for p in paths], config or Config(), **kwargs)


def test_a_section_per_run_named_as_render_names_them(tmp_path):
    paths = make_sweep(tmp_path, seeds=2, n=30)
    built = build(paths)
    assert [s.title for s in built.report.sections] == ["lr1e-3_seed0", "lr1e-3_seed1",
                                                         "lr3e-4_seed0", "lr3e-4_seed1"]
    assert [s.runs for s in built.report.sections] == [(s.title,) for s in built.report.sections]
    assert dict(built.report.counts) == {"runs": 4, "files": 4, "logged rows": 120}
    assert built.failed == () and built.images == (None,) * 4


def test_a_section_per_group_overlays_its_runs_in_the_figure_colours(tmp_path):
    from rlplot.figure.chart import RUN_COLORS

    paths = make_sweep(tmp_path, seeds=3, n=30)
    config = load_config([], ["runs.group_by=lr([^_]+)_seed"]).config
    sections = build(paths, config).report.sections
    assert [s.title for s in sections] == ["1e-3", "3e-4"]
    assert sections[0].runs == ("lr1e-3_seed0", "lr1e-3_seed1", "lr1e-3_seed2")
    assert [c.color for c in sections[0].chart.panels[0].curves] == list(RUN_COLORS[:3])


def test_an_aggregated_group_is_its_line_and_band(tmp_path):
    paths = make_sweep(tmp_path, seeds=3, n=30)
    config = load_config([], ["runs.group_by=lr([^_]+)_seed", "runs.aggregate=mean",
                              "runs.band=sd"]).config
    built = build(paths, config)
    first = built.report.sections[0]
    (curve,) = first.chart.panels[0].curves
    assert curve.run == "1e-3 (n=3)" and len(curve.x) == 0       # no points unless runs.points
    assert curve.band_low is not None and np.all(curve.band_low <= curve.smooth_y + 1e-12)
    assert len(first.summary.rows) == 3 * 2                       # every member run and panel
    assert dict(built.report.counts)["sections"] == 2


def test_aggregating_without_groups_is_one_section_of_every_run(tmp_path):
    paths = make_sweep(tmp_path, seeds=2, n=30)
    config = load_config([], ["runs.aggregate=median"]).config
    (section,) = build(paths, config).report.sections
    assert section.title == "all runs" and section.runs == ("all runs (n=4)",)


def test_a_log_with_several_runs_gives_a_section_per_run(tmp_path):
    log = tmp_path / "long.csv"
    rows = ["run,tag,step,value"]
    for run in ("ppo", "sac"):
        rows += [f"{run},accuracy,{s},{0.3 + s / 100}" for s in range(20)]
        rows += [f"{run},parallelism,{s},{8 + s % 3}" for s in range(20)]
    log.write_text("\n".join(rows) + "\n")
    built = build([log])
    assert [s.title for s in built.report.sections] == ["ppo", "sac"]
    assert dict(built.report.counts) == {"runs": 2, "files": 1, "logged rows": 40}  # a row per step


def test_the_live_points_and_curve_are_what_the_static_figure_draws(tmp_path):
    (log,) = write_sweep(tmp_path, 1, rows=900, damaged=False)
    config = Config()
    budget = Budget(points=120, curve=70)
    prepared = prepare([str(log)], config)
    ((title, unit),) = units(prepared)
    small = thinned(unit, budget)
    series = unit.runs[0].series[0]
    keep = scatter_indices(series.y, budget.points)
    assert np.array_equal(small.runs[0].series[0].x, series.x[keep])
    assert len(small.smoothed[0][0].x) <= budget.curve
    section = build([log], config).report.sections[0]
    drawn = section.chart.panels[0].curves[0]
    assert set(drawn.x) <= set(series.x) and len(drawn.x) == min(900, budget_for(1, config).points)
    figure, _ = draw_figure(replace(small, panels=tuple(fallback_panel(p, 1) for p in small.panels)),
                            fallback_config(config, 2))
    (scatter,) = [c for c in figure.axes[0].collections if isinstance(c, PathCollection)]
    assert np.array_equal(scatter.get_offsets(), np.column_stack([series.x[keep], series.y[keep]]))
    assert scatter.get_rasterized()                          # points are an image in the SVG
    line = figure.axes[0].lines[0]
    assert np.array_equal(line.get_xdata(), small.smoothed[0][0].x)


def test_the_page_budget_shrinks_with_the_runs_and_has_a_floor():
    config = Config()
    assert budget_for(1, config) == Budget(points=4000, curve=4000)
    assert budget_for(200, config) == Budget(points=150, curve=80)
    assert budget_for(100_000, config) == Budget(points=FEWEST_POINTS, curve=FEWEST_CURVE_POINTS)
    few = load_config([], ["panels.0.scatter.max_points=300"]).config
    assert budget_for(1, few).points == 300


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 3000), budget=st.integers(12, 500), seed=st.integers(0, 2 ** 16))
def test_a_thinned_curve_keeps_the_extremes_of_the_line_and_its_band(n, budget, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n).cumsum()
    low, high = y - rng.uniform(0, 1, n), y + rng.uniform(0, 1, n)
    curve = Smoothed(np.arange(n, dtype=float), y, "lowess", band_low=low, band_high=high)
    thin = thin_curve(curve, budget)
    assert len(thin.x) <= budget and np.all(np.diff(thin.x) > 0)
    for full, part in ((y, thin.y), (low, thin.band_low), (high, thin.band_high)):
        assert part.max() == full.max() and part.min() == full.min()
    assert thin.x[0] == 0 and thin.x[-1] == n - 1


def test_groups_of_logs_are_read_together(tmp_path):
    paths = ["s/lr1_seed0/m.jsonl", "s/other.jsonl", "s/lr2_seed0/m.jsonl", "s/lr1_seed1/m.jsonl"]
    grouped = load_config([], ["runs.group_by=lr([^_]+)_seed"]).config
    assert buckets(paths, grouped) == [[0, 3], [1], [2]]
    assert buckets(paths, Config()) == [[0], [1], [2], [3]]
    assert buckets(paths, load_config([], ["runs.aggregate=mean"]).config) == [[0, 1, 2, 3]]


def test_labels_are_chosen_over_the_whole_sweep(tmp_path):
    paths = ["a/s1/metrics.jsonl", "a/s2/metrics.jsonl", "b.jsonl"]
    assert path_labels(paths, Config(), ()) == ["a/s1/metrics", "a/s2/metrics", "b"]
    assert path_labels(paths, Config(), ("one",)) == ["one", "a/s2/metrics", "b"]
    mapped = load_config([], ["runs.labels={b.jsonl: bee}"]).config
    assert path_labels(paths, mapped, ())[2] == "bee"
    assert path_labels(["only.jsonl"], Config(), ()) is None


def test_an_unreadable_log_is_a_note_and_the_others_are_reported(tmp_path):
    paths = make_sweep(tmp_path, seeds=1, n=20)
    broken = tmp_path / "sweep" / "broken" / "metrics.csv"
    broken.parent.mkdir()
    broken.write_text("step,reward\n1,2\n")
    built = build([*paths, broken])
    assert [s.title for s in built.report.sections] == ["lr1e-3_seed0", "lr3e-4_seed0"]
    (error,) = built.failed
    assert error.file == str(broken) and "no column 'accuracy'" in error.what
    (note,) = built.report.notes
    assert str(note).startswith(f"{broken}: not in the report: no column 'accuracy'")


def test_skipped_lines_and_dropped_points_are_the_sections_notes(tmp_path):
    paths = write_sweep(tmp_path, 2, rows=60)
    sections = build(paths).report.sections
    damaged = next(s for s in sections if s.title == "lr1e-4_seed0")
    texts = [str(n) for n in damaged.notes]
    assert any(t.startswith(f"{paths[0]}:11: skipped line: malformed JSON") for t in texts), texts
    assert any("dropped points: 1 of 59 from 'accuracy' (1 missing)" in t for t in texts), texts
    assert next(s for s in sections if s.title != "lr1e-4_seed0").notes == ()


def test_the_summary_table_holds_the_summary_numbers(tmp_path):
    from rlplot.summary import parse_threshold

    paths = write_sweep(tmp_path, 1, rows=300, damaged=False)
    section = build(paths, thresholds=[parse_threshold("accuracy=50%")]).report.sections[0]
    table = section.summary
    assert table.header[-1] == "accuracy crosses 50%" and table.header[:3] == ("run", "metric",
                                                                                "points (dropped)")
    accuracy, parallelism = table.rows
    assert accuracy[1] == "Training Accuracy" and accuracy[2] == "300 (0)"
    assert re.fullmatch(r"at \S+ \(rising\)", accuracy[-1])
    assert re.fullmatch(r"\S+ \(confidence 0\.\d\d\)", parallelism[6])     # the knee
    assert parallelism[-1] == "–"


def test_the_data_date_is_the_newest_input_in_utc(tmp_path):
    a, b = write_jsonl(tmp_path / "a.jsonl", [{"x": 1}]), write_jsonl(tmp_path / "b.jsonl", [{"x": 1}])
    os.utime(a, (1714564800, 1714564800))        # 2024-05-01T12:00:00Z
    os.utime(b, (1714478400, 1714478400))
    assert data_date([str(a), str(b), "-"]) == "2024-05-01T12:00:00Z"
    assert data_date(["-"]) == "unknown"


@pytest.mark.parametrize("mode, shown", [("true", ["{0}", "{1}"]), ("hashes", ["input 1", "input 2"]),
                                         ("false", [])])
def test_the_inputs_table_follows_output_provenance(tmp_path, mode, shown):
    paths = make_sweep(tmp_path, groups=("1",), seeds=2, n=20)
    report = build(paths, load_config([], [f"output.provenance={mode}"]).config).report
    assert [f.path for f in report.inputs] == [s.format(*paths) for s in shown]
    assert [f.size for f in report.inputs] == [os.path.getsize(p) for p in paths][:len(shown)]
    assert all(len(f.sha256) == 64 for f in report.inputs)


def test_worker_processes_build_the_same_report(tmp_path):
    paths = write_sweep(tmp_path, 8, rows=40)
    one = render_html(build(paths).report)
    two = render_html(build(paths, workers=2).report)
    assert one == two and one.count('<details class="section"') == 8


def test_markdown_pngs_are_written_named_by_section_with_provenance(tmp_path):
    paths = make_sweep(tmp_path, seeds=1, n=20)
    out = tmp_path / "md"
    built = build(paths, image_dir=str(out), command="rlplot report x -f markdown")
    assert built.images == image_names(built.report)
    assert sorted(os.listdir(out)) == sorted(built.images)
    record = read_provenance(str(out / built.images[1]))
    assert record.command == "rlplot report x -f markdown"
    assert [i.path for i in record.inputs] == [paths[1]]     # the section's own logs


def test_the_fallback_svg_is_small_plain_svg(tmp_path):
    (log,) = write_sweep(tmp_path, 1, rows=1000, damaged=False)
    prepared = prepare([str(log)], Config())
    ((_, unit),) = units(prepared)
    svg, notices = fallback_svg(thinned(unit, budget_for(200, Config())), Config())
    assert notices == ()
    assert len(svg.encode()) < 20_000
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Training Accuracy vs Steps" in texts and "RL flops" in texts and "\u00d710\u00b2\u00b9" in texts
    assert "<tspan" not in svg and "mathdefault" not in svg        # plain tick labels
    assert len(root.findall(".//{http://www.w3.org/2000/svg}image")) == 2    # rasterised points
    assert "legend" not in svg.lower() or "Smoothed Curve" not in texts      # no lone-run legend


def test_lean_svg_shortens_geometry_and_styles_but_not_text():
    svg = ('<svg><defs><style type="text/css">*{a: b}</style></defs><g id="figure_1">'
           '<path d="M 1.234567 2.5 \nL 3.98765 4" style="fill: red"/>'
           '<path d="M 0 0" style="fill: red"/><text x="12.3456" transform="rotate(-0 1 2)" '
           "style=\"font-family: 'DejaVu Sans', 'Bitstream Vera Sans', Arial, sans-serif; x: 1\">"
           "0.87654</text></g></svg>")
    lean = lean_svg(svg)
    assert '<g>' in lean and 'id="figure_1"' not in lean
    assert 'd="M 1.2 2.5 L 3.9 4"' in lean and 'x="12.3"' in lean and ">0.87654<" in lean
    assert "rotate" not in lean
    assert "font-family: 'DejaVu Sans', sans-serif; x: 1" in lean
    assert lean.count('class="s0"') == 2 and ".s0{fill: red}" in lean
    ET.fromstring(lean)


def test_the_fallback_keeps_the_panel_grid_small():
    four = load_config(["four-panel"]).config
    small = fallback_config(four, len(four.panels))
    from rlplot.figure.layout import grid_shape

    rows, cols = grid_shape(4, four.figure)
    assert (small.figure.width, small.figure.height) == (min(3.2 * cols, 12.8), min(2.5 * rows, 10.0))
    assert small.output.rasterize_above == 0 and small.rc["svg.fonttype"] == "none"
    assert not small.figure.grid and small.figure.dpi == 60


def test_percent_panels_say_the_value_of_100_percent_to_the_live_chart(tmp_path):
    paths = make_sweep(tmp_path, seeds=1, n=30)   # accuracy in 0-1, parallelism plain
    panels = build(paths[:1]).report.sections[0].chart.panels
    assert [p.percent for p in panels] == [1.0, None]
    assert '"pct":1' in render_html(build(paths[:1]).report)
