"""The two sides of `inspector diff`: a file, `-`, a log id, or `MANY#ID` (one log of an export)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from inspector.catalog.source import Source, open_source
from inspector.catalog.summary import record_id
from inspector.errors import SourceError, UsageError
from inspector.model.decode import LogDocument
from inspector.open.targets import LOG_ID, classify, read_stdin
from inspector.sanitize import one_line

#: Fetches a log by id from the API (given by the command line, which owns the settings).
Fetch = Callable[[str], LogDocument]


def split_member(text: str) -> tuple[str, str] | None:
    """`(MANY, ID)` for `MANY#ID` when MANY is `-` or exists; None otherwise.

    A path that exists as typed wins, so a file whose name holds `#` still opens.
    """
    if "#" not in text or Path(text).exists():
        return None
    many, _, log_id = text.rpartition("#")
    if not log_id or not (many == "-" or Path(many).exists()):
        return None
    return many, log_id


def find_member(source: Source, log_id: str) -> LogDocument:
    """The first log of `source` whose id is `log_id`, decoded from its exact bytes."""
    for record in source.records():
        if record_id(record.data) == log_id:
            return source.decode(record.file, record.data, record.location)
    raise SourceError(f"{one_line(source.label, 200)}: no log with id {one_line(log_id, 100)}")


def _open(target: str) -> LogDocument | Source:
    if target == "-":
        return open_source(read_stdin(), label="stdin")
    return open_source(target)


def load_side(text: str, fetch: Fetch) -> LogDocument:
    """One side of a diff, decoded. Raises `SourceError`, `LogDecodeError` or `UsageError`.

    A file of many logs must name the one meant (`export.jsonl#data_…`).
    """
    member = split_member(text)
    if member is not None:
        opened = _open(member[0])
        if isinstance(opened, LogDocument):
            if opened.log.id != member[1]:
                raise SourceError(
                    f"{one_line(opened.source, 200)}: holds one log,"
                    f" {one_line(opened.log.id, 100)}, not {one_line(member[1], 100)}"
                )
            return opened
        return find_member(opened, member[1])
    target = classify(text)
    if target.kind == "id":
        return fetch(target.value)
    opened = _open(target.value if target.kind != "stdin" else "-")
    if isinstance(opened, Source):
        shown = one_line(text, 200)
        raise UsageError(f"{shown} holds many logs: name one as {shown}#ID")
    return opened


def load_pair(old: str, new: str, fetch: Fetch) -> tuple[LogDocument, LogDocument]:
    """Both sides of a diff; stdin can be read for one side only."""
    reads_stdin = [side for side in (old, new) if side == "-" or side.startswith("-#")]
    if len(reads_stdin) > 1:
        raise UsageError("only one side of a diff can be read from stdin (-)")
    return load_side(old, fetch), load_side(new, fetch)


def side_name(text: str, document: LogDocument) -> str:
    """How a side is named in the diff's header: what was typed, and the log's id."""
    if LOG_ID.match(text) or text.endswith(document.log.id):
        return text
    return f"{text} ({document.log.id})"
