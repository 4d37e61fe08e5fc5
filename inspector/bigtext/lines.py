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
from typing import Final

#: Bytes indexed (or searched) in one step, 1 to 3 ms.
STEP: Final = 1 << 18
#: Lines indexed back from the end when the end is wanted before the index gets there.
TAIL: Final = 1_000


def literal_text(pattern: re.Pattern[str]) -> str | None:
    """The fixed string `pattern` matches (an escaped query), if any and with no newline."""
    plain = re.sub(r"\\(.)", r"\1", pattern.pattern, flags=re.DOTALL)
    return plain if re.escape(plain) == pattern.pattern and "\n" not in plain else None


class LineIndex:
    """Where each line of `data` starts, found a step at a time from the top.

    `reach_end` counts the lines left and indexes the last `TAIL` of them, so the end of
    a long text can be shown before the index has got there.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        # 4 bytes an offset up to 4 GB of text.
        self._starts: array[int] = array("I" if len(data) < 1 << 32 else "q", [0])
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
        return self._total if self._total is not None else len(self._starts)

    def total(self) -> int:
        """How many lines the text has (counted, not indexed)."""
        if self._total is None:
            return len(self._starts) + self.data.count(b"\n", self._indexed)
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
        # Each line starts one past the newline ending the line before it.
        self._starts.extend(map(add, accumulate(map(len, lines)), count(start + 1)))
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
        while self._total is None and len(self._starts) <= line and not self.done:
            self.step()

    def reach_end(self) -> None:
        """Count the lines and index the last `TAIL`, walking back from the end."""
        if self.done or self._total is not None:
            return
        data = self.data
        total = self.total()
        first = max(len(self._starts), total - TAIL)
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
        if line < len(self._starts):
            return self._starts[line]
        if self._tail and line >= self._tail_first:
            return self._tail[line - self._tail_first]
        while len(self._starts) <= line and not self.done:
            self.step()
        return self._starts[line]

    def line_bytes(self, line: int) -> bytes:
        """Line `line`, without its newline."""
        start = self.start(line)
        after = line + 1
        if after < len(self._starts):
            end = self._starts[after] - 1
        elif self._tail and self._tail_first <= after < self._tail_first + len(self._tail):
            end = self._tail[after - self._tail_first] - 1
        else:  # the last line known so far
            end = self.data.find(b"\n", start)
            end = len(self.data) if end < 0 else end
        return self.data[start:end]

    def line(self, line: int) -> str:
        """Line `line` as text, without its newline."""
        return self.line_bytes(line).decode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        """The line holding byte `offset`."""
        self.index_until(offset + 1)
        return bisect_right(self._starts, offset) - 1

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
        data, start = self.data, 0
        literal = literal_text(pattern)
        # An ASCII query finds the same matches in ASCII text as bytes, without decoding.
        ascii_query = None
        if literal is not None and literal.isascii():
            flags = pattern.flags & re.IGNORECASE
            ascii_query = re.compile(re.escape(literal.encode("ascii")), flags)
        while start < len(data):
            end = self._step_end(start) if literal is not None else len(data)
            chunk = data[start:end]
            if ascii_query is not None and chunk.isascii():
                yield from map(re.Match.span, ascii_query.finditer(data, start, end))
                start = end
                continue
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
            start = end


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))
