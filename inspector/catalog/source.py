"""A source of many logs (a file, a folder or stdin bytes) opened from a command-line target."""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Final

import msgspec

from inspector.catalog.shapes import (
    FOLDER_SUFFIXES,
    Record,
    SourceFile,
    check_first_item,
    detect,
    is_call,
    page_or_raise,
)
from inspector.catalog.split import file_records
from inspector.catalog.window import GZIP_ERRORS, HEAD, Window, open_stream, stream_size
from inspector.errors import LogDecodeError, SourceError, reading
from inspector.files import GZIP_MAGIC, entry_problem, open_regular
from inspector.model.decode import LogDocument, decode_call_item, decode_log
from inspector.sanitize import one_line

#: A generation of a v4 call response: its place in `data[]`, the end of its record's
#: location (`data[2]`, or `chat.json data[2]` in a folder; only call responses have it).
_CALL_ITEM: Final = re.compile(r"(?:^| )data\[(\d+)\]$")


class Source(msgspec.Struct):
    """A source of many logs: its files in order, and stdin bytes when read from a pipe."""

    label: str
    files: list[SourceFile]
    data: bytes | None = None
    #: True for a folder: locations then name the file.
    is_folder: bool = False
    #: Why entries of a folder were skipped (a FIFO, a symlink loop, an unreadable file).
    notes: list[str] = msgspec.field(default_factory=list)
    #: The size and modification time (ns) of files by path, as found when listed:
    #: the index cache's key (`cache.source_key`) need not ask again.
    stats: dict[str, tuple[int, int]] = msgspec.field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes in all files together (for progress)."""
        return sum(file.size for file in self.files)

    def records(self) -> Iterator[Record]:
        """Yield every record in order; a file that cannot be split raises `SourceError`.

        In a folder, a file that cannot be read is skipped and the others read; then
        `SourceError` names every skipped file once the rest is listed.
        """
        if not self.is_folder:
            yield from file_records(self.files[0], 0, "", self.data)
            return
        notes: list[str] = []
        for number, file in enumerate(self.files):
            try:
                yield from file_records(file, number, f"{file.name} ", self.data)
            except SourceError as exc:
                # The other files of the folder are still read; the failure is told at the end.
                notes.append(exc.message)
        notes += self.notes
        if notes:
            raise SourceError(f"{one_line(self.label, 200)}: {skipped_note(notes)}")

    def where(self, location: str) -> str:
        """How a record is named in messages: `export.jsonl line 12`, `logs/a.json`."""
        if self.is_folder:
            return f"{self.label.rstrip('/')}/{location}"
        return f"{self.label} {location}"

    def decode(self, file: int, data: bytes, location: str) -> LogDocument:
        """The log of one record, decoded from its exact bytes (`read`, or a `Record`).

        A generation of a v4 call response is read with the response around it, which
        holds its usage and provider response (a call response is one API answer).
        Raises `LogDecodeError`, and `SourceError` if the file cannot be read again.
        """
        where = self.where(location)
        # By its location: a folder's file has its shape told only when it is read.
        found = _CALL_ITEM.search(location)
        if found is None:
            return decode_log(data, where)
        return decode_call_item(self._whole(file), int(found.group(1)), where)

    def _whole(self, file: int) -> bytes:
        source_file, path = self.files[file], self.files[file].path
        if path is None:
            assert self.data is not None
            return self.data
        try:
            with reading(path, source_file.name), open_stream(path) as (stream, _size):
                return stream.read()
        except GZIP_ERRORS:
            shown = one_line(source_file.name, 200)
            message = f"{shown}: the file changed since it was opened; open it again"
            raise SourceError(message) from None

    def read(self, file: int, offset: int, length: int) -> bytes:
        """The exact bytes of one record (re-read from disk for a file)."""
        source_file = self.files[file]
        if source_file.path is None:
            assert self.data is not None
            return self.data[offset : offset + length]
        shown = one_line(source_file.name, 200)
        try:
            with open_stream(source_file.path, 1 << 16) as (stream, _):
                # A gzip stream seeks by inflating up to `offset`: slower, still streaming.
                stream.seek(offset)
                data = stream.read(length)
        except OSError as exc:
            raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        except GZIP_ERRORS:
            raise SourceError(
                f"{shown}: the file changed since it was opened; open it again"
            ) from None
        if len(data) != length:
            raise SourceError(f"{shown}: the file changed since it was opened; open it again")
        return data

    def read_spans(self, file: int, spans: Sequence[tuple[int, int]]) -> list[bytes]:
        """The exact bytes of several records of one file, as `read` gives each, from
        one opening of the file: records lying close together are read as one block.

        A page of the list is mostly records side by side; opened and read one at a
        time, 200 of them took 7 ms, a share of the first frame.
        """
        source_file = self.files[file]
        if source_file.path is None or len(spans) < 2:
            return [self.read(file, offset, length) for offset, length in spans]
        shown = one_line(source_file.name, 200)
        changed = f"{shown}: the file changed since it was opened; open it again"
        found: dict[tuple[int, int], bytes] = {}
        try:
            with open_stream(source_file.path) as (stream, _):
                # In file order: a gzip stream seeks back by inflating from the start.
                for start, end, run in _runs(sorted(set(spans))):
                    stream.seek(start)
                    block = _read_exactly(stream, end - start)
                    if len(block) != end - start:
                        raise SourceError(changed)
                    for offset, length in run:
                        found[offset, length] = block[offset - start : offset - start + length]
        except OSError as exc:
            raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        except GZIP_ERRORS:
            raise SourceError(changed) from None
        return [found[span] for span in spans]


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
        if target.startswith(GZIP_MAGIC):
            target = _inflate(target, name)
        return _open_window(Window(None, one_line(name, 200), data=target), name, None, target)
    path = os.fspath(target)
    name = label or path
    if Path(path).is_dir():
        return _open_folder(path, name)
    with reading(path, name), open_stream(path) as (stream, size):
        try:
            return _open_window(Window(stream, one_line(name, 200), size=size), name, path, None)
        except GZIP_ERRORS as exc:
            raise SourceError(f"{one_line(name, 200)}: {_corrupt(exc)}") from None


def _inflate(data: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, *GZIP_ERRORS) as exc:
        raise SourceError(f"{one_line(name, 200)}: {_corrupt(exc)}") from None


def _corrupt(exc: BaseException) -> str:
    return f"the compressed file is cut off or corrupt: {one_line(str(exc), 100)}"


def holds_many(path: str) -> bool:
    """True when a file starts like a list of logs (an array or JSON Lines), or is gzip
    (which `open_source` inflates); False for anything else, unreadable files included."""
    try:
        with open_regular(path) as stream:
            head = stream.read(HEAD)
    except OSError:
        return False
    if head.startswith(GZIP_MAGIC):
        return True
    return detect(head, lines=path.endswith(".jsonl")) in ("array", "jsonl")


def _open_window(
    window: Window, name: str, path: str | None, data: bytes | None
) -> Source | LogDocument:
    window.fill(HEAD)
    lines = (path or "").endswith((".jsonl", ".jsonl.gz"))
    shape = detect(window.data, lines=lines)
    if shape == "object" and not window.eof:
        shape = detect(window.all(), lines=lines)
    if shape == "array":
        check_first_item(window.data, name)
    elif shape == "object":
        whole = window.all()
        try:
            document = decode_log(whole, name)
        except LogDecodeError as exc:
            shape = page_or_raise(whole, name, exc)
        else:
            if not is_call(whole):
                return document
            shape = "call"  # A v4 call response of several generations: a log each.
    size = len(window.data) if path is None else stream_size(path)
    return Source(name, [SourceFile(name, path, size, shape)], data)


#: Records this far apart or closer are read in one block (`Source.read_spans`).
_READ_GAP: Final = 64 << 10


def _runs(
    spans: Sequence[tuple[int, int]],
) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """Spans sorted by offset, grouped into runs with gaps of at most `_READ_GAP`:
    `(start, end, spans)` of each."""
    run: list[tuple[int, int]] = []
    start = end = 0
    for offset, length in spans:
        if run and offset - end > _READ_GAP:
            yield start, end, run
            run = []
        if not run:
            start = end = offset
        run.append((offset, length))
        end = max(end, offset + length)
    if run:
        yield start, end, run


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes from `stream`, fewer only at its end (a raw read may return less)."""
    parts = []
    while size > 0:
        part = stream.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _open_folder(path: str, name: str) -> Source:
    shown = one_line(name, 200)
    entries: list[tuple[str, str, int]] = []
    notes: list[str] = []
    stats: dict[str, tuple[int, int]] = {}
    try:
        for shown_name, entry in _folder_entries(path):
            # One bad entry (a FIFO, a loop, a folder named x.json) never hides the others.
            problem = entry_problem(entry)
            if problem is None:
                status = entry.stat()  # As `entry_problem` found it.
                entries.append((shown_name, entry.path, status.st_size))
                stats[entry.path] = (status.st_size, status.st_mtime_ns)
            else:
                notes.append(f"{one_line(shown_name, 200)}: skipped: {problem}")
    except OSError as exc:
        raise SourceError(f"{shown}: cannot list the folder: {exc.strerror or exc}") from None
    if not entries:
        if notes:
            raise SourceError(
                f"{shown}: no readable log files in this folder: {skipped_note(notes)}"
            )
        raise SourceError(f"{shown}: no .json or .jsonl files in this folder")
    files = [
        # A folder's files are classified when they are read, in the indexing thread.
        SourceFile(entry_name, entry_path, size, "jsonl" if _is_lines(entry_name) else "object")
        for entry_name, entry_path, size in sorted(entries, key=_in_number_order)
    ]
    return Source(name, files, is_folder=True, notes=notes, stats=stats)


