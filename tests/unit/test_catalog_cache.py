"""The persistent index cache: reused while an export is unchanged, rebuilt when not."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from inspector.catalog import Catalog, Query, Source, open_source, parallel
from inspector.catalog import cache as cache_module
from inspector.catalog.cache import IndexCache, Saving, cache_dir, source_key
from inspector.catalog.store import HAS_FTS5
from inspector.cli.main import main
from tests.support.exports import jsonl, log_id, make_logs, write_folder


def _export(tmp_path: Path, count: int = 40) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(count)))
    return path


def _index(path: Path, cache: IndexCache) -> Catalog:
    catalog = Catalog.open(path)
    catalog.close()  # Only to be rebuilt with the cache under test.
    catalog = Catalog(catalog.source, cache=cache)
    catalog.start()
    assert catalog.wait(30)
    return catalog


@pytest.fixture
def cache(tmp_path: Path) -> IndexCache:
    return IndexCache(tmp_path / "cache", min_bytes=0)


def _entries(cache: IndexCache) -> list[str]:
    return sorted(path.name for path in cache.folder.iterdir())


def test_a_second_open_of_an_unchanged_export_reads_the_cache(
    tmp_path: Path, cache: IndexCache
) -> None:
    path = _export(tmp_path)
    with _index(path, cache) as first:
        assert not first.from_cache
        expected = [entry.id for entry in first.query(Query(text="refund"), sort="cost")]
    with _index(path, cache) as second:
        assert second.from_cache
        assert second.progress.done and second.total == 40
        assert [entry.id for entry in second.query(Query(text="refund"), sort="cost")] == expected
        assert second.load(second.ordinal_of(log_id(7)) or 0).log.id == log_id(7)


def test_a_text_index_built_in_parts_is_cached_whole(
    tmp_path: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers for this small export: each builds a part of the text index.
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "SLICE_BYTES", 3000)
    monkeypatch.setattr(parallel, "FIRST_SLICE_BYTES", 1000)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    path = _export(tmp_path, 120)
    words = ["refund", "question", "limit", log_id(77), "common"]
    with _index(path, cache) as first:
        # One part per worker that took slices: two most often, one when a worker
        # started late (the pool hands out slices as workers ask).
        parts = len(first._store.text_paths) - 1
        assert parts in (1, 2)
        expected = [first.count(Query(text=word)) for word in words]
    assert [name.split(".", 1)[1] for name in _entries(cache)] == [
        "json", "rows.db", *[f"text-{number}.db" for number in range(1, parts + 1)], "text.db"
    ]  # fmt: skip
    # Listed in two passes: the places are not kept (a finished index never reads them).
    rows = next(cache.folder.glob("*.rows.db"))
    with closing(sqlite3.connect(rows)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "logs" in tables and "places" not in tables
    with _index(path, cache) as second:
        assert second.from_cache and len(second._store.text_paths) == parts + 1
        assert [second.count(Query(text=word)) for word in words] == expected
    assert expected[0] > 0 and expected[3] == 1
    # A part gone: the entry is not whole, and is built again.
    next(cache.folder.glob(f"*.text-{parts}.db")).unlink()
    with _index(path, cache) as third:
        assert not third.from_cache and third.total == 120


def test_a_changed_export_is_indexed_again(tmp_path: Path, cache: IndexCache) -> None:
    path = _export(tmp_path)
    _index(path, cache).close()
    path.write_bytes(jsonl(make_logs(45)))
    with _index(path, cache) as catalog:
        assert not catalog.from_cache
        assert catalog.total == 45
    with _index(path, cache) as catalog:
        assert catalog.from_cache and catalog.total == 45
    assert len([name for name in _entries(cache) if name.endswith(".json")]) == 2


def test_a_folder_is_keyed_by_its_files(tmp_path: Path, cache: IndexCache) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_folder(folder, make_logs(12))
    _index(folder, cache).close()
    with _index(folder, cache) as catalog:
        assert catalog.from_cache
    (folder / "zz-extra.json").write_bytes(json.dumps(make_logs(13)[12]).encode())
    with _index(folder, cache) as catalog:
        assert not catalog.from_cache and catalog.total == 13


def test_a_folder_file_changed_after_it_was_listed_is_never_cached(
    tmp_path: Path, cache: IndexCache
) -> None:
    # The key is the files as listed: one changed before the catalog is made (its
    # size and time no longer those listed) leaves no entry an unchanged folder would
    # be taken for, and the next open indexes the folder as it is now.
    folder = tmp_path / "pages"
    folder.mkdir()
    write_folder(folder, make_logs(12))
    listed = open_source(folder)
    assert isinstance(listed, Source)
    first = folder / listed.files[0].name
    os.utime(first, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns + 10**9))
    catalog = Catalog(listed, cache=cache)
    catalog.start()
    assert catalog.wait(30)
    catalog.close()
    assert not [name for name in _entries(cache) if name.endswith(".json")]
    with _index(folder, cache) as catalog:
        assert not catalog.from_cache and catalog.total == 12
    with _index(folder, cache) as catalog:
        assert catalog.from_cache


def test_a_key_names_each_file_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `Path.absolute` names it, whichever way the path was written: the caches of
    # exports opened before keep their keys.
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    written = ["a.json", "sub/b.json", "./sub/c.jsonl", "sub//deep/d.json", "sub/./e.json"]
    for path in written:
        (tmp_path / path).write_text("{}")
    monkeypatch.chdir(tmp_path)
    paths = [*written, str(tmp_path / "sub" / "b.json")]
    key = source_key(paths, fts=True)
    assert key is not None
    assert [entry[0] for entry in key["files"]] == [str(Path(path).absolute()) for path in paths]
    assert [entry[1] for entry in key["files"]] == [2] * len(paths)
    assert source_key([*paths, "missing.json"], fts=True) is None


def test_an_entry_from_another_version_is_rebuilt(
    tmp_path: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export(tmp_path)
    _index(path, cache).close()
    monkeypatch.setattr(cache_module, "__version__", "0.0.0-other")
    with _index(path, cache) as catalog:
        assert not catalog.from_cache and catalog.total == 40
    manifest = next(cache.folder.glob("*.json"))
    assert json.loads(manifest.read_text())["app"] == "0.0.0-other"


def test_a_half_written_entry_is_never_read_as_good(tmp_path: Path, cache: IndexCache) -> None:
    path = _export(tmp_path)
    _index(path, cache).close()
    rows = next(cache.folder.glob("*.rows.db"))
    # As if the machine stopped while a newer copy was being renamed in.
    rows.write_bytes(rows.read_bytes()[:4096])
    with _index(path, cache) as catalog:
        assert not catalog.from_cache and catalog.total == 40
    next(cache.folder.glob("*.json")).unlink()
    with _index(path, cache) as catalog:
        assert not catalog.from_cache and catalog.total == 40


def test_a_save_stopped_part_way_leaves_nothing(tmp_path: Path, cache: IndexCache) -> None:
    path = _export(tmp_path)
    with _index(path, cache) as catalog:
        databases = [catalog._store.rows_path, catalog._store.text_path]
        cache.clear()
        with pytest.raises(cache_module.CacheStopped):
            cache.save({"other": 1}, databases, logs=40, error=None, stopped=lambda: True)
    assert _entries(cache) == []


def test_the_rows_are_copied_in_while_the_text_is_indexed(
    tmp_path: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows' copy is made beside the text pass, under a temporary name, and a
    catalog closed before the text is done leaves nothing in the cache."""
    copied = threading.Event()
    indexing = threading.Event()
    add = Saving.add

    def noting(saving: Saving, number: int, database: Path) -> None:
        add(saving, number, database)
        if number == 0:
            copied.set()

    index_text = Catalog._index_text

    def waiting(catalog: Catalog, pool: object) -> None:
        indexing.set()
        catalog._stop.wait(30)  # Until the catalog is closed.
        index_text(catalog, pool)  # type: ignore[arg-type]

    monkeypatch.setattr(Saving, "add", noting)
    monkeypatch.setattr(Catalog, "_index_text", waiting)
    catalog = Catalog(Catalog.open(_export(tmp_path)).source, cache=cache)
    try:
        catalog.start()
        assert indexing.wait(30) and copied.wait(30)
        made = _entries(cache)
        assert len(made) == 1 and made[0].startswith("tmp-") and made[0].endswith(".db")
        with closing(sqlite3.connect(cache.folder / made[0])) as copy:
            assert copy.execute("SELECT count(*) FROM logs").fetchone() == (40,)
        assert not catalog.progress.done
    finally:
        catalog.close()
    assert _entries(cache) == []


