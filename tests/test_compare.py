"""The library API of ``rlplot compare`` (rlplot/compare.py): logs -> runs -> cells -> evaluation ->
figures and tables, with every config setting reaching the engine."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rlplot.compare as glue
from rlplot.config import load_config
from rlplot.data import Run, Series
from rlplot.errors import ConfigError, InputError, OutputError
from rlplot.stats import evaluate

from .conftest import ROOT

SAMPLE = ROOT / "sample_runs" / "compare"
SAMPLE_LOGS = str(SAMPLE / "*" / "*" / "seed*.csv")
# Counted from the seed file: the folders above the sample (a checkout's name) may hold "compare/" too.
SAMPLE_SETS = ("compare.algo_by=([^/]+)/[^/]+/seed", "compare.task_by=([^/]+)/seed",
               "panels=[{metric: episode_return}]", "runs.reps=200")


def write_runs(root: Path, seeds: dict[tuple[str, str], int], rows: int = 21, x: str = "step") -> list[Path]:
    """``root/ALGO/TASK/seedK.csv`` logs (x, episode_return) with per-algorithm levels; the paths."""
    paths = []
    for (algorithm, task), count in seeds.items():
        level = 1.0 + sum(map(ord, algorithm)) % 7
        for seed in range(count):
            rng = np.random.default_rng([sum(map(ord, algorithm + task)), seed])
            steps = np.linspace(0, 1000, rows)
            values = level * steps / 1000 + rng.normal(0, 0.1, rows)
            path = root / algorithm / task / f"seed{seed}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{x},episode_return\n" + "".join(f"{s:g},{v:.4f}\n" for s, v in zip(steps, values)),
                            encoding="utf-8")
            paths.append(path)
    return paths


def sample_config(*sets):
    return load_config([], list(SAMPLE_SETS) + list(sets)).config


def sample_cells() -> dict:
    """The sample's runs as Series, read with numpy, grouped by hand."""
    cells: dict = {}
    for path in sorted(SAMPLE.glob("*/*/seed*.csv")):
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        cells.setdefault((path.parts[-3], path.parts[-2]), []).append(
            Series("episode_return", data[:, 0], data[:, 1], "step"))
    return cells


def test_every_setting_reaches_the_engine():
    sets = ("runs.reps=150", "runs.level=90", "runs.seed=7", "compare.score=last:5",
            "compare.normalize=minmax", "compare.improvement.pairs=[sac:td3, ppo:td3]",
            "compare.profiles.kind=tasks", "compare.profiles.tau_scale=log", "compare.profiles.tau_points=9",
            "compare.intervals.metrics=[iqm, mean]", "compare.intervals.gamma=0.5",
            "compare.efficiency.statistic=median", "compare.efficiency.points=7")
    ours = glue.evaluate_logs([SAMPLE_LOGS], sample_config(*sets)).comparison
    theirs = evaluate(sample_cells(), score="last:5", normalize="minmax", metrics=["iqm", "mean"], reps=150,
                      level=90, seed=7, gamma=0.5, profile="tasks", tau_scale="log", tau_points=9,
                      pairs=[("sac", "td3"), ("ppo", "td3")], curve_points=7, curve_statistic="median")
    assert ours.intervals.metrics == ("iqm", "mean") and ours.improvements.pairs == (("sac", "td3"), ("ppo", "td3"))
    for name in ("point", "low", "high"):
        np.testing.assert_array_equal(getattr(ours.intervals, name), getattr(theirs.intervals, name))
        np.testing.assert_array_equal(getattr(ours.profiles, name), getattr(theirs.profiles, name))
        np.testing.assert_array_equal(getattr(ours.improvements, name), getattr(theirs.improvements, name))
        np.testing.assert_array_equal(getattr(ours.curves, name), getattr(theirs.curves, name))
    assert ours.profiles.kind == "tasks" and ours.profiles.scale == "log" and len(ours.profiles.tau) == 9
    assert ours.curves.statistic == "median" and len(ours.curves.x) == 7 and ours.curves.x_label == "step"
    assert ours.settings.level == 90 and ours.settings.gamma == 0.5


