"""Listing with every core: worker processes summarise slices of a big source, one thread writes.

Summarising a record is Python work (msgspec decoding and the presentation rules),
so threads would take turns on the GIL; processes do not. A big JSON Lines file is cut
into byte ranges (a range owns the lines that start in it), a folder into its files.
Workers read their slice themselves, so the records' bytes never cross a pipe, and
write its rows to a shard database of their own: the catalog's thread copies each
shard in source order with one SQL statement (SQLite's code, no Python per row), so
the catalog's database still has one writer. The first records (a page or so) are
summarised in the calling thread, in small steps, before the workers start: the first
rows show at once. The same slices are summarised up to three times, each a `Kind`:
`places` (where each log is, its id and time: a folder's list page from one decode),
then `filled` (their rows, a list page's from one decode too), then `text`; a source
listed in one pass has its `rows` instead of the first two. In the text pass each
worker tokenises its slices into a text database of its own (`store.TextPart`),
numbered by the first ordinal of each slice that the listing recorded (`Firsts`): the
text index is built on every core too.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any, Final

import msgspec

from inspector.catalog.pool import Pool, workers
from inspector.catalog.source import Source
from inspector.catalog.store import Kind
from inspector.catalog.summary import Feedback, Row, place, search_text, summarize
from inspector.catalog.work import Slice, Summaries, in_worker, index_text, summarise
from inspector.errors import SourceError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "Batch", "Firsts", "Shard", "Slice", "Summaries", "batches", "in_worker", "in_workers",
    "index_text", "summarise", "texts",
]  # fmt: skip

#: The ordinal of each slice's first record, by `(file number, start byte)`: what the
#: listing learnt, so that the text pass can number a slice before those before it end.
Firsts = dict[tuple[int, int], int]

#: Smaller sources are listed in one thread. Measured on 2 busy cores (BENCHMARKS.md,
#: section 7): at 513 MB the workers' own costs (starting a Python each, writing shards)
#: made listing and indexing slower; at 5.1 GB they broke even or won.
MIN_BYTES: Final = 1_000_000_000
#: Bytes of a JSON Lines file per slice; the first slices are smaller (1, 2, 4 MB...).
SLICE_BYTES: Final = 8_000_000
FIRST_SLICE_BYTES: Final = 1_000_000
#: Batches of the first file of a folder, listed in the calling thread.
_FIRST_BATCHES: Final = (200, 1000)
#: Slices per worker that may be done and waiting for an earlier one to be taken (see
#: `_in_workers`): each is a shard on disk, or a few MB of rows when there is no folder.
_DONE_AHEAD: Final = 32

_decoder: Final = msgspec.msgpack.Decoder(list[tuple[Any, ...]])


class Shard(msgspec.Struct, frozen=True):
    """A worker's rows in a database file, to be copied by `RowWriter.copy`."""

    path: str
    #: The ordinal of its first row, and its number of rows.
    first: int
    logs: int
    #: The line before its range of a JSON Lines file; None for a whole file.
    lines: int | None
    #: A worker's own text index (`TextPart`), its rows in it already: not to be copied.
    part: bool = False
    #: The id hash of each row (`copies.id_hashes`); None for text.
    ids: array[int] | None = None


class Batch(msgspec.Struct):
    """The next rows in source order: in memory, or in a shard a worker wrote."""

    rows: list[Row]
    feedback: Feedback
    #: Records read so far, and the byte the reading got to (file, offset).
    count: int
    reached: tuple[int, int]
    shard: Shard | None = None


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


def in_workers(source: Source, pool: Pool) -> bool:
    """Whether `batches` lists `source` with the workers of `pool` (a big source)."""
    return bool(pool.count) and slices(source) is not None


def new_pool() -> Pool:
    """The workers for one catalog (not started until a big source needs them)."""
    return Pool(workers())


