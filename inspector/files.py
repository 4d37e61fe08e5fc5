"""Opening local files safely: regular files only, never blocking on a FIFO or a device.

Opening a FIFO for reading blocks until a writer comes, for ever if none does; a
device can be endless. So files are opened without blocking, checked with `fstat`
on the open descriptor (no race with a rename), and refused unless regular.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import IO, Final

#: The first bytes of a gzip file, whatever its name.
GZIP_MAGIC: Final = b"\x1f\x8b"
#: How a file that is not regular is named in messages.
_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class NotRegularFile(OSError):
    """The path names something that is not a regular file; `kind` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file: {kind}")
        self.strerror = f"not a regular file: it is {kind}"
        self.kind = kind


def kind_of(mode: int) -> str | None:
    """What a mode names in words (`a FIFO (named pipe)`), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def open_regular(path: str | os.PathLike[str], buffering: int = -1) -> IO[bytes]:
    """Open a regular file for reading in binary; `NotRegularFile` (an OSError) otherwise."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        kind = kind_of(os.fstat(descriptor).st_mode)
        if kind is not None:
            raise NotRegularFile(kind)
        # Reads of a regular file never block anyway; clear the flag for tidiness.
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb", buffering=buffering)
    except BaseException:
        os.close(descriptor)
        raise


def entry_problem(entry: os.DirEntry[str]) -> str | None:
    """Why a folder entry cannot be read as a log file, or None when it is a readable file.

    A symlink loop, a folder named `x.json`, a FIFO or an unreadable file each give a
    reason for a note; the caller skips that entry and keeps the others.
    """
    try:
        info = entry.stat()  # Follows symlinks: a link to a regular file is fine.
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink loop"
        return f"cannot read: {exc.strerror or exc}"
    kind = kind_of(info.st_mode)
    if kind is not None:
        return kind
    if not os.access(entry.path, os.R_OK):
        return "cannot read: permission denied"
    return None