_DIGITS: Final = re.compile(r"(\d+)")


def _in_number_order(entry: tuple[str, str, int]) -> tuple[list[str | int], str]:
    """A folder's files in the order a person numbers them: `logs/2.jsonl` before
    `logs/10.jsonl` (the exporter's files are `1.jsonl`, `2.jsonl`, …), ties by name."""
    name = entry[0]
    # Split on runs of digits: text and numbers alternate, text first, so two keys
    # never compare a number with text.
    parts = _DIGITS.split(name)
    return [int(part) if index % 2 else part for index, part in enumerate(parts)], name


def _folder_entries(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """`(name relative to root, entry)` of every would-be log file under `root`, recursively.

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
        relative = str(folder.relative_to(root))
        prefix = "" if relative == "." else relative + os.sep
        for entry in os.scandir(folder):
            if entry.name.endswith(FOLDER_SUFFIXES) and entry.name not in EXPORT_NOT_LOGS:
                yield prefix + entry.name, entry


def _raise(error: OSError) -> None:
    raise error


#: Folders of an export that never hold logs.
EXPORT_SKIPPED: Final = frozenset({"versions", "runs", "datapoints"})
#: Files of an export that are JSON but not logs.
EXPORT_NOT_LOGS: Final = frozenset(
    {"file.json", "deployments.json", "evaluation.json", "stats.json"}
)


def _is_lines(name: str) -> bool:
    return name.endswith((".jsonl", ".jsonl.gz"))


def skipped_note(notes: list[str]) -> str:
    """One line for the files of a folder that were skipped: how many, and the first reasons."""
    shown = "; ".join(notes[:4])
    more = f"; and {len(notes) - 4} more" if len(notes) > 4 else ""
    files = "1 file" if len(notes) == 1 else f"{len(notes)} files"
    return f"{files} skipped or read in part: {shown}{more}"
