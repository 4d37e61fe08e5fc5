"""Many logs from one file, folder or stdin: detected, indexed in the background, queried fast.

The core of the list screen, free of Textual::

    opened = open_source(path)         # or bytes read from stdin; raises SourceError /
    if isinstance(opened, LogDocument):  # LogDecodeError with one line for bad shapes
        ...                            # one log: open the single-log inspector
    catalog = Catalog(opened)
    catalog.start()                    # returns at once; indexing runs in a thread
    catalog.progress                   # Progress(indexed, searchable, bytes_done, ...)
    page = catalog.query(Query(text="refund", model="gpt-4o"), sort="cost", limit=200)
    catalog.count(Query(errors_only=True))
    document = catalog.load(page[0].ordinal)   # LogDocument from the exact stored bytes
    previous, following = catalog.neighbours(page[0].ordinal, query, sort="cost")
    catalog.close()                    # stops indexing, deletes the temporary database

Every query method is safe to call from any thread while indexing runs, and sees the
logs indexed so far. Logs are named by their `ordinal`, their position in the source.
A big source is listed by worker processes (`parallel`) in two passes: every log's place,
id and time first (the list in time order is complete then, `Progress.listed`), then the
rows that filters, other orders and totals read (`Progress.complete`). Its finished index
is kept in the user's cache folder and reused while the source is unchanged (`cache`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspector.catalog.catalog import Catalog
    from inspector.catalog.entry import SORTS, Entry, Progress, Query, SingleLog, from_places
    from inspector.catalog.source import Source, open_source
    from inspector.catalog.store import HAS_FTS5

__all__ = [
    "HAS_FTS5",
    "SORTS",
    "Catalog",
    "Entry",
    "Progress",
    "Query",
    "SingleLog",
    "Source",
    "from_places",
    "open_source",
]

#: Where each name lives. Imported on first use, so that opening one log (which needs
#: only `source`) never imports the index, SQLite and the worker processes (first
#: paint), and a worker process, which imports this package for its task (`work`), does
#: not load the whole catalog with it.
_HOMES = {
    "Catalog": "catalog",
    "SORTS": "entry",
    "Entry": "entry",
    "Progress": "entry",
    "Query": "entry",
    "SingleLog": "entry",
    "from_places": "entry",
    "Source": "source",
    "open_source": "source",
    "HAS_FTS5": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
