"""Walking the items of a JSON array in a big input one at a time, each parsed once.

msgspec decodes the value at a position from a window of the input; the error it then
gives for what follows the value ("trailing characters (byte N)") says where the value
ends. So an array of 100,000 logs is split lazily: its first records are ready at once,
a malformed record stops the split only there, and only the bytes around the current
record stay in memory (`Window` reads ahead and drops what is behind). (Decoding the
whole array as `list[Raw]` in one call was as fast, but gave nothing until the end.)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from inspector.catalog.shapes import Record, start_of
from inspector.catalog.window import Window
from inspector.errors import SourceError
from inspector.model.decode import explain_malformed

#: The first window a value is looked for in; widened 4x while the value overruns it.
_WINDOW: Final = 1 << 16
_SPACE: Final = re.compile(rb"[ \t\r\n]*")
_SPACES: Final = (b" ", b"\t", b"\r", b"\n")
_TRAILING: Final = re.compile(r"trailing characters \(byte (\d+)\)")
_BYTE: Final = re.compile(r"\(byte (\d+)\)")
_raw_decoder: Final = msgspec.json.Decoder(msgspec.Raw)
#: What may come between two items (the JSON is known to be valid when it is used).
_BETWEEN: Final = re.compile(rb"[ \t\r\n]*,?[ \t\r\n]*")


class _Records(msgspec.Struct, gc=False):
    records: list[msgspec.Raw]


class _Data(msgspec.Struct, gc=False):
    data: list[msgspec.Raw]


#: The array's items as raw values, by the field of the top object holding it.
_WHOLE: Final[dict[str, msgspec.json.Decoder[Any]]] = {
    "records": msgspec.json.Decoder(_Records),
    "data": msgspec.json.Decoder(_Data),
    "": msgspec.json.Decoder(list[msgspec.Raw]),
}


def _after(pattern: re.Pattern[bytes], data: bytes, position: int) -> int:
    """Where a match of `pattern` (which may match nothing) at `position` ends."""
    found = pattern.match(data, position)
    return found.end() if found else position


class Values:
    """The values of one input read through a `Window`, found one at a time."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.name = window.name

    def stop(self, start: int) -> int:
        """The first non-space position after the value that starts at `start`.

        Only a "trailing characters" error proves the value complete: a window that
        cuts a value can give any other error (`-` of a cut `-1` is "invalid
        character"), so those widen the window until it reaches the end of the input.
        """
        source, window = self.window, _WINDOW
        source.keep = min(source.keep, start)
        while True:
            source.fill(start + window)
            end = min(start + window, source.end)
            at_end = source.eof and end == source.end
            try:
                _raw_decoder.decode(source.view[start - source.base : end - source.base])
            except msgspec.DecodeError as exc:
                message = str(exc)
                if found := _TRAILING.search(message):
                    # msgspec counts the trailing character as read: one past it.
                    return start + int(found.group(1)) - 1
                if at_end:
                    where = _BYTE.sub(lambda m: f"(byte {start + int(m[1])})", message)
                    raise self._error(where) from None
            except UnicodeDecodeError:
                if at_end:
                    raise self._error(f"invalid UTF-8 in the value at byte {start}") from None
            except RecursionError:
                raise SourceError(f"{self.name}: JSON nested too deeply to read") from None
            else:
                if at_end:
                    return end  # The value ends the input: what should follow is missing.
            window *= 4

    def skip_space(self, position: int) -> int:
        """The first position at or after `position` that is not JSON whitespace."""
        source = self.window
        while True:
            source.fill(position + 1)
            found = _SPACE.match(source.data, position - source.base)
            if found:
                position = source.base + found.end()
            if position < source.end or source.eof:
                return position

    def items(self, opening: int, number: int, where: str) -> Iterator[Record]:
        """The items of the array opening at `opening`, each with its exact span."""
        source = self.window
        position = self.skip_space(opening + 1)
        if source.byte(position) == b"]":
            return
        for index in itertools.count():
            # The bytes before this item may go: its predecessors are yielded.
            source.keep = position
            stop = self.stop(position)
            end, base = stop, source.base
            while end > position and source.data[end - base - 1 : end - base] in _SPACES:
                end -= 1
            data = bytes(source.view[position - base : end - base])
            yield Record(number, position, end - position, f"{where}{index}]", data)
            following = source.byte(stop)
            if following == b"]":
                return
            if not following:
                raise self._error("truncated")
            if following != b",":
                raise self._error(f"JSON is malformed: expected ',' or ']' (byte {stop})")
            position = self.skip_space(stop + 1)

    def all_items(self, opening: int, field: str, number: int, where: str) -> list[Record] | None:
        """Every item of the array opening at `opening` (the top object's `field`, or the
        top array for ""), as `items` gives them, from one decode of the whole input.

        A key given twice: the last one counts, as it does for msgspec (and Python's
        `json`), so that this split and one decode of the page (`summary.page_places`,
        `page_texts`) read the same records; `opening` is then not where they are.
        None when that cannot be done exactly, and nothing is lost: the input is not
        `Window.small`, or malformed; `items` then walks it, with its precise errors.
        """
        window = self.window
        if not window.small() or field not in _WHOLE:
            return None
        data = window.all()
        raws: list[msgspec.Raw]
        if field == "records" and window.items is not None:
            raws = window.items  # Decoded already, to tell the file's shape.
        else:
            try:
                top = _WHOLE[field].decode(data)
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                return None
            raws = getattr(top, field) if field else top
        found = _spans(raws, data, opening, number, where)
        if found is None and field:
            found = _spans(raws, data, self.records_start(field, last=True), number, where)
        return found

    def opening(self) -> int:
        """The offset of the `[` opening an array (after a byte order mark and spaces)."""
        self.window.fill(8)
        return self.skip_space(start_of(self.window.data))

    def records_start(self, field: str = "records", *, last: bool = False) -> int:
        """The offset of the `[` opening a page's `records` (or another `field`), found by
        walking its keys: the first such key, or with `last` the last (which walks every
        value, so only for an input held whole)."""
        source = self.window
        position = self.skip_space(self.opening() + 1)  # Past the `{`.
        found = None
        while source.byte(position) == b'"':
            end = self.stop(position)
            key = bytes(source.view[position - source.base : end - source.base])
            try:
                name = msgspec.json.decode(key.rstrip(), type=str)
            except (msgspec.DecodeError, UnicodeDecodeError):
                break
            # Past the colon to the value.
            position = self.skip_space(end + 1)
            if name == field:
                if not last:
                    return position
                found = position
            position = self.skip_space(self.stop(position) + 1)
        if found is not None:
            return found
        raise SourceError(f"{self.name}: a list page without `{field}`: no logs in it")

    def _error(self, message: str) -> SourceError:
        source = self.window
        if source.base == 0:
            return SourceError(f"{self.name}: {_explain_big(source.data, message)}")
        # The start of the input is no longer held: name the byte, not the line.
        if "truncated" in message:
            text = f"JSON ends early: the input was cut off after {source.end} bytes"
        else:
            text = f"malformed JSON: {message}"
        return SourceError(f"{self.name}: {text}")


def _spans(
    raws: list[msgspec.Raw], data: bytes, opening: int, number: int, where: str
) -> list[Record] | None:
    """The records of `raws` if they are the items of the array opening at `opening`."""
    found = []
    position = opening + 1
    for index, raw in enumerate(raws):
        item = bytes(raw)
        start = _after(_BETWEEN, data, position)
        if not data.startswith(item, start):
            return None
        found.append(Record(number, start, len(item), f"{where}{index}]", item))
        position = start + len(item)
    if not data.startswith(b"]", _after(_SPACE, data, position)):
        return None
    return found


def _explain_big(buffer: bytes, message: str) -> str:
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
