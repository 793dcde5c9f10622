"""Tables of a comparison: Markdown, CSV, LaTeX (booktabs) and JSON (docs/compare-schema.json).

Each holds every aggregate metric with its CI and run count per algorithm, the
probabilities of improvement, and the per-task mean scores; JSON also carries the
profiles and sample-efficiency curves. Same comparison -> same bytes.
"""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np

from .._version import __version__
from ..atomic import write_text_atomic
from ..errors import OutputError
from ..markdown import md_table
from ..choices import AGGREGATE_METRICS, TABLE_FORMATS
from .results import Comparison, Curves, Profiles

SCHEMA_VERSION = 1
CSV_HEADER = ("section", "algorithm", "versus", "task", "statistic", "value", "ci_low", "ci_high", "runs")


def decimals(values) -> int:
    """Decimals for a column of numbers from its largest finite |value|: 3 up to 10 (normalized
    scores: 0.512, 1.000), one fewer per power of ten above (3512), more below 0.01 (0 to 6)."""
    finite = [abs(float(v)) for v in np.ravel(values) if math.isfinite(float(v)) and v != 0]
    if not finite:
        return 3
    power = math.floor(math.log10(max(finite)))
    if power >= 0:
        return max(0, 3 - power)
    return 3 if power >= -2 else min(6, 1 - power)


def _runs_text(counts) -> str:
    low, high = int(min(counts)), int(max(counts))
    per_task = f"{low}" if low == high else f"{low}-{high}"
    return f"{int(sum(counts))} ({per_task}/task)"


def caption(result: Comparison) -> str:
    """One line saying what the numbers are: score, normalization, CI method."""
    s = result.settings
    return (f"Score: {result.matrix.score}; normalization: {result.matrix.normalization}; "
            f"{s.level:g} % CIs from a stratified bootstrap over runs ({s.reps} replicates, seed {s.seed})"
            + (f"; optimality gap at gamma = {s.gamma:g}" if "optimality_gap" in result.intervals.metrics else ""))


def _cells(result: Comparison, dec: int, interval: str) -> list[list[str]]:
    est = result.intervals
    rows = []
    for a, algorithm in enumerate(est.algorithms):
        row = [algorithm, _runs_text(est.counts[a])]
        for m in range(len(est.metrics)):
            row.append(interval.format(p=est.point[a, m], lo=est.low[a, m], hi=est.high[a, m], d=dec))
        rows.append(row)
    return rows


def _metric_titles(result: Comparison) -> list[str]:
    return [AGGREGATE_METRICS[m].title for m in result.intervals.metrics]


def _task_rows(result: Comparison, dec: int) -> list[list[str]]:
    means, counts = result.matrix.task_means(), result.matrix.counts
    return [[task] + [f"{means[a, t]:.{dec}f} ({counts[a, t]})" for a in range(len(result.matrix.algorithms))]
            for t, task in enumerate(result.matrix.tasks)]


def to_markdown(result: Comparison) -> str:
    """Markdown: aggregates with CIs, P(X > Y), per-task means (runs in brackets)."""
    est, level = result.intervals, result.settings.level
    dec = decimals([est.point, est.low, est.high])
    lines = [f"_{caption(result)}._", ""]
    lines += md_table(["Algorithm", "Runs"] + [f"{t} ({level:g} % CI)" for t in _metric_titles(result)],
                      _cells(result, dec, "{p:.{d}f} [{lo:.{d}f}, {hi:.{d}f}]"))
    if result.improvements is not None:
        imp = result.improvements
        lines += ["", *md_table(["X", "Y", f"P(X > Y) ({level:g} % CI)"], [
            [x, y, f"{imp.point[i]:.3f} [{imp.low[i]:.3f}, {imp.high[i]:.3f}]"]
            for i, (x, y) in enumerate(imp.pairs)])]
    means = result.matrix.task_means()
    lines += ["", *md_table(["Task"] + [f"{a} mean (runs)" for a in result.matrix.algorithms],
                            _task_rows(result, decimals(means)))]
    return "\n".join(lines) + "\n"


def _latex(text: str) -> str:
    special = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(special.get(ch, ch) for ch in str(text))


