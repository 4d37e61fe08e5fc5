"""The worker processes of one catalog: started once, on first use, for both indexing passes.

Spawned, not forked: a fork would copy the catalog's threads and SQLite connections
mid-use. Starting a Python costs about 0.3 s of CPU, so both passes (rows, then text)
share the same workers, and the first tasks start them while the calling thread lists
the first records.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Final

#: How many worker processes to use; 0 lists in one thread.
WORKERS_ENV: Final = "INSPECTOR_WORKERS"


def workers() -> int:
    """How many worker processes to use (0: list in one thread).

    One per core, at most 4, unless `INSPECTOR_WORKERS` says how many (see `MIN_BYTES`
    in `parallel` for the sources they are used for).
    """
    chosen = os.environ.get(WORKERS_ENV, "").strip()
    if chosen.isdigit():
        return min(8, int(chosen))
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(4, count or 1) if (count or 1) > 1 else 0


class Pool:
    """Up to `count` worker processes, started when first asked for; `close` stops them."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._executor: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        """The running workers (started now if they are not yet)."""
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                self.count, mp_context=context, initializer=_follow_parent,
                initargs=(os.getpid(),),
            )  # fmt: skip
            # Spawned workers start on demand, one per task: one small task each.
            for _ in range(self.count):
                self._executor.submit(_ready)
        return self._executor

    def close(self) -> None:
        """Cancel the tasks not started and wait for the workers to exit."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _ready() -> None:
    """A first task for each worker, so that it starts at once."""


def _follow_parent(parent: int) -> None:
    """In a worker: exit when the catalog's process is gone (killed, so it could not say)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()
