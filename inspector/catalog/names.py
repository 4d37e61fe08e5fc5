"""Names from `file.json` in a folder written by Humanloop's exporter.

Each File folder (`files/<file_id>/`) holds the File's record, `file.json`, beside its
`logs/`. A log whose version object has neither name nor path (published examples omit
fields the spec calls required) takes them from there: its own File's for the log, and
`files/<version id>/file.json` for the logs nested in its trace.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Final

import msgspec
from msgspec import Struct

from inspector.files import open_regular
from inspector.model import bridge
from inspector.model.document import LogDocument
from inspector.model.v5 import Version

#: The largest `file.json` read for a name (a File record is a few KB).
_FILE_JSON_BYTES: Final = 4_000_000


class _FileRecord(Struct, gc=False):
    name: Any = None
    path: Any = None


_file_decoder: Final = msgspec.json.Decoder(_FileRecord)


def name_of_file(path: str | None) -> tuple[str, str] | None:
    """`(name, path)` from the `file.json` of the exporter's File folder holding `path`.

    `path` is a file of logs: `files/<id>/logs/N.jsonl`, or an evaluation's
    `files/<id>/evaluations/<evr_id>/logs/N.jsonl`. None when there is no readable
    `file.json` with a name or path (any other file, a folder not from the exporter).
    """
    if path is None:
        return None
    folder = Path(path).parent
    if folder.name != "logs":
        return None
    file_folder = folder.parent
    if file_folder.parent.name == "evaluations":
        file_folder = file_folder.parent.parent
    return _read_names(str(file_folder / "file.json"))


@functools.lru_cache(maxsize=512)
def _read_names(file_json: str) -> tuple[str, str] | None:
    try:
        with open_regular(file_json) as stream:
            record = _file_decoder.decode(stream.read(_FILE_JSON_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    name = record.name if isinstance(record.name, str) else ""
    file_path = record.path if isinstance(record.path, str) else ""
    return (name, file_path) if name or file_path else None


def with_file_names(doc: LogDocument, path: str | None) -> LogDocument:
    """`doc` with its File's name and path from `file.json` when its version lacks both;
    the logs nested in its trace too, from their own File's folder beside it."""
    log = doc.v5
    if log is None or log.kind == "unknown" or path is None:
        return doc
    named = False
    version = log.version
    if not version.path and not version.name:
        named = _name(version, name_of_file(path))
    files = next((p for p in Path(path).parents if p.name == "files"), None)
    stack = list(log.trace_children or [])
    while stack and files is not None:
        child = stack.pop()
        stack += child.trace_children or []
        nested = child.version
        if child.kind != "unknown" and not nested.path and not nested.name and nested.id:
            _name(nested, _read_names(str(Path(files, nested.id, "file.json"))))
    return msgspec.structs.replace(doc, log=bridge.v5_as_v4(log)) if named else doc


def _name(version: Version, names: tuple[str, str] | None) -> bool:
    if names is None:
        return False
    version.name, version.path = names[0] or None, names[1] or None
    return True
