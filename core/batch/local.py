"""Runners on this machine: in this process, or in a pool of processes (each loads the engine once)."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .partitions import Partition
from .runner import PartitionFailed
from .work import Engine, EngineSpec, ShardResult, run_partition


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class InProcess:
    """Every partition in this process, one after another."""

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self._engine: Engine | None = None

    def run(self, parts: Iterator[Partition]) -> Iterator[ShardResult | PartitionFailed]:
        """The shard of each partition, in order."""
        for part in parts:
            if self._engine is None:  # loaded only if there is something to do
                self._engine = self.spec.load()
            yield run_partition(self._engine, part)


_ENGINE: Engine | None = None


def _load(spec: EngineSpec) -> None:
    global _ENGINE
    _ENGINE = spec.load()


def _run(part: Partition) -> ShardResult:
    assert _ENGINE is not None
    return run_partition(_ENGINE, part)


class ProcessPool:
    """Partitions in ``processes`` worker processes; at most two per process are in flight.

    Args:
        spec: the engine each process loads once.
        processes: how many.
    """

    def __init__(self, spec: EngineSpec, processes: int) -> None:
        self.spec = spec
        self.processes = processes

    def run(self, parts: Iterator[Partition]) -> Iterator[ShardResult | PartitionFailed]:
        """The shard of each partition, as each one finishes."""
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(
            self.processes, mp_context=mp.get_context(method), initializer=_load, initargs=(self.spec,)
        )
        pending: dict[Future[ShardResult], int] = {}
        try:
            for part in parts:
                pending[pool.submit(_run, part)] = part.index
                if len(pending) >= 2 * self.processes:
                    yield from self._collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)
            while pending:
                yield from self._collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _collect(
        pending: dict[Future[ShardResult], int], done: set[Future[ShardResult]]
    ) -> Iterator[ShardResult | PartitionFailed]:
        for future in sorted(done, key=lambda f: pending[f]):
            index = pending.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool as err:
                raise RuntimeError(f"a worker process died on partition {index}: {err}") from err
