"""Queries given up by their caller: a filter typed past stops, and holds up nothing after it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from inspector.catalog import Catalog, Query
from inspector.catalog.store import Cancelled, Store, TextPart, Ticket, asking
from inspector.open.many import CatalogList
from tests.support import exports

#: A statement that runs for a minute or so unless it is interrupted.
LONG = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000000)"
    " SELECT count(*) FROM c"
)
COUNT = 40


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(COUNT)))
    built = Catalog.open(path)
    built.start()
    assert built.wait(60)
    yield built
    built.close()


def _in_thread(call: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, raised


def _wait(check: Callable[[], bool]) -> None:
    for _ in range(1000):
        if check():
            return
        time.sleep(0.01)
    raise AssertionError("never happened")


def _long_list_read(store: Store, ticket: Ticket) -> tuple[threading.Thread, list[BaseException]]:
    """A read on the list's reader that runs until `ticket` is cancelled, started and
    running when this returns."""

    def long_read() -> None:
        with asking(ticket):
            store.read(LONG)

    running = _in_thread(long_read)
    _wait(lambda: store._reader.running is ticket)
    return running


def test_a_query_given_up_while_it_runs_stops(catalog: Catalog) -> None:
    store, ticket = catalog._store, Ticket()
    thread, raised = _long_list_read(store, ticket)
    ticket.cancel()
    thread.join(10)
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], Cancelled)
    # Giving it up ended with it: the next queries, of anyone, run.
    assert catalog.count() == COUNT
    with asking(Ticket()):
        assert catalog.count(Query(text="question")) == COUNT


def test_a_query_given_up_while_it_waits_never_runs(catalog: Catalog) -> None:
    store, ticket = catalog._store, Ticket()
    ran: list[str] = []
    store._reader.connection.set_trace_callback(ran.append)
    try:
        with store._reader.lock:  # Another caller's query, running meanwhile.

            def count() -> None:
                with asking(ticket):
                    catalog.count(Query(text="question"))

            thread, raised = _in_thread(count)
            ticket.cancel()
        thread.join(10)
        assert len(raised) == 1 and isinstance(raised[0], Cancelled)
        assert ran == []
    finally:
        store._reader.connection.set_trace_callback(None)
    assert catalog.count(Query(text="question")) == COUNT


async def test_the_list_gives_up_the_queries_of_a_filter_typed_past(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list screen's rows worker is replaced when the filter changes: the count it
    was waiting for stops, instead of holding the reader until it is done."""
    store = catalog._store
    monkeypatch.setattr(catalog, "count", lambda query: store.read(LONG)[0][0])
    listed = CatalogList(catalog, "export.jsonl")
    task = asyncio.create_task(listed.count(Query(text="an"), lambda _: None))
    for _ in range(1000):
        if store._reader.running is not None:
            break
        await asyncio.sleep(0.01)
    assert store._reader.running is not None
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(1000):
        if store._reader.running is None:
            break
        await asyncio.sleep(0.01)
    assert store._reader.running is None
    monkeypatch.undo()
    assert await listed.count(Query(), lambda _: None) == COUNT


def test_the_list_reads_while_the_totals_are_counted(catalog: Catalog) -> None:
    """The totals read on a reader of their own: at a million logs they take seconds,
    and a page of the list (End, a scroll) must not wait for them."""
    store, ticket = catalog._store, Ticket()

    def long_totals() -> None:
        with asking(ticket), store.together() as reads:
            reads.rows(LONG)

    thread, raised = _in_thread(long_totals)
    _wait(lambda: store._side is not None and store._side.running is ticket)
    side = store._side
    assert side is not None
    try:
        assert catalog.count() == COUNT
        assert len(catalog.query(Query(text="question"), limit=5)) == 5
        assert side.running is ticket  # The totals are still being counted.
    finally:
        ticket.cancel()
        thread.join(10)
    assert len(raised) == 1 and isinstance(raised[0], Cancelled)
    # The totals' reader is free again, and sees what the list sees.
    assert catalog.stats(Query(text="question")).totals.count == COUNT


def test_the_totals_of_a_text_filter_are_counted_while_the_list_reads(
    catalog: Catalog,
) -> None:
    """The other way round: a long read of the list (a wide filter's page at a million
    logs) holds the list's reader, and the totals, words of their filter included, are
    read on their own meanwhile."""
    store, ticket = catalog._store, Ticket()
    thread, raised = _long_list_read(store, ticket)
    try:
        counted: list[int] = []
        totals, failed = _in_thread(
            lambda: counted.append(catalog.stats(Query(text="question")).totals.count)
        )
        totals.join(10)
        assert counted == [COUNT] and not failed
        assert store._reader.running is ticket  # The list's read is still running.
    finally:
        ticket.cancel()
        thread.join(10)
    assert len(raised) == 1 and isinstance(raised[0], Cancelled)


def test_a_text_part_added_later_is_searched_by_the_totals_too(tmp_path: Path) -> None:
    """A worker's part of the text index arrives while the list is open: the totals'
    reader, opened before it, must search it as the list's reader does."""
    store = Store()
    try:
        with store.together() as reads:  # The totals' reader, opened now.
            assert reads.rows("SELECT count(*) FROM logs") == [(0,)]
        part = TextPart(str(tmp_path / "text-part.db"))
        part.begin()
        part.write([(0, "data_late", "a late answer", "", "")], first=7, limit=100)
        part.commit()
        part.close()
        store.add_text(tmp_path / "text-part.db")
        asked = " UNION ALL ".join(
            f"SELECT rowid FROM {name}.search WHERE search MATCH ?" for name in store.text_schemas
        )
        params = ['"late"'] * len(store.text_schemas)
        assert store.read(asked, params) == [(7,)]
        with store.together() as reads:
            assert reads.rows(asked, params) == [(7,)]
    finally:
        store.close()
