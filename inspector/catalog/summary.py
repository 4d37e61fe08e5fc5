"""One log to one row of the catalog: a small msgspec Struct decodes only what the list shows.

Decoding every field of 100,000 logs would be wasted work: the list needs a score of
them. The Structs here read those fields (msgspec skips the rest without building
objects) and reuse the presentation rules of `inspector.present.words`, so the list and the
single-log views word a label, a token count or a cost the same way. A record that does
not decode still gets a row: status `invalid`, the reason as its error.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any, Final, cast

import msgspec
from msgspec import Raw, Struct, field

from inspector.catalog.entry import COLUMNS
from inspector.catalog.names import name_of_file, with_file_names
from inspector.catalog.shapes import Record
from inspector.catalog.summary_v5 import (
    document_row,
    iso_text,
    lean_v5,
    lean_v5_page,
    summary_row,
    timestamp,
)
from inspector.errors import LogDecodeError
from inspector.model.chat import ContentPart
from inspector.model.decode import decode_log, explain_malformed, explain_validation_error
from inspector.model.log import ChatMessage, Config, LogResponse, Value, decode_config
from inspector.present import words as describe

#: The status of a record that is not a readable log.
INVALID: Final = "invalid"
#: Longest first line of output kept per row (the list shows far less).
_OUTPUT_CHARS: Final = 300
#: Longest feedback value shown in a row's feedback summary.
_FEEDBACK_CHARS: Final = 60

#: One row of the `logs` table, in the column order of `inspector.catalog.entry.COLUMNS`.
Row = tuple[Any, ...]
#: One row of the `places` table, in the order of `inspector.catalog.entry.PLACE_COLUMNS`.
Place = tuple[Any, ...]
#: A row's first columns: ordinal, file, offset, length and location (a line number
#: within a worker's range, until the rows are numbered in the source). The offset is
#: None for a record of a list page placed by its index (`page_places`, `page_rows`).
Span = tuple[int, int, int | None, int, str | int]
#: Feedback items of rows as `(ordinal, type, value)`.
Feedback = list[tuple[int, str, str]]


class _Feedback(Struct, kw_only=True, gc=False):
    id: str
    type: str
    value: Value = None


class LogSummary(Struct, kw_only=True, gc=False):
    """The fields of a log that the list shows, filters or sorts on.

    The required fields are those of `LogResponse`, so that a record missing one is
    listed as invalid here too rather than failing only when opened (nested parts the
    list does not read, such as evaluation results, are checked only by `load`). `messages`, the
    bulk of a log, is left out: only the text index reads it. Not tracked by the
    garbage collector (it can hold no cycles), which saves a few percent of listing.
    """

    id: str
    config_json: Raw = field(name="config")
    evaluation_results: list[Raw]
    observability_status: str
    updated_at: Raw
    created_at: datetime | None = None
    project_id: str | None = None
    session_id: str | None = None
    parent_id: str | None = None
    output: str | None = None
    feedback: list[_Feedback] | None = None
    error: str | None = None
    duration: float | None = None
    output_message: ChatMessage | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    prompt_cost: float | None = None
    output_cost: float | None = None
    provider_latency: float | None = None
    tokens: int | None = None
    finish_reason: str | None = None


class _WithConfig:
    """Just enough of a log for `describe.config_label`, which reads only `log.config`."""

    __slots__ = ("config",)

    def __init__(self, config: Config) -> None:
        self.config = config


class _Named(Struct, gc=False):
    name: Any = None


class _CalledFunction(Struct, gc=False):
    name: Any = None
    arguments: Any = None


class _Call(Struct, gc=False):
    function: _CalledFunction | None = None


class _SummaryPage(Struct, gc=False):
    records: list[LogSummary]


class _Said(Struct, gc=False):
    """A message as text search reads it: its content and the calls it made.

    Only these: decoding every field of `ChatMessage` took about twice as long, and
    a message that breaks the model elsewhere (no `role`) is still searched for what
    it says. `describe.message_text` reads only `content`.
    """

    content: str | list[ContentPart] | None = None
    tool_calls: list[_Call] | None = None


class _TextOnly(Struct, kw_only=True, gc=False):
    """The fields searched by text: id and names, output, messages and error."""

    id: Any = None
    project: Any = None
    config: _Named | None = None
    output: Any = None
    output_message: _Said | None = None
    messages: list[_Said] | None = None
    error: Any = None


class _TextPage(Struct, gc=False):
    records: list[_TextOnly]


class _IdOnly(Struct):
    id: Any = None


_LEADING_ID: Final = re.compile(rb'\s*\{\s*"id"\s*:\s*"([^"\\]{1,200})"')
_summary_decoder: Final = msgspec.json.Decoder(LogSummary)
_summary_page_decoder: Final = msgspec.json.Decoder(_SummaryPage)
_text_decoder: Final = msgspec.json.Decoder(_TextOnly)
_text_page_decoder: Final = msgspec.json.Decoder(_TextPage)
_id_decoder: Final = msgspec.json.Decoder(_IdOnly)


def summarize(
    record: Record, ordinal: int, path: str | None = None, line: int | None = None
) -> tuple[Row, Feedback]:
    """The row of one record and its feedback items as `(ordinal, type, value)`.

    `path` is the file holding the record: in an exporter folder, its `file.json` names
    the logs whose version object does not. `line`, when given, is the row's location
    instead of the record's (a worker's line number within its range).
    """
    where = record.location if line is None else line
    span = (ordinal, record.file, record.offset, record.length, where)
    if b'"config"' not in record.data:
        # Not a v4 log: a plain v5 one (most often) through its lean Struct, anything
        # else to the reader of every other shape.
        lean = lean_v5(record.data)
        if lean is None:
            return _other_row(record, span, None, path), []
        output = _output_line(lean.output, lean.output_message)
        return summary_row(lean, span, output, name_of_file(path)), []
    try:
        log = _summary_decoder.decode(record.data)
    except msgspec.ValidationError as exc:
        return _other_row(record, span, exc, path), []
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
        return _invalid(span, record.data, exc), []
    try:
        return _v4_row(log, span)
    except msgspec.ValidationError as exc:
        # A config that breaks the model: the log is read in part, as `decode_log` reads it.
        return _other_row(record, span, exc, path), []


def page_rows(
    data: bytes, number: int, prefix: str, path: str | None = None
) -> tuple[list[Row], Feedback] | None:
    """The row and feedback of every record of a list page of v4 logs, or of plain v5
    ones (file `number` of a folder, named by `prefix`; `path`, for its `file.json`) from
    one decode of the page, each as `summarize` gives it but placed as `page_places`
    places it (offset None, length its index in `records`). None when the page is not
    that (a log that breaks the model, a wrapped one, both kinds, not a page): it is then
    read record by record.
    """
    try:
        logs = _summary_page_decoder.decode(data).records
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return _v5_page_rows(data, number, prefix, path)
    rows: list[Row] = []
    feedback: Feedback = []
    try:
        for index, log in enumerate(logs):
            row, items = _v4_row(log, _page_span(index, number, prefix))
            rows.append(row)
            feedback.extend(items)
    except msgspec.ValidationError:
        return None  # A config that breaks the model.
    return rows, feedback


def _v5_page_rows(
    data: bytes, number: int, prefix: str, path: str | None
) -> tuple[list[Row], Feedback] | None:
    """`page_rows` for a page of plain v5 logs (which have no feedback of their own)."""
    # `summarize` reads a record holding the bytes `"config"` as a v4 log: such a page is
    # left to it.
    if b'"config"' in data or (logs := lean_v5_page(data)) is None:
        return None
    names = name_of_file(path)
    rows = [
        summary_row(
            log, _page_span(index, number, prefix),
            _output_line(log.output, log.output_message), names,
        )
        for index, log in enumerate(logs)
    ]  # fmt: skip
    return rows, []


def _page_span(index: int, number: int, prefix: str) -> Span:
    """The span of a list page's record known by its index (see `page_places`)."""
    return (index, number, None, index, f"{prefix}records[{index}]")


