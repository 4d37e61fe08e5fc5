"""The persistent index cache: a finished catalog kept under the user's cache folder for next time.

An entry is named by a key made from the export's path, size and modification time
(for a folder, every file's): the rows database, the text index's databases (the
catalog's own, then one per worker that built a part of it) and a manifest written
last. Each database is copied in beside the entry under a temporary name as soon as it
is finished (`Saving`) and synced; once all are there they are renamed, and only then
is the manifest written (the same way), so a crash at any point leaves no manifest, or
an old one that no longer matches: either way the entry is not read as good. The
manifest stamps the cache format and the app's version; an entry from another version
is rebuilt, never read. The folder is the owner's alone (0700, files 0600) and bounded
in size: the least recently used entries go first. A folder that cannot be written
(read-only, full) only turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import msgspec

from inspector import __version__

#: Where the cache lives instead of the user's cache folder (tests point it at a temp dir).
CACHE_ENV: Final = "INSPECTOR_CACHE_DIR"
#: The bound on the cache's total size, in MB; 0 turns the cache off.
LIMIT_ENV: Final = "INSPECTOR_CACHE_MB"
#: Bump when the databases' schema or the meaning of a row changes.
FORMAT: Final = 5
DEFAULT_LIMIT: Final = 4_000 * 1_000_000
#: Smaller sources index in well under a second: not worth a cache entry.
DEFAULT_MIN_BYTES: Final = 8 * 1_000_000
#: Temporary files older than this are left by a crash, not by a save in progress.
_STALE_SECONDS: Final = 3600.0


class CacheStopped(Exception):
    """Raised inside a save when the catalog is closed part way."""


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The cache folder: `$INSPECTOR_CACHE_DIR`, else the user's cache folder for inspector."""
    override = environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("inspector")) / "catalog"


def source_key(
    paths: Sequence[str], *, fts: bool, known: Mapping[str, tuple[int, int]] | None = None
) -> dict[str, Any] | None:
    """What identifies an export on disk: each file's absolute path, size and mtime
    (in ns), from `known` (as the files were found when listed) or asked of the system."""
    files = []
    known = known or {}
    # Each folder made absolute once, and no `Path` a file: through `Path`, a folder of
    # a thousand files took 9 ms.
    folders: dict[str, str] = {}
    for path in paths:
        status = known.get(path)
        if status is None:
            try:
                found = os.stat(path)  # noqa: PTH116 (see above)
            except OSError:
                return None
            status = found.st_size, found.st_mtime_ns
        folder, name = os.path.split(path)
        absolute = folders.get(folder)
        if absolute is None:
            absolute = folders[folder] = str(Path(folder).absolute())
        where = os.path.join(absolute, name)  # noqa: PTH118 (see above)
        files.append([where, *status])
    return {"files": files, "fts": fts}


class Use(msgspec.Struct):
    """How one catalog uses the cache: where to save (None: not at all), a hit, a note."""

    cache: IndexCache | None = None
    key: dict[str, Any] | None = None
    hit: Hit | None = None
    #: Why the cache is off for this source (its folder cannot be written), or None.
    note: str | None = None


def use_for(
    paths: Sequence[str | None],
    size: int,
    *,
    fts: bool,
    cache: IndexCache | bool,
    known: Mapping[str, tuple[int, int]] | None = None,
) -> Use:
    """How a source of these files uses `cache` (True: the one the environment names);
    `known`: the files' sizes and modification times as listed (`source_key`).

    Stdin and small sources are not cached. A folder that cannot be written turns the
    cache off for this source, with a note.
    """
    chosen = IndexCache.from_environment() if cache is True else cache or None
    files = [path for path in paths if path is not None]
    if chosen is None or size < chosen.min_bytes or len(files) != len(paths):
        return Use()
    key = source_key(files, fts=fts, known=known)
    if key is None:
        return Use()
    hit = chosen.lookup(key)
    if hit is not None:
        return Use(chosen, key, hit)
    note = chosen.probe()
    return Use(None, None, None, note) if note else Use(chosen, key)


def save_finished(
    saving: Saving, texts: Sequence[Path], *, logs: int, error: str | None
) -> str | None:
    """Copy the text index's databases in beside the rows, two at a time (a copy keeps
    one core busy, and indexing is over), then make the entry, unless its source
    changed while it was built; a note if saving failed."""
    key = saving.key
    paths = [str(path) for path, _, _ in key["files"]]
    if source_key(paths, fts=key["fts"]) != key:
        saving.discard()
        return None
    with ThreadPoolExecutor(2, thread_name_prefix="catalog-cache") as copying:
        list(copying.map(saving.add, range(1, len(texts) + 1), texts))
    try:
        saving.finish(1 + len(texts), logs=logs, error=error)
    except CacheStopped:
        return None
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"index cache off ({saving.cache.folder}): {reason}"
    return None


