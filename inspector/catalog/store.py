"""The catalog's SQLite files: rows in one database, the text index in another, in a temp folder.

Two files so that two threads can write at once (SQLite allows one writer per file):
listing rows is quick and Python-bound, indexing text is slow and runs in SQLite's C
code with the GIL released. Both use WAL, so readers on another connection see every
committed batch without waiting for, or blocking, the writers. The data is scratch:
`synchronous=OFF` skips fsyncs, and the folder is deleted on `close`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Final

from inspector.catalog.entry import COLUMNS
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
    "offset": "INTEGER NOT NULL",
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
_ROWS_SCHEMA: Final = (
    "CREATE TABLE logs ("
    + ", ".join(f'"{name}" {_TYPES.get(name, "TEXT")}' for name in COLUMNS)
    + ");\nCREATE TABLE feedback (ordinal INTEGER NOT NULL, type TEXT NOT NULL,"
    " value TEXT NOT NULL);"
)
#: Made once every row is in: keeping them up to date during the bulk insert costs more.
#: None on sort columns: `ORDER BY (x IS NULL), x, ordinal` cannot use one, and sorting
#: 100,000 rows takes SQLite about 30 ms.
_INDEXES: Final = (
    "CREATE INDEX logs_id ON logs(id)",
    "CREATE INDEX logs_parent ON logs(parent_id)",
    "CREATE INDEX logs_session ON logs(session_id)",
    "CREATE INDEX logs_model ON logs(model)",
    "CREATE INDEX logs_status ON logs(status)",
    "CREATE INDEX feedback_ordinal ON feedback(ordinal)",
)
#: Covers every column `stats.compute` reads, grouped and ordered as it asks for them.
_TOTALS_INDEX: Final = (
    "CREATE INDEX IF NOT EXISTS logs_totals"
    " ON logs(label, latency, error, prompt_tokens, output_tokens, cost, model, status, created_ts)"
)
#: The tokenizer of the text index, and of the queries run on it (they must agree).
_TOKENIZER: Final = "unicode61"
# Contentless (`content=''`): the index keeps no copy of the text, which the source
# has. `detail=none`: it keeps which logs hold a word but not where; measured on
# 100,000 logs this builds in 2/3 of the time at 1/4 of the size, and a short prefix
# (`an*`) is found 5x faster. Phrases are not possible, and not offered.
_FTS_SCHEMA: Final = (
    "CREATE VIRTUAL TABLE search USING fts5(id, output, messages, error,"
    f" content='', detail=none, tokenize='{_TOKENIZER}')"
)
_PLAIN_SCHEMA: Final = (
    "CREATE TABLE search (rowid INTEGER PRIMARY KEY, id, output, messages, error)"
)
_INSERT_ROW: Final = f"INSERT INTO logs VALUES ({', '.join('?' * len(COLUMNS))})"
_INSERT_FEEDBACK: Final = "INSERT INTO feedback VALUES (?, ?, ?)"
_INSERT_TEXT: Final = (
    "INSERT INTO search (rowid, id, output, messages, error) VALUES (?, ?, ?, ?, ?)"
)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA temp_store=MEMORY")
    connection.execute("PRAGMA cache_size=-16000")
    return connection


def _immutable_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _connect_immutable(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        _immutable_uri(path), uri=True, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA query_only=1")
    connection.execute("PRAGMA cache_size=-16000")
    return connection


class Store:
    """The two database files of one catalog, a connection for readers, and a lock for it."""

    def __init__(self, *, fts: bool = HAS_FTS5, cached: tuple[Path, Path] | None = None) -> None:
        #: Whether text search uses FTS5 (else LIKE over a plain table; for tests too).
        self.fts = fts
        #: A folder of scratch files, deleted on `close`; None when reading a cache entry.
        self.folder: Path | None = None
        self._scratch: Scratch | None = None
        if cached is not None:
            # A finished index from the cache: opened read-only as immutable files (no
            # journal, no locks), so a later `inspector cache clear` cannot disturb it.
            self.rows_path, self.text_path = cached
            self._reader = _connect_immutable(self.rows_path)
            self._reader.execute("ATTACH DATABASE ? AS textdb", (_immutable_uri(self.text_path),))
        else:
            # Locked by this process, and swept by a later run if this one is killed.
            self._scratch = Scratch()
            self.folder = self._scratch.folder
            self.rows_path = self.folder / "rows.db"
            self.text_path = self.folder / "text.db"
            self._create()
            self._reader = _connect(self.rows_path)
            self._reader.execute("PRAGMA query_only=1")
            self._reader.execute("ATTACH DATABASE ? AS textdb", (str(self.text_path),))
        # One reader connection shared by every calling thread, one query at a time.
        self._lock = threading.Lock()
        self._closed = False
        self._tokenizer = _Tokenizer() if fts else None

    def _create(self) -> None:
        text_schema = _FTS_SCHEMA if self.fts else _PLAIN_SCHEMA
        for path, schema in ((self.rows_path, _ROWS_SCHEMA), (self.text_path, text_schema)):
            with _connect(path) as setup:
                setup.execute("PRAGMA journal_mode=WAL")
                setup.executescript(schema)
            setup.close()

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a SELECT on the rows indexed so far (safe from any thread)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the catalog is closed")
            rows: list[tuple[Any, ...]] = self._reader.execute(sql, params).fetchall()
            return rows

    def terms(self, text: str) -> list[str] | None:
        """The words of `text` as the text index sees them; None without FTS5."""
        if self._tokenizer is None:
            return None
        with self._lock:
            if self._closed:
                raise RuntimeError("the catalog is closed")
            return self._tokenizer.terms(text)

    def index_totals(self) -> None:
        """Add the index that lets totals read narrow index rows instead of the table.

        Made once every row is listed (the list is usable before it exists): with it,
        totals over 100,000 logs take 0.1 s instead of 0.7 s.
        """
        with closing(_connect(self.rows_path)) as db:
            db.execute(_TOTALS_INDEX)
            db.execute("ANALYZE logs")

    def close(self) -> None:
        """Close the reader and delete the database files (writers must be closed first)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._reader.close()
                if self._tokenizer is not None:
                    self._tokenizer.close()
        if self._scratch is not None:
            self._scratch.remove()


