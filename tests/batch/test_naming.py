"""rlplot.batch.naming: ``--name`` templates and group names -> output paths inside the out dir."""
from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings, strategies as st

from rlplot.batch.discovery import discover
from rlplot.batch.naming import (MAX_GROUP_NAME, NAME_FIELDS, check_template, name_fields,
                                 output_base, safe_name)
from rlplot.batch.planning import plan
from rlplot.errors import OutputError

from .sweeps import make_sweep


@pytest.mark.parametrize("template, key", [
    ("{stem}", "metrics"), ("{parent}", "lr1e-3_seed1"), ("{parent}_{stem}", "lr1e-3_seed1_metrics"),
    ("{relpath}", "lr1e-3_seed1/metrics"), ("figs/{relparent}/{ext}.png", "figs/lr1e-3_seed1/jsonl"),
    ("{name}", "metrics.jsonl"),
])
def test_name_templates_pick_the_output_key(tmp_path, template, key):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1e-3_seed1",))
    found = discover([str(sweep)])
    assert plan(found, str(tmp_path / "o"), template=template)[0].key == key


@pytest.mark.parametrize("template", ["../{stem}", "/tmp/{stem}", "{stem}/../../x", "./..//{parent}",
                                      "C:/{stem}"])
def test_a_template_can_never_leave_the_out_dir(tmp_path, template):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    with pytest.raises(OutputError, match="outside the output folder"):
        plan(discover([str(sweep)]), str(tmp_path / "o"), template=template)


@pytest.mark.parametrize("template, match", [("{nope}", "unknown field"), ("fixed", "no field"),
                                             ("{stem", "bad --name")])
def test_unknown_malformed_or_fieldless_templates_are_refused(template, match):
    with pytest.raises(OutputError, match=match):
        check_template(template)


def test_every_name_field_is_listed():
    assert tuple(name_fields("sweep/a/m.jsonl", "sweep")) == NAME_FIELDS


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=150))
def test_group_names_become_safe_file_names(text):
    name = safe_name(text)
    assert 0 < len(name) <= MAX_GROUP_NAME
    assert re.fullmatch(r"[A-Za-z0-9_=+][A-Za-z0-9._=+-]*", name) and not name.endswith(".")
    assert output_base("{group}", "sweep/a/m.jsonl", "sweep", text) == name   # never a folder


def test_long_group_names_stay_apart():
    first, second = "x" * 150 + "a", "x" * 150 + "b"
    assert len(safe_name(first)) == MAX_GROUP_NAME
    assert safe_name(first) != safe_name(second)


def test_group_names_with_path_characters_stay_inside_the_out_dir(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("x", "y"), n=10)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "o"), group_by=r"sweep/(.*)/metrics")
    assert [j.key for j in jobs] == ["x", "y"]
    for bad in ("../../etc/passwd", "/abs", "..", ".hidden", "-rf", "C:/x", ""):
        key = output_base("{group}", str(sweep / "x" / "metrics.jsonl"), str(sweep), bad)
        assert "/" not in key and not key.startswith((".", "-")) and ":" not in key and key


def test_line_breaks_in_a_run_path_never_reach_the_printed_outputs(tmp_path, invoke):
    from rlplot.batch.outcomes import Outcome, printable

    sweep = make_sweep(tmp_path / "sweep", names=("two\nlines", "tab\there"), n=12)
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1")
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.splitlines()
    assert sorted(printed) == sorted([str(out / "tab_here" / "metrics.png"),
                                      str(out / "two_lines" / "metrics.png")])
    assert all(os.path.isfile(p) for p in printed)
    assert "rendered 'two\\nlines" not in result.stderr and \
        repr(str(sweep / "two\nlines" / "metrics.jsonl")) in result.stderr   # quoted, one line
    assert Outcome("a\nb.jsonl", "a_b", "rendered").label == "'a\\nb.jsonl'"
    assert printable("plain name.jsonl") == "plain name.jsonl"
