"""The catalog's temporary folders: each locked by its owner, and swept once the owner is gone.

A catalog holds log data (ids, outputs, feedback), so a folder left behind by a run
that was killed (SIGKILL, a crash, a power cut) must not stay in the temp folder for
ever. Each folder holds an `owner` file with the owner's pid, locked with `flock` for as
long as the owner runs; the kernel drops the lock when the process dies, however it
dies. Every new catalog removes the folders whose lock it can take.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

PREFIX: Final = "inspector-catalog-"
OWNER: Final = "owner"


class Scratch:
    """One temporary folder (mode 0700), locked by this process until `remove`."""

    def __init__(self, parent: str | None = None) -> None:
        sweep(parent)
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        # Locked under another name, then renamed: a sweep by another process that found
        # `owner` created but not yet locked would take the lock and remove the folder.
        claim = self.folder / f".{OWNER}"
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        descriptor = os.open(claim, flags, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        claim.rename(self.folder / OWNER)
        self._lock: int | None = descriptor

    def remove(self) -> None:
        """Delete the folder and everything in it, then drop the lock."""
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def sweep(parent: str | None = None) -> list[Path]:
    """Remove the catalog folders whose owner has exited; return those removed.

    A folder without an `owner` file may be one another process is creating right
    now, so it is left alone.
    """
    removed: list[Path] = []
    try:
        candidates = list(Path(parent or tempfile.gettempdir()).glob(f"{PREFIX}*"))
    except OSError:
        return removed
    for folder in candidates:
        if _owner_gone(folder / OWNER):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _owner_gone(owner: Path) -> bool:
    try:
        # O_NOFOLLOW: a link planted in the temp folder must not make us lock another file.
        descriptor = os.open(owner, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if os.fstat(descriptor).st_uid != os.getuid():
            return False  # Another user's catalog: not ours to remove.
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # Locked: its owner is alive.
    finally:
        os.close(descriptor)
    return True
