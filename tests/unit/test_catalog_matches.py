"""A text filter on a finished index: its matches are gathered once, and every read of
the list (count, pages, position, neighbours, totals, export) answers as if each had
asked the text index itself."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from inspector.catalog import Catalog, Query
from inspector.catalog.store import Cancelled, Ticket, asking
from tests.support import exports
from tests.support.passes import small_slices

T = TypeVar("T")
COUNT = 60
#: Logs that appear twice in the export (the copies are dropped from the list).
REPEATED = (3, 17, 42)
QUERIES = [
    Query(text="common"),
    Query(text="refund"),
    Query(text="ref"),  # a prefix
    Query(text="question 7"),
    Query(text="common", model="gpt-4o"),
    Query(text="common", errors_only=True),
    Query(text="rate"),  # errors only
    Query(text="日本"),
    Query(text="nowhere"),
]


@pytest.fixture(scope="module", params=["jsonl", "folder"])
def catalog(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Catalog]:
    """The logs with copies and a broken record: as one JSON Lines file read in the
    calling thread, or as a folder of list pages read by two workers in two passes
    (each worker's text in an index of its own)."""
    logs = exports.make_logs(COUNT)
    records = [*logs, *(logs[index] for index in REPEATED)]
    folder = tmp_path_factory.mktemp("matches")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "jsonl":
            lines = exports.jsonl(records).splitlines()
            lines.insert(10, b'{"id": "data_cut", "messages": [')  # does not decode
            path = folder / "export.jsonl"
            path.write_bytes(b"\n".join(lines) + b"\n")
        else:
            small_slices.__wrapped__(patch)  # type: ignore[attr-defined]
            for number in range(0, len(records), 10):
                page = exports.page(records[number : number + 10])
                (folder / f"page-{number // 10:03d}.json").write_bytes(page)
            path = folder
        built = Catalog.open(path)
        built.start()
        assert built.wait(60)
    assert built.progress.error is None
    assert built._two_pass == (request.param == "folder")
    assert (len(built._store.text_paths) > 1) == (request.param == "folder")
    yield built
    built.close()


def _asking_each_time(catalog: Catalog, call: Callable[[], T]) -> T:
    """`call` as a catalog still indexing answers it: every read asks the text index."""
    finished = catalog._finished
    catalog._finished = threading.Event()
    try:
        return call()
    finally:
        catalog._finished = finished


def _reads(catalog: Catalog, query: Query, sort: str) -> dict[str, object]:
    rows = catalog.query(query, sort=sort, limit=7)
    later = catalog.query(query, sort=sort, offset=5, limit=100)
    ordinals = [entry.ordinal for entry in later]
    probe = ordinals[len(ordinals) // 2] if ordinals else 0
    return {
        "count": catalog.count(query),
        "first page": [entry.ordinal for entry in rows],
        "later page": ordinals,
        "position": catalog.position(probe, query, sort=sort),
        "position of another": catalog.position(probe + 1, query, sort=sort),
        "neighbours": catalog.neighbours(probe, query, sort=sort),
        "totals": catalog.stats(query),
        "entries": [entry.ordinal for entry in catalog.entries(query)],
    }


@pytest.mark.parametrize("sort", ["created_at", "cost", "ordinal"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda query: query.text)
def test_every_read_answers_as_when_each_asks_the_text_index(
    catalog: Catalog, query: Query, sort: str
) -> None:
    asked = _asking_each_time(catalog, lambda: _reads(catalog, query, sort))
    assert _reads(catalog, query, sort) == asked


def test_the_matches_leave_out_copies_and_what_does_not_match(catalog: Catalog) -> None:
    # Every log without an error has `common` in its output; its copies are not counted.
    with_output = [index for index in range(COUNT) if index % 5 != 4]
    assert catalog.count(Query(text="common")) == len(with_output)
    assert catalog.count(Query(text="nowhere")) == 0
    assert catalog.count(Query(text="refund")) == len(range(0, COUNT, 5))


def test_the_text_index_is_asked_once_for_all_the_reads_of_one_filter(catalog: Catalog) -> None:
    store = catalog._store
    statements: list[str] = []
    store._reader.connection.set_trace_callback(statements.append)
    try:
        _reads(catalog, Query(text="invoice"), "created_at")
        _reads(catalog, Query(text="invoice", model="gpt-4o-mini"), "cost")
        asked = [statement for statement in statements if "MATCH" in statement]
        assert len(asked) == 1
        # Another filter asks again, and so does the first one after it.
        assert catalog.count(Query(text="shipping")) == len(range(2, COUNT, 5))
        assert catalog.count(Query(text="invoice")) == len(range(1, COUNT, 5))
        assert len([statement for statement in statements if "MATCH" in statement]) == 3
    finally:
        store._reader.connection.set_trace_callback(None)


def test_matches_given_up_while_gathered_are_gathered_again(catalog: Catalog) -> None:
    store, ticket = catalog._store, Ticket()
    catalog.count(Query(text="common"))  # Some other filter's matches are held.

    def give_up_when_gathering(statement: str) -> None:
        if statement.startswith("INSERT INTO temp.matched"):
            ticket.cancel()

    # Asked at every step, so that the gathering is stopped as it starts.
    store._reader.connection.set_progress_handler(store._reader.given_up, 1)
    store._reader.connection.set_trace_callback(give_up_when_gathering)
    try:
        with asking(ticket), pytest.raises(Cancelled):
            catalog.count(Query(text="refund"))
    finally:
        store._reader.connection.set_trace_callback(None)
    # Neither the filter before nor the one given up takes the half-filled table as theirs.
    assert catalog.count(Query(text="common")) == len([i for i in range(COUNT) if i % 5 != 4])
    assert catalog.count(Query(text="refund")) == len(range(0, COUNT, 5))
    # The reader is still unable to write to the index.
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store._reader.connection.execute("CREATE TABLE main.written (x)")


def test_two_threads_filtering_by_turns_each_get_their_own_matches(catalog: Catalog) -> None:
    expected = {word: catalog.count(Query(text=word)) for word in ("refund", "invoice", "shipping")}
    wrong: list[tuple[str, int]] = []

    def filter_by(word: str) -> None:
        for _ in range(40):
            found = catalog.count(Query(text=word))
            if found != expected[word]:
                wrong.append((word, found))

    threads = [threading.Thread(target=filter_by, args=(word,)) for word in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert wrong == []


def test_a_page_newest_first_is_read_off_the_index_when_most_logs_match(tmp_path: Path) -> None:
    """At a million logs, sorting every match for a page took 0.3-0.4 s, each page, and
    3-4 s for the last page of a word in half of them."""
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(3000)))
    rare = exports.log_id(7)
    with Catalog.open(path) as catalog:
        catalog.start()
        assert catalog.wait(60)
        store = catalog._store
        statements: list[str] = []
        store._reader.connection.set_trace_callback(statements.append)
        try:
            pages = {
                text: catalog.query(Query(text=text), limit=200) for text in ("", "common", rare)
            }
            # The last page of the 2,400 logs with `common`: one pass over the index.
            last = catalog.query(Query(text="common"), offset=2300, limit=200)
        finally:
            store._reader.connection.set_trace_callback(None)
        paged = [statement for statement in statements if " FROM logs " in statement]
        assert len(paged) == 4 and "INDEXED BY logs_created" in paged[-1]
        plans = {
            text: " ".join(str(step[-1]) for step in store.read(f"EXPLAIN QUERY PLAN {statement}"))
            for text, statement in zip(pages, paged[:3], strict=True)
        }
        # With no filter SQLite takes the index itself; a word in 80 % of the logs walks
        # it; a word in one log is looked up (the walk would pass every row to find it).
        assert "INDEX logs_created" in plans[""]
        assert "INDEX logs_created" in plans["common"]
        assert "INDEX logs_created" not in plans[rare]
        assert len(pages[rare]) == 1
        for page, offset in ((pages["common"], 0), (last, 2300)):
            assert [entry.ordinal for entry in page] == _asking_each_time(
                catalog,
                lambda offset=offset: [
                    entry.ordinal
                    for entry in catalog.query(Query(text="common"), offset=offset, limit=200)
                ],
            )
        assert len(last) == 100
