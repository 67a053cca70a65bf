"""The Dask runner: partitions on the workers of a ``dask.distributed`` cluster.

Dask is imported only here, and this module only when ``--workers`` or ``--scheduler`` is given,
so the rest of Quotebench works without it (``pip install 'quotebench[distributed]'``).

Each worker loads the engine once, when it starts (a worker plugin, also for workers that join
or restart later); a partition runs whole on one worker, and its result comes back as soon as it
is done (``as_completed``), to be written by the driver. A worker that dies has its partitions
run again elsewhere (the scheduler reschedules them, and ``retries`` covers a task that fails);
a partition lost on every try is reported (E097), and the run goes on with the others.

By default a worker reads its partition's articles itself, from the inputs on storage it shares
with the driver (a :class:`~.partitions.PartitionRef`: files and line ranges, checked against the
driver's ids digest, E065); with ``ship=True`` (``--ship-articles``) the driver sends the texts,
for workers that cannot see the inputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from ..errors import Errors, QuotebenchError
from .partitions import Partition, PartitionRef
from .runner import PartitionFailed
from .work import Engine, EngineSpec, ShardResult, run_partition

PLUGIN = "quotebench-engine"
#: Tries of a partition after its first fails (the scheduler also moves work off a dead worker).
RETRIES = 3


class EnginePlugin(WorkerPlugin):
    """Loads the engine once on each worker."""

    name = PLUGIN

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self.engine: Engine | None = None

    def setup(self, worker: Any) -> None:
        """Load the engine when the worker starts (or when the plugin is registered)."""
        self.engine = self.spec.load()


def _run_on_worker(part: Partition | PartitionRef) -> ShardResult:
    plugin = get_worker().plugins[PLUGIN]
    assert isinstance(plugin, EnginePlugin) and plugin.engine is not None
    return run_partition(plugin.engine, part.read() if isinstance(part, PartitionRef) else part)


class DaskRunner:
    """Partitions on a Dask cluster: a new local one of ``workers`` processes, or the one at ``scheduler``.

    Use it as a context manager: the cluster (or the connection) is set up on entry, closed on exit.

    Args:
        spec: the engine each worker loads once.
        workers: how many worker processes a new local cluster has.
        scheduler: the address of an existing cluster's scheduler.
        ship: send each partition's texts to the workers, instead of letting them read their inputs.
    """

    def __init__(
        self,
        spec: EngineSpec,
        *,
        workers: int | None = None,
        scheduler: str | None = None,
        ship: bool = False,
    ) -> None:
        self.spec = spec
        self.ship = ship
        self.workers = workers
        self.scheduler = scheduler
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None

    def __enter__(self) -> DaskRunner:
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout=30)
            else:
                self.cluster = LocalCluster(
                    n_workers=self.workers or 1,
                    processes=True,
                    threads_per_worker=1,
                    dashboard_address=":0",
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as err:
            self.__exit__(None, None, None)
            where = self.scheduler or "a new local cluster"
            raise QuotebenchError(Errors.E095.format(address=where, detail=err)) from None
        self.client.register_plugin(EnginePlugin(self.spec), name=PLUGIN)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def dashboard(self) -> str | None:
        """The address of the cluster's dashboard, if it has one."""
        return self.client.dashboard_link if self.client is not None else None

    def in_flight(self) -> int:
        """How many partitions are kept submitted: two per worker thread."""
        assert self.client is not None
        threads = sum(self.client.nthreads().values()) or 1
        return 2 * threads

    def run(self, parts: Iterator[Partition]) -> Iterator[ShardResult | PartitionFailed]:
        """The shard of each partition, as each one finishes."""
        client = self.client
        assert client is not None
        done = as_completed(with_results=False)
        index: dict[Any, int] = {}
        for part in parts:
            task = part if self.ship else part.ref()
            future = client.submit(_run_on_worker, task, retries=RETRIES, pure=False)
            index[future.key] = part.index
            done.add(future)
            if done.count() >= self.in_flight():
                yield self._result(next(done), index)
        for future in done:
            yield self._result(future, index)

    @staticmethod
    def _result(future: Any, index: dict[Any, int]) -> ShardResult | PartitionFailed:
        number = index.pop(future.key)
        try:
            result: ShardResult = future.result()
            return result
        except Exception as err:  # the partition's task failed on every try, or its workers died
            return PartitionFailed(number, f"{type(err).__name__}: {err}")
        finally:
            future.release()
