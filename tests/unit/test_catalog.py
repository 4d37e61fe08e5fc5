"""Querying a catalog: text search, filters, every sort, stepping, links, sessions, threads."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.catalog import HAS_FTS5, SORTS, Catalog, Entry, Query, Source, open_source, store
from inspector.catalog import catalog as catalog_module
from inspector.errors import LogDecodeError
from tests.support import exports

COUNT = 60
LOGS = exports.make_logs(COUNT)
BROKEN = b'{"id": "data_broken", "config": '
#: The ordinal of the broken record: the last line.
BROKEN_AT = COUNT


def build(tmp_path: Path, *, fts: bool | None = None) -> Catalog:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS) + BROKEN + b"\n")
    catalog = Catalog.open(path) if fts is None else Catalog(_source(path), fts=fts)
    catalog.start()
    assert catalog.wait(timeout=60)
    return catalog


def _source(path: Path) -> Source:
    source = open_source(path)
    assert isinstance(source, Source)
    return source


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    built = build(tmp_path_factory.mktemp("catalog"))
    yield built
    built.close()


def ordinals(entries: list[Entry]) -> list[int]:
    return [entry.ordinal for entry in entries]


def matching(predicate: Callable[[int], bool]) -> set[int]:
    return {index for index in range(COUNT) if predicate(index)}


def found(catalog: Catalog, query: Query) -> set[int]:
    entries = catalog.query(query, limit=10_000)
    assert catalog.count(query) == len(entries)
    return set(ordinals(entries))


def test_everything_is_listed(catalog: Catalog) -> None:
    progress = catalog.progress
    assert progress.done and progress.listed and progress.error is None
    assert progress.indexed == progress.searchable == catalog.total == COUNT + 1
    assert progress.bytes_done == progress.bytes_total and progress.fraction == 1.0
    assert catalog.count() == COUNT + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund", matching(lambda i: i % 5 == 0)),
        ("REFUND", matching(lambda i: i % 5 == 0)),
        ("refu", matching(lambda i: i % 5 == 0)),
        ("ref", matching(lambda i: i % 5 == 0)),
        # Two letters match a whole word, not every word they start (too many on a
        # big source); in a script written without spaces they stay a prefix.
        ("re", set()),
        ("日本", matching(lambda i: i % 5 == 4)),
        ("creme", matching(lambda i: i % 5 == 3)),  # diacritics folded
        ("日本語", matching(lambda i: i % 5 == 4)),
        ("common refund", matching(lambda i: i % 5 == 0)),
        ("common shipping", set()),  # index % 5 == 2 ... is shipping, and never an error
        ("question 12", {12}),
        ("rate limit", matching(lambda i: i % 5 == 4)),
        (exports.log_id(17), {17}),
        ("  ", set(range(COUNT + 1))),
    ],
)
def test_text_search(catalog: Catalog, text: str, expected: set[int]) -> None:
    if text == "common shipping":
        expected = matching(lambda i: i % 5 == 2)
    assert found(catalog, Query(text=text)) == expected


HOSTILE = [
    '"',
    '""',
    "*",
    "refund*",
    "-refund",
    "^refund",
    "OR",
    "AND",
    "NOT refund",
    "refund OR invoice",
    "NEAR(refund invoice)",
    "NEAR(",
    ")(",
    "'; DROP TABLE logs; --",
    "output:refund",
    "{id output}: refund",
    "a\x00b",
    "\x00",
    "🙂",
    "\u202erefund",
    "%",
    "_",
    "\\",
    "x" * 10_000,
    " ".join(["refund"] * 100),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_only_ever_words(catalog: Catalog, text: str) -> None:
    result = found(catalog, Query(text=text))
    assert result <= set(range(COUNT + 1))
    if text in ("refund*", "-refund", "^refund", "\u202erefund"):
        assert result == matching(lambda i: i % 5 == 0)
    if text in ("NOT refund", "refund OR invoice", "NEAR(refund invoice)", "output:refund"):
        assert result == set()  # operators and column filters are searched for as words
    assert catalog.count() == COUNT + 1  # nothing was dropped


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_any_text_query_never_raises(catalog: Catalog, text: str) -> None:
    query = Query(text=text, feedback=text or None, model=text, session_id=text)
    assert catalog.count(Query(text=text)) >= 0
    assert len(catalog.query(Query(text=text), limit=5)) <= 5
    assert catalog.count(query) >= 0


def test_filters(catalog: Catalog) -> None:
    assert found(catalog, Query(model="gpt-4o")) == matching(lambda i: i % 7 != 6 and i % 3 == 0)
    assert found(catalog, Query(status="failed")) == matching(lambda i: i % 5 == 4)
    assert found(catalog, Query(status="invalid")) == {BROKEN_AT}
    errors = matching(lambda i: i % 5 == 4) | {BROKEN_AT}
    assert found(catalog, Query(errors_only=True)) == errors
    assert found(catalog, Query(feedback="good")) == matching(lambda i: i % 3 == 0)
    assert found(catalog, Query(feedback="RATING")) == matching(lambda i: i % 3 == 0)
    assert found(catalog, Query(feedback="issue")) == matching(lambda i: i % 6 == 3)
    assert found(catalog, Query(feedback="missing_det")) == matching(lambda i: i % 6 == 3)
    assert found(catalog, Query(feedback="%")) == set()
    assert found(catalog, Query(feedback="_")) == matching(lambda i: i % 6 == 3)
    assert found(catalog, Query(session_id="sesh_a")) == {0, 1, 2}
    combined = Query(text="refund", model="gpt-4o", feedback="good")
    assert found(catalog, combined) == matching(lambda i: i % 5 == 0 and i % 3 == 0 and i % 7 != 6)
    assert found(catalog, Query(model="no-such-model")) == set()


def test_choices(catalog: Catalog) -> None:
    assert catalog.models() == sorted(exports.MODELS)
    assert catalog.statuses() == ["completed", "failed", "invalid"]
    assert catalog.feedback_types() == ["issue", "rating"]
    assert catalog.count(Query(session_id="sesh_a")) == 3


def test_parent_links(catalog: Catalog) -> None:
    child = catalog.entry(2)
    assert child is not None and child.parent_id == exports.log_id(1)
    assert catalog.ordinal_of(child.parent_id) == 1
    assert catalog.ordinal_of("data_missing") is None
    assert catalog.children(exports.log_id(0)) == [1]
    assert catalog.children(exports.log_id(2)) == []


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@functools.total_ordering
class _Descending:
    """Wraps a value so that sorting puts larger values first."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.value == other.value

    def __lt__(self, other: _Descending) -> bool:
        return bool(self.value > other.value)


