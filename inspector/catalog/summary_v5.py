"""The list row of a record that is not a clean v4 log: a v5 log, a wrapped one, a v4 call.

A plain v5 log (the bulk of an export) is read by a lean Struct that decodes only what
the list shows: the nested `trace_children`, messages and most of the version object are
skipped by msgspec without building objects, so listing costs about what a v4 log costs.
Anything else (wrappers, call responses, a log that breaks the model) is decoded whole
with `decode_log` (the one reader of every shape), and its row is made from the same
view the panes read. Both give the same row for the same log (a test checks it).
In an exporter folder, a log whose version object has no name or path takes them from
its File's `file.json` (`inspector.catalog.names`).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any, Final

import msgspec
from msgspec import Raw, Struct

from inspector.model.chat import ChatMessage
from inspector.model.document import LogDocument
from inspector.present import words as describe


class _Function(Struct, gc=False):
    name: Any = None


class _Version(Struct, gc=False):
    """What a row needs of a version object."""

    id: str | None = None
    path: str | None = None
    name: str | None = None
    model: str | None = None
    function: _Function | None = None


class V5Summary(Struct, kw_only=True, gc=False):
    """The fields of a plain v5 log that the list shows, filters or sorts on.

    Keys that make a record something else (a v4 log, a list page, a call response)
    are read as `Raw` only to send such a record down the full path.
    """

    id: str
    agent: _Version | None = None
    flow: _Version | None = None
    prompt: _Version | None = None
    tool: _Version | None = None
    evaluator: _Version | None = None
    evaluator_logs: list[Raw] | None = None
    created_at: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    output: str | None = None
    error: str | None = None
    output_message: ChatMessage | None = None
    provider_latency: float | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    prompt_cost: float | None = None
    output_cost: float | None = None
    finish_reason: str | None = None
    log_status: str | None = None
    trace_status: str | None = None
    trace_id: str | None = None
    trace_parent_id: str | None = None
    # Present: not a plain v5 log (read whole instead).
    logs: Raw = Raw()
    records: Raw = Raw()
    evaluation_results: Raw = Raw()
    observability_status: Raw = Raw()


class _Evaluated(Struct, kw_only=True, gc=False):
    """A record of an evaluation's `logs/` (`{run_id, datapoint, log, evaluator_logs}`)."""

    log: V5Summary
    run_id: Raw = Raw()
    evaluated_version: Raw = Raw()
    evaluator_logs: list[Raw] | None = None


class _Page(Struct, gc=False):
    records: list[V5Summary]


_summary_decoder: Final = msgspec.json.Decoder(V5Summary)
_page_decoder: Final = msgspec.json.Decoder(_Page)
_evaluated_decoder: Final = msgspec.json.Decoder(_Evaluated)
_KINDS: Final = ("agent", "flow", "prompt", "tool", "evaluator")
_FULL_PATH: Final = ("logs", "records", "evaluation_results", "observability_status")


