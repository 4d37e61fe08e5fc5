"""Listing with every core: worker processes summarise slices of a big source, one thread writes.

Summarising a record is Python work (msgspec decoding and the presentation rules),
so threads would take turns on the GIL; processes do not. A big JSON Lines file is cut
into byte ranges (a range owns the lines that start in it), a folder into its files.
Workers read their slice themselves, so the records' bytes never cross a pipe: only
the rows do. The catalog's thread numbers the rows in source order and writes them,
so SQLite still has one writer. The first records (a page or so) are summarised in the
calling thread, in small steps, before the workers start: the first rows show at once.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any, Final

import msgspec

from inspector.catalog.shapes import BOM, Record, SourceFile
from inspector.catalog.source import Source
from inspector.catalog.split import file_records
from inspector.catalog.summary import Row, search_text, summarize
from inspector.errors import InspectorError, SourceError
from inspector.sanitize import one_line

#: How many worker processes to use; 0 lists in one thread (default: one per core).
WORKERS_ENV: Final = "INSPECTOR_WORKERS"
#: Smaller sources are listed in one thread: starting the workers (a fresh Python each,
#: about 0.3 s of CPU) costs more than they save below a few hundred MB.
MIN_BYTES: Final = 150_000_000
#: Bytes of a JSON Lines file per slice; the first slices are smaller (1, 2, 4 MB...).
SLICE_BYTES: Final = 8_000_000
FIRST_SLICE_BYTES: Final = 1_000_000
_READ_BUFFER: Final = 1 << 20
#: Batches of the first file of a folder, listed in the calling thread.
_FIRST_BATCHES: Final = (200, 1000)

Feedback = list[tuple[int, str, str]]
_encoder: Final = msgspec.msgpack.Encoder()
_decoder: Final = msgspec.msgpack.Decoder(list[tuple[Any, ...]])


@dataclass(frozen=True, slots=True)
class Slice:
    """Part of a source: a byte range of a JSON Lines file, or one whole file of a folder."""

    number: int
    file: SourceFile
    prefix: str
    #: A range `[start, end)` of a JSON Lines file; None for the whole file.
    span: tuple[int, int] | None


@dataclass(slots=True)
class Summaries:
    """A slice's rows (numbered from 0 within it), their feedback, and its line count."""

    rows: list[Row]
    feedback: Feedback
    #: Records in the slice (with `text`, some have no row).
    records: int = 0
    #: Lines the range covers, and the line of each row within it (ranges only).
    lines: int = 0
    row_lines: list[int] | None = None
    #: Why the slice ended early, as one line; None when it was read to the end.
    error: str | None = None
    #: `rows` as MessagePack, from a worker: a quarter of pickle's cost to send.
    packed: bytes | None = None


def workers() -> int:
    """How many worker processes to use (0: list in one thread).

    One per core, at most 4, unless `INSPECTOR_WORKERS` says how many: on a machine
    whose cores are busy with other work, workers only add their own costs.
    """
    chosen = os.environ.get(WORKERS_ENV, "").strip()
    if chosen.isdigit():
        return min(8, int(chosen))
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(4, count or 1) if (count or 1) > 1 else 0


def slices(source: Source) -> list[Slice] | None:
    """The slices to list `source` by, or None to list it in one thread."""
    if source.data is not None or source.size < MIN_BYTES or not workers():
        return None
    found: list[Slice] = []
    for number, file in enumerate(source.files):
        if source.is_folder:
            found.append(Slice(number, file, f"{file.name} ", None))
        elif file.shape == "jsonl":
            start, step = 0, FIRST_SLICE_BYTES
            while start < file.size:
                end = min(file.size, start + step)
                found.append(Slice(number, file, "", (start, end)))
                # Growing: the first ranges are read in the calling thread, a few at a time.
                start, step = end, min(SLICE_BYTES, step * 2)
        else:
            return None  # One JSON array: its items are found by one pass over it.
    return found


def summarise(part: Slice, text: bool = False) -> Summaries:
    """Summarise one slice (in a worker process); a reading failure ends it with `error`.

    With `text`, the rows are the searchable text of each log instead (logs that are
    not readable have none).
    """
    result = Summaries([], [])
    try:
        if part.span is None:
            records: Iterator[tuple[Record, int]] = (
                (record, 0) for record in file_records(part.file, part.number, part.prefix, None)
            )
        else:
            records = _range_records(part, result)
            result.row_lines = None if text else []
        for record, line in records:
            if text:
                # A folder's file names are searched too: the prefix names the file.
                found = search_text(record.data, record.location if part.prefix else "")
                if found is not None:
                    result.rows.append((result.records, *found))
                result.records += 1
                continue
            row, items = summarize(record, result.records, part.file.path)
            result.records += 1
            result.rows.append(row)
            result.feedback.extend(items)
            if result.row_lines is not None:
                result.row_lines.append(line)
    except InspectorError as exc:
        result.error = exc.message
    except OSError as exc:
        result.error = f"{one_line(part.file.name, 200)}: cannot read: {exc.strerror or exc}"
    return result


def texts(source: Source, stop: Event, size: int) -> Iterator[tuple[list[Row], int]]:
    """The searchable text of every log as `(ordinal, id, output, messages, error)` rows,
    a batch at a time, each with the number of records read so far."""
    parts = slices(source)
    found = _in_thread(source, stop, [size], text=True) if parts is None else None
    for rows, _, count in found or summarised(parts or [], stop, text=True):
        yield rows, count