def reference(entries: list[Entry], sort: str, descending: bool) -> list[int]:
    """The documented order, in Python: empty values last, ties in source order."""

    def key(entry: Entry) -> tuple[Any, ...]:
        value = getattr(entry, sort)
        if value is None:
            return (1, 0, entry.ordinal)
        if sort == "created_at":
            value = value.timestamp()
        elif isinstance(value, str):
            value = value.translate(_ASCII_LOWER)  # SQLite's NOCASE folds ASCII only
        return (0, _Descending(value) if descending else value, entry.ordinal)

    return ordinals(sorted(entries, key=key))


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort(catalog: Catalog, sort: str, descending: bool) -> None:
    everything = catalog.query(Query(), sort="ordinal", descending=False, limit=10_000)
    listed = catalog.query(Query(), sort=sort, descending=descending, limit=10_000)
    assert ordinals(listed) == reference(everything, sort, descending)
    # Pages put together give the same order.
    pages = [
        catalog.query(Query(), sort=sort, descending=descending, offset=offset, limit=7)
        for offset in range(0, COUNT + 1, 7)
    ]
    assert [entry.ordinal for page in pages for entry in page] == ordinals(listed)


def test_unknown_sort_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="cannot sort by 'cost; DROP'"):
        catalog.query(sort="cost; DROP")


