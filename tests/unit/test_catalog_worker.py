"""A worker process imports only what summarising needs, and writes its shard a chunk at a time."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from inspector.catalog import Source, open_source, parallel, work
from inspector.catalog.store import Kind
from tests.support.exports import jsonl, make_logs

#: Run as a script, as the `inspector` console script runs: its top-level imports (the
#: whole command line) would run again in each spawned worker unless the pool hides them.
SCRIPT = """
import json, sys
from pathlib import Path
from inspector.cli.main import run  # As the console script does.
from inspector.catalog import open_source, parallel, pool, work
from tests.support import workers

if __name__ == "__main__":
    parallel.MIN_BYTES, parallel.SLICE_BYTES, parallel.FIRST_SLICE_BYTES = 0, 3000, 1000
    parallel.workers = lambda: 1
    parts = parallel.slices(open_source(sys.argv[1]))
    workers_ = pool.Pool(1)
    executor = workers_.executor()
    records = 0
    for number, part in enumerate(parts):
        for kind in ("rows", "places", "text"):
            shard = Path(sys.argv[2]) / f"{number}-{kind}.db"
            records += executor.submit(work.in_worker, part, kind, shard).result().records
    print(json.dumps([records, executor.submit(workers.loaded).result()]))
    workers_.close()
"""

#: Modules a worker must not import: the catalog's scheduling, cache and statistics, the
#: command line, presentation other than words, the TUI and the HTTP client.
NOT_IN_A_WORKER = (
    "inspector.catalog.catalog",
    "inspector.catalog.cache",
    "inspector.catalog.stats",
    "inspector.catalog.parallel",
    "inspector.catalog.source",
    "inspector.cli.main",
    "inspector.open",
    "inspector.present.report",
    "inspector.tui",
    "textual",
    "httpx",
    "platformdirs",
)


def test_a_worker_imports_only_what_summarising_needs(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(100)))
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(path), str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=True,
        cwd=Path(__file__).parents[2],
        env={"PYTHONPATH": str(Path(__file__).parents[2]), "PATH": ""},
    )  # fmt: skip
    total, loaded = json.loads(done.stdout)
    assert total == 300  # Every log: placed, listed and indexed.
    assert "inspector.catalog.work" in loaded  # It did summarise slices.
    assert [name for name in NOT_IN_A_WORKER if name in loaded] == []


def _shard(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in tables
        }


@pytest.mark.parametrize("kind", ["rows", "places", "text"])
def test_a_shard_written_in_chunks_holds_what_one_write_holds(
    kind: Kind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(40), blank_lines=True))
    source = open_source(path)
    assert isinstance(source, Source)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "SLICE_BYTES", 8000)
    monkeypatch.setattr(parallel, "FIRST_SLICE_BYTES", 3000)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    parts = parallel.slices(source)
    assert parts is not None and len(parts) > 2
    written = {}
    for chunk in (3, 1000):
        monkeypatch.setattr(work, "CHUNK", chunk)
        shards = []
        for number, part in enumerate(parts):
            shard = tmp_path / f"{chunk}-{number}.db"
            result = work.in_worker(part, kind, shard)
            assert result.shard == str(shard) and result.rows == [] and result.error is None
            shards.append((result.records, result.lines, _shard(shard)))
        written[chunk] = shards
    assert written[3] == written[1000]
    assert sum(records for records, _, _ in written[3]) == 40
