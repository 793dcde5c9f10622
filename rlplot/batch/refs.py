"""A job's runs, found again from their addresses where the job runs (``RunRef.address``).

A run inside a store (``mlflow.db#<run id>``) is found by listing the store; one worker
renders many runs of one store, so its listing is kept while the store file is unchanged.
"""
from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from ..runs.refs import RunRef


def refs_at(addresses: Sequence[str]) -> "list[RunRef]":
    """The run each address names (``rlplot.runs.walk.run_at``), stores listed once."""
    return [ref_at(address) for address in addresses]


def ref_at(address: str) -> "RunRef":
    """The one run ``address`` names; raises InputError as ``run_at`` does."""
    from ..runs.refs import RUN_IN_STORE
    from ..runs.walk import run_at

    store, sep, run_id = address.rpartition(RUN_IN_STORE)
    if sep and store and not os.path.exists(address) and os.path.isfile(store):
        st = os.stat(store)
        ref = _store_runs(os.path.abspath(store), st.st_size, st.st_mtime_ns).get(run_id)
        if ref is not None:
            return ref
    return run_at(address)


@functools.lru_cache(maxsize=4)
def _store_runs(store: str, size: int, mtime_ns: int) -> "dict[str, RunRef]":
    """Every run of a store file by run id (cached per size and modification time)."""
    from ..runs.walk import find_path

    return {ref.run_id: ref for ref in find_path(store).refs if ref.run_id}
