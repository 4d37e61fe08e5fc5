"""`inspector show` on a source of many logs: one line per log, or the one log picked by `--id`.

Streams the source record by record (no index, no temporary database), so the first
lines print at once and memory stays flat however big the export is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import UTC
from typing import Any, Final, TextIO

import msgspec

from inspector.catalog.entry import Entry
from inspector.catalog.names import with_file_names
from inspector.catalog.source import Source, open_source
from inspector.catalog.summary import record_id, summarize
from inspector.errors import SourceError, UsageError
from inspector.model.decode import LogDocument, nested_log, trace_child
from inspector.open.targets import Target, read_stdin
from inspector.present import words as d
from inspector.present.trace import trace_nodes
from inspector.sanitize import one_line

_ID_WIDTH: Final = 28
_LABEL_WIDTH: Final = 24
_STATUS_WIDTH: Final = 9
_TIME_WIDTH: Final = 26
_OUTPUT_CHARS: Final = 100
_UNSAFE_IN_JSON: Final = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def open_local(target: Target) -> LogDocument | Source:
    """Open a file, folder or stdin: the one log it holds, or the source of many."""
    if target.kind == "stdin":
        return open_source(read_stdin(), label="stdin")
    return open_source(target.value)


def entries(source: Source) -> Iterator[Entry]:
    """Every record of `source` as a list entry: a folder's in time order, else source order.

    A folder's files come in name order, which says nothing about when each log was
    made; one entry per file is small, so they are sorted (a file of logs streams).
    A log held twice (the exporter writes an evaluated log in its File's `logs/` and
    again in an evaluation record) is one entry: in a folder its own record's, in a
    file the first.
    """
    found = (
        (Entry.from_row(summarize(record, ordinal, source.files[record.file].path)[0]), record)
        for ordinal, record in enumerate(source.records())
    )
    if not source.is_folder:
        # Streamed: the first record of an id is printed, later copies skipped (only the
        # ids are kept, a few dozen bytes a log).
        seen: set[str] = set()
        for entry, _ in found:
            if entry.id is None:
                yield entry
            elif entry.id not in seen:
                seen.add(entry.id)
                yield entry
        return
    place: dict[str, int] = {}
    listed: list[Entry] = []
    for entry, record in found:
        where = place.get(entry.id) if entry.id is not None else None
        if where is None:
            if entry.id is not None:
                place[entry.id] = len(listed)
            listed.append(entry)
        elif record_id(record.data) == entry.id and not entry.invalid:
            # The log's own record wins over a wrapped copy met first.
            listed[where] = entry
    yield from sorted(listed, key=_time_key)


def _time_key(entry: Entry) -> tuple[bool, float, int]:
    """Logs without a time last; a time without a zone is taken as UTC."""
    moment = entry.created_at
    if moment is None:
        return (True, 0.0, entry.ordinal)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (False, moment.timestamp(), entry.ordinal)


def _time(entry: Entry) -> str:
    """The created time in a fixed width: `2024-09-18 14:03:10 UTC`, `… no tz`, `… +05:30`."""
    moment = entry.created_at
    if moment is None:
        return d.DASH
    offset = moment.utcoffset()
    if offset is None:
        zone = "no tz"
    elif not offset:
        zone = "UTC"
    else:
        zone = moment.strftime("%z")
        zone = f"{zone[:3]}:{zone[3:5]}"
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')} {zone}"


def summary_line(entry: Entry) -> str:
    """One log in one line: id, created time, label, status, tokens, cost, output.

    Errors are marked `ERROR` and invalid records `INVALID`, with the reason in place
    of the output. Every part is sanitised.
    """
    ident = entry.id if entry.id is not None else f"({entry.location})"
    if entry.invalid:
        status, text = "INVALID", entry.error or ""
    elif entry.error is not None:
        status, text = "ERROR", d.first_line(entry.error)
    else:
        status, text = entry.status, entry.output
    tokens = "—" if entry.total_tokens is None else f"{d.format_count(entry.total_tokens)} tok"
    parts = [
        one_line(ident, 200).ljust(_ID_WIDTH),
        _time(entry).ljust(_TIME_WIDTH),
        one_line(entry.label or "—", _LABEL_WIDTH).ljust(_LABEL_WIDTH),
        one_line(status, 40).ljust(_STATUS_WIDTH),
        tokens.rjust(11),
        d.format_cost(entry.cost).rjust(10),
        one_line(text, _OUTPUT_CHARS),
    ]
    return "  ".join(parts).rstrip()


def summary_json(entry: Entry) -> bytes:
    """One log's summary as a compact JSON object, every control character escaped.

    msgspec escapes C0 controls; DEL, C1 controls and bidi marks are escaped here (as
    `\\u009b`, still valid JSON), since they can only occur inside strings.
    """
    fields: dict[str, Any] = {
        "id": entry.id,
        "location": entry.location,
        "created_at": entry.created_at.isoformat() if entry.created_at else None,
        "label": entry.label,
        "status": entry.status,
        "error": entry.error,
        "total_tokens": entry.total_tokens,
        "cost": entry.cost,
        "latency": entry.latency,
        "output": entry.output,
    }
    text = msgspec.json.encode(fields).decode()
    return _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text).encode()


def write_summary(source: Source, fmt: str, out: TextIO) -> int:
    """Print every log of `source` as a line (text) or a JSON object per line (json)."""
    if fmt == "markdown":
        raise UsageError(
            f"{one_line(source.label, 200)} holds many logs; "
            "--format markdown prints one: pick it with --id ID"
        )
    buffer = getattr(out, "buffer", None) if fmt == "json" else None
    unread = total = 0
    for entry in entries(source):
        total += 1
        unread += entry.invalid or entry.status == "partial"
        if fmt == "json":
            line = summary_json(entry)
            if buffer is not None:
                buffer.write(line + b"\n")
            else:
                out.write(line.decode() + "\n")
        else:
            out.write(summary_line(entry) + "\n")
    out.flush()
    if unread:
        # Every log got its line; the status tells a script that not all could be read.
        shown = one_line(source.label, 200)
        sys.stderr.write(f"inspector: error: {shown}: {unread} of {total} logs not fully read\n")
        return 1
    return 0


def find_log(source: Source, log_id: str) -> LogDocument:
    """The first log of `source` with id `log_id`, decoded from its exact bytes.

    A log nested in another (a trace child, a judgment, a wrapped evaluation log) is
    found too; an id held by several records is reported on stderr.
    """
    own: list[LogDocument] = []
    copies: list[LogDocument] = []
    needle = log_id.encode()
    for record in source.records():
        if needle not in record.data:
            continue
        path = source.files[record.file].path
        if record_id(record.data) == log_id:
            own.append(
                with_file_names(source.decode(record.file, record.data, record.location), path)
            )
        elif not own and not copies:
            document = source.decode(record.file, record.data, record.location)
            nested = _nested(document, log_id)
            if nested is document:  # A wrapper (an evaluation record): its File names it.
                nested = with_file_names(nested, path)
            copies += [nested] if nested is not None else []
    # A copy in a trace, a judgment list or a wrapper is the same log as its own record.
    found = own or copies
    if len(own) > 1:
        places = ", ".join(one_line(doc.source, 120) for doc in own[:3])
        shown = one_line(log_id, 100)
        sys.stderr.write(f"inspector: note: {len(own)} logs have id {shown}: {places}\n")
    if found:
        return found[0]
    raise SourceError(f"{one_line(source.label, 200)}: no log with id {one_line(log_id, 100)}")


def check_id(document: LogDocument, log_id: str | None) -> LogDocument:
    """`document` if it is the log asked for with `--id` (or none was asked for)."""
    nested = _nested(document, log_id) if log_id is not None else document
    if nested is not None:
        return nested
    if log_id is not None:
        raise SourceError(
            f"{one_line(document.source, 200)}: holds one log, {one_line(document.log.id, 100)},"
            f" not {one_line(log_id, 100)}"
        )
    return document


def _nested(doc: LogDocument, log_id: str) -> LogDocument | None:
    """The log `log_id` inside `doc`: the wrapped log, a trace node or a judgment."""
    if doc.log.id == log_id:
        return doc
    if doc.v5 is not None:
        for node in trace_nodes(doc.v5):
            if node.path and node.log.id == log_id:
                return trace_child(doc, node.path)
    for index, result in enumerate(doc.log.evaluation_results):
        if result.evaluator_log is not None and result.evaluator_log.id == log_id:
            return nested_log(doc, index, "evaluator_log")
    return None