class Saving:
    """An entry being saved: each database copied in under a temporary name as soon as
    it is finished (`add`, from any thread: the rows while the text is still being
    indexed), then all made the entry at once (`finish`). Until `finish` writes the
    manifest, nothing of it is read as good; `discard` deletes what was copied."""

    def __init__(self, cache: IndexCache, key: dict[str, Any], stopped: Callable[[], bool]) -> None:
        self.cache = cache
        self.key = key
        self._stopped = stopped
        self._lock = threading.Lock()
        #: Each database's copy, by its number in the entry (0: the rows, then the text).
        self._copies: dict[int, Path] = {}
        #: What the first copy that failed raised, for `finish` to raise.
        self._failed: Exception | None = None

    def add(self, number: int, database: Path) -> None:
        """Copy `database` in as the entry's `number`th; a failure is kept for `finish`."""
        if self._failed is not None:
            return
        try:
            self.cache._make_folder()
            temporary = self.cache._temp(".db")
            with self._lock:
                self._copies[number] = temporary
            _copy_database(database, temporary, self._stopped)
        except (CacheStopped, OSError, sqlite3.Error) as exc:
            with self._lock:
                self._failed = self._failed or exc

    def finish(self, count: int, *, logs: int, error: str | None) -> None:
        """Make the `count` databases added the entry, then keep within the bound.

        Raises what a copy raised (`OSError`, `sqlite3.Error`, `CacheStopped`), or what
        writing the manifest raises; nothing half-written is left as good.
        """
        try:
            if self._failed is not None:
                raise self._failed
            with self._lock:
                copies = [self._copies[number] for number in range(count)]
            if self.cache._place(self.key, copies, logs=logs, error=error):
                with self._lock:
                    self._copies.clear()  # Renamed: theirs are the entry's names now.
        finally:
            self.discard()

    def discard(self) -> None:
        """Delete the copies not made part of the entry."""
        with self._lock:
            copies, self._copies = list(self._copies.values()), {}
        for path in copies:
            with contextlib.suppress(OSError):
                path.unlink()


class Hit(msgspec.Struct, frozen=True):
    """A usable cache entry: its databases, and what the catalog knew when it saved them."""

    rows: Path
    #: The text index: the catalog's database first, then the workers'.
    texts: tuple[Path, ...]
    logs: int
    error: str | None


class CacheUsage(msgspec.Struct, frozen=True):
    """What `inspector cache` prints: where the cache is, its entries and bytes."""

    folder: Path
    entries: int
    size: int
    limit: int