def test_the_sample_finds_the_levels_it_was_made_with():
    evaluated = glue.evaluate_logs([SAMPLE_LOGS], sample_config(
        f"compare.normalize={SAMPLE / 'references.yaml'}"))
    assert {key: len(runs) for key, runs in evaluated.cells.cells.items()} == \
        {(a, t): 5 for a in ("ppo", "sac", "td3") for t in ("cartpole", "cheetah", "hopper", "walker")}
    iqm = [evaluated.comparison.intervals.get(a, "iqm") for a in ("ppo", "sac", "td3")]
    for (point, _, _), truth in zip(iqm, (0.75, 0.65, 0.45)):
        assert abs(point - truth) < 0.05
    assert iqm[0][1] > iqm[1][2] and iqm[1][1] > iqm[2][2]       # CIs apart, in the known order
    assert evaluated.notices == ()


def test_reading_goes_through_the_one_swappable_function(monkeypatch):
    calls = []

    def fake(paths, config, *, strict=False, labels=None):
        calls.append((tuple(paths), config.panels[0].metric, strict))
        x = np.linspace(0, 10, 11)
        return tuple(Run(p, p, (Series("r", x, x * (1 + ("runs/b/" in p))),)) for p in paths)

    monkeypatch.setattr(glue, "read_runs", fake)
    paths = [f"runs/{a}/{t}/{s}.csv" for a in "ab" for t in "xy" for s in range(2)]
    config = load_config([], ["compare.algo_by=runs/([^/]+)/", "compare.task_by=runs/[^/]+/([^/]+)/",
                              "runs.reps=100"]).config
    evaluated = glue.evaluate_logs(paths, config, strict=True)
    assert calls == [(tuple(paths), "accuracy", True)]                     # one panel: the metric scored
    assert evaluated.comparison.intervals.algorithms == ("a", "b")
    assert evaluated.comparison.intervals.get("b", "mean")[0] == pytest.approx(2 * 9.5)


