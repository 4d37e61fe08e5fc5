"""`inspector show --format html`: one log as a page, or many on one page under an index.

A source of many logs is read twice, record by record: once for the index (which comes
first on the page), once to write each log's section as it is decoded, so memory stays
flat however many logs the page holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from inspector.catalog import Catalog, Entry, Query
from inspector.catalog.source import Source
from inspector.errors import InspectorError, LogDecodeError
from inspector.model.decode import LogDocument
from inspector.present import words as d
from inspector.present.html import many_page, one_page
from inspector.present.html_page import IndexRow


def write_one_html(doc: LogDocument, out: TextIO) -> None:
    """The page of one log."""
    out.write(one_page(doc))
    out.flush()


def index_rows(source: Source) -> list[IndexRow]:
    """A row of the index per record; an invalid record gets no section to link to."""
    from inspector.cli.show_many import entries

    return [index_row(entry) for entry in entries(source)]


def index_row(entry: Entry) -> IndexRow:
    """The index's row of one log."""
    if entry.invalid:
        status, summary = "INVALID", entry.error or ""
    elif entry.error is not None:
        status, summary = "ERROR", d.first_line(entry.error)
    else:
        status, summary = entry.status, d.first_line(entry.output)
    return IndexRow(
        anchor=None if entry.invalid else f"log-{entry.ordinal}",
        log_id=entry.id if entry.id is not None else f"({entry.location})",
        created=d.format_time(entry.created_at),
        label=entry.label or d.DASH,
        status=status,
        summary=summary[:200],
    )


def write_selected_html(catalog: Catalog, query: Query, out: TextIO) -> None:
    """The logs of an indexed source that match the list's filters, under an index."""
    entries = list(catalog.entries(query))
    rows = [index_row(entry) for entry in entries]
    title = f"{catalog.label}: {len(rows)} logs"

    def documents() -> Iterator[tuple[str, LogDocument]]:
        for entry, row in zip(entries, rows, strict=True):
            if row.anchor is not None:
                try:
                    yield row.anchor, catalog.load(entry.ordinal)
                except InspectorError:
                    continue

    for piece in many_page(title, rows, documents()):
        out.write(piece)
    out.flush()


def _documents(source: Source, rows: list[IndexRow]) -> Iterator[tuple[str, LogDocument]]:
    for row, record in zip(rows, source.records(), strict=False):
        if row.anchor is None:
            continue
        try:
            yield row.anchor, source.decode(record.file, record.data, record.location)
        except LogDecodeError:
            # The index already marks it; the summary pass and the decoder seldom disagree.
            continue


def write_many_html(source: Source, out: TextIO) -> None:
    """Every log of `source` on one page, after an index linking to each."""
    rows = index_rows(source)
    title = f"{source.label}: {len(rows)} logs"
    for piece in many_page(title, rows, _documents(source, rows)):
        out.write(piece)
    out.flush()