def _v4_row(log: LogSummary, span: Span) -> tuple[Row, Feedback]:
    """The row of a v4 log and its feedback; `ValidationError` for a config that breaks
    the model."""
    ordinal = span[0]
    label, model, config_type = _config_facts(bytes(log.config_json))
    # `describe` is typed for the full model but reads only fields `LogSummary` has
    # (tests check the two agree on every field of the list).
    as_log = cast(LogResponse, log)
    output = _output_text(log.output, log.output_message)
    feedback = [
        (ordinal, item.type, describe.format_value(item.value)) for item in log.feedback or []
    ]
    summary = "; ".join(f"{kind}: {_clip(value, _FEEDBACK_CHARS)}" for _, kind, value in feedback)
    created = log.created_at
    row = (
        *span,
        log.id,
        iso_text(created),
        timestamp(created),
        label,
        model,
        config_type,
        log.observability_status,
        log.error,
        0,
        log.finish_reason,
        log.prompt_tokens,
        log.output_tokens,
        describe.total_tokens(as_log),
        describe.total_cost(as_log),
        log.provider_latency if log.provider_latency is not None else log.duration,
        _clip(_first_line(output) or _calls_line(log.output_message), _OUTPUT_CHARS),
        log.session_id,
        log.parent_id,
        log.project_id,
        summary,
        len(feedback),
        len(log.evaluation_results),
    )
    return row, feedback