class _Tokenizer:
    """Splits query text into terms with the very tokenizer of the index.

    A query term that the index's tokenizer would split in two becomes a phrase, which
    `detail=none` refuses with an error; guessing SQLite's notion of a word in Python
    would get some characters wrong. Asking SQLite cannot.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE words USING fts5(text, tokenize='{_TOKENIZER}')")
        self._db.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
        self._last: tuple[str, list[str]] = ("", [])

    def terms(self, text: str) -> list[str]:
        """The terms of `text` in order, case-folded, as the index stores them."""
        if text == self._last[0]:
            return list(self._last[1])
        with self._db:
            self._db.execute("DELETE FROM words")
            self._db.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", (text,))
            found = [row[0] for row in self._db.execute("SELECT term FROM terms ORDER BY offset")]
        self._last = (text, found)
        return list(found)

    def close(self) -> None:
        """Close the in-memory database."""
        self._db.close()


class RowWriter:
    """Appends rows and feedback in batches, one transaction each; then builds indexes."""

    def __init__(self, store: Store) -> None:
        self._db = _connect(store.rows_path)

    def write(self, rows: list[tuple[Any, ...]], feedback: list[tuple[int, str, str]]) -> None:
        """Insert a batch; readers see it once this returns."""
        self._db.execute("BEGIN")
        self._db.executemany(_INSERT_ROW, rows)
        self._db.executemany(_INSERT_FEEDBACK, feedback)
        self._db.execute("COMMIT")

    def finish(self) -> None:
        """Create the indexes that make filters and `ordinal_of` fast on big sources."""
        self._db.execute("BEGIN")
        for statement in _INDEXES:
            self._db.execute(statement)
        self._db.execute("COMMIT")
        self._db.execute("ANALYZE")

    def drop(self, ordinals: list[int]) -> int:
        """Delete these rows and their feedback (copies of a log listed once already)."""
        if not ordinals:
            return 0
        params = [(ordinal,) for ordinal in ordinals]
        self._db.execute("BEGIN")
        self._db.executemany("DELETE FROM logs WHERE ordinal = ?", params)
        self._db.executemany("DELETE FROM feedback WHERE ordinal = ?", params)
        self._db.execute("COMMIT")
        return len(ordinals)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


class TextWriter:
    """Appends searchable text in batches, one transaction each."""

    def __init__(self, store: Store) -> None:
        self._db = _connect(store.text_path)

    def write(self, rows: list[tuple[int, str, str, str, str]]) -> None:
        """Insert a batch of `(ordinal, id, output, messages, error)`."""
        self._db.execute("BEGIN")
        self._db.executemany(_INSERT_TEXT, rows)
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
