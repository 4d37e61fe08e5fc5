"""Listing with worker processes gives exactly the rows that listing in one thread gives."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from inspector.catalog import Catalog, Query, Source, open_source, parallel, pool, store, summary
from inspector.catalog.entry import COLUMNS
from inspector.catalog.shapes import BOM
from inspector.catalog.summary import Row
from inspector.catalog.work import Slice, Summaries
from tests.support import workers
from tests.support.exports import array, jsonl, log_id, make_logs, page

Listed = tuple[list[Row], list[Row], list[Row]]


def _listed(source: Source) -> Listed:
    """Every row, feedback item and searchable text the catalog's databases hold once
    `source` is indexed (without FTS5, so that the text is kept and can be compared).
    Each row's span is as found in its file (a list page's record may be placed by its
    index in the page: `Entry.offset`)."""
    with Catalog(source, cache=False, fts=False) as catalog:
        catalog.start()
        assert catalog.wait(60)
        assert catalog.progress.done
        read = catalog._store.read
        rows = [
            (*row[:2], *catalog._span(*row[1:4]), *row[4:])
            for row in read("SELECT * FROM logs ORDER BY ordinal")
        ]
        feedback = read("SELECT * FROM feedback ORDER BY rowid")
        texts = read("SELECT * FROM textdb.search ORDER BY rowid")
    return rows, feedback, texts


def _one_thread(source: Source, monkeypatch: pytest.MonkeyPatch) -> Listed:
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "slices", lambda _: None)
        return _listed(source)


def _open(path: Path) -> Source:
    source = open_source(path)
    assert isinstance(source, Source)
    return source


@pytest.mark.usefixtures("small_slices")
def test_a_json_lines_file_in_slices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A byte order mark, blank lines, and a line that is not a log, across slice borders.
    data = BOM + jsonl(make_logs(60), blank_lines=True)
    data = data.replace(b"\n   \n", b'\n{"id": "broken", \n', 1)
    path = tmp_path / "export.jsonl"
    path.write_bytes(data)
    source = _open(path)
    assert len(parallel.slices(source) or []) > 10
    copies = _count_copies(monkeypatch)
    rows, feedback, texts = _listed(source)
    # The workers' shards were copied, for the rows and for the text.
    assert copies["RowWriter"] > 5 and copies["TextWriter"] > 5
    assert (rows, feedback, texts) == _one_thread(source, monkeypatch)
    assert [row[0] for row in rows] == list(range(61))
    assert [row[0] for row in texts] == [
        i for i in range(61) if not rows[i][COLUMNS.index("invalid")]
    ]
    # The last log is followed by a line of spaces and an empty line.
    assert rows[-1][4] == f"line {len(data.splitlines()) - 2}"


@pytest.mark.usefixtures("small_slices")
def test_a_folder_of_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = make_logs(50)
    for number in range(5):
        (tmp_path / f"page-{number}.json").write_bytes(page(logs[number * 10 : number * 10 + 10]))
    source = _open(tmp_path)
    rows, feedback, texts = _listed(source)
    assert (rows, feedback, texts) == _one_thread(source, monkeypatch)
    assert len(rows) == 50 and rows[13][4] == "page-1.json records[3]"


@pytest.mark.usefixtures("small_slices")
def test_a_page_with_a_record_of_another_shape_is_searched_record_by_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page is searched from one decode; a record that breaks that decode (messages
    # that are not a list) sends the page back to reading each record on its own.
    logs = make_logs(20)
    logs[13]["messages"] = "not a list"
    for number in range(2):
        (tmp_path / f"page-{number}.json").write_bytes(page(logs[number * 10 : number * 10 + 10]))
    source = _open(tmp_path)
    assert summary.page_texts((tmp_path / "page-1.json").read_bytes(), "page-1.json ") is None
    rows, feedback, texts = _listed(source)
    assert (rows, feedback, texts) == _one_thread(source, monkeypatch)
    assert [row[0] for row in texts] == [i for i in range(20) if i != 13]


@pytest.mark.usefixtures("small_slices")
def test_logs_repeated_across_slices_are_listed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A concatenated export: each log twice, the second copy in another worker's slice;
    # one more copy near the end is wrapped as an evaluation record (the log's own wins).
    logs = make_logs(30)
    wrapped = {"log": logs[7], "evaluator_logs": []}
    path = tmp_path / "twice.jsonl"
    path.write_bytes(jsonl([*logs, wrapped, *logs]))
    source = _open(path)
    copies = _count_copies(monkeypatch)
    rows, feedback, texts = _listed(source)
    assert copies["RowWriter"] > 5
    assert (rows, feedback, texts) == _one_thread(source, monkeypatch)
    assert [row[0] for row in rows] == list(range(30))
    assert [row[COLUMNS.index("id")] for row in rows] == [log_id(index) for index in range(30)]


@pytest.mark.usefixtures("small_slices")
def test_a_file_gone_keeps_the_logs_before_it(tmp_path: Path) -> None:
    logs = make_logs(30)
    for number in range(3):
        (tmp_path / f"page-{number}.json").write_bytes(page(logs[number * 10 : number * 10 + 10]))
    source = _open(tmp_path)
    (tmp_path / "page-1.json").unlink()
    with Catalog(source) as catalog:
        catalog.start()
        assert catalog.wait(60)
        assert catalog.progress.error == "page-1.json: cannot read: No such file or directory"
        assert [entry.location for entry in catalog.entries()] == [
            f"page-0.json records[{index}]" for index in range(10)
        ]


def test_small_sources_and_arrays_are_listed_in_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(5)))
    assert parallel.slices(_open(path)) is None
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    assert parallel.slices(_open(path)) is not None
    path.write_bytes(array(make_logs(5)))
    assert parallel.slices(_open(path)) is None
    assert parallel.slices(open_source(jsonl(make_logs(5)), label="stdin")) is None  # type: ignore[arg-type]


def test_the_environment_sets_the_number_of_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTOR_WORKERS", "0")
    assert pool.workers() == 0
    monkeypatch.setenv("INSPECTOR_WORKERS", "3")
    assert pool.workers() == 3
    monkeypatch.setenv("INSPECTOR_WORKERS", "many")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3, 4, 5})
    assert pool.workers() == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    assert pool.workers() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    assert pool.workers() == 0


def _count_copies(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Shards copied by each writer (a big source's rows in its second pass)."""
    counts = {"RowWriter": 0, "TextWriter": 0}
    for writer, method in (
        (store.RowWriter, "copy"), (store.RowWriter, "copy_filled"), (store.TextWriter, "copy")
    ):  # fmt: skip

        def counted(real: Callable[..., None], name: str) -> Callable[..., None]:
            def copy(*args: Any) -> None:
                counts[name] += 1
                real(*args)

            return copy

        monkeypatch.setattr(writer, method, counted(getattr(writer, method), writer.__name__))
    return counts


