"""What a worker process runs: summarise one slice of a source, and write its rows to a shard.

Kept apart from `parallel` (the scheduling side) so that a spawned worker imports only
what summarising needs: the task function's module is all a worker loads (with the
package's `__init__`, which imports lazily for this reason), not the catalog, its cache,
its statistics or the pool. `tests/unit/test_catalog_parallel.py` checks the set.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import msgspec

from inspector.catalog.copies import id_hashes
from inspector.catalog.shapes import Record, SourceFile, detect
from inspector.catalog.split import file_records, range_records
from inspector.catalog.store import Kind, ShardWriter, TextPart
from inspector.catalog.summary import (
    Feedback,
    Row,
    page_places,
    page_rows,
    page_texts,
    place,
    search_text,
    summarize,
)
from inspector.catalog.window import WHOLE_BYTES
from inspector.errors import InspectorError
from inspector.sanitize import one_line

_encoder: Final = msgspec.msgpack.Encoder()


class Slice(msgspec.Struct, frozen=True):
    """Part of a source: a byte range of a JSON Lines file, or one whole file of a folder."""

    number: int
    file: SourceFile
    prefix: str
    #: A range `[start, end)` of a JSON Lines file; None for the whole file.
    span: tuple[int, int] | None


class Summaries(msgspec.Struct):
    """A slice's rows (numbered from 0 within it), their feedback, and its line count."""

    rows: list[Row]
    feedback: Feedback
    #: Records in the slice (with `text`, some have no row).
    records: int = 0
    #: Lines the range covers (ranges only).
    lines: int = 0
    #: The rows' locations are their line numbers within the range (ints), made whole
    #: (`line 12`) once the lines before the range are counted.
    ranged: bool = False
    #: Why the slice ended early, as one line; None when it was read to the end.
    error: str | None = None
    #: `rows` as MessagePack, from a worker: a quarter of pickle's cost to send.
    packed: bytes | None = None
    #: The database file a worker wrote the rows and feedback to, instead of sending them.
    shard: str | None = None
    #: `shard` is the worker's own text index (`index_text`): its rows are in it already.
    part: bool = False
    #: The id hash of each row written to `shard` (`copies.id_hashes`), for `Repeats`.
    ids: array[int] | None = None


#: Rows a worker gathers before it writes them to its shard: bounded memory per worker.
CHUNK: Final = 256


def summarise(
    part: Slice, kind: Kind = "rows", flush: Callable[[Summaries], None] | None = None
) -> Summaries:
    """Summarise one slice (in a worker process); a reading failure ends it with `error`.

    The rows are of the `kind` asked for: a `summarize` row each, a `place` each, or
    the searchable text of each log (logs that are not readable have none). With
    `flush`, it is given the result every `CHUNK` rows, to take the rows and feedback
    gathered so far away (they are not kept).
    """
    result = Summaries([], [])
    text = kind == "text"
    if text and (page := _page_texts(part)) is not None:
        result.rows = [(index, *row) for index, row in enumerate(page)]
        result.records = len(page)
        if flush is not None:
            flush(result)
        return result
    if kind == "places" and (placed := _page_places(part)) is not None:
        result.rows, result.records = placed, len(placed)
        if flush is not None:
            flush(result)
        return result
    if kind == "filled" and (filled := _page_rows(part)) is not None:
        (result.rows, result.feedback), result.records = filled, len(filled[0])
        if flush is not None:
            flush(result)
        return result
    try:
        if part.span is None:
            records: Iterator[tuple[Record, int | None]] = (
                (record, None) for record in file_records(part.file, part.number, part.prefix, None)
            )
        else:
            records = range_records(part.file, part.number, part.span, result)
            result.ranged = not text
        for record, line in records:
            if text:
                # A folder's file names are searched too: the prefix names the file.
                found = search_text(record.data, record.location if part.prefix else "")
                if found is not None:
                    result.rows.append((result.records, *found))
                result.records += 1
            elif kind == "places":
                result.rows.append(place(record, result.records, part.file.path, line))
                result.records += 1
            else:
                row, items = summarize(record, result.records, part.file.path, line)
                result.records += 1
                result.rows.append(row)
                result.feedback.extend(items)
            if flush is not None and len(result.rows) >= CHUNK:
                flush(result)
    except InspectorError as exc:
        result.error = exc.message
    except OSError as exc:
        result.error = f"{one_line(part.file.name, 200)}: cannot read: {exc.strerror or exc}"
    return result


