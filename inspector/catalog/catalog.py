"""`Catalog`: many logs from one source, indexed in the background and queried while that runs.

A background thread indexes a source the way toolong opens a big file: first it lists
every record as a row (quick: the list is usable after the first 200), then it builds
the text index (slow: it tokenises every message). Queries run on another connection
and see whatever has been committed so far. No log is decoded in full until it is
opened with `load`.

A big source (listed by worker processes) is listed in two passes. The first records
only each log's place, id and time (`summary.place`, the `places` table): that is every
log in the list, in time order, with copies dropped, within about twice the time a
plain read of the source takes. The rows the list shows are made from the source as
they are asked for. The second pass builds the full rows (`logs`) that filters, other
orders and totals read; until it is done, those see the rows built so far
(`Progress.rows`).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, NamedTuple

from inspector.catalog import sql, stats
from inspector.catalog.cache import IndexCache, Saving, save_finished, use_for
from inspector.catalog.copies import Repeats, copies_to_drop
from inspector.catalog.entry import COLUMNS, Entry, Progress, Query, SingleLog, from_places
from inspector.catalog.names import with_file_names
from inspector.catalog.parallel import Batch, Firsts, batches, in_workers, new_pool, texts
from inspector.catalog.pool import Pool
from inspector.catalog.shapes import Record
from inspector.catalog.source import Source, open_source
from inspector.catalog.split import file_records
from inspector.catalog.stats import Stats
from inspector.catalog.store import (
    CREATED_INDEX,
    HAS_FTS5,
    TOTALS_COLUMNS,
    TOTALS_INDEX,
    Kind,
    RowWriter,
    Store,
    TextWriter,
)
from inspector.catalog.summary import summarize
from inspector.errors import InspectorError, SourceError
from inspector.model.decode import LogDocument
from inspector.sanitize import one_line

#: Rows per transaction: small first so that the first page shows at once, then larger.
_ROW_BATCHES: Final = (200, 1000, 4000, 8000)
_TEXT_BATCH: Final = 2000
#: List pages whose record spans are kept (`Catalog._page_spans`).
_PAGES_KEPT: Final = 16
#: Longest a held catalog waits for `release` after its first page (`start(hold=True)`).
HOLD_SECONDS: Final = 1.0
#: What looking a match up and sorting it costs, in rows of an index walked (`_walk`).
_SORTED_STEPS: Final = 10
_SELECT: Final = "SELECT " + ", ".join(f'"{name}"' for name in COLUMNS) + " FROM logs"
_SELECT_PLACES: Final = "SELECT ordinal, file, offset, length, location FROM places"
#: A row of `_SELECT_PLACES`.
Place = tuple[int, int, int | None, int, str]


class _Where(NamedTuple):
    """A query's WHERE clause and its parameters, and the text query whose matches
    `temp.matched` must hold for it (`Store.read`), if the clause reads that table."""

    clause: str
    params: list[Any]
    matching: str | None


class Catalog:
    """Many logs from a file, folder or stdin: listed, sorted, filtered and searched.

    Build one with `Catalog.open` (or from `open_source`), call `start()`, then query
    at will from any thread; `progress` says how far indexing has got. Call `close()`
    (or use `with`) to stop indexing and delete the temporary database.
    """

    def __init__(
        self, source: Source, *, fts: bool | None = None, cache: IndexCache | bool = True
    ) -> None:
        """Prepare to index `source` (see `open_source`); `fts=False` forces LIKE search.

        `cache`: where finished indexes are kept and reused (True: where the environment
        says, see `inspector.catalog.cache`; False: nowhere)."""
        self.source = source
        #: How the source is named in titles and messages.
        self.label = source.label
        self._fts = HAS_FTS5 if fts is None else fts
        #: Why the index cache is off, as one line (a read-only or full cache folder).
        self.cache_note: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listed = threading.Event()
        #: Every listed log has its row (`logs`): set with `_listed` for a small source.
        self._rows_ready = threading.Event()
        #: Listed in two passes (`places`, then rows): set once known, before any row.
        self._two_pass = False
        #: The record spans of the list pages read lately, by file (`_page_spans`).
        self._spans: dict[int, list[tuple[int, int]]] = {}
        #: The first batch of rows is in (or the listing ended without one).
        self._paged = threading.Event()
        self._finished = threading.Event()
        #: Whether the rows' indexes are made (`Store.index_rows`, all in one
        #: transaction), once found so (`_indexes_made`).
        self._indexed_rows = False
        self._threads: list[threading.Thread] = []
        #: Set by `release`: the first page is on screen (`start(hold=True)`).
        self._released = threading.Event()
        self._hold = False
        self._indexed = self._searchable = self._rows = 0
        self._dropped = self._bytes_done = 0  # Rows dropped as copies (`copies_to_drop`).
        self._error: str | None = None
        self._text = True
        starts, total = [], 0
        for file in source.files:
            starts.append(total)
            total += file.size
        self._file_starts = starts
        self._bytes_total = total
        paths = [file.path for file in source.files]
        use = use_for(paths, total, fts=self._fts, cache=cache, known=source.stats)
        self._cache, self._key, hit, self.cache_note = use.cache, use.key, use.hit, use.note
        self._store = Store(fts=self._fts, cached=(hit.rows, hit.texts) if hit else None)
        #: The first ordinal of each slice listed by workers (see `parallel.Firsts`).
        self._firsts: Firsts = {}
        #: True when the index was read from the cache instead of built.
        self.from_cache = hit is not None
        if hit is not None:
            self._indexed = self._searchable = self._rows = hit.logs
            self._bytes_done, self._error = total, hit.error
            self._paged.set()
            self._listed.set()
            self._rows_ready.set()
            self._finished.set()
        # Delete the temporary files even if the caller forgets `close()`.
        self._cleanup = weakref.finalize(self, self._store.close)

    @classmethod
    def open(cls, target: str | os.PathLike[str] | bytes, *, label: str | None = None) -> Catalog:
        """Open a file, folder or stdin bytes of many logs (not yet indexing: call `start`).

        Raises `SingleLog` when the source is one log, and `SourceError` or
        `LogDecodeError` when it holds no logs, each with a one-line message.
        """
        opened = open_source(target, label=label)
        if isinstance(opened, LogDocument):
            raise SingleLog(opened)
        return cls(opened)

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, *, text: bool = True, hold: bool = False) -> None:
        """Start indexing in a background thread; returns at once. `text=False`: rows only.

        With `hold`, the first page of rows is listed, then nothing more until `release`
        (or `HOLD_SECONDS`): an app calls it once those rows are drawn. Listing holds the
        GIL in this process (or starts worker processes) and would slow that first paint.
        """
        if self._threads or self.from_cache:
            return
        self._text = text
        self._hold = hold
        self._threads = [threading.Thread(target=self._index, name="catalog", daemon=True)]
        self._threads[0].start()

    def release(self) -> None:
        """The first rows are on screen: list the rest at full speed (see `start`)."""
        self._released.set()

    def close(self) -> None:
        """Stop indexing, wait for the threads, and delete the temporary database."""
        self._stop.set()
        self._released.set()
        self._store.interrupt()
        for thread in self._threads:
            thread.join()
        self._cleanup()

    def wait(
        self, timeout: float | None = None, *, listed_only: bool = False, first_page: bool = False
    ) -> bool:
        """Block until indexing is done (or only listing, with every log's row built, or
        only the first page of rows); False if `timeout` ran out."""
        if first_page:
            return self._paged.wait(timeout)
        return (self._rows_ready if listed_only else self._finished).wait(timeout)

    @property
    def progress(self) -> Progress:
        """A snapshot of how far indexing has got."""
        with self._lock:
            indexed = self._indexed - self._dropped
            rows = indexed if self._rows_ready.is_set() else min(self._rows, indexed)
            return Progress(
                indexed=indexed,
                searchable=min(self._searchable, indexed),
                rows=rows,
                bytes_done=self._bytes_done,
                bytes_total=self._bytes_total,
                listed=self._listed.is_set(),
                done=self._finished.is_set(),
                error=self._error,
                note=self.cache_note,
            )

    @property
    def total(self) -> int:
        """Logs listed so far."""
        with self._lock:
            return self._indexed - self._dropped

    # Indexing (the background thread) ----------------------------------------------

    def _index(self) -> None:
        # Listing first, then the text: run side by side, the two fight over the GIL
        # (the text index releases and retakes it for every row) and both slow down.
        pool = new_pool()
        try:
            self._indexing(pool)
        finally:
            # Waits for the workers to exit: none outlives the catalog's `close`.
            pool.close()

    def _indexing(self, pool: Pool) -> None:
        try:
            self._list(pool)
        except InspectorError as exc:
            self._fail(exc.message)
        except Exception as exc:  # A thread must not die silently.
            self._fail(f"{self.label}: indexing stopped: {exc!r}")
        finally:
            self._paged.set()
            self._listed.set()
            self._rows_ready.set()
        # A partial index (no text) is never cached.
        saving = None
        if self._cache is not None and self._key is not None and self._text:
            saving = self._cache.begin(self._key, self._stop.is_set)
        try:
            if not self._stop.is_set():
                # After `listed`: the list and its filters work meanwhile, slower a moment.
                # Beside the text index: a database each, and both in SQLite's C code.
                with ThreadPoolExecutor(1, thread_name_prefix="catalog-indexes") as side:
                    indexes = side.submit(self._finish_rows, saving)
                    if self._text:
                        self._index_text(pool)
                    indexes.result()  # Raises what building them raised.
                if saving is not None:
                    # Before `done`, so that whoever waits for it finds the cache written.
                    self._save_to_cache(saving)
        except InspectorError as exc:
            # Met by the listing too, unless the source changed since (a file that shrank).
            self._fail(f"{exc.message} (search covers only the first {self._searchable} logs)")
        except Exception as exc:
            if not self._stop.is_set():  # Closing interrupts the indexes on purpose.
                self._fail(f"{self.label}: text indexing stopped: {exc!r}")
        finally:
            if saving is not None:
                saving.discard()  # What was copied, when the entry was not made.
            self._finished.set()

    def _finish_rows(self, saving: Saving | None) -> None:
        """Index the rows; then, as they change no more, copy them into the cache while
        the text is still being indexed: left to the end, the copy (2-3 s at a million
        logs) kept one core busy while the other had nothing to do."""
        self._store.index_rows(self._stop.is_set)
        if saving is not None and not self._stop.is_set():
            saving.add(0, self._store.rows_path)

    def _save_to_cache(self, saving: Saving) -> None:
        if not self._stop.is_set():
            note = save_finished(saving, self._store.text_paths, logs=self.total, error=self._error)
            with self._lock:
                self.cache_note = note

    def _list(self, pool: Pool) -> None:
        writer = RowWriter(self._store)
        try:
            if in_workers(self.source, pool):
                self._two_pass = True
                broke: InspectorError | None = None
                try:
                    self._list_pass(pool, writer, "places")
                except InspectorError as exc:
                    broke = exc  # The logs before the break are listed: their rows too.
                if self._stop.is_set():
                    return
                self._listed.set()
                try:
                    self._build_rows(pool, writer)
                except InspectorError:
                    if broke is None:
                        raise  # Met by the rows only: the source changed since.
                if broke is not None:
                    raise broke
            else:
                self._list_pass(pool, writer, "rows")
        finally:
            writer.close()

    def _list_pass(self, pool: Pool, writer: RowWriter, kind: Kind) -> None:
        """List every log: its row (in one pass), or its place (the first of two passes),
        each batch counted as listed once written, and the copies dropped at the end."""
        places = kind == "places"
        repeats = Repeats(self._bytes_total)
        try:
            folder = self._store.folder
            found = batches(self.source, self._stop, _ROW_BATCHES, folder, pool, self._firsts, kind)
            for batch in found:
                if self._stop.is_set():
                    return
                shard = batch.shard
                if shard is not None:
                    copy = writer.copy_places if places else writer.copy
                    copy(shard.path, shard.first, shard.lines)
                elif batch.rows:
                    if places:
                        writer.write_places(batch.rows)
                    else:
                        writer.write(batch.rows, batch.feedback)
                with self._lock:
                    self._indexed = batch.count
                    if not places:
                        self._rows = batch.count
                self._listed_to(batch)
                # After the first page is shown: the first hashes make the table.
                if shard is None:
                    repeats.add_rows(batch.rows)
                elif shard.ids is not None:
                    repeats.add(shard.first, shard.ids)
            with self._lock:
                self._bytes_done = self._bytes_total
        finally:
            # A source that breaks part way (a malformed array) keeps the logs before;
            # its copies are dropped before the list counts as complete.
            if not self._stop.is_set():
                table, read = ("places", self._read_place) if places else ("logs", None)
                copies = copies_to_drop(self._store, self.source, repeats, table, read)
                self._dropped = writer.drop(copies)

    def _build_rows(self, pool: Pool, writer: RowWriter) -> None:
        """The second pass: the full row of every log the first pass listed."""
        listed = self._indexed
        folder = self._store.folder
        found = batches(self.source, self._stop, _ROW_BATCHES, folder, pool, kind="filled")
        for batch in found:
            if self._stop.is_set():
                return
            if batch.shard is not None and batch.shard.lines is not None:
                # A range of a JSON Lines file: its rows' spans are its places' already.
                shard = batch.shard
                writer.copy(shard.path, shard.first, shard.lines, listed)
            elif batch.shard is not None:
                writer.copy_filled(batch.shard.path, batch.shard.first, listed)
            elif batch.rows:
                writer.write_filled(
                    [row for row in batch.rows if row[0] < listed],
                    [item for item in batch.feedback if item[0] < listed],
                )
            with self._lock:
                self._rows = batch.count
            if batch.count >= listed:
                break
        self._rows_ready.set()

    def _listed_to(self, batch: Batch) -> None:
        """The bytes listed up to `batch`; hold the listing after the first (see `start`)."""
        with self._lock:
            file, offset = batch.reached
            self._bytes_done = self._file_starts[file] + offset
        self._paged.set()
        if self._hold:
            self._hold = False
            self._released.wait(HOLD_SECONDS)

    def _index_text(self, pool: Pool) -> None:
        # A second pass over the source: holding the text of every log from the first
        # pass until now would cost as much memory as the source is big.
        writer = TextWriter(self._store)
        # Stop at the last listed log, even if the file has grown since.
        listed = self._indexed
        firsts = self._firsts if self._store.fts else None
        folder = self._store.folder
        try:
            for batch in texts(self.source, self._stop, _TEXT_BATCH, folder, pool, firsts, listed):
                if batch.shard is not None and batch.shard.part:
                    self._store.add_text(Path(batch.shard.path))
                elif batch.shard is not None:
                    writer.copy(batch.shard.path, batch.shard.first, listed)
                elif batch.rows:
                    writer.write([row for row in batch.rows if row[0] < listed])
                with self._lock:
                    self._searchable = min(batch.count, self._indexed)
                if self._stop.is_set() or batch.count >= listed:
                    break
        finally:
            writer.close()

    def _fail(self, message: str) -> None:
        with self._lock:
            if self._error is None:
                self._error = message

    # Queries (any thread) ------------------------------------------------------------

    def query(
        self,
        query: Query = Query(),  # noqa: B008 - frozen, so one shared default is fine.
        *,
        sort: str = "created_at",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Entry]:
        """A page of the logs matching `query`, in the given order (ties in source order).

        Sees the logs indexed so far. Raises `ValueError` for an unknown `sort`.
        """
        order = sql.order_by(sort, descending)
        page = [max(0, limit), max(0, offset)]
        if self._by_place(query, sort):
            places = self._store.read(f"{_SELECT_PLACES} ORDER BY {order} LIMIT ? OFFSET ?", page)
            return self._made_page(places)
        where = self._where(query)
        if self._by_totals(query, sort):
            # The page's ordinals found in the totals index (a few dozen bytes a log),
            # then only their rows read: sorting by cost over a million logs read every
            # row of the table (hundreds of bytes each) in 0.45-1.3 s, 0.17-0.36 s so.
            chosen = (
                f"SELECT ordinal FROM logs INDEXED BY {TOTALS_INDEX} WHERE {where.clause}"
                f" ORDER BY {order} LIMIT ? OFFSET ?"
            )
            rows = self._store.read(
                f"{_SELECT} WHERE ordinal IN ({chosen}) ORDER BY {order}", [*where.params, *page]
            )
            return [Entry.from_row(row) for row in rows]
        walk = (
            " INDEXED BY " + CREATED_INDEX if self._walk(where, sort, descending, sum(page)) else ""
        )
        rows = self._store.read(
            f"{_SELECT}{walk} WHERE {where.clause} ORDER BY {order} LIMIT ? OFFSET ?",
            [*where.params, *page],
            matching=where.matching,
        )
        return [Entry.from_row(row) for row in rows]

    def _by_totals(self, query: Query, sort: str) -> bool:
        """Whether a page is best sorted in the totals index: its order's column and the
        query's filters are all there (not text, a session or feedback, which have
        indexes of their own), and the order is not the newest first (`CREATED_INDEX`)."""
        if sort == "created_at" or sql.sort_column(sort) not in TOTALS_COLUMNS:
            return False
        if query.text.strip() or query.session_id is not None or query.feedback:
            return False
        return self._indexes_made()

    def _indexes_made(self) -> bool:
        """Whether the rows' indexes exist yet (they are made once every row is listed;
        never, when indexing stopped before)."""
        if not self._indexed_rows:
            found = self._store.read("SELECT 1 FROM sqlite_master WHERE name = ?", [TOTALS_INDEX])
            self._indexed_rows = bool(found)  # Once made, never unmade.
        return self._indexed_rows

    def _walk(self, where: _Where, sort: str, descending: bool, rows: int) -> bool:
        """Whether a page of a text filter's matches, newest first, is best read by
        walking the newest-first index until `rows` matches are met.

        SQLite always looks each match up and sorts them: 0.3-0.4 s for a word in half
        of a million logs, and 3-4 s for the last page of them, where the walk meets a
        first page in a few hundred steps and the last in one pass over the index
        (0.1 s). The walk passes about `total / matched` rows for each match it meets,
        and at most every row; a match looked up and sorted was measured at about 25
        steps of the walk (`_SORTED_STEPS`, taken lower to favour the sort when close).
        """
        if where.matching is None or sort != "created_at" or not descending:
            return False
        if not self._indexes_made():  # Indexing stopped before the indexes were made.
            return False
        counted = self._store.read("SELECT count(*) FROM temp.matched", matching=where.matching)
        matched, total = int(counted[0][0]), max(1, self.total)
        walked = total if rows >= matched else rows * total // matched
        return walked < matched * _SORTED_STEPS

    def count(self, query: Query = Query()) -> int:  # noqa: B008
        """How many of the logs indexed so far match `query`."""
        table = "places" if self._by_place(query, "ordinal") else "logs"
        where = self._where(query)
        if where.clause == sql.MATCHED and self._error is None:
            # Text alone: every match is a listed log, but for the copies dropped from
            # the list. Counting the matches through `logs` took 0.25 s at a million.
            counted = self._store.read(
                "SELECT (SELECT count(*) FROM temp.matched)"
                " - (SELECT count(*) FROM dropped WHERE ordinal IN temp.matched)",
                matching=where.matching,
            )
            return int(counted[0][0])
        counted = self._store.read(
            f"SELECT count(*) FROM {table} WHERE {where.clause}",
            where.params,
            matching=where.matching,
        )
        return int(counted[0][0])

    def stats(self, query: Query = Query()) -> Stats:  # noqa: B008
        """Totals over the logs indexed so far that match `query`, and by model."""
        where = self._where(query)
        # Read off the totals index by rank unless text is asked: each index entry is
        # then looked up among the matches (about 1 us each), so every percentile costs
        # a walk of the whole index, where the matches alone are fewer.
        ranked = not query.text.strip()
        with self._store.together(matching=where.matching) as reads:
            return stats.compute(reads, where.clause, where.params, ranked=ranked)

    def entry(self, ordinal: int) -> Entry | None:
        """The row of one log, or None if it is not indexed (yet)."""
        rows = self._store.read(f"{_SELECT} WHERE ordinal = ?", [ordinal])
        if rows:
            return Entry.from_row(rows[0])
        if self._two_pass:  # Listed, its row not built yet: made from the source.
            places = self._store.read(f"{_SELECT_PLACES} WHERE ordinal = ?", [ordinal])
            return self._made(*places[0]) if places else None
        return None

    def raw(self, ordinal: int) -> bytes:
        """The exact bytes of one log as stored in the source. `KeyError` if unknown."""
        # A place's bytes may still have to be found in its page; a row's are known.
        table = "places" if self._two_pass and not self._rows_ready.is_set() else "logs"
        rows = self._store.read(
            f"SELECT file, offset, length FROM {table} WHERE ordinal = ?", [ordinal]
        )
        if not rows:
            raise KeyError(ordinal)
        return self._read_place(*rows[0])

    def load(self, ordinal: int) -> LogDocument:
        """Decode one log in full from its exact bytes (`raw` keeps them as stored).

        Raises `KeyError` for an unknown ordinal, `LogDecodeError` for an invalid
        record and `SourceError` if the file changed since it was indexed.
        """
        entry = self.entry(ordinal)
        if entry is None:
            raise KeyError(ordinal)
        data = self.source.read(entry.file, *self.span(entry))
        document = self.source.decode(entry.file, data, entry.location)
        return with_file_names(document, self.source.files[entry.file].path)

    def ordinal_of(self, log_id: str) -> int | None:
        """The first log with this id (e.g. a `parent_id`), or None if none is indexed."""
        table = "places" if self._by_place(Query(), "id") else "logs"
        rows = self._store.read(f"SELECT min(ordinal) FROM {table} WHERE id = ?", [log_id])
        return None if rows[0][0] is None else int(rows[0][0])

    def children(self, log_id: str) -> list[int]:
        """The logs whose `parent_id` is `log_id`, in source order."""
        rows = self._store.read(
            "SELECT ordinal FROM logs WHERE parent_id = ? ORDER BY ordinal", [log_id]
        )
        return [int(row[0]) for row in rows]

    def models(self) -> list[str]:
        """Every model seen so far, sorted."""
        return self._distinct("SELECT DISTINCT model FROM logs WHERE model IS NOT NULL")

    def statuses(self) -> list[str]:
        """Every status seen so far (`invalid` included when a record was unreadable)."""
        return self._distinct("SELECT DISTINCT status FROM logs")

    def feedback_types(self) -> list[str]:
        """Every feedback type seen so far, sorted."""
        return self._distinct("SELECT DISTINCT type FROM feedback")

    def neighbours(
        self,
        ordinal: int,
        query: Query = Query(),  # noqa: B008
        *,
        sort: str = "created_at",
        descending: bool = True,
    ) -> tuple[int | None, int | None]:
        """The logs before and after `ordinal` in the list `query` and the order give.

        For stepping with `[` and `]`: `(previous, next)`, None at either end. Works
        even when `ordinal` itself does not match `query` (its place is still known).
        """
        table = "places" if self._by_place(query, sort) else "logs"
        value = self._sort_value(ordinal, sort, table)
        if value is None:
            return None, None
        where = self._where(query)
        found: list[int | None] = []
        for condition, reverse in (
            (sql.before(sort, descending, value[0], ordinal), True),
            (sql.after(sort, descending, value[0], ordinal), False),
        ):
            rows = self._store.read(
                f"SELECT ordinal FROM {table} WHERE {where.clause} AND {condition[0]}"
                f" ORDER BY {sql.order_by(sort, descending, reverse=reverse)} LIMIT 1",
                [*where.params, *condition[1]],
                matching=where.matching,
            )
            found.append(int(rows[0][0]) if rows else None)
        return found[0], found[1]

    def position(
        self,
        ordinal: int,
        query: Query = Query(),  # noqa: B008
        *,
        sort: str = "created_at",
        descending: bool = True,
    ) -> int | None:
        """The index of `ordinal` in the list (to scroll back to it), or None if absent."""
        table = "places" if self._by_place(query, sort) else "logs"
        value = self._sort_value(ordinal, sort, table)
        if value is None:
            return None
        where = self._where(query)
        member = self._store.read(
            f"SELECT 1 FROM {table} WHERE ordinal = ? AND {where.clause}",
            [ordinal, *where.params],
            matching=where.matching,
        )
        if not member:
            return None
        condition, extra = sql.before(sort, descending, value[0], ordinal)
        rows = self._store.read(
            f"SELECT count(*) FROM {table} WHERE {where.clause} AND {condition}",
            [*where.params, *extra],
            matching=where.matching,
        )
        return int(rows[0][0])

    def entries(self, query: Query = Query()) -> Iterator[Entry]:  # noqa: B008
        """Every indexed log matching `query` in source order, a page at a time."""
        if self._by_place(query, "ordinal"):
            yield from self._made_in_order()
            return
        where = self._where(query)
        last = -1
        while page := self._store.read(
            f"{_SELECT} WHERE ordinal > ? AND {where.clause} ORDER BY ordinal LIMIT 1000",
            [last, *where.params],
            matching=where.matching,
        ):
            yield from (Entry.from_row(row) for row in page)
            last = page[-1][0]

    def _by_place(self, query: Query, sort: str) -> bool:
        """Whether the `places` table answers: every log is in it, not every row yet."""
        return self._two_pass and not self._rows_ready.is_set() and from_places(query, sort)

    def span(self, entry: Entry) -> tuple[int, int]:
        """The byte offset and length of a log's record in its file (found in its list
        page when the listing placed it by its index: see `Entry.offset`)."""
        return self._span(entry.file, entry.offset, entry.length)

    def _made(
        self, ordinal: int, file: int, offset: int | None, length: int, location: str
    ) -> Entry:
        """The row of a listed log whose row is not built yet, made from its bytes, with
        its place's span, as its row will have (`RowWriter.copy_filled`)."""
        return self._made_page([(ordinal, file, offset, length, location)])[0]

    def _made_page(self, places: Sequence[Place]) -> list[Entry]:
        """`_made` of each place, each file's records read at one opening of it."""
        spans = [self._span(file, offset, length) for _, file, offset, length, _ in places]
        wanted: dict[int, list[tuple[int, int]]] = {}
        for (_, file, *_), span in zip(places, spans, strict=True):
            wanted.setdefault(file, []).append(span)
        read = {
            file: dict(zip(found, self.source.read_spans(file, found), strict=True))
            for file, found in wanted.items()
        }
        made = []
        for (ordinal, file, offset, length, location), span in zip(places, spans, strict=True):
            record = Record(file, *span, location, read[file][span])
            row, _ = summarize(record, ordinal, self.source.files[file].path)
            made.append(Entry.from_row((ordinal, file, offset, length, location, *row[5:])))
        return made

    def _span(self, file: int, offset: int | None, length: int) -> tuple[int, int]:
        """Where a place's record is: its offset and length, found in its list page when
        the listing did not (`summary.page_places`: the length is its index there)."""
        if offset is not None:
            return offset, length
        spans = self._page_spans(file)
        if length >= len(spans):
            shown = one_line(self.source.files[file].name, 200)
            raise SourceError(f"{shown}: the file changed since it was opened; open it again")
        return spans[length]

    def _page_spans(self, file: int) -> list[tuple[int, int]]:
        """The offset and length of every record of a list page, by index (the last
        few pages asked for are kept: a screen of rows comes from a handful)."""
        with self._lock:
            spans = self._spans.get(file)
        if spans is None:
            source = self.source.files[file]
            # Named as a folder's file: its shape is found (a page), not taken as one log.
            found = file_records(source, file, f"{source.name} ", None)
            spans = [(record.offset, record.length) for record in found]
            with self._lock:
                self._spans[file] = spans
                while len(self._spans) > _PAGES_KEPT:
                    del self._spans[next(iter(self._spans))]
        return spans

    def _read_place(self, file: int, offset: int | None, length: int) -> bytes:
        """The bytes of a place's record (`copies_to_drop` reads a few)."""
        return self.source.read(file, *self._span(file, offset, length))

    def _made_in_order(self) -> Iterator[Entry]:
        """`entries()` from the places, a page at a time."""
        last = -1
        while page := self._store.read(
            f"{_SELECT_PLACES} WHERE ordinal > ? ORDER BY ordinal LIMIT 1000", [last]
        ):
            yield from self._made_page(page)
            last = page[-1][0]

    def _where(self, query: Query) -> _Where:
        terms = self._store.terms(query.text) if query.text.strip() else []
        # Once the text index is finished, a text query's matches are gathered once and
        # kept (`Store.read`): the list's count and pages share them.
        matching = sql.fts_expression(terms) if terms and self._finished.is_set() else None
        clause, params = sql.where(
            query, terms, self._store.text_schemas, matched=matching is not None
        )
        return _Where(clause, params, matching)

    def _sort_value(self, ordinal: int, sort: str, table: str = "logs") -> tuple[Any] | None:
        column = sql.sort_column(sort)
        rows = self._store.read(f'SELECT "{column}" FROM {table} WHERE ordinal = ?', [ordinal])
        return (rows[0][0],) if rows else None

    def _distinct(self, statement: str) -> list[str]:
        return sorted(str(row[0]) for row in self._store.read(statement))
