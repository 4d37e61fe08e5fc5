"""Repeated logs are dropped exactly as a `GROUP BY id` over every row would drop them."""

from __future__ import annotations

import itertools
import random
import zlib
from array import array
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.catalog import copies
from inspector.catalog.copies import Repeats, copies_to_drop, id_hash, id_hashes
from inspector.catalog.entry import COLUMNS
from inspector.catalog.store import RowWriter, Store
from inspector.catalog.summary import Row


def _row(ordinal: int, log_id: str | None, invalid: bool) -> Row:
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(
        ordinal=ordinal, file=0, offset=ordinal, length=1, location=f"line {ordinal + 1}",
        id=log_id, label="", status="invalid" if invalid else "ok", invalid=int(invalid),
        output="", feedback="", feedback_count=0, evaluation_count=0,
    )  # fmt: skip
    return tuple(values[name] for name in COLUMNS)


class _Source:
    """Each row's bytes: its own record (the id first), or a copy wrapped in another."""

    def __init__(self, rows: list[Row], wrapped: set[int]) -> None:
        self._data = {}
        for row in rows:
            log_id = row[COLUMNS.index("id")]
            own = b'{"id": "%s"}' % str(log_id).encode()
            self._data[row[0]] = b'{"log": %s}' % own if row[0] in wrapped else own

    def read(self, file: int, offset: int, length: int) -> bytes:
        return self._data[offset]


def _by_group_by(store: Store, source: _Source) -> list[int]:
    """What the catalog did before `Repeats`: one sorted pass over every row."""
    rows = store.read(
        "SELECT id, ordinal, file, offset, length FROM logs WHERE id IN"
        " (SELECT id FROM logs WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)"
        " ORDER BY id, invalid, ordinal"
    )
    groups: dict[str, list[tuple[int, int, int, int]]] = {}
    for log_id, ordinal, file, offset, length in rows:
        groups.setdefault(log_id, []).append((ordinal, file, offset, length))
    drop = []
    for log_id, found in groups.items():
        keep = found[0][0]
        if len(groups) <= copies.OWN_RECORD_CHECKS:
            keep = next(
                (o for o, f, at, n in found if copies.record_id(source.read(f, at, n)) == log_id),
                keep,
            )
        drop += [o for o, *_ in found if o != keep]
    return drop


def _weak(rows: list[Row]) -> array[int]:
    """Hashes that take two values only: different ids hash alike all the time."""
    return array("I", [value & 2 | 1 if value else 0 for value in id_hashes(rows)])


def _listed(
    rows: list[Row], cuts: list[int], bits: int | None, weak: bool
) -> tuple[Store, Repeats]:
    store = Store(fts=False)
    writer = RowWriter(store)
    repeats = Repeats(bits=bits) if bits else Repeats(len(rows) * 500)
    edges = sorted({0, len(rows), *(cut % (len(rows) + 1) for cut in cuts)})
    for start, end in itertools.pairwise(edges):
        writer.write(rows[start:end], [])
        if weak:
            repeats.add(start, _weak(rows[start:end]))
        elif start % 2:
            repeats.add(start, id_hashes(rows[start:end]))
        else:
            repeats.add_rows(rows[start:end])
    writer.close()
    return store, repeats


@settings(max_examples=150, deadline=None)
@given(
    ids=st.lists(st.one_of(st.none(), st.sampled_from("abcdefghij")), min_size=1, max_size=60),
    invalid=st.lists(st.booleans(), min_size=60, max_size=60),
    wrapped=st.sets(st.integers(0, 59)),
    cuts=st.lists(st.integers(0, 60), max_size=5),
    bits=st.sampled_from([8, 64, None]),
    weak=st.booleans(),
)
def test_the_same_rows_are_dropped_as_by_sorting_every_id(
    ids: list[str | None],
    invalid: list[bool],
    wrapped: set[int],
    cuts: list[int],
    bits: int | None,
    weak: bool,
) -> None:
    # 8 bits: every hash shares a slot with others; `weak` hashes: different ids share
    # whole hashes too (false alarms, read back and told apart by the ids themselves).
    rows = [_row(ordinal, log_id, invalid[ordinal]) for ordinal, log_id in enumerate(ids)]
    source = _Source(rows, wrapped)
    store, repeats = _listed(rows, cuts, bits, weak)
    try:
        assert sorted(copies_to_drop(store, source, repeats)) == sorted(_by_group_by(store, source))  # type: ignore[arg-type]
    finally:
        store.close()


def test_suspects_are_every_repeated_row_and_few_others() -> None:
    chooser = random.Random(14)
    ids = [f"log_{number:09d}" for number in chooser.sample(range(10**9), 100_000)]
    ids[70_000] = ids[3]
    ids[99_999] = ids[50_000]
    repeats = Repeats(100_000 * 5000)  # A source of 100,000 logs of 5 KB.
    for start in range(0, len(ids), 4096):
        chunk = ids[start : start + 4096]
        repeats.add_rows([_row(start + i, log_id, False) for i, log_id in enumerate(chunk)])
    suspects = repeats.suspects()
    assert {3, 70_000, 50_000, 99_999} <= set(suspects)
    # A table of 2**26 bits, then the whole 32-bit hashes: about one pair of different
    # ids hashes alike in 100,000 (100,000**2 / 2**33), read back once at the end.
    assert len(suspects) < 20


def test_id_hashes_agree_across_processes_and_skip_missing_ids() -> None:
    # `hash` of a str differs between processes (hash randomisation); workers and the
    # catalog's thread must agree, so the hash is a CRC of the UTF-8 bytes.
    assert id_hash("data_0001") == zlib.crc32(b"data_0001") | 1
    assert id_hash(None) == 0
    assert id_hash("caf\u00e9\ud800") != 0  # A lone surrogate still hashes.


def test_rows_added_out_of_order_are_refused() -> None:
    repeats = Repeats(bits=64)
    repeats.add_rows([_row(0, "a", False), _row(1, "b", False)])
    with pytest.raises(ValueError, match="added twice"):
        repeats.add(1, id_hashes([_row(1, "b", False)]))
