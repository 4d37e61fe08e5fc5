"""The catalog's scratch folders: a sweep by another run never removes one being made."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from inspector.catalog import scratch
from inspector.catalog.scratch import OWNER, Scratch, sweep


def test_a_sweep_while_a_folder_is_being_locked_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another run sweeps at the worst moment: after the owner file is made, before it is
    # locked (flock). It must not take that folder for one whose owner has gone.
    real_flock = fcntl.flock
    swept: list[list[Path]] = []

    def flock_after_a_sweep(descriptor: int, operation: int) -> None:
        if not swept:
            swept.append(sweep(str(tmp_path)))
        real_flock(descriptor, operation)

    monkeypatch.setattr(scratch.fcntl, "flock", flock_after_a_sweep)
    made = Scratch(str(tmp_path))
    assert swept == [[]]
    assert made.folder.is_dir() and (made.folder / OWNER).is_file()
    monkeypatch.undo()
    assert sweep(str(tmp_path)) == []  # Locked: its owner (this run) is alive.
    made.remove()
    assert not made.folder.exists()


def test_a_folder_whose_owner_has_gone_is_swept(tmp_path: Path) -> None:
    made = Scratch(str(tmp_path))
    folder = made.folder
    assert made._lock is not None
    os.close(made._lock)  # As when its process dies: the kernel drops the lock.
    made._lock = None
    assert sweep(str(tmp_path)) == [folder]
    assert not folder.exists()
