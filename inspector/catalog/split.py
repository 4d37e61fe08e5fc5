"""Listing the records of a source: each log's exact bytes and where they are, never decoded."""

from __future__ import annotations

import mmap
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, TypeVar

import msgspec

from inspector.catalog.shapes import (
    BOM,
    NON_SPACE,
    Record,
    SourceFile,
    detect,
    is_page,
    start_of,
    without_bom,
)
from inspector.decoding import explain_malformed
from inspector.errors import SourceError
from inspector.sanitize import one_line

_SPACE: Final = re.compile(rb"[ \t\r\n]*")
_SEPARATOR: Final = re.compile(rb"[ \t\r\n]*,?[ \t\r\n]*")
_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
#: Drop pages of a mapped file from our resident set after this many bytes.
_RELEASE_EVERY: Final = 64 << 20
_READ_BUFFER: Final = 1 << 20
_T = TypeVar("_T")


class _Page(msgspec.Struct):
    """A list page, its records kept as raw slices."""

    records: list[msgspec.Raw]


_page_decoder: Final = msgspec.json.Decoder(_Page)
_raw_list_decoder: Final = msgspec.json.Decoder(list[msgspec.Raw])


def file_records(
    file: SourceFile, number: int, prefix: str, data: bytes | None
) -> Iterator[Record]:
    """The records of one file of a source (`data` holds the bytes of stdin)."""
    if file.path is None:
        assert data is not None
        yield from _buffer_records(data, number, file, prefix)
        return
    shown = one_line(file.name, 200)
    try:
        # A big buffer: line iteration with the default 8 KB one is 6x slower.
        with Path(file.path).open("rb", buffering=_READ_BUFFER) as stream:
            if file.shape == "jsonl":
                yield from _jsonl_records(stream, number, prefix)
                return
            size = os.fstat(stream.fileno()).st_size
            if size == 0:
                yield Record(number, 0, 0, file.name, b"")
                return
            with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                yield from _buffer_records(mapped, number, file, prefix)
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None


def _buffer_records(
    buffer: bytes | mmap.mmap, number: int, file: SourceFile, prefix: str
) -> Iterator[Record]:
    shape = file.shape
    if shape == "object" and prefix:
        # A file in a folder: one log, a page or an array, told apart as for a single file.
        shape = detect(buffer)
        if shape == "object" and is_page(buffer):
            shape = "page"
    if shape == "jsonl":
        yield from _jsonl_buffer(buffer, number, prefix)
    elif shape == "array":
        items = _split(buffer, file.name, _raw_list_decoder)
        yield from _items(buffer, items, buffer.find(b"["), number, f"{prefix}[")
    elif shape == "page":
        items = _split(buffer, file.name, _page_decoder).records
        opening = _records_start(buffer, file.name)
        yield from _items(buffer, items, opening, number, f"{prefix}records[")
    else:
        whole = bytes(buffer)
        body = whole.removeprefix(BOM).lstrip()
        data = body.rstrip()
        yield Record(number, len(whole) - len(body), len(data), file.name, data)


def _jsonl_records(stream: Iterable[bytes], number: int, prefix: str) -> Iterator[Record]:
    """Lines of a file read in buffered chunks: memory stays bounded, and a file that
    shrinks while being read ends early instead of faulting as a mapped file would."""
    offset = 0
    for line_number, line in enumerate(stream, start=1):
        record = _line_record(line, offset, line_number, number, prefix)
        offset += len(line)
        if record is not None:
            yield record


def _jsonl_buffer(buffer: bytes | mmap.mmap, number: int, prefix: str) -> Iterator[Record]:
    position, line_number, end = 0, 1, len(buffer)
    while position < end:
        newline = buffer.find(b"\n", position)
        stop = end if newline < 0 else newline + 1
        record = _line_record(buffer[position:stop], position, line_number, number, prefix)
        if record is not None:
            yield record
        position, line_number = stop, line_number + 1


def _line_record(
    line: bytes, offset: int, line_number: int, number: int, prefix: str
) -> Record | None:
    if offset == 0 and line.startswith(BOM):
        line, offset = line[len(BOM) :], len(BOM)
    data = line.strip()
    if not data:
        return None
    start = offset + len(line) - len(line.lstrip())
    return Record(number, start, len(data), f"{prefix}line {line_number}", data)


def _records_start(buffer: bytes | mmap.mmap, name: str) -> int:
    """The offset of the `[` opening a page's `records`, found by walking its top-level keys."""
    members = msgspec.json.decode(without_bom(buffer), type=dict[str, msgspec.Raw])
    first = NON_SPACE.search(buffer, start_of(buffer))
    assert first is not None
    position = first.start() + 1
    seen: set[str] = set()
    while key := _STRING.match(buffer, _skip(_SPACE, buffer, position)):
        key_text = msgspec.json.decode(key.group(), type=str)
        if key_text in seen:
            raise SourceError(f"{one_line(name, 200)}: the list page repeats the key {key_text!r}")
        seen.add(key_text)
        # Past the colon to the value.
        position = _skip(_SPACE, buffer, _skip(_SPACE, buffer, key.end()) + 1)
        if key_text == "records":
            return position
        position = _skip(_SEPARATOR, buffer, position + len(members[key_text]))
    raise SourceError(f"{one_line(name, 200)}: a list page without `records`: no logs in it")


def _split(buffer: bytes | mmap.mmap, name: str, decoder: msgspec.json.Decoder[_T]) -> _T:
    """Decode `buffer` with `decoder`, wording a failure as one line naming the file."""
    try:
        return decoder.decode(without_bom(buffer))
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{one_line(name, 200)}: {_explain_big(buffer, str(exc))}") from None
    except RecursionError:
        raise SourceError(f"{one_line(name, 200)}: JSON nested too deeply to read") from None


def _items(
    buffer: bytes | mmap.mmap, items: list[msgspec.Raw], opening: int, number: int, where: str
) -> Iterator[Record]:
    """The items of the array opening at `opening`, each as its exact bytes and span.

    One `msgspec` pass split the array into `Raw` slices without building objects;
    each slice's offset follows from the previous one's end and the separator after it.
    """
    position = _skip(_SPACE, buffer, opening + 1)
    released = 0
    for index, item in enumerate(items):
        length = len(item)
        yield Record(number, position, length, f"{where}{index}]", bytes(item))
        position = _skip(_SEPARATOR, buffer, position + length)
        if isinstance(buffer, mmap.mmap) and position - released > _RELEASE_EVERY:
            released = _release(buffer, released, position)
    items.clear()


def _skip(pattern: re.Pattern[bytes], buffer: bytes | mmap.mmap, position: int) -> int:
    """The position after `pattern` (which may match nothing) at `position`."""
    match = pattern.match(buffer, position)
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
    found = re.search(r"\(byte (\d+)\)", message)
    prefix = bytes(buffer[: int(found.group(1)) + 80 if found else 4096])
    # Do not let the cut itself look like broken UTF-8.
    while prefix and prefix[-1] & 0xC0 == 0x80:
        prefix = prefix[:-1]
    if prefix and prefix[-1] >= 0xC0:
        prefix = prefix[:-1]
    return explain_malformed(prefix, message)
