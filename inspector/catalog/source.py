"""A source of many logs (a file, a folder or stdin bytes) opened from a command-line target."""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from inspector.catalog.shapes import (
    FOLDER_SUFFIXES,
    Record,
    SourceFile,
    check_first_item,
    detect,
    page_or_raise,
)
from inspector.catalog.split import file_records
from inspector.errors import LogDecodeError, SourceError, reading
from inspector.model.decode import LogDocument, decode_log
from inspector.sanitize import one_line


@dataclass(slots=True)
class Source:
    """A source of many logs: its files in order, and stdin bytes when read from a pipe."""

    label: str
    files: list[SourceFile]
    data: bytes | None = None
    #: True for a folder: locations then name the file.
    is_folder: bool = False

    @property
    def size(self) -> int:
        """Bytes in all files together (for progress)."""
        return sum(file.size for file in self.files)

    def records(self) -> Iterator[Record]:
        """Yield every record in order; a file that cannot be split raises `SourceError`."""
        for number, file in enumerate(self.files):
            prefix = f"{file.name} " if self.is_folder else ""
            yield from file_records(file, number, prefix, self.data)

    def where(self, location: str) -> str:
        """How a record is named in messages: `export.jsonl line 12`, `logs/a.json`."""
        if self.is_folder:
            return f"{self.label.rstrip('/')}/{location}"
        return f"{self.label} {location}"

    def read(self, file: int, offset: int, length: int) -> bytes:
        """The exact bytes of one record (re-read from disk for a file)."""
        source_file = self.files[file]
        if source_file.path is None:
            assert self.data is not None
            return self.data[offset : offset + length]
        shown = one_line(source_file.name, 200)
        try:
            with Path(source_file.path).open("rb") as stream:
                stream.seek(offset)
                data = stream.read(length)
        except OSError as exc:
            raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        if len(data) != length:
            raise SourceError(f"{shown}: the file changed since it was opened; open it again")
        return data


def open_source(
    target: str | os.PathLike[str] | bytes, *, label: str | None = None
) -> Source | LogDocument:
    """Open a file, folder or stdin bytes: the one log it holds, or a `Source` of many.

    Only the first bytes (and, for a single JSON object, one decode) are read here;
    records are listed later by `Source.records()`. Inputs that hold no logs raise
    `SourceError` or `LogDecodeError` with a one-line message.
    """
    if isinstance(target, bytes):
        name = label or "stdin"
        return _open_buffer(target, name, None, target)
    path = os.fspath(target)
    name = label or path
    if Path(path).is_dir():
        return _open_folder(path, name)
    with reading(path, name), Path(path).open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size == 0:
            return decode_log(b"", name)
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return _open_buffer(mapped, name, path, None)


def _open_buffer(
    buffer: bytes | mmap.mmap, name: str, path: str | None, data: bytes | None
) -> Source | LogDocument:
    shape = detect(buffer, lines=(path or "").endswith(".jsonl"))
    if shape == "array":
        check_first_item(buffer, name)
    elif shape == "object":
        whole = bytes(buffer) if data is None else data
        try:
            return decode_log(whole, name)
        except LogDecodeError as exc:
            shape = page_or_raise(whole, name, exc)
    return Source(name, [SourceFile(name, path, len(buffer), shape)], data)


def _open_folder(path: str, name: str) -> Source:
    shown = one_line(name, 200)
    try:
        entries = list(_folder_files(path))
    except OSError as exc:
        raise SourceError(f"{shown}: cannot list the folder: {exc.strerror or exc}") from None
    if not entries:
        raise SourceError(f"{shown}: no .json or .jsonl files in this folder")
    files = [
        # A folder's files are classified when they are read, in the indexing thread.
        SourceFile(
            entry_name, entry_path, size, "jsonl" if entry_name.endswith(".jsonl") else "object"
        )
        for entry_name, entry_path, size in entries
    ]
    return Source(name, files, is_folder=True)


def _folder_files(root: str) -> Iterator[tuple[str, str, int]]:
    """`(name relative to root, path, size)` of every log file under `root`, recursively.

    Below a File folder of Humanloop's exporter (one with a `file.json`), only `logs/`
    folders hold logs: `file.json`, `versions/`, `deployments.json`, `evaluation.json`,
    `stats.json` and `runs/` are never read. Symbolic links to folders are not followed,
    so a link loop cannot trap the walk.
    """
    file_folders: list[Path] = []
    for folder_name, subfolders, names in os.walk(root, onerror=_raise):
        folder = Path(folder_name)
        subfolders.sort()
        if "file.json" in names:
            file_folders.append(folder)
        if any(folder.is_relative_to(top) for top in file_folders):
            subfolders[:] = [name for name in subfolders if name not in EXPORT_SKIPPED]
            if folder.name != "logs":
                continue
        relative = folder.relative_to(root)
        for entry_name in sorted(names):
            if not entry_name.endswith(FOLDER_SUFFIXES) or entry_name in EXPORT_NOT_LOGS:
                continue
            entry = folder / entry_name
            if entry.is_file():
                yield str(relative / entry_name), str(entry), entry.stat().st_size


def _raise(error: OSError) -> None:
    raise error


#: Folders of an export that never hold logs.
EXPORT_SKIPPED: Final = frozenset({"versions", "runs", "datapoints"})
#: Files of an export that are JSON but not logs.
EXPORT_NOT_LOGS: Final = frozenset(
    {"file.json", "deployments.json", "evaluation.json", "stats.json"}
)
