"""Everything `decode_log` reads besides a clean v4 log: v5 logs, wrappers, call responses, and
logs that break the model in places (degraded, never refused).

An object is classified by which keys it has (`Probe`), never by trusting one field.
A log that does not fit its model is repaired a step at a time: the innermost list item
(or top-level field) named by each validation error is dropped, or a missing required
field given a stand-in, until the rest decodes. Each step is kept as a problem with its
JSON path, for the banner and for `show`'s exit status.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from inspector.errors import LogDecodeError
from inspector.model import bridge
from inspector.model.document import LogDocument
from inspector.model.explain import explain_validation_error
from inspector.model.log import log_decoder
from inspector.model.v5 import (
    KINDS,
    Probe,
    V5Log,
    children_decoder,
    evaluation_decoder,
    probe_decoder,
    session_decoder,
    v5_decoder,
)
from inspector.sanitize import one_line

_V4_KEYS: Final = ("config", "evaluation_results", "observability_status")
#: The id key of a create-log response (`POST /prompts/log` …) and the kind it names.
_CREATED: Final = {
    "prompt_id": "prompt",
    "tool_id": "tool",
    "flow_id": "flow",
    "evaluator_id": "evaluator",
    "agent_id": "agent",
}
_PATH_PART: Final = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\.\"([^\"]*)\"")
_MISSING: Final = re.compile(r"missing required field (\w+)")
_MAX_REPAIRS: Final = 40
_V4_STAND_INS: Final[dict[str, Any]] = {
    "id": "(no id)",
    "config": {"type": "generic", "id": "", "status": "", "name": "(config not readable)"},
    "evaluation_results": [],
    "observability_status": "",
    "updated_at": "1970-01-01T00:00:00Z",
}


def read_other(data: bytes, source: str, error: msgspec.ValidationError | None) -> LogDocument:
    """Read an object that is not a clean v4 log, or raise `LogDecodeError` saying what it is.

    `error` is why it is not a v4 log, or None when that read was skipped.
    """
    shown = one_line(source, 300)
    try:
        probe = probe_decoder.decode(data)
    except msgspec.ValidationError:
        message, path = explain_validation_error(str(_v4_error(data, error)))
        raise LogDecodeError(f"{source}: not a Humanloop log: {message}", path=path) from None
    if probe.has("records"):
        message, path = explain_validation_error(str(_v4_error(data, error)))
        raise LogDecodeError(f"{source}: not a Humanloop log: {message}", path=path)
    if any(probe.has(key) for key in _V4_KEYS):
        log, problems = repair(data, log_decoder, _V4_STAND_INS)
        return LogDocument(log=log, raw=data, source=source, problems=problems)
    if any(probe.has(key) for key in KINDS) and probe.has("id"):
        return _v5_document(data, source, data)
    wrapped_run = probe.has("run_id") or probe.has("evaluated_version")
    if probe.has("log") and not wrapped_run:
        return _session_document(data, source)
    if probe.has("log"):
        return _evaluation_document(data, source)
    if probe.has("data") and probe.has("provider_responses"):
        return _call_document(data, source)
    if probe.has("id") and probe.has("model_config_id"):
        item = bridge.data_item_decoder.decode(data)
        view = bridge.data_item_as_v4(item, None, 0)
        return LogDocument(log=view, raw=data, source=source, note="a v4 chat/completion data item")
    created = next((kind for key, kind in _CREATED.items() if probe.has(key)), None)
    if created is not None and probe.has("id"):
        log_id = msgspec.json.decode(probe.id)
        what = f"the answer to POST /{created}s/log, not a log: it holds only the new log's id"
        stub = bridge.data_item_as_v4(bridge.DataItem(id=str(log_id)), None, 0, "not a log")
        return LogDocument(log=stub, raw=data, source=source, note=what, problems=(what,))
    data.decode("utf-8")  # Bytes that are not even UTF-8 are worded as such by the caller.
    raise LogDecodeError(f"{shown}: {what_it_is(probe, source)}")


def _v4_error(data: bytes, error: msgspec.ValidationError | None) -> Exception:
    """Why `data` is not a v4 log: `error`, or found now by reading it as one."""
    if error is not None:
        return error
    try:
        log_decoder.decode(data)
    except msgspec.ValidationError as exc:
        return exc
    return ValueError("not a log")


def what_it_is(probe: Probe, source: str) -> str:
    """What a JSON object that is not a log is, in a few words."""
    kind = _text(probe.type)
    if kind in (*KINDS, "dataset") and not probe.has("evaluator_logs"):
        file = "file (file.json)" if source.endswith("file.json") else "file or version"
        if "/versions/" in source:
            file = "version (versions/…)"
        return f"a {kind.capitalize()} {file}, not a log"
    log_id = _text(probe.id) or ""
    if log_id.startswith("evr_"):
        return "an Evaluation (evaluation.json), not a log"
    if log_id.startswith("run_"):
        return "an Evaluation run (runs/…), not a log"
    return "not a Humanloop log: no `config` (v4) and no version object (v5) in this object"


def repair(data: bytes, decoder: Any, stand_ins: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    """Decode `data` with `decoder`, dropping what breaks it; the result and what was dropped."""
    value = msgspec.json.decode(data)
    problems: list[str] = []
    for _ in range(_MAX_REPAIRS):
        try:
            return decoder.decode(msgspec.json.encode(value)), tuple(problems)
        except msgspec.ValidationError as exc:
            message, path = explain_validation_error(str(exc))
            problems.append(message if path else f"{message} at $")
            if not _drop(value, path, message, stand_ins):
                break
    raise LogDecodeError(f"not a Humanloop log: {problems[-1]}")


def _drop(value: Any, path: str | None, message: str, stand_ins: dict[str, Any]) -> bool:
    """Drop what `path` names (its innermost list item, else its top-level key)."""
    if not isinstance(value, dict):
        return False
    if path in (None, "$"):
        missing = _MISSING.search(message.replace("`", ""))
        if missing is None or missing.group(1) not in stand_ins:
            return False
        value[missing.group(1)] = stand_ins[missing.group(1)]
        return True
    assert path is not None
    steps = [m.group(1) or m.group(3) or int(m.group(2)) for m in _PATH_PART.finditer(path)]
    node: Any = value
    last_list: tuple[list[Any], int] | None = None
    for step in steps:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            last_list = (node, step)
            node = node[step]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        else:
            break
    if last_list is not None:
        del last_list[0][last_list[1]]
        return True
    if steps and steps[0] in value:
        del value[steps[0]]
        return True
    return False


def _v5_log(data: bytes) -> tuple[V5Log, tuple[str, ...]]:
    try:
        return v5_decoder.decode(data), ()
    except msgspec.ValidationError:
        log, problems = repair(data, v5_decoder, {"id": "(no id)"})
        return log, problems


def _v5_document(data: bytes, source: str, raw: bytes, note: str | None = None) -> LogDocument:
    log, problems = _v5_log(data)
    body = None if raw is data else data
    if note is None and log.logs:
        note = "a Prompt call response (POST /prompts/call)"
        if len(log.logs) > 1:
            note += f": {len(log.logs)} generations, each an output message"
    view = bridge.v5_as_v4(log)
    return LogDocument(view, raw, source, v5=log, problems=problems, note=note, body=body)


def _session_log(data: bytes) -> V5Log:
    event = session_decoder.decode(data)
    log, _ = _v5_log(bytes(event.log))
    log.trace_children = [_session_log(bytes(child)) for child in event.children or []]
    return log


def _session_document(data: bytes, source: str) -> LogDocument:
    event = session_decoder.decode(data)
    inner = bytes(event.log)
    log, problems = _v5_log(inner)
    log.trace_children = [_session_log(bytes(child)) for child in event.children or []]
    note = "a v5 session event {log, children}"
    view = bridge.v5_as_v4(log)
    return LogDocument(view, data, source, v5=log, problems=problems, note=note, body=inner)


def _evaluation_document(data: bytes, source: str) -> LogDocument:
    record = evaluation_decoder.decode(data)
    inner = bytes(record.log)
    run = f" of run {one_line(record.run_id, 60)}" if record.run_id else ""
    note = f"a v5 evaluation record{run}"
    if record.datapoint and isinstance(record.datapoint.get("id"), str):
        note += f", datapoint {one_line(record.datapoint['id'], 60)}"
    nested = _inner_document(inner, source)
    if nested.v5 is None:
        return LogDocument(
            nested.log, data, source, problems=nested.problems, note=note, body=inner
        )
    log = nested.v5
    if record.evaluator_logs and not log.evaluator_logs:
        log.evaluator_logs = [_v5_log(bytes(item))[0] for item in record.evaluator_logs]
    view = bridge.v5_as_v4(log)
    return LogDocument(view, data, source, v5=log, problems=nested.problems, note=note, body=inner)


def _inner_document(data: bytes, source: str) -> LogDocument:
    """The log inside a wrapper: v4 (degraded if need be) or v5."""
    probe = probe_decoder.decode(data)
    if any(probe.has(key) for key in _V4_KEYS):
        log, problems = repair(data, log_decoder, _V4_STAND_INS)
        return LogDocument(log=log, raw=data, source=source, problems=problems)
    return _v5_document(data, source, data)


def _call_document(data: bytes, source: str, index: int = 0) -> LogDocument:
    envelope = bridge.envelope_decoder.decode(data)
    if not envelope.data:
        raise LogDecodeError(f"{one_line(source, 300)}: a v4 call response with no data items")
    count = len(envelope.data)
    if not 0 <= index < count:
        raise LogDecodeError(f"{one_line(source, 300)}: a v4 call response has no item {index}")
    item = bridge.data_item_decoder.decode(envelope.data[index])
    view = bridge.data_item_as_v4(item, envelope, index)
    # The usage of a call is one total over all its generations.
    where = f", item {index + 1} of {count} (tokens: the whole call's)" if count > 1 else ""
    note = f"a v4 chat/completion call response{where}"
    return LogDocument(view, data, source, note=note, body=bytes(envelope.data[index]))


def call_item(data: bytes, source: str, index: int) -> LogDocument:
    """Item `index` of `data[]` in a v4 call response (`data`, the whole response), with
    what the response says around it: usage, the request, `provider_responses[index]`."""
    return _call_document(data, source, index)


def child_bytes(doc: LogDocument, field: str, index: int) -> bytes:
    """The bytes of `trace_children[index]` or `evaluator_logs[index]` of a v5 document."""
    items = getattr(children_decoder.decode(doc.log_bytes), field) or []
    if not items and doc.body is not None:
        outer = children_decoder.decode(doc.raw)
        items = (outer.children if field == "trace_children" else outer.evaluator_logs) or []
    return bytes(items[index])


def _text(raw: msgspec.Raw) -> str | None:
    if not len(raw):
        return None
    try:
        value = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return None
    return value if isinstance(value, str) else None
