"""Files truncated while they are indexed or listed: an error with a message, never SIGBUS.

Each run pauses the reader after a few logs (a gate in `summarize`), truncates the file
from another thread, then lets it go on. Mapped files died here with SIGBUS, so the
array and page cases run in a child process and check how it ended.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from inspector.catalog import Catalog, Source, open_source
from inspector.catalog import parallel as catalog_module
from inspector.errors import SourceError
from tests.support import exports

#: Big enough that the reader has not read the whole file when it is cut (reads are 8 MB).
PADDING = "x" * 12_000
COUNT = 2_000


def big_logs() -> list[dict[str, Any]]:
    return [{**exports.make_log(index), "output": PADDING} for index in range(COUNT)]


CHILD = """
import os, sys, threading
from inspector.catalog import catalog, parallel
from inspector.cli import show_many
gate, reached = threading.Event(), threading.Event()
def gated(real):
    def summarize(record, ordinal, path=None):
        if ordinal == 20:
            reached.set()
            gate.wait()
        return real(record, ordinal, path)
    return summarize
parallel.summarize = gated(parallel.summarize)
show_many.summarize = gated(show_many.summarize)
path, mode = sys.argv[1], sys.argv[2]
def cut():
    reached.wait()
    # At a page boundary: a mapped reader then faults on the next page (SIGBUS).
    os.truncate(path, os.path.getsize(path) // 3 // 4096 * 4096)
    gate.set()
threading.Thread(target=cut, daemon=True).start()
if mode == "catalog":
    with catalog.Catalog.open(path) as opened:
        opened.start()
        opened.wait()
        print(opened.total, opened.progress.error, sep="\\n")
else:
    from inspector.cli.main import main
    sys.exit(main(["show", path]))
"""


def run_child(path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("shape", ["array", "page"])
def test_a_shrinking_export_in_the_catalog_is_an_error_not_a_signal(
    tmp_path: Path, shape: str
) -> None:
    path = tmp_path / "export.json"
    logs = big_logs()
    path.write_bytes(exports.array(logs) if shape == "array" else exports.page(logs))
    done = run_child(path, "catalog")
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    total, error = done.stdout.splitlines()
    assert 20 <= int(total) < COUNT, "the logs read before the cut are kept"
    assert "shrank while it was read" in error


def test_a_shrinking_export_in_show_is_an_error_not_a_signal(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(exports.array(big_logs()))
    done = run_child(path, "show")
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "shrank while it was read" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) >= 20, "the lines before the cut are printed"


def test_json_lines_that_shrink_during_the_text_index_say_the_index_is_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(big_logs()))
    real = catalog_module.search_text
    seen = 0

    def search_text(data: bytes, *where: str) -> Any:
        nonlocal seen
        seen += 1
        if seen == 20:
            with path.open("r+b") as handle:
                handle.truncate(path.stat().st_size // 3)
        return real(data, *where)

    monkeypatch.setattr(catalog_module, "search_text", search_text)
    with Catalog.open(path) as opened:
        opened.start()
        assert opened.wait(60)
        progress = opened.progress
    assert progress.indexed == COUNT
    assert progress.searchable < COUNT
    assert progress.error is not None
    assert "index is partial" in progress.error


def test_json_lines_that_shrink_while_listed_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(big_logs()))
    real = catalog_module.summarize
    cut = threading.Event()

    def summarize(record: Any, ordinal: int, file: str | None = None) -> Any:
        if ordinal == 20 and not cut.is_set():
            cut.set()
            with path.open("r+b") as handle:
                handle.truncate(path.stat().st_size // 3)
        return real(record, ordinal, file)

    monkeypatch.setattr(catalog_module, "summarize", summarize)
    with Catalog.open(path) as opened:
        opened.start()
        assert opened.wait(60)
        progress = opened.progress
    assert 20 < progress.indexed < COUNT
    assert progress.error is not None and "index is partial" in progress.error


@pytest.mark.parametrize("name", ["export.jsonl.gz", "export.json.gz", "export.gz"])
def test_gzip_exports_are_read_by_their_magic_bytes(tmp_path: Path, name: str) -> None:
    logs = exports.make_logs(30)
    body = exports.jsonl(logs) if ".jsonl" in name else exports.array(logs)
    path = tmp_path / name
    path.write_bytes(gzip.compress(body))
    with Catalog.open(path) as opened:
        opened.start()
        assert opened.wait(30)
        assert opened.progress.error is None
        assert opened.total == 30
        ordinal = opened.ordinal_of(logs[17]["id"])
        assert ordinal is not None
        assert json.loads(opened.raw(ordinal)) == logs[17]
        assert opened.load(ordinal).log.id == logs[17]["id"]


def test_a_gzip_file_of_one_log_and_a_cut_gzip(tmp_path: Path) -> None:
    one = tmp_path / "one.json.gz"
    one.write_bytes(gzip.compress(exports.encode(exports.make_log(3))))
    opened = open_source(one)
    assert not isinstance(opened, Source)
    assert opened.log.id == exports.make_log(3)["id"]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(exports.jsonl(exports.make_logs(200)))[:-200])
    with pytest.raises(SourceError, match="compressed file is cut off or corrupt"):
        source = open_source(cut)
        assert isinstance(source, Source)
        list(source.records())
