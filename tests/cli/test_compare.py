"""``rlplot compare``: every figure and table from the sample benchmark, paths on stdout, warnings
once, errors as one line, the same bytes for the same seed."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from ..conftest import ROOT
from ..test_compare import SAMPLE, SAMPLE_LOGS, write_runs

ALGO_BY, TASK_BY = "([^/]+)/[^/]+/seed", "([^/]+)/seed"
REFS = SAMPLE / "references.yaml"
SCHEMA = json.loads((ROOT / "docs" / "compare-schema.json").read_text(encoding="utf-8"))


def compare(invoke, *args, logs=SAMPLE_LOGS, reps=200):
    return invoke("compare", logs, "--algo-by", ALGO_BY, "--task-by", TASK_BY, "--y", "episode_return",
                  "--reps", reps, *args)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The sample compared once: every figure kind and every table format."""
    from click.testing import CliRunner

    from rlplot.cli import cli

    out = tmp_path_factory.mktemp("compare")
    args = ["compare", SAMPLE_LOGS, "--algo-by", ALGO_BY, "--task-by", TASK_BY, "--y", "episode_return",
            "--normalize", str(REFS), "--pairs", "all", "--reps", "300", "-o", str(out / "fig.png")]
    for ext in ("md", "csv", "tex", "json"):
        args += ["--table", str(out / f"t.{ext}")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return out, result


def test_every_figure_and_table_is_written_and_only_the_paths_printed(written):
    out, result = written
    assert result.exit_code == 0 and result.stderr == ""
    kinds = ("intervals", "profiles", "improvement", "efficiency")
    expected = [str(out / f"fig-{k}.png") for k in kinds] + [str(out / f"t.{e}") for e in ("md", "csv", "tex", "json")]
    assert result.stdout.splitlines() == expected
    for kind in kinds:
        assert (out / f"fig-{kind}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_json_table_follows_its_schema_and_finds_the_known_order(written):
    import jsonschema

    out, _ = written
    data = json.loads((out / "t.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["algorithms"] == ["ppo", "sac", "td3"] and data["tasks"] == ["cartpole", "cheetah", "hopper", "walker"]
    assert data["normalization"] == f"references ({REFS})" and data["ci"]["reps"] == 300
    iqm = {a["algorithm"]: a["metrics"]["iqm"] for a in data["aggregates"]}
    assert iqm["ppo"]["low"] > iqm["sac"]["high"] and iqm["sac"]["low"] > iqm["td3"]["high"]
    assert [a["runs_per_task"] for a in data["aggregates"]] == [[5, 5, 5, 5]] * 3
    assert [(p["x"], p["y"]) for p in data["improvement"]] == [("ppo", "sac"), ("ppo", "td3"), ("sac", "td3")]
    assert data["sample_efficiency"]["x_label"] == "step" and data["profiles"]["kind"] == "runs"


def test_the_other_tables_hold_the_same_numbers(written):
    out, _ = written
    data = json.loads((out / "t.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "t.csv").read_text(encoding="utf-8"))))
    aggregates = [r for r in rows if r["section"] == "aggregate"]
    assert len(aggregates) == 3 * 4 and len([r for r in rows if r["section"] == "task_mean"]) == 3 * 4
    ppo_mean = next(r for r in aggregates if r["algorithm"] == "ppo" and r["statistic"] == "mean")
    assert float(ppo_mean["value"]) == data["aggregates"][0]["metrics"]["mean"]["point"]
    assert ppo_mean["runs"] == "20"
    markdown = (out / "t.md").read_text(encoding="utf-8")
    point = data["aggregates"][0]["metrics"]["iqm"]
    assert f"{point['point']:.3f} [{point['low']:.3f}, {point['high']:.3f}]" in markdown
    assert "| ppo | 20 (5/task) |" in markdown and "| cartpole |" in markdown
    latex = (out / "t.tex").read_text(encoding="utf-8")
    assert latex.count(r"\toprule") == 3 and r"Optimality Gap" in latex


def test_same_seed_same_bytes_other_seed_other_numbers(invoke, tmp_path):
    outputs = {}
    for name, seed in (("a", 0), ("b", 0), ("c", 1)):
        folder = tmp_path / name
        result = compare(invoke, "--kinds", "intervals,efficiency", "--seed", seed, "-o", folder / "f.svg",
                         "--table", folder / "t.json")
        assert result.exit_code == 0, result.stderr
        outputs[name] = [(folder / n).read_bytes() for n in ("f-intervals.svg", "f-efficiency.svg", "t.json")]
    assert outputs["a"] == outputs["b"]
    assert outputs["a"][2] != outputs["c"][2]


def test_kind_in_the_name_and_a_layout(invoke, tmp_path):
    result = compare(invoke, "--kinds", "profiles,improvement", "-o", tmp_path / "{kind}.pdf")
    assert result.stdout.splitlines() == [str(tmp_path / "profiles.pdf"), str(tmp_path / "improvement.pdf")]
    assert (tmp_path / "profiles.pdf").read_bytes()[:5] == b"%PDF-"
    result = compare(invoke, "--kinds", "profiles,improvement", "--layout", "1x2", "-o", tmp_path / "both.png")
    assert result.exit_code == 0 and result.stdout.splitlines() == [str(tmp_path / "both.png")]


def test_default_names_and_tables_alone(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = compare(invoke, "--kinds", "profiles")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["compare-profiles.png"]
    assert (tmp_path / "compare-profiles.png").is_file()
    result = compare(invoke, "--table", "t.md", "-c", "paper")
    assert result.stdout.splitlines() == ["t.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare-profiles.png", "t.md"]


def test_unequal_seeds_and_left_out_runs_are_each_one_warning(invoke, tmp_path):
    root = tmp_path / "runs"
    write_runs(root, {("a", "x"): 3, ("a", "y"): 2, ("b", "x"): 2, ("b", "y"): 2})
    (root / "a" / "notes.csv").write_text("step,episode_return\n0,1\n", encoding="utf-8")
    shutil.copy(root / "a" / "x" / "seed0.csv", root / "a" / "x" / "eval.csv")
    result = compare(invoke, "--table", tmp_path / "t.json", logs=str(root / "**" / "*.csv"))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("rlplot: warning: 2 runs left out: --algo-by or --task-by does not match the path (")
    assert lines[1].startswith("rlplot: warning: runs per task differ (a 2-3): every statistic weighs each task")
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["equal_counts"] is False
    quiet = compare(invoke, "-q", "--table", tmp_path / "q.json", logs=str(root / "**" / "*.csv"))
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize("args, expected", [
    (["--algo-by", ""], "rlplot: error: --algo-by is needed: a regex over the run paths whose first capture group "
                        "names the value (e.g. --algo-by '^runs/([^/]+)/')"),
    (["--task-by", "seed("], "rlplot: error: --task-by: invalid regular expression (missing ), unterminated "
                             "subpattern at position 4)"),
    (["--task-by", "nowhere/([^/]+)"], "rlplot: error: {first}: no run matches both --algo-by '{algo}' and "
                                       "--task-by 'nowhere/([^/]+)' (each regex is searched in the run's path; "
                                       "its first group names the value)"),
    (["--score", "lst"], "rlplot: error: unknown score method 'lst' (did you mean 'last'? choose one of: last, max, auc)"),
    (["--normalize", "{refs}"], "rlplot: error: {refs}: no reference scores for task 'cheetah' (choose one of: "
                                "cartpole, hopper, walker)"),
    (["--profile", "rns"], "rlplot: error: command line: compare.profiles.kind: unknown performance profile 'rns' "
                           "(did you mean 'runs'? choose one of: runs, tasks)"),
    (["--layout", "3x3"], "rlplot: error: compare.layout '3x3' does not fit 4 figures (e.g. '1x4' or '4x1')"),
    (["--layout", "2x2", "-o", "{tmp}/{{kind}}.png"], "rlplot: error: {tmp}/{{kind}}.png: {{kind}} names one file "
                                                      "per kind, but compare.layout puts every kind in one figure "
                                                      "(drop one of them)"),
    (["-o", "{tmp}/f.gif"], "rlplot: error: {tmp}/f-intervals.gif: unknown output format '.gif' (choose one of: "
                            ".png, .svg, .pdf)"),
    (["--table", "{tmp}/t.doc"], "rlplot: error: {tmp}/t.doc: unknown table format '.doc' (use .md, .csv, .tex, .json)"),
    (["--pairs", "ppo:sax", "--kinds", "improvement"], "rlplot: error: unknown algorithm 'sax' in pair ('ppo', 'sax') "
                                                       "(did you mean 'sac'? choose one of: ppo, sac, td3)"),
])
def test_errors_are_one_line(invoke, tmp_path, args, expected):
    refs = tmp_path / "refs.yaml"
    refs.write_text("cartpole: {random: 0, expert: 1}\nhopper: {random: 0, expert: 1}\n"
                    "walker: {random: 0, expert: 1}\n", encoding="utf-8")
    first = sorted(SAMPLE.glob("*/*/seed*.csv"))[0]
    fill = {"tmp": tmp_path, "refs": refs, "first": first, "algo": ALGO_BY}
    result = compare(invoke, *[a.format(**fill) for a in args], "--table", tmp_path / "never.md")
    assert result.exit_code == 1
    assert result.stderr == expected.format(**fill) + "\n"
    assert result.stdout == "" and not (tmp_path / "never.md").exists()


def test_a_bad_value_in_a_config_file_names_its_line(invoke, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("compare:\n  kinds: [intervals]\n  score: last:200%\n", encoding="utf-8")
    result = compare(invoke, "-c", config, "-o", tmp_path / "f.png")
    assert result.exit_code == 1
    assert result.stderr == (f"rlplot: error: {config}:3: score 'last:200%': P must be above 0 and at most 100 "
                             "(e.g. last:10%)\n")


def test_one_metric_only(invoke):
    result = compare(invoke, "--y", "other")
    assert result.exit_code == 2 and "compare scores one metric: give --y once" in result.stderr


def test_a_missing_column_lists_the_columns(invoke, tmp_path):
    result = invoke("compare", SAMPLE_LOGS, "--algo-by", ALGO_BY, "--task-by", TASK_BY, "-o", tmp_path / "f.png")
    assert result.exit_code == 1
    assert result.stderr.startswith("rlplot: error: ") and "no column 'accuracy' (columns: step, episode_return" \
        in result.stderr and result.stderr.count("\n") == 1


def test_the_readme_command_draws_the_committed_figure(invoke, tmp_path, monkeypatch):
    import re
    import shlex

    from matplotlib.image import imread

    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
    (block,) = [b for b in blocks if "rlplot compare" in b]
    program, command, *args = shlex.split(block.replace("\\\n", " "))
    assert (program, command) == ("rlplot", "compare")
    target = args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(tmp_path / "figures.png")
    monkeypatch.chdir(ROOT)
    result = invoke(command, *args)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines() == [str(tmp_path / "figures.png")]
    assert imread(tmp_path / "figures.png").shape == imread(ROOT / target).shape