def _page_texts(part: Slice) -> list[tuple[str, str, str, str]] | None:
    """The searchable text of a folder's small list page from one decode (`page_texts`),
    or None for any other file (or one that cannot be read so): it is read record by
    record instead."""
    data = _small_page(part)
    return None if data is None else page_texts(data, part.prefix)


def _page_places(part: Slice) -> list[Row] | None:
    """The places of a folder's small list page from one decode (`page_places`), or
    None for any other file: it is read record by record instead."""
    data = _small_page(part)
    return None if data is None else page_places(data, part.number, part.prefix)


def _page_rows(part: Slice) -> tuple[list[Row], Feedback] | None:
    """The rows of a folder's small list page of v4 or v5 logs from one decode (`page_rows`),
    for the second pass, where a row takes its place's span; None for any other file."""
    data = _small_page(part)
    return None if data is None else page_rows(data, part.number, part.prefix, part.file.path)


def _small_page(part: Slice) -> bytes | None:
    """The bytes of a folder's file that may be a small list page, or None.

    Not a `.jsonl` file (the exporter's): it is read as lines whatever it holds
    (`file_records`), and looking in it for a page cost a read and a scan of the whole
    file, for each pass over it: 4-5 µs a log, a fifth of placing it."""
    file = part.file
    if part.span is not None or not part.prefix or file.path is None or file.shape == "jsonl":
        return None
    if file.size > WHOLE_BYTES:
        return None
    try:
        data = Path(file.path).read_bytes()
    except OSError:
        return None  # Reading it record by record says what went wrong.
    # A quick look first: most files that are not pages (one log, JSON Lines) have no such
    # key, and their decode would run to the end of their first log before failing. (A
    # page with the key twice: the decode reads the last, as the split does for a file
    # this small, `Values.all_items`. Making sure it was there once meant reading the
    # whole file for it, a quarter of the cost of placing its logs.)
    if b'"records"' not in data or detect(data) != "object":
        return None
    return data


def in_worker(part: Slice, kind: Kind, shard: Path | None = None) -> Summaries:
    """`summarise` in a worker process: the rows go to `shard` (a new database file) a
    chunk at a time, or travel back packed. The id hashes of rows and places come
    back beside the shard (`Summaries.ids`)."""
    if shard is None:
        result = summarise(part, kind)
        result.packed, result.rows = _encoder.encode(result.rows), []
        return result
    writer = ShardWriter(str(shard), kind=kind)
    # Only the first listing finds copies (`Repeats`): not the text, nor the second pass.
    ids = array("I") if kind in ("rows", "places") else None
    try:
        result = summarise(part, kind, lambda taken: _write(writer, taken, ids))
        _write(writer, result, ids)
    finally:
        writer.close()
    result.shard, result.ids = str(shard), ids
    return result


#: This worker's text index (`TextPart`), kept open from one slice to the next.
_part: TextPart | None = None


def index_text(part: Slice, folder: str, first: int, limit: int) -> Summaries:
    """The searchable text of a slice, indexed in this worker's own `TextPart` in `folder`
    as ordinals from `first` (those below `limit`); `shard` names the part's file.

    The slice is one transaction: one that fails is rolled back, for the caller to
    index it elsewhere.
    """
    global _part
    path = str(Path(folder) / f"text-{os.getpid()}.db")
    if _part is None or _part.path != path:
        if _part is not None:
            _part.close()
        _part = TextPart(path)
    index = _part

    def flush(taken: Summaries) -> None:
        index.write(taken.rows, first, limit)
        taken.rows = []

    index.begin()
    try:
        result = summarise(part, "text", flush)
        flush(result)
        index.commit()
    except BaseException:
        index.rollback()
        raise
    result.shard, result.part = path, True
    return result


def _write(writer: ShardWriter, result: Summaries, ids: array[int] | None = None) -> None:
    """Write the rows and feedback gathered so far, and forget them; their id hashes
    go to `ids`."""
    rows = result.rows
    if ids is not None:
        ids.extend(id_hashes(rows))
    # A range's locations are line numbers within it, made whole when the shard is copied.
    writer.write(rows, result.feedback)
    result.rows, result.feedback = [], []