@pytest.mark.parametrize(
    ("query", "sort", "descending"),
    [
        (Query(), "created_at", True),
        (Query(), "cost", False),
        (Query(), "latency", True),
        (Query(), "label", False),
        (Query(), "ordinal", True),
        (Query(model="gpt-4o-mini"), "total_tokens", True),
        (Query(text="refund"), "output", False),
        (Query(errors_only=True), "created_at", False),
    ],
)
def test_neighbours_walk_the_list(
    catalog: Catalog, query: Query, sort: str, descending: bool
) -> None:
    listed = ordinals(catalog.query(query, sort=sort, descending=descending, limit=10_000))
    assert listed
    walked = [listed[0]]
    while (
        step := catalog.neighbours(walked[-1], query, sort=sort, descending=descending)[1]
    ) is not None:
        walked.append(step)
        assert len(walked) <= len(listed)
    assert walked == listed
    back = [listed[-1]]
    while (
        step := catalog.neighbours(back[-1], query, sort=sort, descending=descending)[0]
    ) is not None:
        back.append(step)
        assert len(back) <= len(listed)
    assert back == listed[::-1]
    for index, ordinal in enumerate(listed):
        assert catalog.position(ordinal, query, sort=sort, descending=descending) == index


def test_neighbours_of_a_log_outside_the_list(catalog: Catalog) -> None:
    query = Query(model="gpt-4o")
    listed = ordinals(catalog.query(query, sort="ordinal", descending=False, limit=10_000))
    assert 4 not in listed
    assert catalog.neighbours(4, query, sort="ordinal", descending=False) == (3, 9)
    assert catalog.position(4, query, sort="ordinal", descending=False) is None
    assert catalog.neighbours(10_000, query) == (None, None)


def test_load(catalog: Catalog) -> None:
    document = catalog.load(5)
    assert document.log.id == exports.log_id(5)
    assert document.raw == exports.encode(LOGS[5])
    assert document.source.endswith("export.jsonl line 6")
    with pytest.raises(LogDecodeError, match="line 61: JSON ends early"):
        catalog.load(BROKEN_AT)
    with pytest.raises(KeyError):
        catalog.load(COUNT + 5)


@pytest.mark.skipif(not HAS_FTS5, reason="compares FTS5 with the LIKE fallback")
def test_like_fallback_finds_the_same_words(tmp_path: Path, catalog: Catalog) -> None:
    plain = build(tmp_path, fts=False)
    try:
        for text in ("refund", "rate limit", exports.log_id(17), "shipping invoice", '"', "%"):
            assert found(plain, Query(text=text)) == found(catalog, Query(text=text)), text
        # LIKE matches inside words too (`12` in `q112`), so it finds at least as much.
        assert found(plain, Query(text="question 12")) >= found(catalog, Query(text="question 12"))
        # LIKE does not fold diacritics: the fallback finds the word only as written.
        assert found(plain, Query(text="crème")) == found(catalog, Query(text="creme"))
        assert found(plain, Query(text="100%")) == set()
    finally:
        plain.close()


class _SlowSource(Source):
    """A source whose listing stops after `pause_after` records until released."""

    pause_after: ClassVar[int] = 500
    paused: threading.Event = msgspec.field(default_factory=threading.Event)
    release: threading.Event = msgspec.field(default_factory=threading.Event)

    @classmethod
    def of(cls, source: Source) -> _SlowSource:
        return cls(source.label, source.files, source.data, source.is_folder)

    def records(self) -> Iterator[Any]:
        for number, record in enumerate(super().records()):
            if number == self.pause_after and not self.release.is_set():
                self.paused.set()
                assert self.release.wait(timeout=60)
            yield record


