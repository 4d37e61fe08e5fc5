"""Bytes to `LogDocument`: decode a log and word every failure as one precise line."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

import msgspec

from inspector.errors import LogDecodeError
from inspector.model import bridge
from inspector.model.document import LogDocument
from inspector.model.explain import explain_malformed, explain_validation_error
from inspector.model.log import log_decoder
from inspector.model.readers import call_item, child_bytes, read_other
from inspector.model.v5 import V5Log

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_V4_KEY: Final = b'"config"'
_LEADING_SPACE: Final = re.compile(rb"\s*")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big document is built.

    Building hundreds of thousands of containers at once triggers full collections that
    walk every object the app holds: on a 5 MB payload they took longer than decoding.
    Textual pauses the collector during smooth scrolls for the same reason.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _unreadable(data: bytes, source: str) -> Iterator[None]:
    """Word bytes that are not JSON (malformed, not UTF-8, nested too deep) as one line."""
    try:
        yield
    except msgspec.ValidationError:
        raise  # valid JSON that breaks the model: the caller's to word (a subclass below)
    except msgspec.DecodeError as exc:
        raise LogDecodeError(f"{source}: {explain_malformed(data, str(exc))}") from None
    except UnicodeDecodeError:
        # msgspec checks UTF-8 inside strings itself and raises Python's own error.
        raise LogDecodeError(f"{source}: {explain_malformed(data, 'invalid UTF-8')}") from None
    except RecursionError:
        raise LogDecodeError(f"{source}: JSON nested too deeply to read") from None


def decode_log(data: bytes, source: str = "log") -> LogDocument:
    """Decode one log, or raise `LogDecodeError` with a message naming the problem."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    error: msgspec.ValidationError | None = None
    log = None
    try:
        with _unreadable(data, source), gc_paused():
            # No `config` anywhere: not a v4 log (most often v5), so that read is skipped.
            # (The first byte found in place: `data.lstrip()` copies a 50 MB log.)
            first = _first_byte(data)
            v4 = _V4_KEY in data or first != b"{"
            log = log_decoder.decode(data) if v4 else None
    except msgspec.ValidationError as exc:
        # Not a clean v4 log: a v5 log, a wrapper, a call response, or a log that breaks
        # the model in places; `read_other` tells them apart and degrades.
        error = exc
    if log is not None:
        return LogDocument(log=log, raw=data, source=source)
    # A malformed part that validation stopped before is reached by this second read.
    return _worded(lambda: read_other(data, source, error), data, source)


def decode_call_item(data: bytes, index: int, source: str = "log") -> LogDocument:
    """Item `index` of a v4 call response's `data[]` (`data`: the whole response) as one
    log, with the usage and provider response the response gives it; `LogDecodeError`
    when it is not such a response."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    return _worded(lambda: call_item(data, source, index), data, source)


def _worded(read: Callable[[], LogDocument], data: bytes, source: str) -> LogDocument:
    """`read()`, every way it fails worded as a one-line `LogDecodeError`: JSON that is
    not readable, and a wrapper or call response whose parts are not what the spec says."""
    try:
        with _unreadable(data, source), gc_paused():
            return read()
    except msgspec.ValidationError as exc:
        message, path = explain_validation_error(str(exc))
        raise LogDecodeError(f"{source}: not a Humanloop log: {message}", path=path) from None


def _first_byte(data: bytes) -> bytes:
    """The first byte of `data` that is not whitespace, or b"" if there is none."""
    found = _LEADING_SPACE.match(data)
    start = found.end() if found else 0
    return data[start : start + 1]


class _NestedResult(msgspec.Struct):
    log: msgspec.Raw = msgspec.Raw()
    evaluator_log: msgspec.Raw = msgspec.Raw()
    llm_evaluator_log: msgspec.Raw = msgspec.Raw()


class _NestedResults(msgspec.Struct):
    evaluation_results: list[_NestedResult] = []


_nested_decoder: Final = msgspec.json.Decoder(_NestedResults)


def nested_log(doc: LogDocument, index: int, field: str) -> LogDocument:
    """The log nested in evaluation result `index` (`evaluator_log` or `log`), with its bytes.

    The bytes are cut from the parent's raw bytes, so the nested log's raw view keeps
    its unknown fields too.
    """
    if doc.v5 is not None:
        where = f"{doc.source} → evaluator_logs[{index}]"
        return decode_log(child_bytes(doc, "evaluator_logs", index), where)
    result = _nested_decoder.decode(doc.raw).evaluation_results[index]
    raw = getattr(result, field)
    if field == "evaluator_log" and not len(raw):
        raw = result.llm_evaluator_log
    return decode_log(bytes(raw), f"{doc.source} → evaluation_results[{index}].{field}")


def trace_child(doc: LogDocument, path: tuple[int, ...]) -> LogDocument:
    """The log at `path` (child indexes) in a v5 document's trace, with its own bytes.

    Names its logs' Files were given after decoding (from an export's `file.json`, by
    `catalog.names`) are kept: the child's bytes do not hold them.
    """
    for index in path:
        where = f"{doc.source} → trace_children[{index}]"
        known = doc.v5.trace_children if doc.v5 is not None else None
        doc = decode_log(child_bytes(doc, "trace_children", index), where)
        named = known[index] if known is not None and index < len(known) else None
        if named is not None and doc.v5 is not None and _carry_names(named, doc.v5):
            doc = msgspec.structs.replace(doc, log=bridge.v5_as_v4(doc.v5))
    return doc


def _carry_names(named: V5Log, fresh: V5Log) -> bool:
    """Give `fresh` and its trace the File names and paths `named` (the same logs, read
    before) has where `fresh` has none; True if the top log's changed."""
    changed = False
    pairs = [(named, fresh)]
    while pairs:
        old, new = pairs.pop()
        given, bare = old.version, new.version
        unnamed = new.kind != "unknown" and not bare.name and not bare.path
        if unnamed and (given.name or given.path):
            bare.name, bare.path = given.name, given.path
            changed = changed or new is fresh
        pairs += zip(old.trace_children or [], new.trace_children or [], strict=False)
    return changed


__all__ = [
    "LogDocument",
    "decode_log",
    "explain_malformed",
    "explain_validation_error",
    "gc_paused",
    "nested_log",
    "trace_child",
]