class _Placed(Struct, kw_only=True, gc=False):
    """What `place` reads of a log: the fields that decide how `summarize` reads it, its
    id and its times. The bulk of a log (messages, output, config) is skipped unread,
    which costs half of what decoding `LogSummary` or `V5Summary` does."""

    id: Any = None
    created_at: datetime | None = None
    start_time: datetime | None = None
    # Required by `LogSummary` (a v4 log lacking one is read whole).
    config: Raw = Raw()
    evaluation_results: Raw = Raw()
    observability_status: Any = None
    updated_at: Raw = Raw()
    # A v5 log's version object, by kind (`summary_v5._KINDS`).
    agent: Raw = Raw()
    flow: Raw = Raw()
    prompt: Raw = Raw()
    tool: Raw = Raw()
    evaluator: Raw = Raw()
    # Present: a page, a call response or a wrapped log (read whole).
    logs: Raw = Raw()
    records: Raw = Raw()
    log: Raw = Raw()


class _PlacedPage(Struct, gc=False):
    records: list[_Placed]


_placed_decoder: Final = msgspec.json.Decoder(_Placed)
_placed_page_decoder: Final = msgspec.json.Decoder(_PlacedPage)
_KINDS: Final = ("agent", "flow", "prompt", "tool", "evaluator")


def place(
    record: Record,
    ordinal: int,
    path: str | None = None,
    line: int | None = None,
) -> Place:
    """Where one record is, its id, sort time and whether it is invalid: its `Place`.

    The same as those columns of its `summarize` row (tests check they agree on every
    shape and on any change to a log), at half the cost: `_Placed` reads a plain v4 or
    v5 log's id and time, and anything else takes the whole `summarize`.
    """
    where = record.location if line is None else line
    data = record.data
    try:
        placed: _Placed | None = _placed_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        placed = None
    v4 = b'"config"' in data
    if placed is not None and _plain(placed, v4):
        span = (ordinal, record.file, record.offset, record.length, where)
        return (*span, placed.id, _sort_time(placed, v4), 0)
    row, _ = summarize(record, ordinal, path, line)
    return (*row[:6], row[_CREATED_TS], row[_INVALID])


