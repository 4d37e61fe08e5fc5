"""Pages sorted by a column of the totals index are sorted in it (`Catalog._by_totals`).

Over a million logs, sorting by cost read every row of the table; the page's ordinals
are now found in the narrow totals index and only their rows read. These tests hold
every such page to the page the table itself gives, and check which way it is read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector.catalog import Catalog, Query
from inspector.catalog.entry import SORTS
from inspector.catalog.store import TOTALS_INDEX
from tests.support import exports

COUNT = 400


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    path = tmp_path_factory.mktemp("sorted") / "export.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(COUNT)))
    built = Catalog.open(path)
    built.start()
    assert built.wait(timeout=60)
    yield built
    built.close()


QUERIES = [
    Query(),
    Query(model="gpt-4o"),
    Query(status="completed"),
    Query(errors_only=True),
    Query(since=datetime(2024, 9, 20, 11, 30, tzinfo=UTC).timestamp()),
]


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_page_is_the_one_the_table_gives(
    catalog: Catalog, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = [
        (query, descending, offset)
        for query in QUERIES
        for descending in (True, False)
        for offset in (0, 7, COUNT - 5)
    ]
    pages = [
        catalog.query(query, sort=sort, descending=descending, offset=offset, limit=20)
        for query, descending, offset in asked
    ]
    monkeypatch.setattr(catalog, "_by_totals", lambda query, sort: False)
    for (query, descending, offset), page in zip(asked, pages, strict=True):
        plain = catalog.query(query, sort=sort, descending=descending, offset=offset, limit=20)
        assert page == plain, (query, descending, offset)
    assert any(pages)


def _statements(catalog: Catalog, query: Query, sort: str) -> list[str]:
    ran: list[str] = []
    connection = catalog._store._reader.connection
    connection.set_trace_callback(ran.append)
    try:
        catalog.query(query, sort=sort)
    finally:
        connection.set_trace_callback(None)
    return ran


@pytest.mark.parametrize(
    ("query", "sort", "narrow"),
    [
        (Query(), "cost", True),
        (Query(model="gpt-4o", errors_only=True), "latency", True),
        (Query(), "created_at", False),  # Its own index, newest first.
        (Query(), "id", False),  # Not in the totals index.
        (Query(text="refund"), "cost", False),  # Each index entry would be a lookup.
        (Query(session_id="sesh_a"), "cost", False),
    ],
)
def test_the_totals_index_is_asked_where_it_holds_the_order_and_filters(
    catalog: Catalog, query: Query, sort: str, narrow: bool
) -> None:
    asked = " ".join(_statements(catalog, query, sort))
    assert (f"INDEXED BY {TOTALS_INDEX}" in asked) is narrow


def test_a_page_before_the_indexes_are_made_reads_the_table(tmp_path: Path) -> None:
    with exports.listed(tmp_path, 30) as listed:
        # As if indexing stopped before the rows' indexes were made.
        with closing(sqlite3.connect(listed._store.rows_path)) as writer:
            writer.execute(f"DROP INDEX {TOTALS_INDEX}")
            writer.commit()
        page = listed.query(sort="cost", limit=5)
        assert len(page) == 5
        assert "INDEXED BY" not in " ".join(_statements(listed, Query(), "cost"))
