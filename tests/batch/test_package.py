"""rlplot.batch as a package: the names the CLI uses are public. (Light imports, cycles and module
sizes are checked for the whole package in tests/test_imports.py.)"""
from __future__ import annotations

import rlplot.batch


def test_the_names_the_cli_uses_are_public():
    from rlplot.batch import (FAILED, RENDERED, Report, discover, make_executor, parse_shard, plan,
                              remove_leftovers, run_batch, select_shard)

    assert all(callable(f) for f in (discover, make_executor, parse_shard, plan, remove_leftovers,
                                     run_batch, select_shard, Report))
    assert (FAILED, RENDERED) == ("failed", "rendered")
    assert set(rlplot.batch.__all__) <= set(dir(rlplot.batch))
