"""Reading a source a window at a time: plain or gzip, and a file that shrinks is an error.

Files used to be mapped with `mmap` for the whole indexing pass; a file truncated by
another process meanwhile then killed the process with SIGBUS, leaving the terminal raw.
Reading with `read()` turns the same event into a short read, which is reported here.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Final, cast

from inspector.errors import SourceError
from inspector.files import GZIP_MAGIC, open_regular

if TYPE_CHECKING:
    import msgspec

#: Bytes read at a time, at most: large enough that copying the unread rest stays cheap.
CHUNK: Final = 2 << 20
#: The first read: small, so that the first records (and a file's shape) come at once.
FIRST_CHUNK: Final = 64 << 10
#: Bytes enough to tell a source's shape (an array, JSON Lines, a page or one log).
HEAD: Final = 1 << 20
#: Inputs up to this size are split by one decode of the whole input
#: (`Values.all_items`): about a third of the cost of finding each item's end on its own.
WHOLE_BYTES: Final = 8 << 20
#: What reading a gzip file can raise besides `OSError` (a cut or corrupt stream).
GZIP_ERRORS: Final = (EOFError, zlib.error)


@contextmanager
def open_stream(path: str, buffering: int = 0) -> Iterator[tuple[IO[bytes], int | None]]:
    """The file's bytes as a stream (inflated if it is gzip) and its size if it is known.

    The size is None for gzip: a shrinking file then shows as a cut stream instead.
    `buffering` 0 suits `Window`, which reads big chunks itself.
    """
    # A FIFO or a device would block or never end: only regular files are read.
    with open_regular(path, 0) as raw:
        descriptor = raw.fileno()
        if os.pread(descriptor, 2, 0) == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as inflated:
                yield cast(IO[bytes], inflated), None
            return
        size = os.fstat(descriptor).st_size
        if buffering == 0:
            yield raw, size
            return
        with open(descriptor, "rb", buffering=buffering, closefd=False) as buffered:
            yield buffered, size


def stream_size(path: str) -> int:
    """Bytes the file holds once read: gzip's recorded size (modulo 4 GB), else its size."""
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if stream.read(2) != GZIP_MAGIC or size < 18:
            return size
        stream.seek(-4, os.SEEK_END)
        return int.from_bytes(stream.read(4), "little")


class Window:
    """The bytes of a stream from `base` on, read on demand and dropped behind `keep`."""

    def __init__(
        self, stream: IO[bytes] | None, name: str, *, size: int | None = None, data: bytes = b""
    ) -> None:
        self.stream = stream
        self.name = name
        #: The size the file had when opened: reading fewer bytes means it shrank.
        self.expected = size
        self.data = data
        self.view = memoryview(data)
        self.base = 0
        #: The first position still needed; bytes before it are dropped on the next read.
        self.keep = 0
        self.eof = stream is None
        #: A page's items, when telling its shape decoded them (`split.sniff`).
        self.items: list[msgspec.Raw] | None = None
        #: The next read's size: doubled after each read, up to `CHUNK`.
        self._chunk = FIRST_CHUNK

    @property
    def end(self) -> int:
        """One past the last byte held."""
        return self.base + len(self.data)

    def fill(self, end: int) -> bool:
        """Hold the bytes up to `end` if the input has them; False when it ends before."""
        while self.end < end and not self.eof:
            self._read(max(end - self.end, min(self._chunk, CHUNK)))
            self._chunk *= 2
        return self.end >= end

    def small(self) -> bool:
        """Whether the whole input is at most `WHOLE_BYTES` (a gzip stream's size is unknown)."""
        size = self.expected if self.stream is not None else len(self.data)
        return size is not None and size <= WHOLE_BYTES

    def all(self) -> bytes:
        """Every byte of the input (for one log, which is decoded whole anyway)."""
        if not self.eof and self.base == 0 and self.expected is not None:
            # A plain file from its start: read it whole in one call, from offset 0, so
            # the bytes held so far are not copied again (a 50 MB log is copied once).
            assert self.stream is not None
            self.stream.seek(0)
            self.data = b""
            self._read(-1)
        while not self.eof:
            self._read(-1)  # The rest in one read, not one copy per chunk.
        return self.data

    def byte(self, position: int) -> bytes:
        """The byte at `position`, or b"" past the end of the input."""
        self.fill(position + 1)
        local = position - self.base
        return self.data[local : local + 1]

    def _read(self, count: int) -> None:
        assert self.stream is not None
        try:
            chunk = self.stream.read(count)
        except GZIP_ERRORS as exc:
            message = f"{self.name}: the compressed file is cut off or corrupt: {exc}"
            raise SourceError(message) from None
        if not chunk:
            self.eof = True
            if self.expected is not None and self.end < self.expected:
                raise SourceError(
                    f"{self.name}: the file shrank while it was read ({self.expected} bytes, "
                    f"then {self.end}): only the logs before that point are listed"
                )
            return
        cut = min(max(self.keep - self.base, 0), len(self.data))
        self.data = self.data[cut:] + chunk
        self.view = memoryview(self.data)
        self.base += cut
