"""`PrettyJson`: JSON pretty-printed a piece at a time, as bytes that are never all in memory.

Plain Python with no Textual, for the Raw pane. `msgspec.json.format(raw, indent=2)` of a
50 MB log is 108 MB of bytes held for as long as the pane lives; here the same text is
cut into pieces of at most `CHUNK` source bytes, each formatted again when it is read
(a few are cached). Containers bigger than a piece are split into their members, found
by a shallow decode (`msgspec.Raw` members), so a piece is a run of whole members
formatted together. The text reads the same as `msgspec.json.format(raw, indent=2)`,
byte for byte, and offers what `LineIndex` uses of `bytes`: `len`, slices, `find`,
`rfind` and `count`.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from itertools import accumulate
from typing import Final

import msgspec

#: Source bytes formatted at once: 1 to 3 ms each.
CHUNK: Final = 1 << 18
#: Formatted pieces kept, in bytes (the one read last is always kept).
CACHED: Final = 1 << 20
#: Logs up to this size get their pretty text whole (22 MB for 10 MB): searching it is
#: one regular expression over bytes, where pieces would be formatted again each time.
WHOLE: Final = 16 * 1024 * 1024
#: Containers nested deeper than this are not split further.
MAX_DEPTH: Final = 64

_VALUE, _OBJECT_RUN, _ARRAY_RUN = 0, 1, 2
#: A piece: literal bytes, or (source start, source end, kind, indent) to format.
Piece = bytes | tuple[int, int, int, int]
#: Where each member of a container starts, where its value starts, and the value's size.
Members = tuple["array[int]", "array[int]", "array[int]"]

_WS: Final = re.compile(rb"[ \t\r\n]*")
_KEY: Final = re.compile(rb'"(?:[^"\\]|\\.)*"[ \t\r\n]*:[ \t\r\n]*')
_OBJECT: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY: Final = msgspec.json.Decoder(list[msgspec.Raw])


def pretty_json(raw: bytes) -> bytes | PrettyJson:
    """`msgspec.json.format(raw, indent=2)`: whole for a log up to `WHOLE`, else in pieces."""
    return PrettyJson(raw) if len(raw) > WHOLE else msgspec.json.format(raw, indent=2)


class PrettyJson:
    """`msgspec.json.format(raw, indent=2)`, formatted a piece at a time when read."""

    def __init__(self, raw: bytes, *, chunk: int | None = None) -> None:
        self._src = raw
        self._view = memoryview(raw)
        self._chunk = chunk or CHUNK
        self._pieces: list[Piece] = []
        start = _skip(raw, 0)
        end = len(raw.rstrip(b" \t\r\n"))
        self._value(start, end, 0, 0)
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cached = 0
        # Where each piece ends in the text, and how many newlines the text has by then.
        self._ends: array[int] = array("q")
        self._newlines: array[int] = array("q")
        #: 1 for each piece whose text is all ASCII.
        self._ascii = bytearray()
        size = lines = 0
        for index in range(len(self._pieces)):
            text, indent = self._format(index)
            self._ascii.append(text.isascii())
            newlines = text.count(b"\n")
            size += len(text) + newlines * indent
            lines += newlines
            self._ends.append(size)
            self._newlines.append(lines)

    # -- cutting the source into pieces ------------------------------------------------

    def _add(self, piece: Piece) -> None:
        pieces = self._pieces
        if isinstance(piece, bytes) and pieces and isinstance(pieces[-1], bytes):
            pieces[-1] += piece
        else:
            pieces.append(piece)

    def _value(self, start: int, end: int, indent: int, depth: int) -> None:
        """The value at `start:end`, its first line already begun (by a key, or indent)."""
        head = self._src[start : start + 1]
        members = None
        if end - start > self._chunk and head in (b"{", b"[") and depth < MAX_DEPTH:
            members = self._members(start, end, head == b"{")
        if not members or not members[0]:
            self._add((start, end, _VALUE, indent))
            return
        is_object = head == b"{"
        member_starts, value_starts, sizes = members
        count = len(member_starts)
        src, chunk = self._src, self._chunk
        # Members too big for one piece are split in turn; the rest go in runs.
        big = [
            index
            for index, size in enumerate(sizes)
            if size > chunk and src[value_starts[index] : value_starts[index] + 1] in (b"{", b"[")
        ]
        self._add(head + b"\n")
        done = 0
        for index in [*big, count]:
            while done < index:  # runs of whole members, about `chunk` bytes each
                after = bisect_right(member_starts, member_starts[done] + chunk, done + 1, index)
                kind = _OBJECT_RUN if is_object else _ARRAY_RUN
                last = after - 1
                self._add((member_starts[done], value_starts[last] + sizes[last], kind, indent))
                self._add(b"\n" if after == count else b",\n")
                done = after
            if index == count:
                break
            first, value = member_starts[index], value_starts[index]
            key = src[first:value].rstrip(b" \t\r\n:") + b": " if is_object else b""
            self._add(b" " * (indent + 2) + key)
            self._value(value, value + sizes[index], indent + 2, depth + 1)
            self._add(b"\n" if index == count - 1 else b",\n")
            done = index + 1
        self._add(b" " * indent + (b"}" if is_object else b"]"))

    def _members(self, start: int, end: int, is_object: bool) -> Members | None:
        """Where each member and its value start, and the value's size; None if unsure.

        The shallow decode gives each value's length; a walk finds where each starts.
        Anything unexpected (a duplicate key, which a dict drops) gives None, and the
        container is formatted whole.
        """
        view = self._view[start:end]
        if not is_object:
            values: list[msgspec.Raw] = _ARRAY.decode(view)
            # Arrays of 8-byte numbers: a list of 57,000 logprob entries is enough to
            # raise the peak, as lists of ints and the members themselves.
            sizes = array("q", map(len, values))
            if sizes and sum(sizes) + len(sizes) + 1 == end - start:
                del values
                # No whitespace at all between the members: each starts one past a comma.
                starts = array(
                    "q", accumulate(sizes, lambda at, size: at + size + 1, initial=start + 1)
                )
                starts.pop()
                return starts, starts, sizes
            return self._walk(start, end, values, [])
        decoded = _OBJECT.decode(view)
        return self._walk(start, end, list(decoded.values()), list(decoded))

    def _walk(
        self, start: int, end: int, values: list[msgspec.Raw], keys: list[str]
    ) -> Members | None:
        src = self._src
        member_starts: array[int] = array("q")
        value_starts: array[int] = array("q")
        sizes: array[int] = array("q")
        position = _skip(src, start + 1)
        for number, value in enumerate(values):
            member_starts.append(position)
            if keys:
                key = _KEY.match(src, position)
                if key is None or not _same_key(src[key.start() : key.end()], keys[number]):
                    return None
                position = key.end()
            size = len(value)
            if src[position : position + 1] != bytes(memoryview(value)[:1]):
                return None
            value_starts.append(position)
            sizes.append(size)
            position = _skip(src, position + size)
            if src[position : position + 1] != b",":
                break
            position = _skip(src, position + 1)
        if len(sizes) != len(values) or position != end - 1:
            return None
        return member_starts, value_starts, sizes

    # -- reading -----------------------------------------------------------------------

    def _format(self, index: int) -> tuple[bytes, int]:
        """Piece `index` formatted, and the indent still to add after each newline."""
        piece = self._pieces[index]
        if isinstance(piece, bytes):
            return piece, 0
        start, end, kind, indent = piece
        source = self._view[start:end]
        if kind == _VALUE:
            return msgspec.json.format(source, indent=2), indent
        brackets = b"{}" if kind == _OBJECT_RUN else b"[]"
        whole = b"".join((brackets[:1], source, brackets[1:]))
        # `[\n  a,\n  b\n]` without its brackets: the members, indented once.
        return b" " * indent + msgspec.json.format(whole, indent=2)[2:-2], indent

    def _render(self, index: int) -> bytes:
        text, indent = self._format(index)
        return text.replace(b"\n", b"\n" + b" " * indent) if indent else text

    def _piece(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        text = self._render(index)
        self._cache[index] = text
        self._cached += len(text)
        while self._cached > CACHED and len(self._cache) > 1:
            self._cached -= len(self._cache.popitem(last=False)[1])
        return text

    def _start(self, index: int) -> int:
        return self._ends[index - 1] if index else 0

    def _pieces_from(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """(where it starts, text) of each piece from the one holding `offset` on."""
        for index in range(bisect_right(self._ends, offset), len(self._pieces)):
            yield self._start(index), self._piece(index)

    def candidates(self, query: re.Pattern[bytes]) -> Iterator[tuple[int, bytes]]:
        """(where it starts, text) of each piece that may hold a match of `query`.

        For a query that `in_token` allows: a match lies inside one string, number or
        literal, which is the same bytes in the source as in the text, so a piece whose
        source has no match has none (unless it is not ASCII, where a case-insensitive
        search as text may match more than the bytes do).
        """
        search = query.search
        for index, piece in enumerate(self._pieces):
            skip = isinstance(piece, tuple) and self._ascii[index]
            if skip and search(self._src, piece[0], piece[1]) is None:
                continue
            yield self._start(index), self._piece(index)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(len(self))
        if step != 1:
            raise ValueError("PrettyJson slices take no step")
        parts = []
        for base, text in self._pieces_from(start):
            if base >= stop:
                break
            parts.append(text[max(start - base, 0) : stop - base])
        return b"".join(parts)

    def __bytes__(self) -> bytes:
        return self[:]

    def _bounds(self, start: int | None, end: int | None) -> tuple[int, int]:
        size = len(self)
        start = 0 if start is None else start + size if start < 0 else start
        end = size if end is None else end + size if end < 0 else end
        # As bytes do: an end before the start of the text is 0 (a start past its end stays).
        return max(start, 0), max(min(end, size), 0)

    def find(self, sub: bytes, start: int | None = None, end: int | None = None) -> int:
        """As `bytes.find`."""
        start, end = self._bounds(start, end)
        if start > end or not sub:
            return -1 if start > end else start
        carry = b""  # the end of the piece before, for a match across two pieces
        for base, text in self._pieces_from(start):
            if base >= end:
                break
            text = carry + text if carry else text
            base -= len(carry)
            found = text.find(sub, max(start - base, 0), end - base)
            if found >= 0:
                return base + found
            # The last len(sub) - 1 bytes, or all of a shorter text (pieces can be tiny).
            carry = text[max(0, len(text) - len(sub) + 1) :] if len(sub) > 1 else b""
        return -1

    def rfind(self, sub: bytes, start: int | None = None, end: int | None = None) -> int:
        """As `bytes.rfind`."""
        start, end = self._bounds(start, end)
        if start > end or not sub:
            return -1 if start > end else end
        if len(sub) != 1:
            found = self[start:end].rfind(sub)
            return found if found < 0 else start + found
        index = bisect_right(self._ends, max(end - 1, 0))
        while index >= 0 and self._ends[index] > start:
            base = self._start(index)
            found = self._piece(index).rfind(sub, max(start - base, 0), end - base)
            if found >= 0:
                return base + found
            index -= 1
        return -1

    def count(self, sub: bytes, start: int | None = None, end: int | None = None) -> int:
        """As `bytes.count`; quick for a newline, from counts taken when built."""
        start, end = self._bounds(start, end)
        if start > end or not sub:
            return 0 if start > end else end - start + 1
        if len(sub) != 1:
            return self[start:end].count(sub)
        if start >= end:
            return 0
        first = bisect_right(self._ends, start)
        last = bisect_right(self._ends, end - 1)
        if first == last:
            base = self._start(first)
            return self._piece(first).count(sub, start - base, end - base)
        total = self._piece(first).count(sub, start - self._start(first))
        if sub == b"\n":
            total += self._newlines[last - 1] - self._newlines[first]
        else:
            total += sum(self._piece(i).count(sub) for i in range(first + 1, last))
        return total + self._piece(last).count(sub, 0, end - self._start(last))


#: What JSON writes between tokens: a query without any can only match inside one.
_BETWEEN_TOKENS: Final = frozenset(' \t\r\n{}[],:"')


def _skip(text: bytes, position: int) -> int:
    """Where the JSON whitespace at `position` ends."""
    found = _WS.match(text, position)
    return found.end() if found else position


def in_token(query: str) -> bool:
    """True when every match of the plain `query` lies inside one JSON token."""
    return bool(query) and _BETWEEN_TOKENS.isdisjoint(query)


def _same_key(token: bytes, key: str) -> bool:
    """True when the key as written (`"k"   :`) is `key`."""
    quoted = token.rstrip(b" \t\r\n:")
    if b"\\" not in quoted:
        return quoted[1:-1] == key.encode("utf-8", "surrogatepass")
    decoded: str = msgspec.json.decode(quoted)
    return decoded == key
