"""Reading slices of runs on a Dask cluster (``--executor dask --scheduler ADDRESS``).

The connection, its checks and its one-line errors are ``rlplot.batch.dask.DaskExecutor``'s;
only what is sent differs: a ``runs.parallel.ReadSlice`` instead of a batch job, its result
returned to the client (nothing is written). Paths are read as the client names them, so
relative paths need workers started in the client's folder; absolute paths work anywhere
the file system is shared.
"""
from __future__ import annotations

from typing import Callable, Sequence

from ..errors import RlplotError


def run_on_dask(parts: Sequence, read_slice: Callable, scheduler: str | None, client=None) -> list:
    """``read_slice`` of every slice (``runs.parallel``), run by the cluster's workers (in any order)."""
    from ..choices import EXECUTORS

    # By name, as every implementation is found: rlplot.batch imports the pipeline.
    executor = EXECUTORS.load("dask")(scheduler=scheduler, client=client)
    try:
        # The batch executor's own checks: a reachable scheduler, workers running this rlplot.
        connected = executor.connect()
        futures = connected.map(read_slice, list(parts), pure=False)
        try:
            return connected.gather(futures)
        except RlplotError:
            raise
        except Exception as exc:   # noqa: BLE001  (a lost task, a worker that died too often)
            raise RlplotError(f"Dask task failed: {type(exc).__name__}: {exc}", file=scheduler,
                              hint="read with --executor process to see which run") from None
    finally:
        executor.close()