def test_evaluating_loads_no_matplotlib():
    # A Config built directly: validating colours in load_config would load matplotlib itself.
    code = ("import sys\nfrom dataclasses import replace\nimport rlplot.compare as c\n"
            "from rlplot.config.schema import Config, PanelStyle\nfrom rlplot.config.compare import CompareSpec\n"
            f"spec = CompareSpec(algo_by={SAMPLE_SETS[0].split('=', 1)[1]!r}, "
            f"task_by={SAMPLE_SETS[1].split('=', 1)[1]!r})\n"
            "cfg = replace(Config(), panels=(PanelStyle(metric='episode_return'),), compare=spec)\n"
            f"result = c.evaluate_logs([{SAMPLE_LOGS!r}], cfg)\n"
            "print(len(result.runs), 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "60 False"


@pytest.mark.parametrize("outputs, layout, expected", [
    (["f/fig.png"], None, [("f/fig-intervals.png", ("intervals",)), ("f/fig-profiles.png", ("profiles",))]),
    (["f/{kind}.pdf", "g.svg"], None, [("f/intervals.pdf", ("intervals",)), ("f/profiles.pdf", ("profiles",)),
                                        ("g-intervals.svg", ("intervals",)), ("g-profiles.svg", ("profiles",))]),
    (["all.png", "all.pdf", "all.png"], "1+1", [("all.png", ("intervals", "profiles")),
                                                 ("all.pdf", ("intervals", "profiles"))]),
])
def test_figure_paths(outputs, layout, expected):
    assert glue.figure_paths(outputs, ("intervals", "profiles"), layout) == expected


def test_kind_placeholder_with_a_layout_is_refused():
    with pytest.raises(OutputError, match=r"\{kind\} names one file per kind"):
        glue.figure_paths(["{kind}.png"], ("intervals", "profiles"), "2")


def test_relative_reference_files_are_read_next_to_the_config_that_names_them(tmp_path, monkeypatch):
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "refs.yaml").write_bytes((SAMPLE / "references.yaml").read_bytes())
    (folder / "c.yaml").write_text("compare:\n  normalize: refs.yaml\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = load_config([str(folder / "c.yaml")], list(SAMPLE_SETS))
    assert glue.normalize_spec(loaded.config, loaded.origin) == str(folder / "refs.yaml")
    evaluated = glue.evaluate_logs([SAMPLE_LOGS], loaded.config, origin=loaded.origin)
    assert evaluated.comparison.matrix.normalization == f"references ({folder / 'refs.yaml'})"
    assert glue.normalize_spec(load_config([], ["compare.normalize=refs.yaml"]).config, {}) == "refs.yaml"


def test_bad_settings_are_refused_before_reading_and_located(tmp_path, monkeypatch):
    monkeypatch.setattr(glue, "read_runs", lambda *a, **k: pytest.fail("read before checking"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("compare:\n  algo_by: 'a/(x)'\n  task_by: 'b/(y)'\n  score: lst\n", encoding="utf-8")
    loaded = load_config([str(bad)])
    with pytest.raises(ConfigError, match="unknown score method 'lst'") as info:
        glue.evaluate_logs([SAMPLE_LOGS], loaded.config, origin=loaded.origin)
    assert (info.value.file, info.value.line) == (str(bad), 4)
    for sets, message in ((["compare.improvement.pairs=[ppo]"], "'ppo' is not X:Y"),
                          (["compare.layout=5"], "places 5 figures, not 4"),
                          (["compare.kinds=[]"], "at least one figure kind")):
        with pytest.raises(ConfigError, match=message):
            glue.evaluate_logs([SAMPLE_LOGS], sample_config(*sets))


def test_no_logs_is_an_error():
    with pytest.raises(InputError, match="no log files given"):
        glue.evaluate_logs([], sample_config())


def test_runs_with_different_kinds_of_x_cannot_share_curves(tmp_path):
    write_runs(tmp_path / "runs", {("a", "t"): 2})
    write_runs(tmp_path / "runs", {("b", "t"): 2}, x="rl_flops")
    sets = ["compare.algo_by=runs/([^/]+)/", "compare.task_by=runs/[^/]+/([^/]+)/",
            "panels=[{metric: episode_return}]", "runs.reps=100"]
    with pytest.raises(InputError, match="x"):
        glue.evaluate_logs([str(tmp_path / "runs/*/*/*.csv")], load_config([], sets).config)
    scores_only = load_config([], sets + ["compare.kinds=[intervals]"]).config
    evaluated = glue.evaluate_logs([str(tmp_path / "runs/*/*/*.csv")], scores_only)
    assert evaluated.comparison.curves is None


def test_compare_logs_writes_figures_and_tables_atomically(tmp_path):
    config = sample_config("compare.kinds=[intervals, improvement]")
    result = glue.compare_logs([SAMPLE_LOGS], [str(tmp_path / "f.png")], [str(tmp_path / "t.json")], config)
    assert result.written == (str(tmp_path / "f-intervals.png"), str(tmp_path / "f-improvement.png"),
                              str(tmp_path / "t.json"))
    assert len(result.figures) == 2 and result.notices == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f-improvement.png", "f-intervals.png", "t.json"]


def test_an_output_over_an_input_is_refused_before_work(tmp_path):
    log = write_runs(tmp_path / "runs", {("a", "t"): 1})[0]
    before = log.read_bytes()
    with pytest.raises(OutputError, match="would overwrite an input"):
        glue.compare_logs([str(log)], [], [str(log.with_suffix(".csv"))], sample_config())
    assert log.read_bytes() == before
