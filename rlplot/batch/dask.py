"""The Dask executor: send jobs to a Dask distributed scheduler (``--executor dask``).

``distributed`` is imported only when such an executor is made: the module itself is light.
Workers write to the output folder, which the client and every worker must share. So that
a cluster that cannot work fails at once, with one line, the executor:

* checks the scheduler address, then asks what answers there for its identity with a short
  deadline (``connect_timeout``): a closed port, a host that does not answer, or a web
  server on the port are each one clear error instead of a hang;
* resolves every path on the client (the workers' working folder is not the client's),
  labels the runs there (``runs.labels`` may name relative paths), and checks that every
  worker sees the input and output folders: a probe file written by the client must be
  there for each worker, else no shared file system is in use;
* stops when no worker is left for ``worker_timeout`` seconds, and reports per job how
  many times it was retried because the worker running it died.

Both timeouts are also read from ``RLPLOT_DASK_CONNECT_TIMEOUT`` and
``RLPLOT_DASK_WORKER_TIMEOUT`` (seconds).
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import replace
from itertools import islice
from typing import Iterable, Iterator, Sequence

from .._version import __version__
from ..errors import RlplotError
from .outcomes import FAILED, RENDERED, Outcome, outcome_of
from .remote import local_outcome, remote_task, sees_paths
from .worker import Task, run_job, warm_up

CONNECT_TIMEOUT_ENV = "RLPLOT_DASK_CONNECT_TIMEOUT"
WORKER_TIMEOUT_ENV = "RLPLOT_DASK_WORKER_TIMEOUT"
CONNECT_TIMEOUT = 10.0     # seconds for the scheduler to answer who it is
WORKER_TIMEOUT = 60.0      # seconds without any worker before the batch stops
POLL_SECONDS = 1.0         # how often a waiting client checks that workers are left


class DaskExecutor:
    """Send jobs to a Dask distributed scheduler; workers write to the shared output folder.

    ``workers`` is accepted like every executor's, and ignored: the cluster has its own."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 client=None, connect_timeout: float | None = None,
                 worker_timeout: float | None = None, **_) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise RlplotError("--executor dask needs the dask extra",
                              hint="pip install 'rlplot[dask]'") from None
        if client is None and not scheduler:
            raise RlplotError("--executor dask needs --scheduler ADDRESS",
                              hint="e.g. --scheduler tcp://scheduler-host:8786")
        self.scheduler = scheduler
        self.connect_timeout = _seconds(connect_timeout, CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT)
        self.worker_timeout = _seconds(worker_timeout, WORKER_TIMEOUT_ENV, WORKER_TIMEOUT)
        if client is None:
            check_address(scheduler)
        self._client = client
        self._own_client = client is None

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield outcomes as the cluster finishes jobs (a bounded number in flight)."""
        try:
            tasks = list(tasks)
            if not tasks:
                return
            client = self.connect()
            self._check_shared(client, tasks)
            yield from self._stream(client, iter(tasks))
        finally:
            self.close()

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._client is not None and self._own_client:
            self._client.close()
            self._client = None

    def connect(self):
        """A client of the scheduler, checked: reachable, with workers that run this rlplot."""
        client = self._connect()
        self._check_workers(client)
        return client

    def _connect(self):
        from distributed import Client

        if self._client is None:
            probe_scheduler(self.scheduler, self.connect_timeout)
            try:
                self._client = Client(self.scheduler, timeout=f"{self.connect_timeout}s")
            except Exception as exc:   # noqa: BLE001  (whatever the comm layer raises: one line)
                raise _unreachable(self.scheduler, exc) from None
        return self._client

    def _check_workers(self, client) -> None:
        """Refuse a cluster without workers, and workers that cannot import rlplot or run
        another version of it."""
        if not self._wait_for_workers(client):
            raise RlplotError(f"the Dask scheduler has no workers ({self.worker_timeout:g} s "
                              "waited)", file=self.scheduler,
                              hint=f"start some: dask worker {self.scheduler}")
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

    def _wait_for_workers(self, client) -> bool:
        deadline = time.monotonic() + self.worker_timeout
        while not client.nthreads():
            if time.monotonic() > deadline:
                return False
            time.sleep(min(POLL_SECONDS, self.worker_timeout))
        return True

    def _check_shared(self, client, tasks: Sequence[Task]) -> None:
        """Every worker must see the first run's first file and the outputs' folder, through a shared file
        system: a probe file the client writes there must be there for each worker."""
        outputs = [os.path.abspath(o) for task in tasks for o in task.outputs]
        folder = os.path.commonpath([os.path.dirname(o) for o in outputs])
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, f".rlplot-probe-{uuid.uuid4().hex}")
        sample = os.path.abspath(tasks[0].job.input_files[0][0])   # a file (not a store#run address)
        with open(probe, "w") as fh:
            fh.write(__version__)
        try:
            seen = client.run(sees_paths, [probe, sample])
        finally:
            os.unlink(probe)
        for worker, missing in sorted(seen.items()):
            if missing:
                what = "the output folder" if missing[0] == probe else "the logs"
                raise RlplotError(f"the Dask worker {worker} cannot see {what} "
                                  f"({folder if missing[0] == probe else missing[0]})",
                                  file=self.scheduler, hint="the inputs and --out-dir must be on "
                                  "a file system that the client and every worker share, at the "
                                  "same path")

    def _stream(self, client, pending: Iterator[Task]) -> Iterator[Outcome]:
        """Keep twice the cluster's threads busy; yield each outcome as it lands."""
        owners: dict = {}   # future key -> (future, the task as given, the task as sent)

        def submit(task: Task) -> None:
            sent = remote_task(task)
            future = client.submit(run_job, sent, pure=False)
            owners[future.key] = (future, task, sent)

        try:
            for task in islice(pending, max(2 * sum(client.nthreads().values()), 2)):
                submit(task)
            idle_since = None
            while owners:
                done = self._wait(client, [f for f, _, _ in owners.values()])
                if not done:
                    idle_since = self._check_alive(client, idle_since, len(owners))
                    continue
                idle_since = None
                retries = _retries(client, [f.key for f in done])
                for future in done:
                    _, task, sent = owners.pop(future.key)
                    yield _finished(future, task, sent, retries.get(future.key, 0))
                    task = next(pending, None)
                    if task is not None:
                        submit(task)
        finally:
            for future, _, _ in owners.values():
                future.cancel()

    def _wait(self, client, futures: list) -> list:
        from distributed import wait

        try:
            done, _ = wait(futures, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        return list(done)

    def _check_alive(self, client, idle_since: float | None, left: int) -> float | None:
        """While nothing finishes: None if workers are there, else since when there are none;
        an RlplotError once none has been there for ``worker_timeout`` seconds."""
        if client.nthreads():
            return None
        now = time.monotonic()
        if idle_since is None:
            return now
        if now - idle_since >= self.worker_timeout:
            raise RlplotError(f"no Dask worker left for {self.worker_timeout:g} s (did they all "
                              f"die?); stopped with {left} job{'s' * (left != 1)} in flight",
                              file=self.scheduler, hint="start workers and run the batch again: "
                              "the figures already written are kept and skipped")
        return idle_since


def _finished(future, task: Task, sent: Task, retries: int) -> Outcome:
    try:
        outcome = local_outcome(future.result(), task, sent)
    except Exception as exc:   # the worker died too often, or the task was lost
        outcome = outcome_of(task.job, FAILED, error=f"{task.job.where}: Dask task failed: "
                                                     f"{type(exc).__name__}: {exc}")
    return _check_visible(replace(outcome, retries=retries))


def _retries(client, keys: list) -> dict:
    """How many times each task was on a worker that died (the scheduler's count); {} if the
    scheduler does not say."""
    def suspicious(keys, dask_scheduler=None):   # runs in the scheduler: sent by value
        tasks = dask_scheduler.tasks
        return {key: tasks[key].suspicious for key in keys if key in tasks}

    try:
        return client.run_on_scheduler(suspicious, keys)
    except Exception:   # noqa: BLE001  (an old scheduler, or one that refuses to run code)
        return {}


def check_address(address: str) -> None:
    """Refuse a scheduler address Dask cannot connect to, before trying (``bogus://x``)."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, location = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown scheme '{scheme}://'")
        if scheme in ("tcp", "tls", "ws", "wss"):
            _, port = parse_host_port(location)
            if not 0 < int(port) < 65536:
                raise ValueError(f"port {port} is not between 1 and 65535")
    except (ValueError, TypeError) as exc:
        raise RlplotError(f"not a Dask scheduler address: {exc}", file=address,
                          hint="an address such as tcp://scheduler-host:8786; schemes: "
                               + ", ".join(sorted(backends))) from None


def _check_port(address: str, timeout: float) -> None:
    """For a TCP address: a refused connection or an unknown host fails at once (Dask's
    own connect retries until its timeout)."""
    import socket

    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    scheme, location = parse_address(address)
    if scheme != "tcp":
        return
    host, port = parse_host_port(location)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except socket.gaierror as exc:
        raise RlplotError(f"unknown host '{host}' ({exc.strerror or exc})", file=address,
                          hint="check the scheduler's host name") from None
    except ConnectionRefusedError:
        raise RlplotError("nothing listens there (connection refused)", file=address,
                          hint="start a scheduler with 'dask scheduler', or check the port") from None
    except (socket.timeout, TimeoutError):
        raise RlplotError(f"no answer within {timeout:g} s (is the host reachable?)", file=address,
                          hint=f"check the address, or raise {CONNECT_TIMEOUT_ENV}") from None
    except OSError as exc:
        raise _unreachable(address, exc) from None


def probe_scheduler(address: str, timeout: float) -> None:
    """Ask what answers at ``address`` who it is, within ``timeout`` seconds; one clear
    RlplotError unless it is a Dask scheduler."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor, TimeoutError as Late

    _check_port(address, timeout)
    async def identity() -> object:
        from distributed.comm import connect

        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
        try:
            await asyncio.wait_for(comm.write({"op": "identity"}), timeout)
            return await asyncio.wait_for(comm.read(), timeout)
        finally:
            comm.abort()

    # A thread of its own: asyncio.run cannot run inside a caller's event loop (a notebook).
    pool = ThreadPoolExecutor(1, thread_name_prefix="rlplot-dask-probe")
    try:
        answer = pool.submit(asyncio.run, identity()).result(timeout + 5)
    except (TimeoutError, asyncio.TimeoutError, Late):
        raise RlplotError(f"no Dask scheduler answered within {timeout:g} s", file=address,
                          hint="something else may listen on that port; check the address, or "
                               f"raise {CONNECT_TIMEOUT_ENV}") from None
    except OSError as exc:
        raise _unreachable(address, exc) from None
    except Exception as exc:   # noqa: BLE001  (garbage from the wire: e.g. a huge bogus length)
        raise RlplotError(f"what answers there is not a Dask scheduler ({type(exc).__name__})",
                          file=address, hint="check the address and port") from None
    finally:
        pool.shutdown(wait=False)
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise RlplotError("what answers there is not a Dask scheduler", file=address,
                          hint="check the address and port")


def _unreachable(address: str, exc: BaseException) -> RlplotError:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return RlplotError(f"cannot reach the Dask scheduler: {text}", file=address,
                       hint="start one with 'dask scheduler', or check the address")


def _seconds(given: float | None, env: str, default: float) -> float:
    if given is not None:
        return float(given)
    text = os.environ.get(env, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise RlplotError(f"{env}={text!r} is not a number of seconds above 0", hint=f"e.g. {env}=30")
    return value


def _check_visible(outcome: Outcome) -> Outcome:
    # The client writes the manifest: it must only record files it can see itself.
    missing = [p for p in outcome.written if not os.path.isfile(p)]
    if outcome.status != RENDERED or not missing:
        return outcome
    return replace(outcome, status=FAILED, written=(),
                   error=f"{missing[0]}: written by a Dask worker but not visible here "
                         "(--out-dir must be a folder shared by the client and every worker)")
