"""--group-by cfg:KEY and --where on every run source: CSV folders with a config.json, event-file
folders with hparams, MLflow stores (both kinds, written by the real client) and W&B run folders."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rlplot.config import load_config
from rlplot.errors import InputError
from rlplot.pipeline import prepare
from tests.conftest import one_panel
from tests.io.tracker_fixtures import built_store, real_legacy_wandb_run
from tests.io.tracker_writers import LEARNING_RATES, STEPS, WANDB_RUNS, mlflow_spec, reward
from tests.runs.trees import config_json, csv_run, curve, event_run

REAL_LEGACY = real_legacy_wandb_run()


def grouped(metric: str, *specs: str, where: tuple[str, ...] = (), aggregate: str = "none", **data):
    config = one_panel(metric, **data)
    return replace(config, runs=replace(config.runs, group_by=specs, where=where,
                                        aggregate=aggregate, band="none"))


@pytest.fixture(scope="module")
def mlflow_stores(tmp_path_factory) -> dict[str, Path]:
    return {"files": built_store("mlflow-files", tmp_path_factory) / "mlruns",
            "sqlite": built_store("mlflow-sqlite", tmp_path_factory) / "mlflow.db"}


@pytest.fixture(scope="module")
def wandb_root(tmp_path_factory) -> Path:
    return built_store("wandb", tmp_path_factory)


@pytest.fixture
def csv_sweep(tmp_path) -> Path:
    for lr in ("1e-3", "3e-4"):
        for seed in range(2):
            folder = tmp_path / "sweep" / f"run{lr}{seed}"
            csv_run(folder / "progress.csv", curve(offset=10 * (lr == "3e-4") + seed))
            config_json(folder, {"optim": {"lr": float(lr)}, "seed": seed, "algo": "ppo"})
    csv_run(tmp_path / "sweep" / "baseline" / "progress.csv", curve(offset=-5))
    return tmp_path / "sweep"


def test_csv_runs_group_by_their_config_json(csv_sweep):
    prepared = prepare([str(csv_sweep)], grouped("reward", "cfg:optim.lr", aggregate="mean"))
    assert [(g.label, len(g.members)) for g in prepared.groups] == [
        ("baseline", 1), ("optim.lr=0.001", 2), ("optim.lr=3e-4", 2)]
    assert prepared.groups[2].curves[0].y[0] == pytest.approx(10.5)
    (missing,) = [n.what for n in prepared.notices if "--group-by" in n.what]
    assert missing == ("--group-by cfg:optim.lr: 1 run has no config key 'optim.lr' and is a "
                       "group of its own: baseline")


def test_where_keeps_the_matching_runs_and_reports_runs_without_the_key(csv_sweep):
    prepared = prepare([str(csv_sweep)], grouped("reward", where=("cfg:lr=3e-4", "cfg:seed<1")))
    assert [r.label for r in prepared.runs] == ["run3e-40"]
    assert any(n.what.startswith("--where cfg:lr=3e-4: 1 run has no config key 'lr' and is left "
                                 "out: baseline") for n in prepared.notices)
    from rlplot.runs.configs import run_config
    assert run_config(prepared.runs[0]) == {"optim.lr": 3e-4, "seed": 0, "algo": "ppo"}


def test_where_and_group_by_cfg_through_the_cli_with_group_values_in_the_legend(invoke, csv_sweep,
                                                                                 tmp_path):
    out = tmp_path / "g.png"
    result = invoke("render", csv_sweep, "--y", "reward", "--group-by", "cfg:lr", "--group-by",
                    "cfg:algo", "--where", "cfg:seed>=0", "--aggregate", "mean", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "--where cfg:seed>=0: 1 run has no config key 'seed'" in result.stderr
    bad = invoke("render", csv_sweep, "--y", "reward", "--where", "lr=1", "-o", out)
    assert bad.exit_code == 1 and "'lr' is not a run field" in bad.stderr


def test_event_runs_group_by_their_hparams(tmp_path):
    for lr, offset in ((0.1, 0.0), (0.01, 20.0)):
        for seed in range(2):
            event_run(tmp_path / f"run_{lr}_{seed}", offset=offset + seed,
                      hparams={"lr": lr, "seed": seed})
    prepared = prepare([str(tmp_path)], grouped("rollout/ep_rew_mean", "cfg:lr"))
    assert [(g.label, len(g.members)) for g in prepared.groups] == [("lr=0.01", 2), ("lr=0.1", 2)]
    # the add_hparams session folders hold only hparam/score: left out, said once each
    assert sum("left out" in n.what for n in prepared.notices) == 4


@pytest.mark.parametrize("kind", ["files", "sqlite"])
def test_mlflow_stores_render_grouped_by_a_param_with_run_names_as_labels(mlflow_stores, kind):
    prepared = prepare([str(mlflow_stores[kind])], grouped("train/reward", "cfg:lr"))
    specs = mlflow_spec()
    assert [r.label for r in prepared.runs] == [s["name"] for s in specs]
    assert [(g.label, len(g.members)) for g in prepared.groups] == [
        (f"lr={v}", 2) for v in ("0.001", "3e-4", "1e-4")]
    for run, spec in zip(prepared.runs, specs):
        assert run.experiment == spec["experiment"] and run.kind == "mlflow"
        assert run.series[0].y.tolist() == [reward(spec["index"], s) for s in range(STEPS)]
    assert "skipped 3 deleted runs" in [n.what for n in prepared.notices]


@pytest.mark.parametrize("kind", ["files", "sqlite"])
def test_where_on_the_experiment_selects_experiments(mlflow_stores, kind):
    prepared = prepare([str(mlflow_stores[kind])], grouped("train/reward", where=("experiment=pend*",)))
    assert [r.label for r in prepared.runs] == [f"pendulum-lr{lr:g}" for lr in LEARNING_RATES]


def test_a_run_in_a_database_is_named_by_its_address(mlflow_stores):
    everything = prepare([str(mlflow_stores["sqlite"])], one_panel("train/reward"))
    third = everything.runs[2].ref
    assert third.address == f"{mlflow_stores['sqlite']}#{third.run_id}"
    (alone,) = prepare([third.address], one_panel("train/reward")).runs
    assert alone.name == third.name and alone.series[0].y.tolist() == everything.runs[2].series[0].y.tolist()
    with pytest.raises(InputError, match="no live run 'nope'"):
        prepare([f"{mlflow_stores['sqlite']}#nope"], one_panel("train/reward"))


def test_wandb_runs_group_by_their_config_and_a_wandb_file_renders(wandb_root, invoke, tmp_path):
    prepared = prepare([str(wandb_root)], grouped("train/reward", "cfg:algo"))
    assert sorted(r.label for r in prepared.runs) == sorted(spec["name"] for spec in WANDB_RUNS)
    assert sorted((g.label, len(g.members)) for g in prepared.groups) == [("algo=ppo", 2),
                                                                           ("algo=sac", 1)]
    one = next(wandb_root.glob("wandb/*/run-*.wandb"))
    out = tmp_path / "w.png"
    result = invoke("render", one, "--y", "train/reward", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0


def test_where_on_nested_wandb_config(wandb_root):
    prepared = prepare([str(wandb_root)], grouped("train/reward", where=("cfg:net.hidden>100",)))
    assert [r.label for r in prepared.runs] == ["sac-lr0.001"]


@pytest.mark.skipif(REAL_LEGACY is None, reason="the shared real logs are not beside this checkout")
def test_the_real_legacy_wandb_run_renders_grouped_by_its_config(invoke, tmp_path):
    out = tmp_path / "real.png"
    result = invoke("render", REAL_LEGACY, "--y", "Episode reward", "--group-by", "cfg:lr_ac",
                    "-o", out)
    assert result.exit_code == 0, result.stderr
    config = load_config(overrides={"panels": [{"metric": "Episode reward"}],
                                    "runs": {"group_by": ["cfg:lr_ac"]}}).config
    prepared = prepare([str(REAL_LEGACY)], config)
    assert [g.label for g in prepared.groups] == ["lr_ac=1e-4"]
    assert len(prepared.runs[0].series[0]) == 501 and np.isfinite(prepared.runs[0].series[0].y).all()


def test_legends_show_the_group_values_and_sizes(csv_sweep):
    from rlplot.figure.chart import draw_chart

    config = grouped("reward", "cfg:lr", aggregate="mean")
    figure = draw_chart(prepare([str(csv_sweep)], config), config)
    texts = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert texts == ["baseline (n=1)", "lr=0.001 (n=2)", "lr=3e-4 (n=2)"]


def test_summary_json_carries_each_runs_config_and_group(invoke, csv_sweep):
    import json

    result = invoke("summary", csv_sweep, "--y", "reward", "--group-by", "cfg:lr", "-f", "json",
                    "--where", "cfg:seed=0")
    assert result.exit_code == 0, result.stderr
    runs = json.loads(result.stdout)["runs"]
    assert [(r["label"], r["group"], r["kind"]) for r in runs] == [
        ("run1e-30", "lr=0.001", "log"), ("run3e-40", "lr=3e-4", "log")]
    assert runs[0]["config"] == {"optim.lr": 0.001, "seed": 0, "algo": "ppo"}
