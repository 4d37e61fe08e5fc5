"""Totals whose latency percentiles are read off the totals index by rank (`stats._ranked`).

Over many logs the percentiles are not computed in Python but read with `LIMIT 1
OFFSET k` from the index of latencies by group, and the one over every group from a
window between the groups' own. These tests hold that to a count in Python, for any
mix of groups, ties, missing latencies and filters, and to the path that reads every
latency (`streamed`).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.catalog import Catalog, Query, stats
from inspector.catalog.entry import COLUMNS
from inspector.catalog.stats import compute
from inspector.catalog.store import _ROWS_SCHEMA, _TOTALS_INDEX, Reads
from tests.support import exports

LATENCY = st.one_of(
    st.none(),
    st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.5]),  # ties across and within groups
    st.floats(min_value=-10.0, max_value=1e6, allow_nan=False),
)
ROW = st.tuples(
    st.sampled_from(["gpt-4o", "claude", "b", ""]),  # label
    LATENCY,
    st.booleans(),  # has an error
    st.one_of(st.none(), st.integers(0, 10_000)),  # prompt tokens
    st.sampled_from(["gpt-4o", "gpt-4o-mini", None]),  # model
    st.integers(0, 100),  # created_ts
)
#: A filter on the rows (`sql.where`'s kinds that the totals index covers), and its test.
FILTERS: list[tuple[str, list[Any], Any]] = [
    ("1", [], lambda row: True),
    ("model = ?", ["gpt-4o"], lambda row: row[4] == "gpt-4o"),
    ("error IS NOT NULL", [], lambda row: row[2]),
    ("created_ts >= ?", [50], lambda row: row[5] >= 50),
]


def new_database() -> sqlite3.Connection:
    """The catalog's table of rows, with its totals index, in memory."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(_ROWS_SCHEMA)
    connection.execute(_TOTALS_INDEX)
    return connection


@pytest.fixture
def database() -> Iterator[sqlite3.Connection]:
    connection = new_database()
    yield connection
    connection.close()


def fill(connection: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    connection.execute("DELETE FROM logs")
    place = {name: index for index, name in enumerate(COLUMNS)}
    for ordinal, (label, latency, error, prompt, model, created) in enumerate(rows):
        values: list[Any] = [None] * len(COLUMNS)
        for required in ("file", "length", "invalid", "feedback_count", "evaluation_count"):
            values[place[required]] = 0
        values[place["location"]] = f"line {ordinal + 1}"
        values[place["status"]] = "complete"
        values[place["ordinal"]] = ordinal
        values[place["label"]] = label
        values[place["latency"]] = latency
        values[place["error"]] = "failed" if error else None
        values[place["prompt_tokens"]] = prompt
        values[place["model"]] = model
        values[place["created_ts"]] = created
        values[place["cost"]] = 0.25 if prompt is not None else None
        connection.execute(f"INSERT INTO logs VALUES ({', '.join('?' * len(COLUMNS))})", values)


def nearest_rank(values: list[float], share: int) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(share * len(ordered) / 100)) - 1]


def in_python(rows: list[tuple[Any, ...]]) -> dict[str | None, tuple[Any, ...]]:
    """Each group's count, errors, prompt tokens and latency p50, p95 and max; and all's."""
    groups: dict[str | None, list[tuple[Any, ...]]] = {None: rows}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    found = {}
    for name, members in groups.items():
        latencies = [row[1] for row in members if row[1] is not None]
        prompts = [row[3] for row in members if row[3] is not None]
        found[name] = (
            len(members),
            sum(row[2] for row in members),
            sum(prompts) if prompts else None,
            nearest_rank(latencies, 50),
            nearest_rank(latencies, 95),
            max(latencies) if latencies else None,
        )
    return found


