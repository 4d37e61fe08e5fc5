"""Targets and folder entries that are not regular files: refused or skipped, never waited on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.catalog import Catalog, Source, open_source
from inspector.errors import SourceError
from tests.support import exports

LOAD = """
import asyncio, sys
from inspector.open.one import FileSource
try:
    asyncio.run(FileSource(sys.argv[1]).load(lambda text: None))
except Exception as exc:
    print(exc)
"""


def test_a_fifo_target_is_refused_at_once_by_show(tmp_path: Path) -> None:
    fifo = tmp_path / "log.json"
    os.mkfifo(fifo)
    # Before, `show` waited for a writer for ever.
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "show", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert "not a regular file: it is a FIFO" in done.stderr


def test_a_fifo_target_is_refused_at_once_by_the_app(tmp_path: Path) -> None:
    fifo = tmp_path / "log.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert "not a regular file: it is a FIFO" in done.stdout, done.stderr[-1000:]


def odd_folder(folder: Path) -> None:
    logs = exports.make_logs(4)
    (folder / "a.json").write_bytes(exports.encode(logs[0]))
    (folder / "c.jsonl").write_bytes(exports.jsonl(logs[1:3]))
    # A malformed file in the middle: the files after it are still read.
    (folder / "b.json").write_bytes(b'[{"id": "data_x"}, {"id": ')
    (folder / "d.json").write_bytes(exports.encode(logs[3]))
    os.mkfifo(folder / "fifo.json")
    (folder / "loop.json").symlink_to("loop.json")
    (folder / "dir.json").mkdir()


def test_odd_entries_in_a_folder_are_skipped_with_a_note(tmp_path: Path) -> None:
    odd_folder(tmp_path)
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    assert sorted(file.name for file in source.files) == ["a.json", "b.json", "c.jsonl", "d.json"]
    assert any("loop.json: skipped: a symlink loop" in note for note in source.notes)
    assert any("fifo.json: skipped: a FIFO" in note for note in source.notes)
    assert any("dir.json: skipped: a folder" in note for note in source.notes)
    found = []
    with pytest.raises(SourceError) as raised:
        found.extend(record.location for record in source.records())
    assert found == ["a.json", "b.json [0]", "c.jsonl line 1", "c.jsonl line 2", "d.json"]
    message = raised.value.message
    assert "4 files skipped or read in part: " in message and "b.json: JSON ends early" in message


def test_the_catalog_lists_every_good_file_of_an_odd_folder(tmp_path: Path) -> None:
    odd_folder(tmp_path)
    with Catalog.open(tmp_path) as catalog:
        catalog.start()
        assert catalog.wait(30)
        assert catalog.total == 5
        error = catalog.progress.error
    assert error is not None and "skipped" in error and "symlink loop" in error


@pytest.mark.skipif(os.getuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(exports.encode(exports.make_log(0)))
    secret = tmp_path / "b.json"
    secret.write_bytes(exports.encode(exports.make_log(1)))
    secret.chmod(0)
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    assert [file.name for file in source.files] == ["a.json"]
    assert source.notes == ["b.json: skipped: cannot read: permission denied"]
