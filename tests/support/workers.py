"""Stand-ins for `parallel.in_worker` that break, run in real worker processes by the tests."""

from __future__ import annotations

import os
from pathlib import Path

from inspector.catalog.work import Slice, Summaries


def dies(part: Slice, kind: str, shard: Path | None = None) -> Summaries:
    """A worker killed mid-slice (by the OOM killer, say): its pool breaks."""
    os._exit(3)


def fails(part: Slice, kind: str, shard: Path | None = None) -> Summaries:
    """A worker that cannot write its shard: the task raises, the worker lives on."""
    raise OSError(28, "No space left on device")


def loaded() -> list[str]:
    """The modules a worker process has imported (run in it after some slices)."""
    import sys

    return sorted(sys.modules)


def fails_indexing(part: Slice, folder: str, first: int, limit: int) -> Summaries:
    """A worker whose own text index cannot be written (`parallel.index_text`)."""
    raise OSError(28, "No space left on device")
