"""Listing with worker processes gives exactly the rows that listing in one thread gives."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from inspector.catalog import Catalog, Source, open_source, parallel
from inspector.catalog.entry import COLUMNS
from inspector.catalog.shapes import BOM
from inspector.catalog.summary import Row
from tests.support.exports import array, jsonl, make_logs, page


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any source, and slices of a few records, so that tests stay small."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "SLICE_BYTES", 3000)
    monkeypatch.setattr(parallel, "FIRST_SLICE_BYTES", 1000)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def _rows(source: Source) -> tuple[list[Row], list[tuple[int, str, str]]]:
    rows: list[Row] = []
    feedback: list[tuple[int, str, str]] = []
    for batch, items in parallel.batches(source, threading.Event(), (7, 50)):
        rows.extend(batch)
        feedback.extend(items)
    return rows, feedback


def _one_thread(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Row], list[tuple[int, str, str]]]:
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "slices", lambda _: None)
        return _rows(source)


def _texts(source: Source) -> list[Row]:
    found: list[Row] = []
    for batch, _ in parallel.texts(source, threading.Event(), 9):
        found.extend(batch)
    return found


def _one_thread_texts(source: Source, monkeypatch: pytest.MonkeyPatch) -> list[Row]:
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "slices", lambda _: None)
        return _texts(source)


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
    rows, feedback = _rows(source)
    assert (rows, feedback) == _one_thread(source, monkeypatch)
    assert [row[0] for row in rows] == list(range(61))
    assert _texts(source) == _one_thread_texts(source, monkeypatch)
    assert [row[0] for row in _texts(source)] == [
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
    rows, feedback = _rows(source)
    assert (rows, feedback) == _one_thread(source, monkeypatch)
    assert len(rows) == 50 and rows[13][4] == "page-1.json records[3]"


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
    assert parallel.workers() == 0
    monkeypatch.setenv("INSPECTOR_WORKERS", "3")
    assert parallel.workers() == 3
    monkeypatch.setenv("INSPECTOR_WORKERS", "many")
    cores = len(os.sched_getaffinity(0))
    assert parallel.workers() == (min(4, cores) if cores > 1 else 0)
