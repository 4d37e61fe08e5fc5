"""The worker processes of one catalog: started once, on first use, for both indexing passes.

Spawned, not forked: a fork would copy the catalog's threads and SQLite connections
mid-use. Starting a Python costs about 0.3 s of CPU, so both passes (rows, then text)
share the same workers, and the first tasks start them while the calling thread lists
the first records.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

# `multiprocessing` is imported when workers start: most sources never need them, and a
# list's first frame does without its import (4–6 ms under `-X importtime`).
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

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
        self._failed = False

    def executor(self) -> ProcessPoolExecutor | None:
        """The running workers (started now if they are not yet); None if they cannot start."""
        if self._executor is None and not self._failed:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")
            try:
                _start_tracker()  # Before the executor: its locks register with the tracker.
                self._executor = ProcessPoolExecutor(
                    self.count, mp_context=context, initializer=_follow_parent,
                    initargs=(os.getpid(),),
                )  # fmt: skip
                # Spawned workers start on demand, one per task: one small task each,
                # so that every worker starts here, with the main module hidden.
                with _main_hidden():
                    for _ in range(self.count):
                        self._executor.submit(_ready)
            except Exception:  # The caller reads in its own thread instead.
                self.close()
                self._failed = True
        return self._executor

    def close(self) -> None:
        """Cancel the tasks not started and wait for the workers to exit."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr if ours has none.

    Under the TUI, Textual's stand-in for `sys.stderr` returns -1 from `fileno()`, and
    the tracker, started with the first worker, would fail on it ("bad value(s) in
    fds_to_keep"); it gets /dev/null instead (it writes only about leaked resources).
    """
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with Path(os.devnull).open("w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start workers without running the main script again in each.

    A spawned worker imports the parent's main module when it is a script (the
    `inspector` console script imports the whole command line, 11 MB a worker), though
    no task of ours lives there. Multiprocessing decides from `sys.modules["__main__"]`
    when a worker starts, so a bare stand-in is put there for that moment.
    """
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


def _ready() -> None:
    """A first task for each worker, so that it starts at once."""


def _follow_parent(parent: int) -> None:
    """In a worker: exit when the catalog's process is gone (killed, so it could not say)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()
