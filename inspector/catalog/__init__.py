"""Many logs from one file, folder or stdin: detected, indexed in the background, queried fast.

The core of the list screen, free of Textual. Typical use::

    opened = open_source(path)            # a LogDocument when the file holds one log
    if isinstance(opened, Source):
        catalog = Catalog(opened)
        catalog.start()                   # indexing runs in background threads
        page = catalog.query(Query(text="refund"), sort="cost")
        document = catalog.load(page[0].ordinal)
        catalog.close()
"""

from inspector.catalog.catalog import Catalog, SingleLog
from inspector.catalog.entry import SORTS, Entry, Progress, Query
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
    "open_source",
]
