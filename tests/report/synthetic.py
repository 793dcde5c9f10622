"""Synthetic reports for the report tests and benchmarks/bench_report.py: seeded runs with two
panels, a moving-average "smoothed" curve, and a small static SVG drawn with matplotlib."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rlplot.report import Chart, Curve, InputFile, Panel, QualityNote, Report, Section, Table

PANELS = (("Training Accuracy vs Steps", "Training Accuracy", "accuracy"),
          ("Average parallelism vs Steps", "Average Parallelism", "avg_parallelism"))


def run_series(seed: int, n: int = 400) -> dict[str, np.ndarray]:
    """One run's logged columns (shape (n,) each), values rounded as a trainer would log them."""
    rng = np.random.default_rng(seed)
    step = np.arange(1, n + 1, dtype=float) * 1000.0
    t = step / step[-1]
    accuracy = np.round(0.35 + 0.3 * t ** 2 + rng.normal(0, 0.02, n), 4)
    parallelism = np.round(4 + 2 * np.sin(3 * t + seed) + rng.normal(0, 0.3, n), 3)
    return {"step": step, "accuracy": accuracy, "avg_parallelism": parallelism}


def smooth(y: np.ndarray, window: int = 25) -> np.ndarray:
    """A centred moving average (edges padded with the end values), shape as y."""
    padded = np.pad(y, window // 2, mode="edge")
    return np.convolve(padded, np.ones(window) / window, mode="valid")[:y.shape[0]]


def static_svg(curves_by_panel: list[list[Curve]], width: float = 6.0, height: float = 2.4,
               lean: bool = False) -> str:
    """A small two-panel SVG of the drawn points and curves (the static fallback). ``lean``: text as
    SVG text and the points as one embedded 72 dpi image, about a third of the bytes."""
    figure = Figure(figsize=(width, height), dpi=72)
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(curves_by_panel))
    for ax, curves, (title, y_label, _) in zip(np.atleast_1d(axes), curves_by_panel, PANELS):
        for i, curve in enumerate(curves):  # the live chart's colours: tab10, blue/red for a lone run
            points, line = ("C0", "C3") if len(curves) == 1 else (f"C{i}", f"C{i}")
            ax.plot(curve.x, curve.y, "o", ms=1.5, alpha=0.6, color=points, rasterized=lean)
            ax.plot(curve.smooth_x, curve.smooth_y, lw=1.2, color=line)
        ax.set_title(title, fontsize=8)
        ax.set_ylabel(y_label, fontsize=7)
        ax.tick_params(labelsize=6)
    out = io.StringIO()
    settings = {"svg.hashsalt": "rlplot-report-tests", "svg.fonttype": "none" if lean else "path"}
    with matplotlib.rc_context(settings):  # a fixed salt: the same ids every time
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def curve_for(run: str, seed: int, column: str, n: int = 400, every: int = 2,
              band: bool = False, smooth_every: int = 1) -> Curve:
    """A run's curve in one panel: every ``every``-th point drawn, every ``smooth_every``-th point
    of the smoothed curve."""
    data = run_series(seed, n)
    x, y = data["step"], data[column]
    smoothed = smooth(y)
    band_args = {}
    if band:
        band_args = {"band_low": smoothed[::smooth_every] - 0.03, "band_high": smoothed[::smooth_every] + 0.03}
    return Curve(run=run, x=x[::every], y=y[::every], smooth_x=x[::smooth_every],
                 smooth_y=smoothed[::smooth_every], **band_args)


def section_for(title: str, runs: list[str], seeds: list[int], n: int = 400, every: int = 2,
                svg: bool | str = True, notes: tuple[QualityNote, ...] = (), band: bool = False,
                smooth_every: int = 1) -> Section:
    """A section of the given runs: two panels, a summary table and an SVG fallback (True: drawn
    here, "lean": drawn here, lean, False: none, another str: that SVG)."""
    by_panel = [[curve_for(r, s, column, n, every, band, smooth_every) for r, s in zip(runs, seeds)]
                for _, _, column in PANELS]
    panels = tuple(Panel(title=t, y_label=yl, curves=tuple(c)) for (t, yl, _), c in zip(PANELS, by_panel))
    if svg is True or svg == "lean":
        drawn = static_svg(by_panel, lean=svg == "lean")
    else:
        drawn = svg or None
    chart = Chart(x_label="step", panels=panels, svg=drawn)
    rows = tuple((r, float(c.y[-1]), float(c.smooth_y.max()), len(c.x) * every)
                 for r, c in zip(runs, by_panel[0]))
    summary = Table(header=("run", "final accuracy", "peak smoothed", "points"), rows=rows)
    return Section(title=title, chart=chart, summary=summary, notes=notes)


def make_report(n_runs: int, per_section: int = 1, n: int = 400, every: int = 2,
                svg: bool | str = True, inputs: tuple[InputFile, ...] = (),
                smooth_every: int = 1) -> Report:
    """A sweep of ``n_runs`` runs, ``per_section`` runs to a section (a group shares one chart)."""
    names = [f"sweep/lr={1e-4 * (1 + i % 7):.0e}/seed={i}" for i in range(n_runs)]
    sections = []
    for start in range(0, n_runs, per_section):
        runs = names[start:start + per_section]
        title = runs[0] if per_section == 1 else f"group {start // per_section}"
        notes = (QualityNote("3 malformed lines skipped", file=f"{runs[0]}.jsonl", line=17),) \
            if start == 0 else ()
        sections.append(section_for(title, runs, list(range(start, start + len(runs))), n, every,
                                    svg, notes, smooth_every=smooth_every))
    return Report(title=f"Sweep of {n_runs} runs", command=f"rlplot report 'runs/*.jsonl' -o report.html",
                  data_date="2024-05-01T12:00:00Z", sections=tuple(sections),
                  counts=(("runs", n_runs), ("files", n_runs), ("points", n_runs * n)),
                  config_text="smoothing:\n  method: lowess\n  frac: 0.2\n", inputs=inputs)