class IndexCache:
    """The cache folder: look an export up, save a finished index, evict, clear."""

    def __init__(
        self,
        folder: Path,
        *,
        limit: int = DEFAULT_LIMIT,
        min_bytes: int = DEFAULT_MIN_BYTES,
    ) -> None:
        self.folder = folder
        self.limit = limit
        #: Sources smaller than this are not cached.
        self.min_bytes = min_bytes

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> IndexCache | None:
        """The cache the environment asks for; None when `INSPECTOR_CACHE_MB` is 0."""
        limit = DEFAULT_LIMIT
        text = environ.get(LIMIT_ENV, "").strip()
        if text:
            try:
                limit = int(float(text) * 1_000_000)
            except ValueError:
                limit = DEFAULT_LIMIT
        return cls(cache_dir(environ), limit=limit) if limit > 0 else None

    def name(self, key: Mapping[str, Any]) -> str:
        """The file name stem of the entry for `key`."""
        encoded = json.dumps(key, sort_keys=True).encode("utf-8", "surrogateescape")
        return hashlib.sha256(encoded).hexdigest()[:32]

    def lookup(self, key: Mapping[str, Any]) -> Hit | None:
        """The entry for `key` if there is a whole one from this version; else None."""
        stem = self.name(key)
        manifest = self.folder / f"{stem}.json"
        try:
            meta = json.loads(manifest.read_bytes())
            if not _current(meta) or meta.get("key") != json.loads(json.dumps(key)):
                return None
            paths = [self.folder / f"{stem}.{part}" for part in _parts(len(meta["sizes"]))]
            if len(paths) < 2 or [path.stat().st_size for path in paths] != meta["sizes"]:
                return None
            # Touched, so that eviction takes the least recently used entries first.
            os.utime(manifest)
            return Hit(paths[0], tuple(paths[1:]), int(meta["logs"]), meta.get("error"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(
        self,
        key: dict[str, Any],
        databases: Sequence[Path],
        *,
        logs: int,
        error: str | None,
        stopped: Callable[[], bool] = lambda: False,
    ) -> None:
        """Copy the finished databases in as the entry for `key`, then keep within the bound.

        Raises `OSError` or `sqlite3.Error` when the folder cannot be written, and
        `CacheStopped` when `stopped()` turns true; nothing half-written is left as good.
        A catalog saves through `begin` instead, copying each database when it is done.
        """
        saving = self.begin(key, stopped)
        for number, database in enumerate(databases):
            saving.add(number, database)
        saving.finish(len(databases), logs=logs, error=error)

    def begin(self, key: dict[str, Any], stopped: Callable[[], bool] = lambda: False) -> Saving:
        """Start saving the entry for `key` (see `Saving`); `stopped()` stops its copies."""
        return Saving(self, key, stopped)

    def _place(
        self, key: Mapping[str, Any], copies: list[Path], *, logs: int, error: str | None
    ) -> bool:
        """Rename the synced `copies` in as the entry for `key` and write its manifest
        last; False, and nothing renamed, for an entry bigger than the bound."""
        stem = self.name(key)
        final = [self.folder / f"{stem}.{part}" for part in _parts(len(copies))]
        manifest = self.folder / f"{stem}.json"
        sizes = [path.stat().st_size for path in copies]
        if sum(sizes) > self.limit:
            return False
        # The old manifest first: an older entry stops being good before its files change.
        with contextlib.suppress(FileNotFoundError):
            manifest.unlink()
        for made, target in zip(copies, final, strict=True):
            made.replace(target)
        meta = {"format": FORMAT, "app": __version__, "key": key, "logs": logs}
        meta.update(error=error, sizes=sizes, sqlite=sqlite3.sqlite_version)
        written = self._temp(".json")
        try:
            _write_synced(written, json.dumps(meta).encode("utf-8", "surrogateescape"))
            written.replace(manifest)
        except BaseException:
            with contextlib.suppress(OSError):
                written.unlink()
            raise
        _sync_folder(self.folder)
        self.evict(keep=stem)
        return True

    def probe(self) -> str | None:
        """None if the folder can be written; else why not, as a note for the user."""
        try:
            self._make_folder()
            self._temp(".probe").unlink()
        except OSError as exc:
            return f"index cache off ({self.folder}): {exc.strerror or exc}"
        return None

    def evict(self, *, keep: str | None = None) -> None:
        """Remove the least recently used entries until the cache fits its bound."""
        entries = sorted(self._entries().items(), key=lambda item: item[1][0])
        total = sum(size for _, size in (value for _, value in entries))
        for stem, (_, size) in entries:
            if total <= self.limit:
                break
            if stem != keep:
                self._remove(stem)
                total -= size

    def usage(self) -> CacheUsage:
        """Where the cache is, how many entries it holds and their total size."""
        entries = self._entries()
        return CacheUsage(
            self.folder, len(entries), sum(size for _, size in entries.values()), self.limit
        )

    def clear(self) -> CacheUsage:
        """Remove every entry (and any leftover temporary file); returns what was removed."""
        removed = self.usage()
        for stem in self._entries():
            self._remove(stem)
        return removed

    def _entries(self) -> dict[str, tuple[float, int]]:
        """Each entry's last use and bytes; temporary files left by a crash count as entries."""
        found: dict[str, tuple[float, int]] = {}
        try:
            files = list(os.scandir(self.folder))
        except OSError:
            return found
        now = time.time()
        for item in files:
            try:
                status = item.stat()
            except OSError:
                continue
            stem = item.name.split(".", 1)[0]
            if item.name.startswith("tmp-") and now - status.st_mtime < _STALE_SECONDS:
                continue  # Another process may be saving into it right now.
            used, size = found.get(stem, (status.st_mtime, 0))
            found[stem] = (max(used, status.st_mtime), size + status.st_size)
        return found

    def _remove(self, stem: str) -> None:
        # The manifest first: the entry stops being good before its databases go.
        names = [f"{stem}.json", *(f"{stem}.{part}" for part in _parts(2))]
        with contextlib.suppress(OSError):
            names += [p.name for p in self.folder.iterdir() if p.name.split(".", 1)[0] == stem]
        for name in dict.fromkeys(names):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()

    def _make_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.folder.stat().st_mode & 0o077:
            self.folder.chmod(0o700)

    def _temp(self, suffix: str) -> Path:
        handle, name = tempfile.mkstemp(prefix="tmp-", suffix=suffix, dir=self.folder)
        os.close(handle)  # mkstemp makes it 0600.
        return Path(name)


def _parts(count: int) -> list[str]:
    """The file names after an entry's stem for `count` databases: rows, then text."""
    return ["rows.db", "text.db", *(f"text-{number}.db" for number in range(1, count - 1))]


def _current(meta: Any) -> bool:
    return (
        isinstance(meta, dict)
        and meta.get("format") == FORMAT
        and meta.get("app") == __version__
        and meta.get("sqlite") == sqlite3.sqlite_version
    )


def _copy_database(source: Path, target: Path, stopped: Callable[[], bool]) -> None:
    """A consistent copy of a live database, in rollback-journal mode, synced to disk."""

    def check(*_: int) -> None:
        if stopped():
            raise CacheStopped

    reader = sqlite3.connect(source)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer, pages=4096, progress=check)
        writer.execute("PRAGMA journal_mode=DELETE")
    finally:
        writer.close()
        reader.close()
    check()
    with target.open("rb+") as stream:
        os.fsync(stream.fileno())


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