def test_a_save_that_fails_part_way_leaves_nothing(
    tmp_path: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = cache_module._copy_database
    copied = []

    def text_fails(source: Path, target: Path, stopped: Callable[[], bool]) -> None:
        if source.name != "rows.db":
            raise OSError(errno.EIO, "Input/output error")
        copy(source, target, stopped)
        copied.append(target)

    monkeypatch.setattr(cache_module, "_copy_database", text_fails)
    with _index(_export(tmp_path), cache) as catalog:
        assert len(copied) == 1  # The rows were copied, then the text failed.
        assert catalog.progress.note is not None
        assert catalog.progress.note.endswith("Input/output error")
    assert _entries(cache) == []


def test_the_cache_is_the_owners_alone(tmp_path: Path, cache: IndexCache) -> None:
    _index(_export(tmp_path), cache).close()
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    modes = {stat.S_IMODE((cache.folder / name).stat().st_mode) for name in _entries(cache)}
    assert modes == {0o600}


def test_the_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    unbounded = IndexCache(tmp_path / "cache", min_bytes=0)
    paths = []
    for number in range(3):
        folder = tmp_path / f"export{number}"
        folder.mkdir()
        paths.append(_export(folder))
        _index(paths[-1], unbounded).close()
        # Entry 0 last used longest ago, then entry 1; entry 2 just now.
        stem = unbounded.name(source_key([str(paths[-1])], fts=HAS_FTS5) or {})
        for file in unbounded.folder.glob(f"{stem}.*"):
            os.utime(file, (1000 * (number + 1), 1000 * (number + 1)))
    one_entry = unbounded.usage().size // 3
    bounded = IndexCache(unbounded.folder, min_bytes=0, limit=one_entry * 2 + one_entry // 2)
    bounded.evict()
    assert bounded.usage().entries == 2
    with _index(paths[1], bounded) as catalog:
        assert catalog.from_cache
    with _index(paths[0], bounded) as catalog:
        assert not catalog.from_cache  # The oldest went; saving it again evicts entry 2.
    with _index(paths[1], bounded) as catalog:
        assert catalog.from_cache
    assert bounded.usage().entries == 2


def test_a_folder_that_cannot_be_written_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with _index(_export(tmp_path), IndexCache(blocker / "cache", min_bytes=0)) as catalog:
        assert catalog.total == 40 and not catalog.from_cache
        assert catalog.progress.note is not None
        assert catalog.progress.note.startswith("index cache off")


def test_a_full_disk_turns_the_cache_off_and_leaves_no_files(
    tmp_path: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module, "_copy_database", full)
    with _index(_export(tmp_path), cache) as catalog:
        assert catalog.total == 40
        assert catalog.progress.note is not None
        assert "No space left on device" in catalog.progress.note
    assert _entries(cache) == []


def test_small_sources_and_stdin_are_not_cached(tmp_path: Path) -> None:
    _index(_export(tmp_path), IndexCache(tmp_path / "cache")).close()
    piped = open_source(jsonl(make_logs(5)), label="stdin")
    assert isinstance(piped, Source)
    with Catalog(piped, cache=IndexCache(tmp_path / "c2", min_bytes=0)) as catalog:
        catalog.start()
        assert catalog.wait(30) and catalog.total == 5
    assert not (tmp_path / "cache").exists()
    assert not (tmp_path / "c2").exists()


def test_the_environment_points_the_cache_elsewhere(tmp_path: Path) -> None:
    assert cache_dir({"INSPECTOR_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert IndexCache.from_environment({"INSPECTOR_CACHE_MB": "0"}) is None
    limited = IndexCache.from_environment({"INSPECTOR_CACHE_DIR": "x", "INSPECTOR_CACHE_MB": "5"})
    assert limited is not None and limited.limit == 5_000_000


def test_cache_command_prints_and_clears(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(folder))
    _index(_export(tmp_path), IndexCache(folder, min_bytes=0)).close()
    assert main(["cache"]) == 0
    shown = capsys.readouterr().out
    assert str(folder) in shown and "1 cached index," in shown
    assert "of at most 4.0 GB" in shown  # sizes in the words every view uses
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cached index" in capsys.readouterr().out
    assert main(["cache"]) == 0
    assert "0 cached indexes" in capsys.readouterr().out
