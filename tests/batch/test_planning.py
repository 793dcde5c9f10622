"""rlplot.batch.planning: logs or groups -> jobs and output files, refused before any work."""
from __future__ import annotations

import pytest

from rlplot.batch.discovery import discover
from rlplot.batch.planning import group_paths, parse_formats, plan
from rlplot.errors import OutputError

from .sweeps import LR, SEEDS, legends, make_sweep, outputs_of


def test_collision_is_an_error_before_any_work(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep")
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "--name", "{stem}")
    assert result.exit_code == 1
    assert "two runs map to the same output 'metrics'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_names_differing_only_in_case_collide(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("Run", "run"), n=5)
    with pytest.raises(OutputError, match="two runs map to the same output"):
        plan(discover([str(sweep)]), str(tmp_path / "o"))


def test_symlink_in_out_dir_cannot_redirect_outputs(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "a").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="outside --out-dir"):
        plan(discover([str(sweep)]), str(out))


def test_an_output_never_overwrites_an_input(tmp_path):
    sweep = tmp_path / "sweep"
    (sweep / "a").mkdir(parents=True)
    (sweep / "a" / "metrics.png").write_text("step,accuracy\n1,0.5\n")   # a log named like a figure
    found = discover([str(sweep)], patterns=["*.png"])
    with pytest.raises(OutputError, match="output would overwrite an input"):
        plan(found, str(sweep))


def test_formats_are_parsed_checked_and_deduplicated():
    assert parse_formats("png,SVG, pdf,png") == ("png", "svg", "pdf")
    assert parse_formats(["png", "pdf"]) == ("png", "pdf")
    with pytest.raises(OutputError, match="unknown output format 'gif'"):
        parse_formats("png,gif")
    with pytest.raises(OutputError, match="did you mean 'svg'"):
        parse_formats("svgg")
    with pytest.raises(OutputError, match="no output format given"):
        parse_formats([])


def test_formats_default_to_the_config(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=10)
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1",
                    "--set", "output.formats=[svg]")
    assert result.exit_code == 0, result.stderr
    assert [p.suffix for p in (tmp_path / "out").rglob("*.*") if not p.name.startswith(".")] == [".svg"]


def test_named_group_and_group_in_name_templates(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("algo-ppo_s1", "algo-ppo_s2", "algo-sac_s1"), n=10)
    found = discover([str(sweep)])
    jobs = plan(found, str(tmp_path / "o"), group_by=r"(algo)-(?P<group>[a-z]+)_s\d",
                template="figs/{group}-{stem}")
    assert [(j.key, len(j.members)) for j in jobs] == [("figs/ppo-metrics", 2), ("figs/sac-metrics", 1)]
    with pytest.raises(OutputError, match=r"'\{group\}' in --name needs --group-by"):
        plan(found, str(tmp_path / "o"), template="{group}")


def test_paths_the_regex_does_not_match_are_groups_of_their_own(tmp_path, invoke, rendered):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1", "lr1_seed2", "odd", "other"), n=20)
    found = discover([str(sweep)])
    assert [(name, matched, len(members)) for name, matched, members in group_paths(found, LR)] == \
        [("1", True, 2), ("odd/metrics", False, 1), ("other/metrics", False, 1)]
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR)
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == ["1.png", "odd_metrics.png", "other_metrics.png"]
    assert legends(rendered["odd_metrics.png"])[0] == ["odd/metrics (n=1)"]   # not 'metrics'
    assert "rendered group 'odd/metrics' (1 run)" in result.stderr
    # runs.labels still wins for a lone run.
    labelled = invoke("batch", sweep, "--out-dir", tmp_path / "o2", "-j", "1", "--group-by", LR,
                      "--set", f"runs.labels={{{sweep / 'odd' / 'metrics.jsonl'}: baseline}}")
    assert labelled.exit_code == 0, labelled.stderr
    assert legends(rendered["odd_metrics.png"])[0] == ["baseline (n=1)"]


def test_group_jobs_list_their_members_in_path_order(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=5)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "o"), group_by=LR)
    three = next(j for j in jobs if j.group == "3e-4")
    assert three.member_relpaths == tuple(f"{s}/metrics.jsonl" for s in SEEDS[:3])
    assert three.inputs == three.members and three.source == three.members[0]
    assert three.where == "group '3e-4'" and three.shard_key == "group:3e-4"


def test_group_name_collisions_are_errors_before_any_work(tmp_path, invoke):
    sweep = tmp_path / "sweep"
    make_sweep(sweep, names=("x/y_seed1", "x_y_seed1"), n=10)   # groups 'x/y' and 'x_y'
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "--group-by", r"sweep/(.+)_seed")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "two groups map to the same output 'x_y': group 'x/y' and group 'x_y'" in result.stderr
    same = invoke("batch", make_sweep(tmp_path / "s2", names=SEEDS, n=10), "--out-dir", out,
                  "--group-by", LR, "--name", "{stem}")
    assert same.exit_code == 1 and "two groups map to the same output 'metrics'" in same.stderr
    assert not out.exists()
