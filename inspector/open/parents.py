"""Find a log's parent where it is at hand: the log it was opened from, or a file beside it.

`p` looks here (and in the list the log came from) before it asks the API, so a folder of
logs saved together, or an evaluator's log opened from inside its parent, needs no key.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

import msgspec

from inspector.model.decode import LogDocument
from inspector.open.one import DocumentSource, FileSource, LogSource

#: A folder with more files than this is not searched file by file (only by file name).
MAX_FILES: Final = 2000
#: Files bigger than this are not read to look for a parent.
MAX_BYTES: Final = 16 * 1024 * 1024

#: Given a log id, its source where it is at hand, or None.
Finder = Callable[[str], Awaitable[LogSource | None]]


class _Id(msgspec.Struct):
    id: str | None = None


def _candidates(folder: Path, log_id: str) -> list[Path]:
    """The JSON files of a folder, those whose name holds the id first."""
    try:
        with os.scandir(folder) as entries:
            files = [
                Path(entry.path)
                for entry in entries
                if entry.name.endswith(".json") and entry.is_file()
            ]
    except OSError:
        return []
    named = [path for path in files if log_id in path.name]
    if len(files) > MAX_FILES:
        return named
    return named + sorted(path for path in files if log_id not in path.name)


def find_in_folder(folder: Path, log_id: str, skip: Path | None = None) -> Path | None:
    """A file in `folder` (not `skip`) holding the log `log_id` at its top level."""
    needle = log_id.encode()
    for path in _candidates(folder, log_id):
        if skip is not None and path == skip:
            continue
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if needle not in data:
            continue
        try:
            found = msgspec.json.decode(data, type=_Id)
        except (msgspec.DecodeError, RecursionError):
            continue
        if found.id == log_id:
            return path
    return None


def parent_finder(source: LogSource, outer: LogDocument | None, resolver: Finder | None) -> Finder:
    """Look for a log in the list (`resolver`), then `outer`, then the folder of a file."""

    async def find(log_id: str) -> LogSource | None:
        found = await resolver(log_id) if resolver is not None else None
        if found is not None:
            return found
        if outer is not None and outer.log.id == log_id:
            return DocumentSource(outer)
        if isinstance(source, FileSource):
            path = Path(source.path)
            sibling = await asyncio.to_thread(find_in_folder, path.parent, log_id, path)
            if sibling is not None:
                return FileSource(str(sibling))
        return None

    return find