def _tabular(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    return [rf"\begin{{tabular}}{{{align}}}", r"\toprule",
            " & ".join(header) + r" \\", r"\midrule",
            *(" & ".join(row) + r" \\" for row in rows), r"\bottomrule", r"\end{tabular}"]


def to_latex(result: Comparison) -> str:
    """LaTeX tabulars with booktabs rules (``\\usepackage{booktabs}``): aggregates, P(X > Y), task means."""
    est = result.intervals
    dec = decimals([est.point, est.low, est.high])
    rows = [[_latex(c) for c in row[:2]] + row[2:]
            for row in _cells(result, dec, "{p:.{d}f} {{\\small[{lo:.{d}f}, {hi:.{d}f}]}}")]
    lines = [f"% {_latex(caption(result))}"]
    lines += _tabular(["Algorithm", "Runs"] + [_latex(t) for t in _metric_titles(result)], rows,
                      "l" + "r" * (len(est.metrics) + 1))
    if result.improvements is not None:
        imp = result.improvements
        lines += ["", *_tabular(["X", "Y", r"$P(X > Y)$"], [
            [_latex(x), _latex(y), f"{imp.point[i]:.3f} {{\\small[{imp.low[i]:.3f}, {imp.high[i]:.3f}]}}"]
            for i, (x, y) in enumerate(imp.pairs)], "llr")]
    task_rows = [[_latex(c) for c in row] for row in _task_rows(result, decimals(result.matrix.task_means()))]
    lines += ["", *_tabular(["Task"] + [_latex(a) for a in result.matrix.algorithms], task_rows,
                            "l" + "r" * len(result.matrix.algorithms))]
    return "\n".join(lines) + "\n"


def to_csv(result: Comparison) -> str:
    """Long CSV, one number per row: aggregates, improvements, task means (full precision)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    est = result.intervals
    for a, algorithm in enumerate(est.algorithms):
        for m, metric in enumerate(est.metrics):
            writer.writerow(["aggregate", algorithm, "", "", metric, repr(float(est.point[a, m])),
                             repr(float(est.low[a, m])), repr(float(est.high[a, m])), int(est.counts[a].sum())])
    if result.improvements is not None:
        imp = result.improvements
        for i, (x, y) in enumerate(imp.pairs):
            writer.writerow(["improvement", x, y, "", "probability_of_improvement", repr(float(imp.point[i])),
                             repr(float(imp.low[i])), repr(float(imp.high[i])), ""])
    means, counts = result.matrix.task_means(), result.matrix.counts
    for a, algorithm in enumerate(result.matrix.algorithms):
        for t, task in enumerate(result.matrix.tasks):
            writer.writerow(["task_mean", algorithm, "", task, "mean", repr(float(means[a, t])), "", "",
                             int(counts[a, t])])
    return out.getvalue()


def _num(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _band(algorithm: str, point, low, high) -> dict:
    return {"algorithm": algorithm, "point": [_num(v) for v in point],
            "low": [_num(v) for v in low], "high": [_num(v) for v in high]}


def _profiles(profiles: Profiles | None) -> dict | None:
    if profiles is None:
        return None
    return {"kind": profiles.kind, "scale": profiles.scale, "tau": [_num(t) for t in profiles.tau],
            "algorithms": [_band(a, profiles.point[i], profiles.low[i], profiles.high[i])
                           for i, a in enumerate(profiles.algorithms)]}


def _curves(curves: Curves | None) -> dict | None:
    if curves is None:
        return None
    return {"statistic": curves.statistic, "x_label": curves.x_label, "x": [_num(x) for x in curves.x],
            "algorithms": [_band(a, curves.point[i], curves.low[i], curves.high[i])
                           for i, a in enumerate(curves.algorithms)]}


def to_data(result: Comparison) -> dict:
    """The JSON document as Python data (docs/compare-schema.json)."""
    est, s, matrix = result.intervals, result.settings, result.matrix
    means = matrix.task_means()
    return {
        "schema_version": SCHEMA_VERSION,
        "rlplot_version": __version__,
        "score": matrix.score,
        "normalization": matrix.normalization,
        "ci": {"level": s.level, "method": "percentile", "bootstrap": "stratified", "reps": s.reps,
               "seed": s.seed},
        "gamma": s.gamma,
        "algorithms": list(matrix.algorithms),
        "tasks": list(matrix.tasks),
        "equal_counts": matrix.equal_counts,
        "aggregates": [{"algorithm": algorithm, "runs": int(est.counts[a].sum()),
                        "runs_per_task": [int(n) for n in est.counts[a]],
                        "metrics": {metric: {"point": _num(est.point[a, m]), "low": _num(est.low[a, m]),
                                             "high": _num(est.high[a, m])}
                                    for m, metric in enumerate(est.metrics)}}
                       for a, algorithm in enumerate(est.algorithms)],
        "improvement": [] if result.improvements is None else [
            {"x": x, "y": y, "point": _num(result.improvements.point[i]),
             "low": _num(result.improvements.low[i]), "high": _num(result.improvements.high[i])}
            for i, (x, y) in enumerate(result.improvements.pairs)],
        "task_means": [{"algorithm": algorithm, "task": task, "runs": int(matrix.counts[a, t]),
                        "mean": _num(means[a, t])}
                       for a, algorithm in enumerate(matrix.algorithms) for t, task in enumerate(matrix.tasks)],
        "profiles": _profiles(result.profiles),
        "sample_efficiency": _curves(result.curves),
        "notices": [str(n) for n in result.notices],
    }


def to_json(result: Comparison) -> str:
    """JSON text following docs/compare-schema.json (schema_version 1)."""
    return json.dumps(to_data(result), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def table_format(path: str) -> str:
    """The table format of an output path from its extension, or an OutputError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"markdown": "md", "latex": "tex"}.get(suffix, suffix)
    if suffix not in TABLE_FORMATS:
        raise OutputError(f"unknown table format '.{suffix}'" if suffix else "a table needs an extension",
                          file=str(path), hint="use " + ", ".join(f".{n}" for n in TABLE_FORMATS.names))
    return suffix


def write_table(path: str, result: Comparison) -> str:
    """Write the table in the format of ``path``'s extension (.md, .csv, .tex, .json), atomically."""
    text = TABLE_FORMATS.load(table_format(path))(result)
    return write_text_atomic(path, text)