def as_found(result: stats.Stats) -> dict[str | None, tuple[Any, ...]]:
    found = {}
    for totals in [result.totals, *result.by_model]:
        found[totals.model] = (
            totals.count,
            totals.errors,
            totals.prompt_tokens,
            totals.p50,
            totals.p95,
            totals.max,
        )
    return found


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(ROW, max_size=120), which=st.integers(0, len(FILTERS) - 1))
def test_percentiles_by_rank_are_those_counted_in_python(
    rows: list[tuple[Any, ...]], which: int
) -> None:
    database = new_database()
    fill(database, rows)
    clause, params, keep = FILTERS[which]
    wanted = in_python([row for row in rows if keep(row)])
    # `streamed=0`: every percentile is read off the index, however few the logs.
    try:
        ranked = compute(Reads(database), clause, params, streamed=0)
        streamed = compute(Reads(database), clause, params, ranked=False)
    finally:
        database.close()
    if not any(keep(row) for row in rows):
        wanted = {None: (0, 0, None, None, None, None)}
    assert as_found(ranked) == wanted
    assert ranked == streamed


def test_groups_far_apart_are_ranked_through_the_window_between_them(
    database: sqlite3.Connection,
) -> None:
    # The overall median lies in neither group's middle: it is found among the latencies
    # between the groups' medians, after counting those below them.
    rows: list[tuple[Any, ...]] = [
        ("fast", 0.001 * index, False, None, None, 0) for index in range(300)
    ]
    rows += [("slow", 100 + index, False, None, None, 0) for index in range(100)]
    rows += [("slow", None, False, None, None, 0)] * 5
    fill(database, rows)
    result = compute(Reads(database), "1", [], streamed=0)
    latencies = [row[1] for row in rows if row[1] is not None]
    assert result.totals.p50 == nearest_rank(latencies, 50) == 0.199
    assert result.totals.p95 == nearest_rank(latencies, 95) == 179
    fast = [row[1] for row in rows[:300]]
    assert [(group.model, group.p50, group.p95) for group in result.by_model] == [
        ("fast", nearest_rank(fast, 50), nearest_rank(fast, 95)),
        ("slow", 149, 194),
    ]


def test_without_the_index_every_latency_is_read(database: sqlite3.Connection) -> None:
    # Before the rows are indexed (`Store.index_rows`), `INDEXED BY` would fail.
    database.execute("DROP INDEX logs_totals")
    rows = [("a", float(index), False, None, None, 0) for index in range(10)]
    fill(database, rows)
    result = compute(Reads(database), "1", [], streamed=0)
    assert (result.totals.p50, result.totals.p95) == (4.0, 9.0)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    path = tmp_path_factory.mktemp("ranked") / "export.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(300)))
    built = Catalog.open(path)
    built.start()
    assert built.wait(timeout=60)
    yield built
    built.close()


@pytest.mark.parametrize(
    "query",
    [Query(), Query(model="gpt-4o"), Query(errors_only=True), Query(text="refund")],
    ids=["all", "model", "errors", "text"],
)
def test_a_catalog_ranks_as_it_streams(
    catalog: Catalog, query: Query, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed = catalog.stats(query)
    monkeypatch.setattr(stats, "STREAMED", 0)
    assert catalog.stats(query) == streamed
    assert streamed.totals.count > 0


def test_the_reads_of_one_answer_see_one_state_of_the_rows(tmp_path: Path) -> None:
    # Rows listed while the totals are read are not seen by the later reads: a group's
    # size read first still holds when its latencies are read by rank.
    with exports.listed(tmp_path, 20) as built:
        store = built._store
        writer = sqlite3.connect(store.rows_path, isolation_level=None)
        try:
            with store.together() as reads:
                before = reads.rows("SELECT count(*) FROM logs")
                writer.execute(
                    "INSERT INTO logs (ordinal, file, length, location, label, status, invalid,"
                    " feedback_count, evaluation_count)"
                    " VALUES (1000, 0, 0, 'line 1001', 'late', 'complete', 0, 0, 0)"
                )
                assert reads.rows("SELECT count(*) FROM logs") == before
            assert store.read("SELECT count(*) FROM logs") == [(before[0][0] + 1,)]
        finally:
            writer.close()