def test_queries_while_indexing_see_rows_so_far(tmp_path: Path) -> None:
    total = 3000
    path = tmp_path / "big.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(total)))
    source = _SlowSource.of(_source(path))
    catalog = Catalog(source)
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                counts.append(catalog.count())
                page = catalog.query(Query(text="common"), sort="cost", limit=50)
                assert len(page) <= 50
                catalog.models()
                catalog.neighbours(0)
        except BaseException as exc:
            errors.append(exc)

    try:
        catalog.start()
        assert source.paused.wait(timeout=60)
        # Listing is held after 500 records: the first committed batch is queryable.
        deadline = time.monotonic() + 30
        while catalog.total == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        partial = catalog.count()
        assert 0 < partial < total
        assert len(catalog.query(limit=200)) == min(200, partial)
        assert not catalog.progress.done
        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        source.release.set()
        assert catalog.wait(timeout=60)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert counts == sorted(counts)  # the list only ever grows
        assert catalog.count() == total
        assert catalog.count(Query(text="common")) == sum(1 for i in range(total) if i % 5 != 4)
    finally:
        stop.set()
        source.release.set()
        catalog.close()


def test_close_during_indexing_stops_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(2000)))
    source = _SlowSource.of(_source(path))
    catalog = Catalog(source)
    folder = catalog._store.folder
    catalog.start()
    assert source.paused.wait(timeout=60)
    source.release.set()
    catalog.close()
    assert not folder.exists()
    with pytest.raises(RuntimeError, match="closed"):
        catalog.count()
    catalog.close()  # twice is fine


def test_a_held_catalog_lists_its_first_page_then_waits_for_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app holds the index back while it draws the first rows (listing would take
    # the GIL, or start worker processes, just then), and releases it once they are drawn.
    monkeypatch.setattr(catalog_module, "HOLD_SECONDS", 60.0)
    path = tmp_path / "logs.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(1000)))
    with Catalog(_source(path), cache=False) as catalog:
        catalog.start(hold=True)
        while catalog.total < 200:
            time.sleep(0.01)
        time.sleep(0.3)
        assert catalog.total == 200 and not catalog.progress.listed
        catalog.release()
        assert catalog.wait(30) and catalog.total == 1000


def test_a_held_catalog_goes_on_by_itself_if_never_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "HOLD_SECONDS", 0.1)
    path = tmp_path / "logs.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(1000)))
    with Catalog(_source(path), cache=False) as catalog:
        catalog.start(hold=True)
        assert catalog.wait(30) and catalog.total == 1000


def test_close_while_the_filter_indexes_are_built_stops_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Building them takes seconds at a million logs; closing (quitting the app) must not
    # wait for them. Here the last one never ends by itself.
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n"
    monkeypatch.setattr(store, "_TOTALS_INDEX", endless)
    path = tmp_path / "logs.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(50)))
    catalog = Catalog(_source(path), cache=False)
    catalog.start()
    assert catalog.wait(30, listed_only=True)
    while catalog._store._building is None:
        time.sleep(0.01)
    closing = threading.Thread(target=catalog.close)
    closing.start()
    closing.join(30)
    assert not closing.is_alive()
    assert catalog.progress.done and catalog.progress.error is None


def test_a_stop_between_two_index_statements_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite drops an interrupt that comes while no statement runs: a close that landed
    # between two CREATE INDEX statements left the next one (here endless) running.
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n"
    monkeypatch.setattr(store, "_TOTALS_INDEX", endless)
    built = store.Store(fts=False)
    writer = store.RowWriter(built)
    writer.close()
    checks = iter([False])  # Not stopped when the build starts; stopped from then on.
    failed: list[BaseException] = []

    def build() -> None:
        try:
            built.index_rows(lambda: next(checks, True))
        except BaseException as exc:
            failed.append(exc)

    builder = threading.Thread(target=build)
    builder.start()
    builder.join(30)
    try:
        assert not builder.is_alive()
        assert [str(exc) for exc in failed] == ["interrupted"]
    finally:
        built.interrupt()
        builder.join()
        built.close()


