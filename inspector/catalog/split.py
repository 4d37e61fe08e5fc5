"""Listing the records of a source: each log's exact bytes and where they are, never decoded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, Protocol

from inspector.catalog.shapes import (
    BOM,
    Record,
    Shape,
    SourceFile,
    detect,
    is_call,
    is_page,
    page_items,
)
from inspector.catalog.values import Values
from inspector.catalog.window import GZIP_ERRORS, HEAD, Window, open_stream
from inspector.errors import SourceError
from inspector.sanitize import one_line

_LINE_BUFFER: Final = 1 << 20


class LineCount(Protocol):
    """Where `range_records` counts the lines it reads."""

    lines: int


def file_records(
    file: SourceFile, number: int, prefix: str, data: bytes | None
) -> Iterator[Record]:
    """The records of one file of a source (`data` holds the bytes of stdin)."""
    shown = one_line(file.name, 200)
    if file.path is None:
        assert data is not None
        yield from _window_records(Window(None, shown, data=data), number, file.shape, prefix)
        return
    try:
        # A big buffer for lines: iterating with the default 8 KB one is 6x slower.
        with open_stream(file.path, _LINE_BUFFER) as (stream, size):
            if file.shape == "jsonl":
                yield from _jsonl_records(stream, number, prefix, shown, size)
                return
            window = Window(stream, shown, size=size)
            shape: Shape = file.shape
            if shape == "object" and prefix:
                # A file in a folder: one log, JSON Lines, a page or an array.
                shape = sniff(window)
                if shape == "jsonl":
                    stream.seek(0)
                    yield from _jsonl_records(stream, number, prefix, shown, size)
                    return
            yield from _window_records(window, number, shape, prefix)
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except GZIP_ERRORS as exc:
        raise SourceError(f"{shown}: the compressed file is cut off or corrupt: {exc}") from None


def sniff(window: Window) -> Shape:
    """The shape of a file from its first bytes (all of them when it is one object)."""
    window.fill(HEAD)
    shape = detect(window.data)
    if shape == "object" and not window.eof:
        shape = detect(window.all())
    if shape != "object":
        return shape
    if window.small():
        # One decode tells a page and gives its items (`Values.all_items` takes them).
        window.items = page_items(window.all())
        if window.items is not None:
            return "page"
    elif is_page(window.all()):
        return "page"
    return "call" if is_call(window.all()) else shape


def _window_records(window: Window, number: int, shape: Shape, prefix: str) -> Iterator[Record]:
    if shape == "jsonl":
        yield from _jsonl_buffer(window.all(), number, prefix)
    elif shape in ("array", "page", "call"):
        values = Values(window)
        # A v4 call response: each `data[]` item is a log; a list page: `records[]`.
        field = {"call": "data", "page": "records"}.get(shape, "")
        opening = values.records_start(field) if field else values.opening()
        where = f"{prefix}{field}["
        at_once = values.all_items(opening, field, number, where)
        yield from at_once if at_once is not None else values.items(opening, number, where)
    else:
        whole = window.all()
        body = whole.removeprefix(BOM).lstrip()
        data = body.rstrip()
        yield Record(number, len(whole) - len(body), len(data), window.name, data)


def _jsonl_records(
    stream: Iterable[bytes], number: int, prefix: str, name: str, size: int | None
) -> Iterator[Record]:
    """Lines of a file read in buffered chunks: memory stays bounded, and a file that
    shrinks while being read is reported, the lines before it kept."""
    offset = 0
    for line_number, line in enumerate(stream, start=1):
        record = _line_record(line, offset, line_number, number, prefix)
        offset += len(line)
        if record is not None:
            yield record
    if size is not None and offset < size:
        raise SourceError(
            f"{name}: the file shrank while it was read ({size} bytes, then {offset}): the "
            "index is partial, only the lines before that point are listed"
        )


def _jsonl_buffer(buffer: bytes, number: int, prefix: str) -> Iterator[Record]:
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


#: The bytes `bytes.strip` removes.
_SPACES: Final = frozenset(bytes([byte]) for byte in b" \t\n\r\x0b\x0c")


def range_records(
    file: SourceFile, number: int, span: tuple[int, int], result: LineCount
) -> Iterator[tuple[Record, int]]:
    """The records of the lines of a JSON Lines file that start in the byte range `span`
    (for a worker), each with its line number within the range; `result.lines` counts
    the lines read. A file that shrinks meanwhile just ends early, as the one-thread
    listing does.
    """
    assert file.path is not None
    start, end = span
    with Path(file.path).open("rb", buffering=_LINE_BUFFER) as stream:
        position = start
        if start > 0:
            stream.seek(start - 1)
            if stream.read(1) != b"\n":  # The line under `start` belongs to the slice before.
                position = start + len(stream.readline())
        for line in stream:
            if position >= end:
                break
            result.lines += 1
            base, text = position, line
            if position == 0 and text.startswith(BOM):
                base, text = len(BOM), text[len(BOM) :]
            data = text.strip()
            if data:
                # Most lines start with their record: no second copy to count the spaces.
                lead = 0 if text[:1] not in _SPACES else len(text) - len(text.lstrip())
                yield Record(number, base + lead, len(data), "", data), result.lines
            position += len(line)