def texts(
    source: Source,
    stop: Event,
    size: int,
    folder: Path | None,
    pool: Pool,
    firsts: Firsts | None = None,
    limit: int = 0,
) -> Iterator[Batch]:
    """The searchable text of every log as `(ordinal, id, output, messages, error)` rows,
    a batch at a time (or a shard of them in `folder`), with the records read so far.

    With `firsts` (from `batches`), a worker indexes each slice it knows the first
    ordinal of in a text index of its own (a `part` shard), up to ordinal `limit`.
    """
    parts = slices(source)
    if parts is None or not pool.count:
        return _in_thread(source, stop, [size], kind="text")
    return summarised(parts, stop, pool, kind="text", shards=folder, firsts=firsts, limit=limit)


def batches(
    source: Source,
    stop: Event,
    sizes: Sequence[int],
    folder: Path | None,
    pool: Pool,
    firsts: Firsts | None = None,
    kind: Kind = "rows",
) -> Iterator[Batch]:
    """Every record's row and feedback (or its `place`) in source order, a batch at a time.

    Batches grow through `sizes` in one thread (the first is on screen at once); with
    workers, a batch is a slice, its rows in a shard file in `folder`. A source that
    breaks part way yields the rows before the break, then raises. `firsts` is given
    the first ordinal of each slice (for `texts`).
    """
    parts = slices(source)
    if parts is None or not pool.count:
        return _in_thread(source, stop, sizes, kind=kind)
    return summarised(parts, stop, pool, kind=kind, shards=folder, firsts=firsts)


def _in_thread(
    source: Source, stop: Event, sizes: Sequence[int], *, kind: Kind = "rows"
) -> Iterator[Batch]:
    """`summarised` without workers: batches of rows, their feedback, records so far."""
    rows: list[Row] = []
    feedback: Feedback = []
    limits = iter(sizes)
    limit = next(limits)
    count = 0
    reached = (0, 0)
    try:
        for ordinal, record in enumerate(source.records()):
            if stop.is_set():
                return
            if kind == "text":
                where = record.location if source.is_folder else ""
                found = search_text(record.data, where)
                if found is not None:
                    rows.append((ordinal, *found))
            elif kind == "places":
                rows.append(place(record, ordinal, source.files[record.file].path))
            else:
                row, items = summarize(record, ordinal, source.files[record.file].path)
                rows.append(row)
                feedback.extend(items)
            count, reached = ordinal + 1, (record.file, record.offset + record.length)
            if len(rows) >= limit:
                yield Batch(rows, feedback, count, reached)
                rows, feedback, limit = [], [], next(limits, limit)
    except Exception:
        yield Batch(rows, feedback, count, reached)
        raise
    yield Batch(rows, feedback, count, reached)


def summarised(
    parts: list[Slice],
    stop: Event,
    pool: Pool,
    *,
    kind: Kind = "rows",
    shards: Path | None = None,
    firsts: Firsts | None = None,
    limit: int = 0,
) -> Iterator[Batch]:
    """Rows and feedback of every slice in source order, numbered from 0 across the source,
    each with the number of records up to the end of the slice.

    The first records (a page or so) of the rows are read in this thread, in small
    steps, while the workers start: the first rows show at once. With `shards` (a
    folder), workers write their rows there instead of sending them. Raises
    `SourceError` after the rows before a slice that could not be read.
    """
    todo = deque(parts)
    text = kind == "text"
    taken = _Place(firsts if not text else None)
    if not text and todo[0].span is None:  # The first file of a folder.
        if firsts is not None:
            firsts[(todo[0].number, 0)] = 0
        head = Source(todo[0].file.name, [todo.popleft().file], is_folder=True)
        for batch in _in_thread(head, stop, _FIRST_BATCHES, kind=kind):
            taken.ordinal = batch.count
            yield batch
    # The first (small) ranges of a file, until a page or so is listed.
    while not text and todo and taken.ordinal < _FIRST_BATCHES[-1] and not stop.is_set():
        part = todo.popleft()
        yield from taken.take(part, summarise(part, kind))
    if not stop.is_set() and todo:
        # Started only now: processes starting up while the first page is drawn would
        # slow that down (the caller may hold the first batch back until then).
        executor = pool.executor()
        known = firsts if text and shards is not None else None
        yield from _in_workers(
            executor, pool.count, todo, stop, taken, kind, shards, (known, limit)
        )


