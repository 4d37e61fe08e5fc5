"""A big source is listed in two passes: every log's place first, then the rows.

Between the two, the list in time (or source, or id) order is complete and made from
the source as it is asked for; it must be exactly the list the rows give once built.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.catalog import Catalog, Query, Source, open_source, summary
from inspector.catalog.entry import COLUMNS, PLACE_COLUMNS
from inspector.catalog.shapes import Record, SourceFile
from inspector.catalog.split import file_records
from inspector.catalog.summary import place, summarize
from tests.support import exports_v5
from tests.support.exports import jsonl, make_log, make_logs, page
from tests.unit.test_catalog_shapes import BROKEN_LOGS

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"
#: The columns of a row that its place holds too.
_SHARED = [COLUMNS.index(name) for name in PLACE_COLUMNS]


def _agree(data: bytes, path: str | None = None) -> None:
    record = Record(2, 10, len(data), "line 3", data)
    row, _ = summarize(record, 7, path)
    assert place(record, 7, path) == tuple(row[index] for index in _SHARED)
    # A worker gives a line number within its range instead of the location.
    row, _ = summarize(record, 7, path, 12)
    assert place(record, 7, path, 12) == tuple(row[index] for index in _SHARED)


def _records() -> Iterator[bytes]:
    rng = random.Random(5)
    yield from (json.dumps(log).encode() for log in make_logs(5))
    for change in BROKEN_LOGS:
        broken: dict[str, Any] = {**make_log(1), **cast(dict[str, Any], change)}
        yield json.dumps(broken).encode()
    for build in (exports_v5.prompt_log, exports_v5.tool_log, exports_v5.flow_log):
        yield json.dumps(build(rng, 3)).encode()
    prompt = exports_v5.prompt_log(rng, 4)
    wrapped: dict[str, Any] = {"run_id": "ev_1", "log": prompt, "evaluator_logs": []}
    yield json.dumps(wrapped).encode()
    yield json.dumps({key: value for key, value in prompt.items() if key != "created_at"}).encode()
    yield b'{"id": "cut", "config": {"type": "mo'
    yield b"not json at all"
    yield b'{"id": "no-shape"}'
    yield b"\xff\xfe{}"


@pytest.mark.parametrize("index", range(len(list(_records()))))
def test_a_logs_place_is_what_its_row_says(index: int) -> None:
    _agree(list(_records())[index])


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.json")))
def test_every_real_payload_has_the_place_its_row_says(name: str) -> None:
    _agree((REAL / name).read_bytes())


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
_KEYS = sorted({*make_log(0), *exports_v5.prompt_log(random.Random(1), 1), "log", "run_id"})


@st.composite
def _changed_logs(draw: st.DrawFn) -> tuple[bool, dict[str, Any]]:
    """A v4 or v5 log (which one, and the log) with keys set to any JSON, or dropped."""
    v5 = draw(st.booleans())
    changes = draw(st.dictionaries(st.sampled_from(_KEYS), _JSON | st.just("2024-09-20T12:00:00Z")))
    dropped = draw(st.sets(st.sampled_from(_KEYS), max_size=3))
    log = exports_v5.prompt_log(random.Random(2), 1) if v5 else make_log(1)
    return v5, {key: value for key, value in {**log, **changes}.items() if key not in dropped}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(changed=_changed_logs())
def test_any_change_to_a_log_keeps_its_place_and_row_agreeing(
    changed: tuple[bool, dict[str, Any]],
) -> None:
    _agree(json.dumps(changed[1]).encode())


def _source(path: Path) -> Source:
    source = open_source(path)
    assert isinstance(source, Source)
    return source


def _export(tmp_path: Path) -> Path:
    """60 logs out of time order, two of them repeated further on."""
    logs = make_logs(60)
    random.Random(4).shuffle(logs)
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl([*logs, logs[3], logs[40]]))
    return path


Snapshot = dict[str, Any]


def _snapshot(catalog: Catalog) -> Snapshot:
    """What the list shows and steps through in each order the places can give."""
    seen: Snapshot = {"count": catalog.count(), "total": catalog.total}
    for sort in ("created_at", "ordinal", "id"):
        for descending in (True, False):
            entries = catalog.query(sort=sort, descending=descending, limit=100)
            middle = entries[len(entries) // 2].ordinal
            seen[f"{sort} {descending}"] = (
                entries,
                catalog.query(sort=sort, descending=descending, offset=20, limit=7),
                catalog.position(middle, sort=sort, descending=descending),
                catalog.neighbours(middle, sort=sort, descending=descending),
            )
    seen["entries"] = list(catalog.entries())
    last = seen["count"] - 1
    seen["one"] = [catalog.entry(ordinal) for ordinal in (0, last // 2, last, last + 1, 99)]
    seen["raw"] = catalog.raw(last // 2)
    seen["parent"] = catalog.ordinal_of(catalog.query(limit=1)[0].id or "")
    return seen


def _alike_between_the_passes_and_after(
    catalog: Catalog, between_passes: threading.Event
) -> Snapshot:
    """Index `catalog`, held between its two passes (`between_passes`): what the list
    shows from the places must be what it shows from the built rows. Returns it."""
    catalog.start()
    while not catalog.progress.listed:
        catalog.wait(0.01)
    early = _snapshot(catalog)
    between_passes.set()
    assert catalog.wait(60)
    assert _snapshot(catalog) == early
    return early


@pytest.mark.usefixtures("small_slices")
def test_between_the_passes_the_list_is_the_one_the_rows_give(
    tmp_path: Path, between_passes: threading.Event
) -> None:
    with Catalog(_source(_export(tmp_path)), cache=False) as catalog:
        catalog.start()
        assert not catalog.wait(0.2, listed_only=True)  # The rows are not built yet.
        while not catalog.progress.listed:
            catalog.wait(0.01)
        progress = catalog.progress
        assert progress.indexed == 60 and progress.rows == 0 and not progress.complete
        # Filters see the rows built so far: none yet.
        assert catalog.count(Query(model="gpt-4o")) == 0
        assert catalog.query(sort="cost") == []
        early = _snapshot(catalog)
        assert early["count"] == early["total"] == 60
        between_passes.set()
        assert catalog.wait(60) and catalog.progress.error is None
        assert catalog.progress.complete and catalog.progress.rows == 60
        assert _snapshot(catalog) == early
        assert catalog.count(Query(model="gpt-4o")) > 0
        assert len(catalog.query(sort="cost")) == 60


@pytest.mark.usefixtures("small_slices")
def test_copies_dropped_by_the_first_pass_stay_out_of_the_rows(tmp_path: Path) -> None:
    path = _export(tmp_path)
    with Catalog(_source(path), cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60)
        # The last two records repeat logs listed before them.
        assert catalog.total == 60
        assert sorted(entry.ordinal for entry in catalog.entries()) == list(range(60))
        read = catalog._store.read
        assert read("SELECT count(*) FROM logs")[0][0] == 60
        assert read("SELECT count(*) FROM feedback WHERE ordinal >= 60")[0][0] == 0


@pytest.mark.usefixtures("small_slices")
def test_a_folder_between_the_passes(tmp_path: Path, between_passes: threading.Event) -> None:
    # List pages are placed from one decode each, their records' bytes found only when
    # a row is made; one page holds a log of another shape, and is read record by record.
    logs = make_logs(40)
    random.Random(9).shuffle(logs)
    evaluated: dict[str, Any] = {
        "run_id": "ev_1",
        "log": exports_v5.prompt_log(random.Random(1), 9),
    }
    pages = [logs[number * 10 : number * 10 + 10] for number in range(4)]
    pages[2].insert(4, evaluated)
    # A v4 log with a `log` key too: placed record by record, its rows from one decode
    # (`page_rows`), and each row keeps its place's span.
    pages.append(make_logs(45)[40:])
    pages[4][1]["log"] = {"note": "kept"}
    for number, records in enumerate(pages):
        (tmp_path / f"page-{number}.json").write_bytes(page(records))
    with Catalog(_source(tmp_path), cache=False) as catalog:
        catalog.start()
        while not catalog.progress.listed:
            catalog.wait(0.01)
        unknown = catalog._store.read("SELECT file FROM places WHERE offset IS NULL")
        # The first file is read in the calling thread, record by record (first rows).
        assert sorted({file for (file,) in unknown}) == [1, 3]
        early = _snapshot(catalog)
        assert [entry.location for entry in early["entries"] if entry.ordinal == 13] == [
            "page-1.json records[3]"
        ]
        assert early["count"] == 46
        between_passes.set()
        assert catalog.wait(60)
        assert _snapshot(catalog) == early
        unknown = catalog._store.read("SELECT file FROM logs WHERE offset IS NULL")
        assert sorted({file for (file,) in unknown}) == [1, 3]
        assert catalog.load(43).log.id == make_logs(45)[42]["id"]  # ordinals 41-45: page 4


def test_a_pages_places_are_the_places_of_its_records(tmp_path: Path) -> None:
    rng = random.Random(6)
    v5 = [exports_v5.prompt_log(rng, 1), exports_v5.flow_log(rng, 2)]
    # A v5 log whose text holds the bytes `"config"`, timed by its start only.
    said = {**exports_v5.prompt_log(rng, 3), "output": 'the "config" key'}
    del said["created_at"]
    records: list[Any] = [*make_logs(3), *v5, said]
    data = page(records)
    path = tmp_path / "page.json"
    path.write_bytes(data)
    source = _source(tmp_path)
    placed = summary.page_places(data, 0, "page.json ")
    assert placed is not None
    for index, record in enumerate(file_records(source.files[0], 0, "page.json ", None)):
        whole = place(record, index)
        assert placed[index] == (*whole[:2], None, index, *whole[4:])
    # A record of another shape: the page is read record by record.
    assert summary.page_places(page([*records, {"run_id": "r", "log": v5[0]}]), 0, "") is None
    assert summary.page_places(b'{"records": [1, 2]}', 0, "") is None


def _rows_agree(data: bytes) -> bool:
    """Whether `page_rows` read the page (False: it left it to be read record by record),
    checking that each row and its feedback are those `summarize` gives its record, with
    the span `page_places` gives it."""
    found = summary.page_rows(data, 0, "page.json ")
    if found is None:
        return False
    rows, feedback = found
    file = SourceFile("page.json", None, len(data), "page")
    expected: list[Any] = []
    for index, record in enumerate(file_records(file, 0, "page.json ", data)):
        row, items = summarize(record, index)
        assert rows[index] == (*row[:2], None, index, *row[4:])
        expected.extend(items)
    assert len(rows) == index + 1 and feedback == expected
    return True


def test_a_pages_rows_are_the_rows_of_its_records() -> None:
    logs = make_logs(6)
    logs[2]["feedback"] = [
        {"id": "ann_1", "type": "rating", "value": "good"},
        {"id": "ann_2", "type": "note", "value": 3},
    ]
    logs[4]["output"] = None  # The output message's tool calls, then.
    assert _rows_agree(page(logs))
    # A v5 log, a log that breaks the model, a config that does: record by record.
    rng = random.Random(7)
    assert not _rows_agree(page([*logs, exports_v5.prompt_log(rng, 1)]))
    assert not _rows_agree(page([*logs, {**logs[0], "evaluation_results": None}]))
    assert not _rows_agree(page([*logs, {**logs[0], "config": {"type": "model"}}]))
    assert not _rows_agree(b'{"records": [1, 2]}')


def test_a_page_of_v5_logs_has_the_rows_of_its_records() -> None:
    rng = random.Random(8)
    v5 = [exports_v5.prompt_log(rng, 1), exports_v5.tool_log(rng, 2), exports_v5.flow_log(rng, 3)]
    assert _rows_agree(page(v5))
    # A log whose text holds the bytes `"config"` is read as a v4 log would be first, a
    # wrapped log whole, both kinds of log each its own way: record by record.
    said = {**exports_v5.prompt_log(rng, 4), "inputs": {"config": "dark mode"}}
    assert not _rows_agree(page([*v5, said]))
    assert not _rows_agree(page([*v5, {"run_id": "r", "log": v5[0]}]))
    assert not _rows_agree(page([*v5, make_log(0)]))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(changed=_changed_logs())
def test_any_change_to_a_pages_log_keeps_its_row_the_one_summarize_gives(
    changed: tuple[bool, dict[str, Any]],
) -> None:
    v5, log = changed
    other = exports_v5.tool_log(random.Random(3), 2) if v5 else make_log(0)
    _rows_agree(page([other, log]))


@pytest.mark.usefixtures("small_slices")
def test_a_folder_with_copies_keeps_each_logs_own_record(tmp_path: Path) -> None:
    # The copies are found by the first pass, and the log's own record (whose bytes are
    # found in its page only then) wins over a wrapped copy in another page.
    logs = make_logs(20)
    wrapped = {"run_id": "ev_1", "evaluated_version": {}, "log": logs[3]}
    (tmp_path / "page-0.json").write_bytes(page(logs[10:]))
    (tmp_path / "page-1.json").write_bytes(page([wrapped, *logs[:2]]))
    (tmp_path / "page-2.json").write_bytes(page(logs[:10]))
    with Catalog(_source(tmp_path), cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60) and catalog.progress.error is None
        entries = list(catalog.entries())
        assert [entry.id for entry in entries] == [log["id"] for log in logs[10:] + logs[:10]]
        assert [entry.location for entry in entries[10:13]] == [
            "page-1.json records[1]", "page-1.json records[2]", "page-2.json records[2]"
        ]  # fmt: skip
        assert entries[13].location == "page-2.json records[3]"


def test_a_small_source_is_listed_in_one_pass(tmp_path: Path) -> None:
    with Catalog(_source(_export(tmp_path)), cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60)
        assert not catalog._two_pass
        assert catalog._store.read("SELECT count(*) FROM places")[0][0] == 0
        assert catalog.progress.complete and catalog.total == 60


@pytest.mark.usefixtures("small_slices")
def test_an_exporter_folder_between_the_passes(
    tmp_path: Path, between_passes: threading.Event
) -> None:
    # Version objects with ids only: the rows made between the passes take their names
    # from each File's `file.json`, as the built rows do.
    from tests.unit.test_v5_rows import _nameless_export

    base = _nameless_export(tmp_path)
    with Catalog(_source(base), cache=False) as catalog:
        early = _alike_between_the_passes_and_after(catalog, between_passes)
        assert "weather/assistant" in {entry.label for entry in early["entries"]}
        assert catalog.progress.error is None


@pytest.mark.usefixtures("small_slices")
def test_a_page_with_its_records_key_twice_is_counted_alike_by_every_pass(
    tmp_path: Path, between_passes: threading.Event
) -> None:
    # The last `records` counts, as in msgspec and Python's `json`: one decode of the page
    # (places, text) and its split into records (rows, a record's bytes) read the same.
    logs = make_logs(12)
    (tmp_path / "page-0.json").write_bytes(page(logs[:2]))
    twice = page(logs[2:5])[:-1] + b', "records": ' + json.dumps(logs[5:12]).encode() + b"}"
    (tmp_path / "page-1.json").write_bytes(twice)
    (tmp_path / "page-2.json").write_bytes(page(logs[:1]))
    with Catalog(_source(tmp_path), cache=False) as catalog:
        early = _alike_between_the_passes_and_after(catalog, between_passes)
        assert [entry.location for entry in early["entries"]][2:9] == [
            f"page-1.json records[{index}]" for index in range(7)
        ]
        assert [entry.id for entry in early["entries"]][2:9] == [log["id"] for log in logs[5:]]


@pytest.mark.usefixtures("small_slices")
def test_a_jsonl_file_holding_a_page_is_read_as_lines_by_every_pass(
    tmp_path: Path, between_passes: threading.Event
) -> None:
    # A `.jsonl` file is read line by line whatever a line holds: a page written on one
    # line is one record (no log) in the places, the rows and the text alike. (Workers
    # once read such a file as a page in the places and text passes: three places where
    # the rows had one, and the text of its logs under other logs' ordinals.)
    logs = make_logs(6)
    (tmp_path / "a.jsonl").write_bytes(jsonl(logs[:2]))
    (tmp_path / "b.jsonl").write_bytes(json.dumps({"records": logs[2:5]}).encode() + b"\n")
    (tmp_path / "c.jsonl").write_bytes(jsonl(logs[5:]))
    with Catalog(_source(tmp_path), cache=False) as catalog:
        early = _alike_between_the_passes_and_after(catalog, between_passes)
        assert catalog.total == 4
        assert [entry.location for entry in early["entries"]] == [
            "a.jsonl line 1", "a.jsonl line 2", "b.jsonl line 1", "c.jsonl line 1"
        ]  # fmt: skip
        assert catalog.count(Query(text=logs[3]["id"])) == 0
        assert catalog.count(Query(text=logs[5]["id"])) == 1