def page_places(data: bytes, number: int, prefix: str) -> list[Place] | None:
    """The `place` of every record of a list page (file `number` of a folder, named by
    `prefix`) from one decode of the page, without finding each record's bytes: each
    place's offset is None and its length is the record's index in `records`
    (`Catalog` finds its bytes when it needs them). None when a record is not a plain
    log (the page is then read record by record) or `data` is no page.

    Whether a record is a v4 log is told by its `config` key rather than by the bytes
    `"config"` anywhere in it, as `summarize` does: a v5 log that holds those bytes
    elsewhere is read whole by `summarize`, which gives it the same id and time.
    """
    try:
        records = _placed_page_decoder.decode(data).records
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    found: list[Place] = []
    for index, placed in enumerate(records):
        v4 = not _absent(placed.config)
        if not _plain(placed, v4):
            return None
        found.append((*_page_span(index, number, prefix), placed.id, _sort_time(placed, v4), 0))
    return found


def _plain(placed: _Placed, v4: bool) -> bool:
    """Whether `summarize` reads the log through its plain v4 Struct (`v4`: the record
    has a `config`) or its plain v5 one, where `place` reads the same id and time."""
    if not isinstance(placed.id, str) or not _absent(placed.log):
        return False
    if v4:
        # `LogSummary`'s required fields. (A log whose config or other parts break
        # the model is read whole, in part: with the same id and time.)
        return (
            bytes(placed.evaluation_results).startswith(b"[")
            and isinstance(placed.observability_status, str)
            and len(placed.updated_at) > 0
            and not _absent(placed.config)
        )
    # `summary_v5._plain`: a version object, nothing of another shape.
    if placed.observability_status is not None:
        return False
    if not (_absent(placed.logs) and _absent(placed.records)):
        return False
    if not _absent(placed.evaluation_results):
        return False
    return not all(_absent(getattr(placed, kind)) for kind in _KINDS)


def _sort_time(placed: _Placed, v4: bool) -> float | None:
    """A plain log's `created_ts`: a v5 log without `created_at` is timed by its start,
    as `summary_v5.summary_row` times it."""
    return timestamp(placed.created_at if v4 else placed.created_at or placed.start_time)


def _absent(raw: Raw) -> bool:
    """Whether a key read as `Raw` is missing or null."""
    return len(raw) == 0 or (len(raw) == 4 and bytes(raw) == b"null")


_CREATED_TS: Final = COLUMNS.index("created_ts")
_INVALID: Final = COLUMNS.index("invalid")


def _other_row(record: Record, span: Span, exc: Exception | None, path: str | None) -> Row:
    """The row of a v5 log, a wrapped log or a v4 call item; invalid when it is none."""
    try:
        doc = with_file_names(decode_log(record.data, record.location), path)
    except LogDecodeError as error:
        row = list(_invalid(span, record.data, exc or error))
        row[COLUMNS.index("error")] = str(error).removeprefix(f"{record.location}: ")
        return tuple(row)
    log = doc.log
    return document_row(doc, span, _output_line(log.output, log.output_message))


def _output_line(output: str | None, message: ChatMessage | None) -> str:
    """The output's first line (or the tool calls made), clipped for the list."""
    text = _output_text(output, message)
    return _clip(_first_line(text) or _calls_line(message), _OUTPUT_CHARS)


@functools.lru_cache(maxsize=256)
def _config_facts(config_json: bytes) -> tuple[str, str | None, str]:
    """Label, model and type of a config; cached, as most logs share a handful of configs."""
    config = decode_config(config_json)
    model = describe.model_config_of(config)
    label = describe.config_label(cast(LogResponse, _WithConfig(config)))
    return label, model.model if model else None, describe.config_type(config)


def search_text(data: bytes, location: str = "") -> tuple[str, str, str, str] | None:
    """The searchable text of a record: id and names, output, all message text and the error.

    The first column also holds the project, the config's name and `location` (a
    folder's file name), so `/` finds logs by the names a person knows them by.
    """
    try:
        log = _text_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return _texts(log, location)


