"""The catalog's SQLite files: rows in one database, the text index in others, in a temp folder.

Separate files so that several can be written at once (SQLite allows one writer per
file): listing rows is quick and Python-bound; indexing text is slow and runs in
SQLite's C code, in the catalog's thread for a small source and in each worker process,
a database of its own each (`TextPart`), for a big one. All use WAL, so readers on
another connection see every committed batch without waiting for, or blocking, the
writers. The data is scratch: `synchronous=OFF` skips fsyncs, and the folder is deleted
on `close`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Final, Literal

from inspector.catalog.entry import COLUMNS, PLACE_COLUMNS
from inspector.catalog.scratch import Scratch


def _has_fts5() -> bool:
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    return True


#: Whether this Python's SQLite has FTS5 (CPython's builds do). Without it, text search
#: falls back to LIKE over a plain table: correct, but it stores all the text and scans it.
HAS_FTS5: Final = _has_fts5()

_TYPES: Final = {
    "ordinal": "INTEGER PRIMARY KEY",
    "file": "INTEGER NOT NULL",
    # NULL while a record of a list page is known by its index (see `_PLACES_SCHEMA`).
    "offset": "INTEGER",
    "length": "INTEGER NOT NULL",
    "location": "TEXT NOT NULL",
    "created_ts": "REAL",
    "status": "TEXT NOT NULL",
    "invalid": "INTEGER NOT NULL",
    "prompt_tokens": "INTEGER",
    "output_tokens": "INTEGER",
    "total_tokens": "INTEGER",
    "cost": "REAL",
    "latency": "REAL",
    "feedback_count": "INTEGER NOT NULL",
    "evaluation_count": "INTEGER NOT NULL",
}
#: A place's offset is NULL while its record's bytes are not found yet (its length is
#: then the record's index in its list page: `summary.page_places`); a row built in the
#: second pass keeps its place's (`RowWriter.copy_filled`).
_PLACES_SCHEMA: Final = (
    "CREATE TABLE places ("
    + ", ".join(f'"{name}" {_TYPES.get(name, "TEXT")}' for name in PLACE_COLUMNS)
    + ");"
)
_ROWS_SCHEMA: Final = (
    "CREATE TABLE logs ("
    + ", ".join(f'"{name}" {_TYPES.get(name, "TEXT")}' for name in COLUMNS)
    + ");\nCREATE TABLE feedback (ordinal INTEGER NOT NULL, type TEXT NOT NULL,"
    " value TEXT NOT NULL);"
)
#: The catalog's own rows only (not a worker's shard): the ordinals of copies of a log
#: another row keeps (`RowWriter.drop`).
_DROPPED_SCHEMA: Final = "CREATE TABLE dropped (ordinal INTEGER PRIMARY KEY);"
#: What a shard of each kind holds (see `ShardWriter`): `filled` is rows of logs the
#: first of two passes placed (`Catalog`), whose spans are their places'.
Kind = Literal["rows", "places", "text", "filled"]
#: Made once every row is in: keeping them up to date during the bulk insert costs more.
#: None on sort columns: `ORDER BY (x IS NULL), x, ordinal` cannot use one, and sorting
#: 100,000 rows takes SQLite about 30 ms.
#: The index of the newest-first order (see `_INDEXES`).
CREATED_INDEX: Final = "logs_created"
_INDEXES: Final = (
    "CREATE INDEX logs_id ON logs(id)",
    # Only the rows that have one (`x = ?` implies `x IS NOT NULL`, so lookups use them):
    # at a million logs, where most have none, built in half the time.
    "CREATE INDEX logs_parent ON logs(parent_id) WHERE parent_id IS NOT NULL",
    "CREATE INDEX logs_session ON logs(session_id) WHERE session_id IS NOT NULL",
    "CREATE INDEX logs_model ON logs(model)",
    "CREATE INDEX logs_status ON logs(status)",
    "CREATE INDEX feedback_ordinal ON feedback(ordinal)",
    # The list's own order, newest first (`sql.order_by("created_at", True)`): a page
    # of it is read off the index, where otherwise every row is sorted for it (0.2 s at
    # a million logs, for each page scrolled to). Built in 1 s there.
    f"CREATE INDEX {CREATED_INDEX} ON logs((created_ts IS NULL), created_ts DESC, ordinal)",
)
#: The index of the totals (see `_TOTALS_INDEX`), and the columns it holds.
TOTALS_INDEX: Final = "logs_totals"
TOTALS_COLUMNS: Final = (
    "label", "latency", "error", "prompt_tokens", "output_tokens", "cost", "model", "status",
    "created_ts",
)  # fmt: skip
#: Covers every column `stats.compute` reads, grouped and ordered as it asks for them:
#: each group's latencies in order, so a percentile is read off it by rank. Pages sorted
#: by one of its columns are sorted in it too (`Catalog.query`).
_TOTALS_INDEX: Final = (
    f"CREATE INDEX IF NOT EXISTS {TOTALS_INDEX} ON logs({', '.join(TOTALS_COLUMNS)})"
)
#: The tokenizer of the text index, and of the queries run on it (they must agree).
_TOKENIZER: Final = "unicode61"
# Contentless (`content=''`): the index keeps no copy of the text, which the source
# has. `detail=none`: it keeps which logs hold a word but not where; measured on
# 100,000 logs this builds in 2/3 of the time at 1/4 of the size, and a short prefix
# (`an*`) is found 5x faster. Phrases are not possible, and not offered.
#
# `automerge` 16, FTS5's most (its default is 4): a slice's words are written as a new
# segment when it commits, and segments are merged once 16 of a size gather instead of
# 4, so each word is rewritten about half as often. Measured on 500,000 logs of the
# benchmark's folder in one worker: the commits took 11.5-13.0 µs a log instead of
# 19.6-21.4 (of 43-55 µs in all), the index was 2 % bigger, and queries as fast.
#
# `columnsize=0`: no table of each log's token count per column, which only ranking
# (bm25) reads, and nothing here ranks. Counted with callgrind on 10,000 logs of the
# benchmark's folder: 3 % fewer instructions in FTS5, and the index 4 % smaller.
_FTS_SCHEMA: Final = (
    "CREATE VIRTUAL TABLE search USING fts5(id, output, messages, error,"
    f" content='', detail=none, columnsize=0, tokenize='{_TOKENIZER}');"
    " INSERT INTO search(search, rank) VALUES ('automerge', 16);"
)
_PLAIN_SCHEMA: Final = (
    "CREATE TABLE search (rowid INTEGER PRIMARY KEY, id, output, messages, error)"
)
_INSERT_ROW: Final = f"INSERT INTO logs VALUES ({', '.join('?' * len(COLUMNS))})"
#: Copies a worker's shard (see `ShardWriter`), its ordinals shifted to their place in
#: the source; for a range of a JSON Lines file, `location` holds a line number within it.


def _copy_select(columns: Sequence[str]) -> str:
    """The columns of a shard's table as copied: ordinals shifted by a parameter, and the
    location a `{location}` to fill in (see `_located`)."""
    shifted = {"ordinal": "ordinal + ?", "location": "{location}"}
    return ", ".join(shifted.get(name, f'"{name}"') for name in columns)


_COPY_SELECT: Final = _copy_select(COLUMNS)
#: Rows from ordinal `limit` on, and the copies listed in `dropped`, are left out.
_COPY_ROWS: Final = (
    f"INSERT INTO logs SELECT {_COPY_SELECT} FROM shard.logs WHERE ordinal < ?{{keep}}"
    " ORDER BY ordinal"
)
_COPY_FEEDBACK: Final = (
    "INSERT INTO feedback SELECT ordinal + ?, type, value FROM shard.feedback"
    " WHERE ordinal < ?{keep} ORDER BY rowid"
)
_KEEP: Final = " AND ordinal + ? NOT IN dropped"
#: The second pass's rows (`filled`) with their places' spans: so that a row and the
#: place it fills always agree, however either was read. A copy dropped from the places
#: is left out by the join.
_COPY_FILLED: Final = (
    "INSERT INTO logs SELECT p.ordinal, p.file, p.offset, p.length, p.location, "
    + ", ".join(f's."{name}"' for name in COLUMNS[5:])
    + " FROM shard.logs AS s JOIN places AS p ON p.ordinal = s.ordinal + ?"
    " WHERE s.ordinal < ? ORDER BY s.ordinal"
)
_SELECT_SPANS: Final = (
    "SELECT ordinal, file, offset, length, location FROM places WHERE ordinal BETWEEN ? AND ?"
)
_COPY_PLACES: Final = (
    f"INSERT INTO places SELECT {_copy_select(PLACE_COLUMNS)} FROM shard.places ORDER BY ordinal"
)
_INSERT_PLACE: Final = f"INSERT INTO places VALUES ({', '.join('?' * len(PLACE_COLUMNS))})"
_INSERT_FEEDBACK: Final = "INSERT INTO feedback VALUES (?, ?, ?)"
_TEXT_SHARD_SCHEMA: Final = (
    "CREATE TABLE texts (rowid INTEGER PRIMARY KEY, id, output, messages, error)"
)
_INSERT_TEXT_SHARD: Final = "INSERT INTO texts VALUES (?, ?, ?, ?, ?)"
#: Up to a limit: the text index stops at the last listed log, even if the file grew.
_COPY_TEXT: Final = (
    "INSERT INTO search (rowid, id, output, messages, error)"
    " SELECT rowid + ?, id, output, messages, error FROM shard.texts"
    " WHERE rowid + ? < ? ORDER BY rowid"
)
_INSERT_TEXT: Final = (
    "INSERT INTO search (rowid, id, output, messages, error) VALUES (?, ?, ?, ?, ?)"
)


#: Steps of SQLite's virtual machine between two looks at whether a build should stop
#: (a few milliseconds of work; each look takes the GIL).
_STOP_STEPS: Final = 1_000_000


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA synchronous=OFF")
    # Not MEMORY: sorts bigger than the cache (an index made over a million rows, a
    # shard's copy, the GROUP BY that finds copies) spill to temporary files, and in
    # memory those counted in the RSS: 187 MB at 1M logs, 78 MB with files.
    connection.execute("PRAGMA temp_store=FILE")
    connection.execute("PRAGMA cache_size=-16000")
    return connection


#: Steps of a statement between two checks of whether its caller gave up on it (a
#: Python call each: a count over a million rows takes some 50 million steps).
_CANCEL_STEPS: Final = 10_000
#: Text indexes one reader attaches at most: the catalog's own and a worker's each
#: (SQLite's default limit is 10 attached databases: rows.db is the main one, and the
#: places' database is attached too).
MAX_TEXT_PARTS: Final = 9
#: The name the places' database is attached under: its table is read as `places`.
_PLACES: Final = "placedb"


def _text_schema(number: int) -> str:
    """The name the reader attaches the `number`th text database under."""
    return "textdb" if number == 0 else f"textdb{number}"


def _attach(connection: sqlite3.Connection, number: int, path: Path, *, cached: bool) -> None:
    """Attach the `number`th text database (read-only and immutable from the cache)."""
    uri = _immutable_uri(path) if cached else str(path)
    connection.execute(f"ATTACH DATABASE ? AS {_text_schema(number)}", (uri,))


def attach_places(db: sqlite3.Connection, path: Path) -> None:
    """Attach the places' database to `db`: its table is then read and written as
    `places`, a name no other attached database has."""
    db.execute(f"ATTACH DATABASE ? AS {_PLACES}", (str(path),))


def _immutable_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _connect_immutable(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        _immutable_uri(path), uri=True, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA query_only=1")
    connection.execute("PRAGMA cache_size=-16000")
    return connection


class Cancelled(Exception):
    """A read whose caller gave up on it (`Ticket.cancel`), before it ran or while it ran."""


class Ticket:
    """Stands for the reads made on behalf of one caller that may give up on them (a
    list's count and page for a filter the user has typed past): see `asking`."""

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        """Give up the reads made for this ticket (from any thread): the one running
        stops within `_CANCEL_STEPS` steps, and those waiting for the reader never run."""
        self.cancelled = True


#: The ticket of the reads made in this context (`asking`), if any.
_asking: ContextVar[Ticket | None] = ContextVar("inspector_catalog_ticket", default=None)


@contextmanager
def asking(ticket: Ticket) -> Iterator[None]:
    """Make the store's reads in this block on behalf of `ticket`: once it is cancelled
    (`Ticket.cancel`), a read waiting for the reader raises `Cancelled` as it gets it, and
    one running is interrupted. A filter that matches most of a million logs takes
    about a second to count and page: typed past, it no longer holds up the next one."""
    token = _asking.set(ticket)
    try:
        yield
    finally:
        _asking.reset(token)


class _Reader:
    """A connection that reads the catalog for one caller at a time (`lock`), and what it
    keeps between reads: the ticket it runs for, and the matches of one text query."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.lock = threading.Lock()
        #: The ticket the reader runs a statement for: SQLite asks every `_CANCEL_STEPS`
        #: steps of it whether it was cancelled. (Not `interrupt`: one that comes before
        #: the statement has begun is forgotten when it begins, and the read runs on.)
        self.running: Ticket | None = None
        connection.set_progress_handler(self.given_up, _CANCEL_STEPS)
        #: The text query whose matches `temp.matched` holds (see `Store.read`), if any.
        self.matched: str | None = None
        self.writing_temp("CREATE TEMP TABLE matched (ordinal INTEGER PRIMARY KEY)")
        # Big enough for the ordinals of a million matches (about 10 MB), as the main
        # database's: temporary tables have a cache of their own, 2 MB by default.
        connection.execute("PRAGMA temp.cache_size=-16000")

    def given_up(self) -> bool:
        running = self.running
        return running is not None and running.cancelled

    @contextmanager
    def asking(self, ticket: Ticket | None) -> Iterator[None]:
        """Run the block's statements for `ticket` (with `lock` held)."""
        if ticket is None:
            yield
            return
        if ticket.cancelled:
            raise Cancelled
        self.running = ticket
        try:
            yield
        except sqlite3.OperationalError as exc:
            if ticket.cancelled:  # "interrupted", by `given_up`
                raise Cancelled from exc
            raise
        finally:
            self.running = None

    def match(self, expression: str, schemas: Sequence[str]) -> None:
        """Fill `temp.matched` with the ordinals of the logs whose text matches
        `expression` in the text databases `schemas`, unless it holds them already.

        Only for a finished index (the catalog's choice), which changes no more: the
        count, each page and the position of a row in the list for one filter then ask
        the text index once between them. A filter that matches most of a million logs
        took 0.7 s (one word) to 2 s (a short prefix, merging the lists of hundreds of
        words) in each of those reads; 1.0 s for `ref` or 2.6 s for `dor` to the count
        and first page, and as much again for each later page.
        """
        if self.matched == expression:
            return
        self.matched = None  # Until filled whole: an interrupted fill leaves it empty.
        asked = " UNION ALL ".join(
            f"SELECT rowid FROM {name}.search WHERE search MATCH ?1" for name in schemas
        )
        self.writing_temp("DELETE FROM temp.matched")
        self.writing_temp(f"INSERT INTO temp.matched {asked}", [expression])
        self.matched = expression

    def writing_temp(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run `sql`, which writes only to temporary tables (the reader is otherwise
        `query_only`)."""
        self.connection.execute("PRAGMA query_only=0")
        try:
            self.connection.execute(sql, params)
        finally:
            self.connection.execute("PRAGMA query_only=1")


class Store:
    """The database files of one catalog, and the connections that read them.

    Rows in `rows.db`; each log's place (for a source listed in two passes) in
    `places.db`, attached, and never cached (a finished index does not read it); the
    text index in `text.db` and each worker's part. The list's reads share one reader;
    the totals have one of their own (`together`), so that the seconds they take over a
    million logs never hold up a page of the list."""

    def __init__(
        self, *, fts: bool = HAS_FTS5, cached: tuple[Path, Sequence[Path]] | None = None
    ) -> None:
        #: Whether text search uses FTS5 (else LIKE over a plain table; for tests too).
        self.fts = fts
        #: A folder of scratch files, deleted on `close`; None when reading a cache entry.
        self.folder: Path | None = None
        self._scratch: Scratch | None = None
        self._cached = cached is not None
        #: The text index: the catalog's own database, then each worker's (`TextPart`).
        self.text_paths: list[Path] = []
        if cached is not None:
            # A finished index from the cache: opened read-only as immutable files (no
            # journal, no locks), so a later `inspector cache clear` cannot disturb it.
            self.rows_path, texts = cached
            self.text_path = texts[0]
            self.places_path: Path | None = None
            self.text_paths.extend(texts)
        else:
            # Locked by this process, and swept by a later run if this one is killed.
            self._scratch = Scratch()
            self.folder = self._scratch.folder
            self.rows_path = self.folder / "rows.db"
            self.text_path = self.folder / "text.db"
            self.places_path = self.folder / "places.db"
            self._create()
            self.text_paths.append(self.text_path)
        #: The connection `index_rows` runs on, while it runs.
        self._building: sqlite3.Connection | None = None
        #: Held to change which text databases there are, and to open a reader.
        self._parts = threading.Lock()
        # One reader shared by every calling thread, one query at a time.
        self._reader = self._open_reader()
        #: The totals' reader (`together`), opened the first time they are asked.
        self._side: _Reader | None = None
        self._closed = False
        self._tokenizer = _Tokenizer() if fts else None

    def _open_reader(self) -> _Reader:
        if self._cached:
            connection = _connect_immutable(self.rows_path)
        else:
            connection = _connect(self.rows_path)
            connection.execute("PRAGMA query_only=1")
            assert self.places_path is not None
            attach_places(connection, self.places_path)
        for number, path in enumerate(self.text_paths):
            _attach(connection, number, path, cached=self._cached)
        return _Reader(connection)

    @property
    def text_schemas(self) -> list[str]:
        """The attached names of the text index's databases, for `sql.where`."""
        return [_text_schema(number) for number in range(len(self.text_paths))]

    def add_text(self, path: Path) -> None:
        """Search a worker's text index (`TextPart`) too, from now on; once per path."""
        with self._parts:
            if self._closed or path in self.text_paths:
                return
            if len(self.text_paths) >= MAX_TEXT_PARTS:
                raise sqlite3.OperationalError(f"more than {MAX_TEXT_PARTS} text indexes")
            for reader in (self._reader, self._side):
                if reader is not None:
                    with reader.lock:
                        _attach(reader.connection, len(self.text_paths), path, cached=False)
            self.text_paths.append(path)

    def _create(self) -> None:
        text_schema = _FTS_SCHEMA if self.fts else _PLAIN_SCHEMA
        assert self.places_path is not None
        for path, schema in (
            (self.rows_path, _ROWS_SCHEMA + _DROPPED_SCHEMA),
            (self.places_path, _PLACES_SCHEMA),
            (self.text_path, text_schema),
        ):
            with _connect(path) as setup:
                # Bigger pages than SQLite's 4 KB: a shard's rows are copied in half
                # the time (fewer pages to fill and link), and queries read them as fast.
                setup.execute("PRAGMA page_size=16384")
                setup.execute("PRAGMA journal_mode=WAL")
                setup.executescript(schema)
            setup.close()

    def read(
        self, sql: str, params: Sequence[Any] = (), *, matching: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Run a SELECT on the rows indexed so far (safe from any thread; see `asking`).

        With `matching` (a text query, `sql.fts_expression`), `temp.matched` holds the
        ordinals of the logs whose text matches it when `sql` runs (see `_Reader.match`).
        """
        reader = self._reader
        with reader.lock:
            if self._closed:
                raise RuntimeError("the catalog is closed")
            with reader.asking(_asking.get()):
                if matching is not None:
                    reader.match(matching, self.text_schemas)
                rows: list[tuple[Any, ...]] = reader.connection.execute(sql, params).fetchall()
            return rows

    @contextmanager
    def together(self, *, matching: str | None = None) -> Iterator[Reads]:
        """Several reads that see one state of the index (safe from any thread), on the
        totals' own reader.

        The block holds that reader, in one read transaction: what is listed or indexed
        meanwhile is not seen by any of them, so numbers read in one answer the next
        (the totals read each group's size, then its latencies by rank). `matching` as
        for `read` (the matches are gathered again on this reader).
        """
        reader = self._side_reader()
        with reader.lock:
            if self._closed:
                raise RuntimeError("the catalog is closed")
            with reader.asking(_asking.get()):
                if matching is not None:
                    reader.match(matching, self.text_schemas)
                reader.connection.execute("BEGIN")
                try:
                    yield Reads(reader.connection)
                finally:
                    if reader.connection.in_transaction:  # (A read only: nothing to undo.)
                        reader.connection.execute("COMMIT")

    def _side_reader(self) -> _Reader:
        with self._parts:
            if self._closed:
                raise RuntimeError("the catalog is closed")
            if self._side is None:
                self._side = self._open_reader()
            return self._side

    def terms(self, text: str) -> list[str] | None:
        """The words of `text` as the text index sees them; None without FTS5."""
        if self._tokenizer is None:
            return None
        return self._tokenizer.terms(text)

    def index_rows(self, stopped: Callable[[], bool] = lambda: False) -> None:
        """Create the indexes that make filters, totals and `ordinal_of` fast on big sources.

        Made once every row is listed, in the background: the list is usable (and
        every filter sees every row) before they exist, only slower for a moment. With
        the totals index, totals over 100,000 logs take 0.1 s instead of 0.7 s.
        """
        with closing(_connect(self.rows_path)) as db:
            # Seconds at a million logs: `interrupt` ends it at once when the catalog closes.
            self._building = db
            # SQLite forgets an interrupt that comes between two statements; this asks
            # `stopped` every million steps of a statement, so the next one stops too.
            db.set_progress_handler(lambda: int(stopped()), _STOP_STEPS)
            try:
                if stopped():  # Checked after `_building` is set: `interrupt` cannot miss it.
                    return
                # Each index is built by a sort held in memory up to the cache's size, and
                # spilled to a file beyond: a smaller cache, a smaller peak.
                db.execute("PRAGMA cache_size=-4000")
                db.execute("BEGIN")
                for statement in (*_INDEXES, _TOTALS_INDEX):
                    db.execute(statement)
                db.execute("COMMIT")
                db.execute("ANALYZE")
            finally:
                self._building = None

    def interrupt(self) -> None:
        """Stop `index_rows` where it is (it raises `sqlite3.OperationalError`), from any thread."""
        building = self._building
        if building is not None:
            building.interrupt()

    def close(self) -> None:
        """Close the readers and delete the database files (writers must be closed first)."""
        with self._parts:
            if not self._closed:
                # First: a read that gets its reader after this finds it closed.
                self._closed = True
                for reader in (self._reader, self._side):
                    if reader is not None:
                        with reader.lock:  # Once the read holding it is done.
                            reader.connection.close()
                if self._tokenizer is not None:
                    self._tokenizer.close()
        if self._scratch is not None:
            self._scratch.remove()


class _Tokenizer:
    """Splits query text into terms with the very tokenizer of the index.

    A query term that the index's tokenizer would split in two becomes a phrase, which
    `detail=none` refuses with an error; guessing SQLite's notion of a word in Python
    would get some characters wrong. Asking SQLite cannot.

    Safe from any thread, with a lock of its own: the list's reads and the totals' (each
    on its own reader) split their queries here without waiting for each other's reads.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE words USING fts5(text, tokenize='{_TOKENIZER}')")
        self._db.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
        self._last: tuple[str, list[str]] = ("", [])
        self._lock = threading.Lock()
        self._open = True

    def terms(self, text: str) -> list[str]:
        """The terms of `text` in order, case-folded, as the index stores them."""
        with self._lock:
            if not self._open:
                raise RuntimeError("the catalog is closed")
            if text == self._last[0]:
                return list(self._last[1])
            with self._db:
                self._db.execute("DELETE FROM words")
                self._db.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", (text,))
                rows = self._db.execute("SELECT term FROM terms ORDER BY offset")
                found = [row[0] for row in rows]
            self._last = (text, found)
            return list(found)

    def close(self) -> None:
        """Close the in-memory database (once a call running on it is done)."""
        with self._lock:
            self._open = False
            self._db.close()


class ShardWriter:
    """A worker's new shard database, written a chunk at a time in one transaction (for
    `RowWriter.copy` or `copy_places`, or `TextWriter.copy` for text), so that a worker
    never holds a whole slice's rows."""

    def __init__(self, path: str, *, kind: Kind = "rows") -> None:
        # Scratch that lives a moment: no journal, no syncs, no indexes, one transaction.
        Path(path).unlink(missing_ok=True)
        kind = "rows" if kind == "filled" else kind
        self._insert = {"rows": _INSERT_ROW, "places": _INSERT_PLACE}.get(kind, _INSERT_TEXT_SHARD)
        self._db = sqlite3.connect(path, isolation_level=None)
        # Bigger pages: fewer of them to fill and link, about 6 % less time a row.
        self._db.execute("PRAGMA page_size=16384")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        schema = {"rows": _ROWS_SCHEMA, "places": _PLACES_SCHEMA}.get(kind, _TEXT_SHARD_SCHEMA)
        self._db.executescript(schema)
        self._db.execute("BEGIN")

    def write(
        self, rows: list[tuple[Any, ...]], feedback: Sequence[tuple[int, str, str]] = ()
    ) -> None:
        """Add rows of the shard's kind (`(ordinal, id, output, messages, error)` for
        text) and feedback."""
        self._db.executemany(self._insert, rows)
        if feedback:
            self._db.executemany(_INSERT_FEEDBACK, feedback)

    def close(self) -> None:
        """Commit and close (a shard that is not closed is never copied)."""
        try:
            self._db.execute("COMMIT")
        finally:
            self._db.close()


class Reads:
    """The reads of one `Store.together` block, on its reader."""

    def __init__(self, reader: sqlite3.Connection) -> None:
        self._reader = reader

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a SELECT."""
        rows: list[tuple[Any, ...]] = self._reader.execute(sql, params).fetchall()
        return rows

    def each(
        self, sql: str, params: Sequence[Any], take: Callable[[list[tuple[Any, ...]]], None]
    ) -> None:
        """The rows of a SELECT, handed to `take` a batch at a time: for answers as long
        as the source (a column of every log), which held at once as Python tuples would
        cost more memory than the rest of the catalog."""
        cursor = self._reader.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            take(batch)

    def has_index(self, name: str) -> bool:
        """Whether the rows have this index (made once every row is listed)."""
        return bool(self.rows("SELECT 1 FROM sqlite_master WHERE name = ?", [name]))


class TextPart:
    """A worker process's own text index, built beside the catalog's while listing is over.

    Tokenising is most of the text index's cost, and one database has one writer: with
    a database per worker, each worker tokenises its slices on its own core. The
    reader attaches every part (`Store.add_text`) and a text query asks each of them.
    Rows are numbered by the ordinals the listing gave; each slice is one transaction.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._db = _connect(Path(path))
        # A worker's memory: FTS5 builds its segments in its own buffer, not the cache.
        self._db.execute("PRAGMA cache_size=-4000")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_FTS_SCHEMA)

    def begin(self) -> None:
        """Start a slice."""
        self._db.execute("BEGIN")

    def write(self, rows: Sequence[tuple[Any, ...]], first: int, limit: int) -> None:
        """Index rows `(index, id, output, messages, error)` as ordinal `first + index`,
        those below `limit` (the text index stops at the last listed log)."""
        self._db.executemany(
            _INSERT_TEXT, ((first + row[0], *row[1:]) for row in rows if first + row[0] < limit)
        )

    def commit(self) -> None:
        """End the slice: readers see it from now on."""
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        """Forget the slice (it is read again elsewhere)."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


class RowWriter:
    """Appends rows and feedback (or places) in batches, one transaction each."""

    def __init__(self, store: Store) -> None:
        self._db = _connect(store.rows_path)
        self._places = store.places_path is not None
        if store.places_path is not None:
            attach_places(self._db, store.places_path)
        #: Ordinals given to `drop`: their rows are not written again.
        self._dropped: set[int] = set()

    def write(self, rows: list[tuple[Any, ...]], feedback: list[tuple[int, str, str]]) -> None:
        """Insert a batch; readers see it once this returns."""
        if self._dropped:
            rows = [row for row in rows if row[0] not in self._dropped]
            feedback = [item for item in feedback if item[0] not in self._dropped]
        self._db.execute("BEGIN")
        self._db.executemany(_INSERT_ROW, rows)
        self._db.executemany(_INSERT_FEEDBACK, feedback)
        self._db.execute("COMMIT")

    def write_places(self, places: list[tuple[Any, ...]]) -> None:
        """Insert a batch of places (`summary.Place`)."""
        self._db.execute("BEGIN")
        self._db.executemany(_INSERT_PLACE, places)
        self._db.execute("COMMIT")

    def copy(self, path: str, first: int, lines: int | None, limit: int | None = None) -> None:
        """Append the rows of a shard (see `ShardWriter`) numbered from `first`, in one
        transaction, in SQLite's own code; then delete it.

        `lines`: the line before the shard's range of a JSON Lines file (its locations
        are line numbers within it); None when they are whole locations already. Rows
        from ordinal `limit` on are left out (the logs listed are all there is).
        """
        location, head = _located(first, lines)
        below = (limit if limit is not None else 1 << 62) - first
        keep, kept = (_KEEP, [first]) if self._dropped else ("", [])
        _copy_shard(self._db, path, [
            (_COPY_ROWS.format(location=location, keep=keep), [*head, below, *kept]),
            (_COPY_FEEDBACK.format(keep=keep), [first, below, *kept]),
        ])  # fmt: skip

    def write_filled(
        self, rows: list[tuple[Any, ...]], feedback: list[tuple[int, str, str]]
    ) -> None:
        """`write` for the second pass's rows: each with its place's span (`_COPY_FILLED`)."""
        if rows:
            ordinals = [row[0] for row in rows]
            spans = {
                span[0]: span
                for span in self._db.execute(_SELECT_SPANS, (min(ordinals), max(ordinals)))
            }
            rows = [(*spans[row[0]], *row[5:]) for row in rows if row[0] in spans]
        self.write(rows, feedback)

    def copy_filled(self, path: str, first: int, limit: int) -> None:
        """`copy` for a shard of the second pass's rows, each with its place's span."""
        below = limit - first
        keep, kept = (_KEEP, [first]) if self._dropped else ("", [])
        _copy_shard(self._db, path, [
            (_COPY_FILLED, [first, below]),
            (_COPY_FEEDBACK.format(keep=keep), [first, below, *kept]),
        ])  # fmt: skip

    def copy_places(self, path: str, first: int, lines: int | None) -> None:
        """`copy` for a shard of places."""
        location, params = _located(first, lines)
        _copy_shard(self._db, path, [(_COPY_PLACES.format(location=location), params)])

    def drop(self, ordinals: list[int]) -> int:
        """Delete these rows, places and feedback (copies of a log listed once already);
        rows written or copied later leave them out too."""
        if not ordinals:
            return 0
        self._dropped.update(ordinals)
        # Through a keyed table: `feedback` has no index on `ordinal` until the list is
        # complete, so one DELETE per row would scan it once per row.
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO dropped VALUES (?)", ((o,) for o in ordinals))
        for table in ("logs", "feedback", "places") if self._places else ("logs", "feedback"):
            self._db.execute(f"DELETE FROM {table} WHERE ordinal IN (SELECT ordinal FROM dropped)")
        self._db.execute("COMMIT")
        return len(ordinals)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


class TextWriter:
    """Appends searchable text in batches, one transaction each."""

    def __init__(self, store: Store) -> None:
        self._db = _connect(store.text_path)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert a batch of `(ordinal, id, output, messages, error)`."""
        self._db.execute("BEGIN")
        self._db.executemany(_INSERT_TEXT, rows)
        self._db.execute("COMMIT")

    def copy(self, path: str, first: int, limit: int) -> None:
        """Index the rows of a shard (see `ShardWriter`) numbered from `first`, those
        below `limit`, in one transaction; then delete it."""
        _copy_shard(self._db, path, [(_COPY_TEXT, (first, first, limit))])

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _located(first: int, lines: int | None) -> tuple[str, list[int]]:
    """The location expression of a shard's copy and the parameters its select list
    starts with: ordinals from `first`, and for a range of a JSON Lines file (`lines`:
    the line before it) line numbers made whole."""
    if lines is None:
        return "location", [first]
    return "'line ' || (location + ?)", [first, lines]


def _copy_shard(db: sqlite3.Connection, path: str, copies: list[tuple[str, Sequence[Any]]]) -> None:
    """Run `copies` over an attached shard in one transaction, then delete the shard."""
    db.execute("ATTACH DATABASE ? AS shard", (path,))
    try:
        db.execute("BEGIN")
        for statement, params in copies:
            db.execute(statement, params)
        db.execute("COMMIT")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.execute("DETACH DATABASE shard")
        Path(path).unlink(missing_ok=True)