@pytest.mark.parametrize("fts", [True, False] if HAS_FTS5 else [False])
def test_text_search_finds_project_config_and_file_names(tmp_path: Path, fts: bool) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    for index, name in enumerate(["refund-case.json", "other.json", "third.json"]):
        log = exports.make_log(index)
        log["project"] = "Support Bot" if index == 1 else "Sales"
        log["config"] = {**log["config"], "name": "triage-prompt" if index == 2 else "plain"}
        (folder / name).write_bytes(exports.encode(log))
    catalog = Catalog(_source(folder), fts=fts)
    catalog.start()
    assert catalog.wait(timeout=60)
    try:
        by_id = {entry.ordinal: entry.location for entry in catalog.query(Query(), limit=10)}
        for text, file in [("refund-case", "refund-case.json"), ("support", "other.json"),
                           ("triage", "third.json")]:  # fmt: skip
            hits = found(catalog, Query(text=text))
            assert [by_id[hit] for hit in hits] == [file], text
    finally:
        catalog.close()


def test_a_log_whose_messages_break_the_model_is_still_searched(tmp_path: Path) -> None:
    # A message without its `role`, a tool call without its `id`: the log is listed as
    # partial, and what its messages say is found as in any other log.
    broken = exports.make_log(0)
    broken["messages"] = [{"content": "zebra crossing"}]
    broken["output_message"] = {
        "role": "assistant",
        "tool_calls": [{"function": {"name": "lookup_giraffe", "arguments": "{}"}}],
    }
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl([broken, exports.make_log(1)]))
    with Catalog.open(path) as catalog:
        catalog.start()
        assert catalog.wait(timeout=60)
        assert catalog.entry(0) is not None and catalog.entry(0).status == "partial"  # type: ignore[union-attr]
        assert found(catalog, Query(text="zebra")) == {0}
        assert found(catalog, Query(text="giraffe")) == {0}


def test_an_output_message_is_searched_when_it_says_more_than_the_output(
    tmp_path: Path,
) -> None:
    # The output message is read for its text when there is no `output`, and for the
    # tool calls it made.
    spoken = exports.make_log(0)
    spoken["output"] = None
    spoken["output_message"] = {"role": "assistant", "content": [{"type": "text", "text": "okapi"}]}
    called = exports.make_log(1)
    called["output"] = "walrus"
    called["output_message"] = {
        "role": "assistant",
        "content": "walrus",
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "find_ibex"}}],
    }
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl([spoken, called, exports.make_log(2)]))
    with Catalog(_source(path), cache=False) as catalog:
        catalog.start()
        assert catalog.wait(timeout=60)
        assert found(catalog, Query(text="okapi")) == {0}
        assert found(catalog, Query(text="walrus ibex")) == {1}


def test_lookups_by_parent_and_session_use_their_indexes(tmp_path: Path) -> None:
    # The two indexes hold only the rows that have a value: a lookup by one must still
    # be able to use them (it would scan a million rows otherwise).
    logs = exports.make_logs(3000)
    for index, log in enumerate(logs):
        log["parent_id"] = exports.log_id(index - 1) if index % 10 == 1 else None
        log["session_id"] = f"session-{index // 50}" if index % 7 == 0 else None
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(logs))
    with Catalog(_source(path), cache=False) as catalog:
        catalog.start()
        assert catalog.wait(timeout=60)
        assert catalog.children(exports.log_id(20)) == [21]
        assert catalog.count(Query(session_id="session-1")) == 7
        where = catalog._where(Query(session_id="session-1"))
        asked = {
            "logs_parent": ("SELECT ordinal FROM logs WHERE parent_id = ? ORDER BY ordinal", ["x"]),
            "logs_session": (f"SELECT count(*) FROM logs WHERE {where.clause}", where.params),
        }
        for index, (statement, values) in asked.items():
            plan = catalog._store.read(f"EXPLAIN QUERY PLAN {statement}", values)
            assert any(f"INDEX {index}" in str(step[-1]) for step in plan), plan
