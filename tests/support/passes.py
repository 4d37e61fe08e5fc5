"""Fixtures for a catalog listed by worker processes: small slices, and a hold between its
two passes (`Catalog._list_pass` of places, then `_build_rows`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from inspector.catalog import Catalog, parallel


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any source, and slices of a few records, so that tests stay small."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "SLICE_BYTES", 3000)
    monkeypatch.setattr(parallel, "FIRST_SLICE_BYTES", 1000)
    # Only the first few records in the calling thread: the rest go to the workers.
    monkeypatch.setattr(parallel, "_FIRST_BATCHES", (3, 5))
    monkeypatch.setattr(parallel, "workers", lambda: 2)


@pytest.fixture
def between_passes(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Hold every catalog between its two passes until the event is set."""
    go = threading.Event()
    build = Catalog._build_rows

    def held(self: Catalog, *args: Any) -> None:
        while not go.wait(0.05) and not self._stop.is_set():
            pass
        build(self, *args)

    monkeypatch.setattr(Catalog, "_build_rows", held)
    yield go
    go.set()