def lean_v5(data: bytes) -> V5Summary | None:
    """`data` as a plain v5 log's summary (also the log of an evaluation record), or None
    when it must be read whole."""
    try:
        log = _summary_decoder.decode(data)
    except msgspec.ValidationError:
        return _evaluated(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return log if _plain(log) else None


def lean_v5_page(data: bytes) -> list[V5Summary] | None:
    """Each record of a list page as `lean_v5` reads it, from one decode of the page; None
    unless every record is a plain v5 log."""
    try:
        logs = _page_decoder.decode(data).records
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return logs if all(_plain(log) for log in logs) else None


def _evaluated(data: bytes) -> V5Summary | None:
    """The log of an evaluation record, with the record's judgments when it has none."""
    try:
        record = _evaluated_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    if not len(record.run_id) and not len(record.evaluated_version):
        return None  # A session event `{log, children}`, or not a log at all.
    log = record.log
    if record.evaluator_logs and not log.evaluator_logs:
        log.evaluator_logs = record.evaluator_logs
    return log if _plain(log) else None


def _plain(log: V5Summary) -> bool:
    """True when `log` is a plain v5 log: one version object, nothing of another shape."""
    for name in _FULL_PATH:
        raw: Raw = getattr(log, name)
        if len(raw) and bytes(raw) != b"null":
            return False
    return any(getattr(log, kind) is not None for kind in _KINDS)


def summary_row(
    log: V5Summary, span: tuple[Any, ...], output: str, names: tuple[str, str] | None
) -> tuple[Any, ...]:
    """The row of a plain v5 log, as `document_row` makes it from the whole log."""
    kind = next(kind for kind in _KINDS if getattr(log, kind) is not None)
    version: _Version = getattr(log, kind)
    path, name = version.path, version.name
    if not path and not name and names is not None:
        name, path = names
    model: str | None = None
    if kind in ("prompt", "agent"):
        model = label = version.model or ""
    elif kind == "tool":
        function = version.function.name if version.function is not None else None
        label = function if isinstance(function, str) and function else "tool"
    else:
        label = "generic" if kind == "flow" else kind
    created = log.created_at or log.start_time
    latency = log.provider_latency
    if latency is None and log.start_time is not None and log.end_time is not None:
        with contextlib.suppress(TypeError):  # One naive time and one with a zone.
            latency = (log.end_time - log.start_time).total_seconds()
    prompt, out = log.prompt_tokens, log.output_tokens
    tokens = None if prompt is None and out is None else (prompt or 0) + (out or 0)
    cost = None
    if log.prompt_cost is not None or log.output_cost is not None:
        cost = (log.prompt_cost or 0.0) + (log.output_cost or 0.0)
    return (
        *span,
        log.id,
        iso_text(created),
        timestamp(created),
        path or name or label,
        model,
        kind,
        log.log_status or log.trace_status or "-",
        log.error,
        0,
        log.finish_reason,
        prompt,
        out,
        tokens,
        cost,
        latency,
        output,
        log.trace_id if log.trace_id != log.id else None,
        log.trace_parent_id,
        version.id,
        "",
        0,
        len(log.evaluator_logs or []),
    )


def document_row(doc: LogDocument, span: tuple[Any, ...], output: str) -> tuple[Any, ...]:
    """The row of a decoded document, in the column order of `catalog.entry.COLUMNS`."""
    log = doc.log
    created = log.created_at
    model = describe.model_config_of(log.config)
    kind = doc.v5.kind if doc.v5 is not None else describe.config_type(log.config)
    label = describe.config_label(log)
    if doc.v5 is not None:
        label = doc.v5.version.path or doc.v5.version.name or label
    error = "; ".join(doc.problems) if doc.problems else log.error
    # A log read only in part says so where the status is, so `t` can pick them out.
    status = "partial" if doc.problems else (log.observability_status or "-")
    return (
        *span,
        log.id,
        iso_text(created),
        timestamp(created),
        label,
        model.model if model else None,
        kind,
        status,
        error,
        0,
        log.finish_reason,
        log.prompt_tokens,
        log.output_tokens,
        describe.total_tokens(log),
        describe.total_cost(log),
        log.provider_latency if log.provider_latency is not None else log.duration,
        output,
        log.session_id,
        log.parent_id,
        log.project_id,
        "",
        0,
        len(log.evaluation_results),
    )


#: Writes a datetime as RFC 3339 text in C: a fifth of `isoformat`'s time for an aware one.
_time_encoder: Final = msgspec.json.Encoder()


def iso_text(moment: datetime | None) -> str | None:
    """`moment` as ISO 8601 text that `datetime.fromisoformat` reads back whole (UTC is
    written `Z`, not `+00:00`); None for None."""
    if moment is None:
        return None
    return _time_encoder.encode(moment)[1:-1].decode()


def timestamp(moment: datetime | None) -> float | None:
    """Seconds since the epoch for sorting; a time without a zone is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