def _in_workers(
    pool: ProcessPoolExecutor | None,
    count: int,
    todo: deque[Slice],
    stop: Event,
    place: _Place,
    kind: Kind,
    shards: Path | None,
    numbering: tuple[Firsts | None, int] = (None, 0),
) -> Iterator[Batch]:
    """The rest of `summarised`: slices in the `count` workers, two each at a time; text
    of a slice whose first ordinal `numbering` knows goes to the worker's own text index.

    Results are taken in source order, but a worker is given the next slice as soon as
    any of its slices is done, not only when the oldest is: a slice that takes long (a
    text part merging its segments, several seconds at a million logs) would otherwise
    leave the other workers idle once the slices queued behind it were done. Up to
    `_DONE_AHEAD` slices per worker wait, done, for the one before them.
    """
    firsts, limit = numbering
    running, window = 2 * count, _DONE_AHEAD * count
    pending: deque[tuple[Slice, Future[Summaries] | None]] = deque()
    broken = False

    def submit() -> None:
        busy = sum(1 for _, future in pending if future is not None and not future.done())
        while todo and busy < running and len(pending) < window:
            part = todo.popleft()
            start = part.span[0] if part.span else 0
            shard = None if shards is None else shards / f"shard-{part.number}-{start}.db"
            first = None if firsts is None else firsts.get((part.number, start))
            try:
                future = None
                if pool is not None and not broken and first is not None:
                    future = pool.submit(index_text, part, str(shards), first, limit)
                elif pool is not None and not broken:
                    future = pool.submit(in_worker, part, kind, shard)
            except Exception:  # A pool that broke, or a worker that cannot start.
                future = None
            pending.append((part, future))
            busy += future is not None

    try:
        submit()
        while pending:
            part, future = pending[0]
            if future is not None and not future.done():
                wait(
                    [later for _, later in pending if later is not None and not later.done()],
                    return_when=FIRST_COMPLETED,
                )
                submit()
                continue
            pending.popleft()
            result: Summaries | None = None
            if future is not None:
                try:
                    result = future.result()
                except BrokenExecutor:  # `BrokenProcessPool`
                    # Workers that cannot start (a main script without the `__main__`
                    # guard runs itself again in each), or one that died: the rest is
                    # read in this thread.
                    broken = True
                except Exception:
                    # The worker's own failure (its shard on a full disk, say): this
                    # slice is read here instead.
                    result = None
            yield from place.take(part, result or summarise(part, kind))
            if stop.is_set():
                break
            submit()
    finally:
        for _, future in pending:
            if future is not None:
                future.cancel()


class _Place(msgspec.Struct):
    """How far `summarised` has got: records and lines before the next slice."""

    #: Given the first ordinal of each slice taken, when not None.
    firsts: Firsts | None = None
    ordinal: int = 0
    lines: int = 0

    def take(self, part: Slice, result: Summaries) -> Iterator[Batch]:
        """The batch of the next slice's result; then `SourceError` if the slice broke."""
        reached = (part.number, part.span[1] if part.span else part.file.size)
        after = self.ordinal + result.records
        if self.firsts is not None:
            self.firsts[(part.number, part.span[0] if part.span else 0)] = self.ordinal
        if result.shard is not None:
            lines = self.lines if part.span is not None else None
            shard = Shard(
                result.shard, self.ordinal, result.records, lines, result.part, result.ids
            )
            batch = Batch([], [], after, reached, shard)
        else:
            rows, feedback = _numbered(result, self.ordinal, self.lines)
            batch = Batch(rows, feedback, after, reached)
        self.ordinal, self.lines = after, self.lines + result.lines
        yield batch
        if result.error is not None:
            raise SourceError(result.error)


def _numbered(result: Summaries, first: int, lines: int) -> tuple[list[Row], Feedback]:
    """The slice's rows with their ordinals in the source (and line numbers, for a range)."""
    if result.packed is not None:
        result.rows = _decoder.decode(result.packed)
    if result.ranged:
        rows = [
            (first + row[0], *row[1:4], f"line {lines + row[4]}", *row[5:]) for row in result.rows
        ]
    else:
        rows = [(first + row[0], *row[1:]) for row in result.rows]
    feedback = [(first + index, kind, value) for index, kind, value in result.feedback]
    return rows, feedback