def batches(
    source: Source, stop: Event, sizes: Sequence[int]
) -> Iterator[tuple[list[Row], Feedback]]:
    """Every record's row and feedback in source order, a batch at a time.

    Batches grow through `sizes` in one thread (the first is on screen at once); with
    workers, a batch is a slice. A source that breaks part way yields the rows before
    the break, then raises.
    """
    parts = slices(source)
    found = _in_thread(source, stop, sizes) if parts is None else summarised(parts, stop)
    for rows, feedback, _ in found:
        yield rows, feedback


def _in_thread(
    source: Source, stop: Event, sizes: Sequence[int], *, text: bool = False
) -> Iterator[tuple[list[Row], Feedback, int]]:
    """`summarised` without workers: batches of rows, their feedback, records so far."""
    rows: list[Row] = []
    feedback: Feedback = []
    limits = iter(sizes)
    limit = next(limits)
    count = 0
    try:
        for ordinal, record in enumerate(source.records()):
            if stop.is_set():
                return
            if text:
                where = record.location if source.is_folder else ""
                found = search_text(record.data, where)
                if found is not None:
                    rows.append((ordinal, *found))
            else:
                row, items = summarize(record, ordinal, source.files[record.file].path)
                rows.append(row)
                feedback.extend(items)
            count = ordinal + 1
            if len(rows) >= limit:
                yield rows, feedback, count
                rows, feedback, limit = [], [], next(limits, limit)
    except Exception:
        yield rows, feedback, count
        raise
    yield rows, feedback, count


def summarised(
    parts: list[Slice], stop: Event, *, text: bool = False
) -> Iterator[tuple[list[Row], Feedback, int]]:
    """Rows and feedback of every slice in source order, numbered from 0 across the source,
    each with the number of records up to the end of the slice.

    The first records (a page or so) are read in this thread, in small steps, before
    the workers start: the first rows show at once. Raises `SourceError` after the rows before a
    slice that could not be read.
    """
    todo = deque(parts)
    ordinal = lines = 0
    if todo[0].span is None:  # The first file of a folder.
        head = Source(todo[0].file.name, [todo.popleft().file], is_folder=True)
        for rows, feedback, ordinal in _in_thread(head, stop, _FIRST_BATCHES, text=text):
            yield rows, feedback, ordinal
    # The first (small) ranges of a file, until a page or so is listed.
    while todo and ordinal < _FIRST_BATCHES[-1] and not stop.is_set():
        result = summarise(todo.popleft(), text)
        rows, feedback = _numbered(result, ordinal, lines)
        ordinal, lines = ordinal + result.records, lines + result.lines
        yield rows, feedback, ordinal
        if result.error is not None:
            raise SourceError(result.error)
    local = False
    if stop.is_set() or not todo:
        return
    _start_tracker()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers(), mp_context=context, initializer=_follow_parent, initargs=(os.getpid(),)
    ) as pool:
        pending: deque[tuple[Slice, Future[Summaries]]] = deque()

        def submit() -> None:
            while todo and len(pending) < 2 * workers():
                part = todo.popleft()
                pending.append((part, pool.submit(in_worker, part, text)))

        try:
            submit()
            while pending or todo:
                part, future = pending.popleft() if pending else (todo.popleft(), None)
                try:
                    if local or future is None:
                        result = summarise(part, text)
                    else:
                        result = future.result()
                        submit()
                except BrokenProcessPool:
                    # Workers that cannot start (a main script without the `__main__`
                    # guard runs itself again in each): the rest is listed in this thread.
                    local, result = True, summarise(part, text)
                rows, feedback = _numbered(result, ordinal, lines)
                ordinal, lines = ordinal + result.records, lines + result.lines
                yield rows, feedback, ordinal
                if result.error is not None:
                    raise SourceError(result.error)
                if stop.is_set():
                    break
        finally:
            for _, future in pending:
                future.cancel()


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker (once) with the real stderr.

    The pool starts it with `sys.stderr.fileno()` among the descriptors the tracker
    keeps; under Textual `sys.stderr` is a capture whose `fileno()` is -1, and every
    worker then failed to start (`ValueError: bad value(s) in fds_to_keep`), which
    stopped the listing of a big file in the app after its first page.
    """
    from multiprocessing import resource_tracker

    shown, real = sys.stderr, sys.__stderr__
    try:
        if real is not None:
            sys.stderr = real
        resource_tracker.ensure_running()
    finally:
        sys.stderr = shown


def _follow_parent(parent: int) -> None:
    """In a worker: exit when the catalog's process is gone (killed, so it could not say)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def in_worker(part: Slice, text: bool) -> Summaries:
    """`summarise` in a worker process: the rows travel back packed."""
    result = summarise(part, text)
    result.packed, result.rows = _encoder.encode(result.rows), []
    return result


def _numbered(result: Summaries, first: int, lines: int) -> tuple[list[Row], Feedback]:
    """The slice's rows with their ordinals in the source (and line numbers, for a range)."""
    if result.packed is not None:
        result.rows = _decoder.decode(result.packed)
    if result.row_lines is None:
        rows = [(first + row[0], *row[1:]) for row in result.rows]
    else:
        rows = [
            (first + index, *row[1:4], f"line {lines + line}", *row[5:])
            for index, (row, line) in enumerate(zip(result.rows, result.row_lines, strict=True))
        ]
    feedback = [(first + index, kind, value) for index, kind, value in result.feedback]
    return rows, feedback


def _range_records(part: Slice, result: Summaries) -> Iterator[tuple[Record, int]]:
    """The records of the lines that start in the slice's range, read in buffered chunks.

    A file that shrinks meanwhile just ends early, as the one-thread listing does.
    """
    assert part.span is not None and part.file.path is not None
    start, end = part.span
    with Path(part.file.path).open("rb", buffering=_READ_BUFFER) as stream:
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
                offset = base + len(text) - len(text.lstrip())
                yield Record(part.number, offset, len(data), "", data), result.lines
            position += len(line)
