"""Export the logs a query matches: JSON Lines exactly as stored, or CSV of the list's columns.

Logs are written in source order. Each log's bytes are read straight from the source
(one open file per source file, read in order), never decoded, so an export runs at
the speed of the disk and of SQLite paging through the rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, BinaryIO, Final, TextIO

from inspector.catalog.entry import Entry, Query
from inspector.catalog.window import GZIP_ERRORS, open_stream
from inspector.errors import SourceError
from inspector.sanitize import one_line, sanitize

if TYPE_CHECKING:
    from inspector.catalog.catalog import Catalog

#: Called now and then with (logs written, logs to write).
ProgressFn = Callable[[int, int], None]

#: The CSV header: the list's columns, then the error (raw values, not formatted).
CSV_COLUMNS: Final = (
    "id",
    "created",
    "model",
    "status",
    "tokens",
    "cost",
    "latency",
    "output",
    "error",
)
#: Export formats, by file name extension.
EXTENSIONS: Final = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_EVERY: Final = 1000
_CHANGED: Final = "the file changed since it was opened; open it again"
#: Inside JSON only strings can hold these; as `\\u` escapes the JSON means the same.
_UNSAFE_IN_JSON: Final = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def format_for(path: str) -> str | None:
    """`jsonl` or `csv` for a file name by its extension; None for any other."""
    lower = path.lower()
    for extension, fmt in EXTENSIONS.items():
        if lower.endswith(extension):
            return fmt
    return None


def csv_row(entry: Entry) -> list[str]:
    """One log as CSV cells: raw values, text sanitised (a CSV can land on a terminal)."""
    return [
        sanitize(entry.id or ""),
        entry.created_at.isoformat() if entry.created_at else "",
        sanitize(entry.label),
        "invalid" if entry.invalid else sanitize(entry.status),
        "" if entry.total_tokens is None else str(entry.total_tokens),
        "" if entry.cost is None else repr(entry.cost),
        "" if entry.latency is None else repr(entry.latency),
        sanitize(entry.output),
        sanitize(entry.error or ""),
    ]


def write_csv(
    catalog: Catalog, query: Query, out: TextIO, progress: ProgressFn | None = None
) -> int:
    """Write a header and one row per matching log; return the number of logs."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    total = catalog.count(query) if progress else 0
    written = 0
    for entry in catalog.entries(query):
        writer.writerow(csv_row(entry))
        written += 1
        if progress and written % _EVERY == 0:
            progress(written, total)
    if progress:
        progress(written, total)
    return written


def one_line_json(data: bytes, *, escape: bool = False) -> bytes:
    """A stored log on one line: newlines dropped (in JSON they can only be whitespace).

    `escape` writes DEL, C1 controls and bidi marks as `\\u` escapes, for a terminal.
    """
    data = data.strip()
    if b"\n" in data or b"\r" in data:
        data = data.replace(b"\r", b"").replace(b"\n", b"")
    if escape:
        text = data.decode("utf-8", "replace")
        data = _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text).encode()
    return data


def write_jsonl(
    catalog: Catalog,
    query: Query,
    out: BinaryIO,
    progress: ProgressFn | None = None,
    *,
    escape: bool = False,
) -> int:
    """Write every matching log exactly as stored, one per line; return how many."""
    source = catalog.source
    total = catalog.count(query) if progress else 0
    written = 0
    try:
        with ExitStack() as stack:
            # One stream per file, read forward in source order (a gzip file inflates once).
            streams: dict[int, IO[bytes]] = {}
            for entry in catalog.entries(query):
                file = source.files[entry.file]
                offset, length = catalog.span(entry)
                if file.path is None:
                    assert source.data is not None
                    data = source.data[offset : offset + length]
                else:
                    stream = streams.get(entry.file)
                    if stream is None:
                        stream = stack.enter_context(open_stream(file.path, 1 << 20))[0]
                        streams[entry.file] = stream
                    stream.seek(offset)
                    data = stream.read(length)
                    if len(data) != length:
                        raise SourceError(f"{one_line(file.name, 200)}: {_CHANGED}")
                out.write(one_line_json(data, escape=escape) + b"\n")
                written += 1
                if progress and written % _EVERY == 0:
                    progress(written, total)
    except GZIP_ERRORS:
        raise SourceError(f"{one_line(source.label, 200)}: {_CHANGED}") from None
    if progress:
        progress(written, total)
    return written