def _answers(source: Source) -> list[Any]:
    """Counts, filters, sorts and totals of a finished catalog (FTS5 text search)."""
    with Catalog(source, cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60)
        queries = [Query(), Query(text="refund"), Query(model="gpt-4o"), Query(errors_only=True)]
        return [
            catalog.progress.error,
            [catalog.count(query) for query in queries],
            [[entry.ordinal for entry in catalog.query(query, sort="cost")] for query in queries],
            catalog.stats(),
            catalog.models(),
            catalog.feedback_types(),
            catalog.children(catalog.query()[0].id or ""),
        ]


@pytest.mark.usefixtures("small_slices")
def test_workers_answer_every_query_as_one_thread_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(120)))
    source = _open(path)
    answers = _answers(source)
    assert answers[0] is None and answers[1][0] == 120 and answers[1][1] > 0
    with monkeypatch.context() as patch:
        patch.setenv("INSPECTOR_WORKERS", "0")
        patch.setattr(parallel, "workers", lambda: 0)
        assert _answers(source) == answers


def _searches(catalog: Catalog) -> list[list[int]]:
    """The logs found for each word of the logs' text, and for ids, names and errors."""
    words = ["refund", "invoice", "common", "Answer", "question", "limit", "second"]
    words += [log_id(index) for index in range(0, 120, 7)] + ["ans", "ques", "7", "rate limit"]
    found = [[entry.ordinal for entry in catalog.query(Query(text=word))] for word in words]
    assert sum(map(len, found)) > 100  # Each word is in some logs.
    return found


@pytest.mark.usefixtures("small_slices")
def test_workers_build_the_text_index_in_parts_that_search_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(120)))
    source = _open(path)
    with Catalog(source, cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60) and catalog.progress.error is None
        # The catalog's own text database, and one per worker that took slices: both
        # most often, one when the other started late (the pool hands out slices as
        # workers ask, so which is not fixed).
        parts = catalog._store.text_paths
        assert len(parts) in (2, 3) and all(path.name.startswith("text-") for path in parts[1:])
        found = _searches(catalog)
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "workers", lambda: 0)
        with Catalog(source, cache=False) as alone:
            alone.start()
            assert alone.wait(60)
            assert alone._store.text_paths == [alone._store.text_path]
            assert _searches(alone) == found


