"""The Dask executor: send jobs to a Dask distributed scheduler (``--executor dask``).

``distributed`` is imported only when such an executor is made: the module itself is light.
Workers write to the output folder, which the client and every worker must share.
"""
from __future__ import annotations

import os
from dataclasses import replace
from itertools import islice
from typing import Iterable, Iterator

from .._version import __version__
from ..errors import RlplotError
from .outcomes import FAILED, RENDERED, Outcome, outcome_of
from .worker import Task, run_job, warm_up


class DaskExecutor:
    """Send jobs to a Dask distributed scheduler; workers write to the shared output folder.

    ``workers`` is accepted like every executor's, and ignored: the cluster has its own."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 client=None, **_) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise RlplotError("--executor dask needs the dask extra",
                              hint="pip install 'rlplot[dask]'") from None
        if client is None and not scheduler:
            raise RlplotError("--executor dask needs --scheduler ADDRESS",
                              hint="e.g. --scheduler tcp://scheduler-host:8786")
        self.scheduler = scheduler
        self._client = client
        self._own_client = client is None

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield outcomes as the cluster finishes jobs (a bounded number in flight)."""
        try:
            client = self._connect()
            self._check_workers(client)
            yield from self._stream(client, iter(tasks))
        finally:
            self.close()

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._client is not None and self._own_client:
            self._client.close()
            self._client = None

    def _connect(self):
        from distributed import Client

        if self._client is None:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise RlplotError(f"cannot reach the Dask scheduler: {exc}", file=self.scheduler,
                                  hint="start one with 'dask scheduler', or check the address") \
                    from None
        return self._client

    def _check_workers(self, client) -> None:
        """Refuse workers that cannot import rlplot or run another version of it."""
        try:
            versions = client.run(warm_up)
        except Exception as exc:   # rlplot missing or broken in the workers' environment
            raise RlplotError(f"the Dask workers cannot run rlplot: {type(exc).__name__}: {exc}",
                              file=self.scheduler,
                              hint="install the same rlplot in every worker's environment") from None
        wrong = sorted({v for v in versions.values() if v != __version__})
        if wrong:
            raise RlplotError(f"Dask workers run rlplot {', '.join(wrong)}, this is {__version__}",
                              file=self.scheduler, hint="install the same version everywhere")

    def _stream(self, client, pending: Iterator[Task]) -> Iterator[Outcome]:
        """Keep twice the cluster's threads busy; yield each outcome as it lands."""
        from distributed import as_completed

        futures = as_completed()
        owners: dict = {}   # future key -> (future, task)

        def submit(task: Task) -> None:
            future = client.submit(run_job, task, pure=False)
            owners[future.key] = (future, task)
            futures.add(future)

        try:
            for task in islice(pending, max(2 * sum(client.nthreads().values()), 2)):
                submit(task)
            for future in futures:
                _, task = owners.pop(future.key)
                try:
                    outcome = future.result()
                except Exception as exc:   # the worker died or the task was lost
                    outcome = outcome_of(task.job, FAILED,
                                         error=f"{task.job.where}: Dask task failed: "
                                               f"{type(exc).__name__}: {exc}")
                yield _check_visible(outcome)
                task = next(pending, None)
                if task is not None:
                    submit(task)
        finally:
            for future, _ in owners.values():
                future.cancel()


def _check_visible(outcome: Outcome) -> Outcome:
    # The client writes the manifest: it must only record files it can see itself.
    missing = [p for p in outcome.written if not os.path.isfile(p)]
    if outcome.status != RENDERED or not missing:
        return outcome
    return replace(outcome, status=FAILED, written=(),
                   error=f"{missing[0]}: written by a Dask worker but not visible here "
                         "(--out-dir must be a folder shared by the client and every worker)")