def page_texts(data: bytes, prefix: str) -> list[tuple[str, str, str, str]] | None:
    """`search_text` of every record of a list page (a folder's file named by `prefix`)
    from one decode of the page; None when the page does not decode whole (a record
    that is not JSON, or not a log's shape): each record is then read on its own."""
    try:
        page = _text_page_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return [_texts(log, f"{prefix}records[{index}]") for index, log in enumerate(page.records)]


def _texts(log: _TextOnly, location: str) -> tuple[str, str, str, str]:
    parts: list[str] = []
    for message in log.messages or ():
        content = message.content
        # Most content is one string: taken as it is, without a call per message.
        if isinstance(content, str):
            parts.append(content)
        elif content is not None:
            parts.append(describe.message_text(cast(ChatMessage, message)))
        if message.tool_calls:
            parts.extend(_call_texts(message))
    output = _output_text(_text_or_none(log.output), cast(ChatMessage, log.output_message))
    if log.output_message is not None:
        parts.extend(_call_texts(log.output_message))
    config_name = log.config.name if log.config is not None else None
    names = [_text_or_none(log.id), _text_or_none(log.project), _text_or_none(config_name)]
    first = " ".join(name for name in [*names, location] if name)
    return (first, output, "\n".join(parts), _text_or_none(log.error) or "")


def record_id(data: bytes) -> str | None:
    """The `id` of a record if it has a string one, without decoding anything else.

    For a record that is not even JSON (a cut-off line), an `id` that is its first key
    is still found, so that the broken record can be named.
    """
    try:
        found = _id_decoder.decode(data).id
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        match = _LEADING_ID.match(data)
        return match.group(1).decode("utf-8", "replace") if match else None
    return found if isinstance(found, str) else None


def _invalid(span: Span, data: bytes, exc: Exception) -> Row:
    # id, created_at, created_ts, label, model, config_type, status, error, invalid
    head = (record_id(data), None, None, "", None, None, INVALID, _reason(data, exc), 1)
    # finish_reason, the three token counts, cost and latency; output; session, parent
    # and project ids; feedback summary and count; evaluation count.
    tail = (None,) * 6 + ("",) + (None,) * 3 + ("", 0, 0)
    return (*span, *head, *tail)


def _reason(data: bytes, exc: Exception) -> str:
    """Why a record is not a log, in the words `decode_log` uses."""
    if isinstance(exc, msgspec.ValidationError):
        return "not a Humanloop log: " + explain_validation_error(str(exc))[0]
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    message = "invalid UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
    explained = explain_malformed(data, message)
    # A record is usually one line of a bigger file: its own line number means nothing.
    return explained.replace(" at line 1, column ", " at column ", 1)


def _output_text(output: str | None, message: ChatMessage | None) -> str:
    if output:
        return output
    return describe.message_text(message) if message is not None else ""


#: Characters of a text looked at first for its first line (`describe.first_line` splits
#: all of it, and outputs run to many kilobytes).
_HEAD: Final = 1024


def _first_line(text: str) -> str:
    """`describe.first_line(text)`, reading only the head of a long text when it can."""
    if len(text) > _HEAD:
        lines = text[:_HEAD].splitlines()
        # All but the last line end inside the head, so they are whole lines.
        for line in lines[:-1]:
            if line.strip():
                return line.strip()
    return describe.first_line(text)


def _calls_line(message: ChatMessage | None) -> str:
    """`→ lookup()` for an output that is only tool calls."""
    if message is None or not message.tool_calls:
        return ""
    return "→ " + ", ".join(f"{call.function.name}()" for call in message.tool_calls)


def _call_texts(message: _Said) -> list[str]:
    return [
        f"{call.function.name} {call.function.arguments or ''}"
        for call in message.tool_calls or []
        if call.function is not None
    ]


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
