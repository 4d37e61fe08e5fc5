"""Walking the items of a JSON array in a big buffer one at a time, each parsed once.

msgspec decodes the value at a position from a window of the buffer; the error it then
gives for what follows the value ("trailing characters (byte N)") says where the value
ends. So an array of 100,000 logs is split lazily: its first records are ready at once,
a malformed record stops the split only there, and only the pages around the current
record stay in memory. (Decoding the whole array as `list[Raw]` in one call was as
fast, but gave nothing until the end and held every page of the file resident.)
"""

from __future__ import annotations

import itertools
import mmap
import re
from collections.abc import Iterator
from typing import Final

import msgspec

from inspector.catalog.shapes import NON_SPACE, Record, start_of
from inspector.errors import SourceError
from inspector.model.decode import explain_malformed
from inspector.sanitize import one_line

#: The first window a value is looked for in; widened 4x while the value overruns it.
_WINDOW: Final = 1 << 16
#: Drop pages of a mapped file from our resident set after this many bytes.
_RELEASE_EVERY: Final = 16 << 20
_SPACE: Final = re.compile(rb"[ \t\r\n]*")
_SPACES: Final = (b" ", b"\t", b"\r", b"\n")
_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_TRAILING: Final = re.compile(r"trailing characters \(byte (\d+)\)")
_BYTE: Final = re.compile(r"\(byte (\d+)\)")
_raw_decoder: Final = msgspec.json.Decoder(msgspec.Raw)


class Values:
    """The values of one buffer (a mapped file or bytes), found one at a time."""

    def __init__(self, buffer: bytes | mmap.mmap, view: memoryview, name: str) -> None:
        self.buffer = buffer
        #: A view of `buffer`, so that windows are sliced without copying.
        self.view = view
        self.name = one_line(name, 200)

    def stop(self, start: int) -> int:
        """The first non-space position after the value that starts at `start`.

        Only a "trailing characters" error proves the value complete: a window that
        cuts a value can give any other error (`-` of a cut `-1` is "invalid
        character"), so those widen the window until it reaches the end of the input.
        """
        size, window = len(self.buffer), _WINDOW
        while True:
            end = min(start + window, size)
            try:
                _raw_decoder.decode(self.view[start:end])
            except msgspec.DecodeError as exc:
                message = str(exc)
                if found := _TRAILING.search(message):
                    # msgspec counts the trailing character as read: one past it.
                    return start + int(found.group(1)) - 1
                if end == size:
                    where = _BYTE.sub(lambda m: f"(byte {start + int(m[1])})", message)
                    raise self._error(where) from None
            except UnicodeDecodeError:
                if end == size:
                    raise self._error(f"invalid UTF-8 in the value at byte {start}") from None
            except RecursionError:
                raise SourceError(f"{self.name}: JSON nested too deeply to read") from None
            else:
                if end == size:
                    return size  # The value ends the input: what should follow is missing.
            window *= 4

    def items(self, opening: int, number: int, where: str) -> Iterator[Record]:
        """The items of the array opening at `opening`, each with its exact span."""
        buffer = self.buffer
        position = skip_space(buffer, opening + 1)
        if buffer[position : position + 1] == b"]":
            return
        released = 0
        for index in itertools.count():
            stop = self.stop(position)
            end = stop
            while end > position and buffer[end - 1 : end] in _SPACES:
                end -= 1
            data = bytes(buffer[position:end])
            yield Record(number, position, end - position, f"{where}{index}]", data)
            if buffer[stop : stop + 1] == b"]":
                return
            if stop >= len(buffer):
                raise self._error("truncated")
            if buffer[stop : stop + 1] != b",":
                raise self._error(f"JSON is malformed: expected ',' or ']' (byte {stop})")
            position = skip_space(buffer, stop + 1)
            if isinstance(buffer, mmap.mmap) and position - released > _RELEASE_EVERY:
                released = _release(buffer, released, position)

    def records_start(self) -> int:
        """The offset of the `[` opening a page's `records`, found by walking its keys."""
        buffer = self.buffer
        first = NON_SPACE.search(buffer, start_of(buffer))
        position = first.start() + 1 if first else 0
        while key := _STRING.match(buffer, skip_space(buffer, position)):
            # Past the colon to the value.
            position = skip_space(buffer, skip_space(buffer, key.end()) + 1)
            if msgspec.json.decode(key.group(), type=str) == "records":
                return position
            position = self.stop(position) + 1
        raise SourceError(f"{self.name}: a list page without `records`: no logs in it")

    def _error(self, message: str) -> SourceError:
        return SourceError(f"{self.name}: {_explain_big(self.buffer, message)}")


def skip_space(buffer: bytes | mmap.mmap, position: int) -> int:
    """The first position at or after `position` that is not JSON whitespace."""
    match = _SPACE.match(buffer, position)
    return match.end() if match else position


def _release(buffer: mmap.mmap, start: int, end: int) -> int:
    """Drop the pages of `buffer` between `start` and `end` from our resident memory.

    They stay in the page cache; reading them again faults them back in. Without this
    the resident size of the process grows to the size of the file.
    """
    start -= start % mmap.PAGESIZE
    end -= end % mmap.PAGESIZE
    if end > start and hasattr(buffer, "madvise"):
        buffer.madvise(mmap.MADV_DONTNEED, start, end - start)
    return end


def _explain_big(buffer: bytes | mmap.mmap, message: str) -> str:
    """`explain_malformed` for a buffer too big to copy: only the bytes up to the error."""
    if "truncated" in message:
        return f"JSON ends early: the input was cut off after {len(buffer)} bytes"
    found = _BYTE.search(message)
    prefix = bytes(buffer[: int(found.group(1)) + 80 if found else 4096])
    # Do not let the cut itself look like broken UTF-8.
    while prefix and prefix[-1] & 0xC0 == 0x80:
        prefix = prefix[:-1]
    if prefix and prefix[-1] >= 0xC0:
        prefix = prefix[:-1]
    return explain_malformed(prefix, message)