@pytest.mark.usefixtures("small_slices")
def test_a_worker_that_cannot_index_text_leaves_its_slices_to_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(80)))
    source = _open(path)
    monkeypatch.setattr(parallel, "index_text", workers.fails_indexing)
    with Catalog(source, cache=False) as catalog:
        catalog.start()
        assert catalog.wait(60) and catalog.progress.error is None
        assert catalog._store.text_paths == [catalog._store.text_path]
        assert catalog.count(Query(text="question")) == 80


@pytest.mark.usefixtures("small_slices")
@pytest.mark.parametrize("broken", [workers.dies, workers.fails])
def test_a_worker_that_breaks_leaves_its_slices_to_the_thread(
    broken: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(80)))
    source = _open(path)
    expected = _one_thread(source, monkeypatch)
    monkeypatch.setattr(parallel, "in_worker", broken)
    assert _listed(source) == expected
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("small_slices")
def test_closing_while_workers_run_leaves_no_process_or_file(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(400)))
    catalog = Catalog(_open(path), cache=False)
    catalog.start()
    while catalog.total == 0 and not catalog.progress.done:
        catalog.wait(0.01)
    folder = catalog._store.folder
    catalog.close()
    assert multiprocessing.active_children() == []
    assert folder is not None and not folder.exists()


NO_STDERR_FILE = """
import io, sys
from inspector.catalog import Catalog, open_source, parallel, store
class NoFile(io.TextIOBase):
    def write(self, text):
        return len(text)
    def fileno(self):
        return -1  # As Textual's stand-in for sys.stderr under the TUI.
copies = []
real_copy = store.RowWriter.copy
store.RowWriter.copy = lambda *args: (copies.append(1), real_copy(*args))
parallel.MIN_BYTES, parallel.SLICE_BYTES, parallel.FIRST_SLICE_BYTES = 0, 3000, 1000
parallel._FIRST_BATCHES = (3, 5)
parallel.workers = lambda: 2
out, sys.stderr = sys.stdout, NoFile()
with Catalog(open_source(sys.argv[1]), cache=False) as catalog:
    catalog.start()
    catalog.wait(60)
    print(catalog.total, catalog.progress.error, len(copies) > 5, file=out)
"""


def test_workers_start_when_stderr_has_no_file(tmp_path: Path) -> None:
    # Under the TUI, multiprocessing's resource tracker could not start (it passes
    # stderr's descriptor on): the list stayed empty with "bad value(s) in fds_to_keep".
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(100)))
    done = subprocess.run(
        [sys.executable, "-c", NO_STDERR_FILE, str(path)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["100", "None", "True"]


@pytest.mark.usefixtures("small_slices")
def test_a_slow_slice_does_not_keep_the_other_workers_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one slice takes long (a text part merging its segments), the other workers
    are given the slices after it, and the results still come in source order."""
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(400)))
    parts = parallel.slices(_open(path))
    assert parts is not None and len(parts) > parallel._DONE_AHEAD * 2
    held, started = threading.Event(), []

    def summarise(part: Slice, kind: str, shard: Path | None = None) -> Summaries:
        started.append(part)
        if part is parts[0]:
            assert held.wait(30)
        return Summaries([], [], records=1)

    monkeypatch.setattr(parallel, "in_worker", summarise)
    taken: list[int] = []
    with ThreadPoolExecutor(2) as workers:
        results = parallel._in_workers(
            workers,  # type: ignore[arg-type] # Threads stand in for the processes.
            2,
            deque(parts),
            threading.Event(),
            parallel._Place(),
            "rows",
            None,
        )
        reader = threading.Thread(target=lambda: taken.extend(b.count for b in results))
        reader.start()
        # The slices after the first are done by the other worker, up to as many as
        # may wait, done, for it.
        waiting = parallel._DONE_AHEAD * 2
        for _ in range(3000):
            if len(started) >= waiting:
                break
            time.sleep(0.01)
        assert len(started) == waiting and taken == []
        held.set()
        reader.join(30)
    assert sorted(parts.index(part) for part in started) == list(range(len(parts)))
    assert taken == list(range(1, len(parts) + 1))
