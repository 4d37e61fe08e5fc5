"""`LineIndex`: the lines of big UTF-8 text, indexed in steps, and plain-text search over it.

Plain Python with no Textual, for `TextView`. The text stays bytes: a `str` copy of a
100 MB pretty-printed log is another 100 MB while it is decoded, and four bytes a
character once it holds one emoji. Line starts are byte offsets; columns and widths
are characters.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, count
from operator import add
from typing import Final, Protocol

from inspector.bigtext.pretty import PrettyJson, in_token

#: Bytes indexed (or searched) in one step, 1 to 3 ms.
STEP: Final = 1 << 18
#: Lines indexed back from the end when the end is wanted before the index gets there.
TAIL: Final = 1_000
#: One line start kept in this many: the others are found from it with a few `find`s.
#: (Every start of a 50 MB log's 3 million pretty-printed lines would be 12 MB.)
SPARSE: Final = 16


def literal_text(pattern: re.Pattern[str]) -> str | None:
    """The fixed string `pattern` matches (an escaped query), if any and with no newline."""
    plain = re.sub(r"\\(.)", r"\1", pattern.pattern, flags=re.DOTALL)
    return plain if re.escape(plain) == pattern.pattern and "\n" not in plain else None


class ByteText(Protocol):
    """What `LineIndex` reads of its text: `bytes`, or text made on demand (`PrettyJson`)."""

    def __len__(self) -> int: ...
    def __getitem__(self, key: slice, /) -> bytes: ...
    def find(self, sub: bytes, start: int = ..., end: int = ..., /) -> int: ...
    def rfind(self, sub: bytes, start: int = ..., end: int = ..., /) -> int: ...
    def count(self, sub: bytes, start: int = ..., end: int = ..., /) -> int: ...


class LineIndex:
    """Where each line of `data` starts, found a step at a time from the top.

    It keeps the start of every `SPARSE`th line. `reach_end` counts the lines left and
    indexes the last `TAIL` of them, so the end of a long text can be shown before the
    index has got there.
    """

    def __init__(self, data: ByteText) -> None:
        self.data = data
        # 4 bytes an offset up to 4 GB of text.
        self._starts: array[int] = array("I" if len(data) < 1 << 32 else "q", [0])
        #: Lines whose start is known (indexed): line 0, and one past each newline.
        self._lines = 1
        self._indexed = 0
        self._tail: array[int] = array(self._starts.typecode)
        self._tail_first = 0
        self._total: int | None = None
        #: The widest line seen so far, in characters, its newline counted.
        self.widest = 0
        self.step()

    @property
    def done(self) -> bool:
        """True once every line is indexed."""
        return self._indexed >= len(self.data)

    @property
    def known(self) -> int:
        """How many lines can be shown now: all of them once the end has been reached."""
        return self._total if self._total is not None else self._lines

    def total(self) -> int:
        """How many lines the text has (counted, not indexed)."""
        if self._total is None:
            return self._lines + self.data.count(b"\n", self._indexed)
        return self._total

    def step(self) -> None:
        """Index the lines of the next `STEP` bytes (up to a newline)."""
        data, start = self.data, self._indexed
        if start >= len(data):
            return
        end = self._step_end(start)
        chunk = data[start:end]
        lines = chunk.split(b"\n")
        last = lines.pop()  # empty unless the text ends without a newline
        # Each line starts one past the newline ending the line before it; only those
        # of lines numbered a multiple of `SPARSE` are kept.
        starts = list(map(add, accumulate(map(len, lines)), count(start + 1)))
        self._starts.extend(starts[-self._lines % SPARSE :: SPARSE])
        self._lines += len(starts)
        if not chunk.isascii():  # widths are in characters
            text = chunk.decode("utf-8", "replace").split("\n")
            self._widen(map(len, text[:-1]), len(text[-1]))
        else:
            self._widen(map(len, lines), len(last))
        self._indexed = end
        if self.done:
            self._tail = array(self._starts.typecode)

    def _step_end(self, start: int) -> int:
        end = self.data.find(b"\n", start + STEP)
        return len(self.data) if end < 0 else end + 1

    def _widen(self, terminated: Iterator[int], last: int) -> None:
        """Widen `widest` to lines of these lengths (with a newline) and a last one."""
        self.widest = max(self.widest, max(terminated, default=-1) + 1, last)

    def index_until(self, offset: int) -> None:
        """Index at once every line starting before byte `offset`."""
        while self._indexed < min(offset, len(self.data)):
            self.step()

    def reach(self, line: int) -> None:
        """Index at once down to `line` (or the end), unless the end was reached already."""
        while self._total is None and self._lines <= line and not self.done:
            self.step()

    def reach_end(self) -> None:
        """Count the lines and index the last `TAIL`, walking back from the end."""
        if self.done or self._total is not None:
            return
        data = self.data
        total = self.total()
        first = max(self._lines, total - TAIL)
        starts, end = [], len(data)
        for _ in range(total - first):
            newline = data.rfind(b"\n", 0, end)
            starts.append(newline + 1)
            end = newline
        starts.reverse()
        self._tail = array(self._starts.typecode, starts)
        self._tail_first = first
        self._total = total
        for index, start in enumerate(starts):
            terminated = first + index + 1 < total
            end = starts[index + 1] - 1 if index + 1 < len(starts) else len(data)
            width = self.length(start, end)
            self._widen(iter([width] if terminated else []), 0 if terminated else width)

    def start(self, line: int) -> int:
        """The byte offset where `line` starts, indexing down to it if it must."""
        if line >= self._lines and self._tail and line >= self._tail_first:
            return self._tail[line - self._tail_first]
        while self._lines <= line and not self.done:
            self.step()
        start = self._starts[line // SPARSE]
        for _ in range(line % SPARSE):
            start = self.data.find(b"\n", start) + 1
        return start

    def line_bytes(self, line: int) -> bytes:
        """Line `line`, without its newline."""
        start = self.start(line)
        end = self.data.find(b"\n", start)
        return self.data[start : len(self.data) if end < 0 else end]

    def line(self, line: int) -> str:
        """Line `line` as text, without its newline."""
        return self.line_bytes(line).decode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        """The line holding byte `offset`."""
        self.index_until(offset + 1)
        kept = bisect_right(self._starts, offset) - 1
        return kept * SPARSE + self.data.count(b"\n", self._starts[kept], offset)

    def column(self, line: int, offset: int) -> int:
        """The character column of byte `offset` on `line`."""
        data = self.line_bytes(line)[: offset - self.start(line)]
        return len(data) if data.isascii() else len(data.decode("utf-8", "replace"))

    def length(self, start: int, end: int) -> int:
        """How many characters the bytes from `start` to `end` hold."""
        piece = self.data[start:end]
        return len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace"))

    def find(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
        """The byte offsets of the non-empty matches of `pattern`, in order.

        A plain query cannot match a newline, so it is searched one step of whole lines
        at a time; a regular expression might, so it gets the whole text decoded.
        """
        literal = literal_text(pattern)
        # An ASCII query finds the same matches in ASCII text as bytes, without decoding.
        ascii_query = None
        if literal is not None and literal.isascii():
            flags = pattern.flags & re.IGNORECASE
            ascii_query = re.compile(re.escape(literal.encode("ascii")), flags)
        chunks: Iterator[tuple[int, bytes]]
        if ascii_query and literal and isinstance(self.data, PrettyJson) and in_token(literal):
            # Matches inside one JSON token: only the pieces whose source has one.
            chunks = self.data.candidates(ascii_query)
        else:
            chunks = self._chunks(whole=literal is None)
        for start, chunk in chunks:
            yield from _matches(chunk, start, pattern, ascii_query)

    def _chunks(self, whole: bool) -> Iterator[tuple[int, bytes]]:
        """(start, bytes) of each step of whole lines, or of the whole text at once."""
        data, start = self.data, 0
        while start < len(data):
            end = len(data) if whole else self._step_end(start)
            yield start, data[start:end]
            start = end


def _matches(
    chunk: bytes, start: int, pattern: re.Pattern[str], ascii_query: re.Pattern[bytes] | None
) -> Iterator[tuple[int, int]]:
    """The byte offsets of the non-empty matches of `pattern` in `chunk`, found at `start`."""
    if ascii_query is not None and chunk.isascii():
        for hit in ascii_query.finditer(chunk):
            yield start + hit.start(), start + hit.end()
        return
    # Each bad byte becomes one character and back: the offsets stay exact.
    text = chunk.decode("utf-8", "surrogateescape")
    ascii = chunk.isascii()
    chars, offset = 0, start
    for found in pattern.finditer(text):
        if found.end() == found.start():
            continue
        if ascii:
            yield start + found.start(), start + found.end()
            continue
        offset += _utf8_len(text[chars : found.start()])
        chars = found.start()
        yield offset, offset + _utf8_len(found.group())


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))
