"""Bytes to `LogDocument`: decode a log and word every failure as one precise line."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import msgspec

from inspector.errors import LogDecodeError
from inspector.model.log import LogResponse, log_decoder
from inspector.sanitize import one_line

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_AT_PATH: Final = re.compile(r" - at `(\$[^`]*)`")
_BYTE_OFFSET: Final = re.compile(r"\(byte (\d+)\)")
_KINDS: Final = {
    "array": "an array",
    "int": "a number",
    "float": "a number",
    "str": "a string",
    "bool": "a boolean",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class LogDocument:
    """A decoded log together with the exact bytes it was decoded from.

    The typed `log` drives every view; `raw` keeps what the model ignores (unknown
    fields, number spelling, key order) for the raw view and `--format json`.
    """

    log: LogResponse
    raw: bytes
    #: Where the bytes came from, for titles and messages: a path, `-` or a URL.
    source: str


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


def decode_log(data: bytes, source: str = "log") -> LogDocument:
    """Decode one log, or raise `LogDecodeError` with a message naming the problem."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        with gc_paused():
            log = log_decoder.decode(data)
    except msgspec.ValidationError as exc:
        message, path = explain_validation_error(str(exc))
        raise LogDecodeError(f"{source}: not a Humanloop log: {message}", path=path) from None
    except msgspec.DecodeError as exc:
        raise LogDecodeError(f"{source}: {explain_malformed(data, str(exc))}") from None
    except UnicodeDecodeError:
        # msgspec checks UTF-8 inside strings itself and raises Python's own error.
        raise LogDecodeError(f"{source}: {explain_malformed(data, 'invalid UTF-8')}") from None
    except RecursionError:
        raise LogDecodeError(f"{source}: JSON nested too deeply to read") from None
    return LogDocument(log=log, raw=data, source=source)


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
    result = _nested_decoder.decode(doc.raw).evaluation_results[index]
    raw = getattr(result, field)
    if field == "evaluator_log" and not len(raw):
        raw = result.llm_evaluator_log
    return decode_log(bytes(raw), f"{doc.source} → evaluation_results[{index}].{field}")


def explain_validation_error(message: str) -> tuple[str, str | None]:
    """Reword a msgspec validation error and join its path into one JSON path.

    A failure inside a nested log is reported by msgspec with one ` - at `$…`` per
    level, innermost first; the joined path reads outermost first, like jq.
    """
    paths = _AT_PATH.findall(message)
    text = _AT_PATH.sub("", message).replace("`", "")
    if text.startswith("Expected object, got ") and not paths:
        found = text.removeprefix("Expected object, got ")
        text = f"expected one log (a JSON object), got {_KINDS.get(found, found)}"
    else:
        text = text[:1].lower() + text[1:]
    if not paths:
        return one_line(text, 300), None
    path = "$" + "".join(p.removeprefix("$") for p in reversed(paths))
    return f"{one_line(text, 300)} at {path}", path


def explain_malformed(data: bytes, message: str) -> str:
    """Explain why bytes are not JSON: empty, HTML, not UTF-8, truncated or malformed."""
    stripped = data.lstrip()
    if not stripped:
        return "empty input: no JSON found" if data else "empty input"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not UTF-8 (looks like UTF-16); save it as UTF-8 JSON"
    if stripped[:1] == b"<":
        return f"not JSON: looks like HTML or XML ({_excerpt(stripped)})"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        line, col = _line_col(data, exc.start)
        return f"not valid UTF-8: byte 0x{bad} at line {line}, column {col}"
    found = _BYTE_OFFSET.search(message)
    offset = int(found.group(1)) if found else None
    # A document cut inside a number or literal is reported as malformed at its end.
    if "truncated" in message or (offset is not None and offset >= len(data.rstrip())):
        return f"JSON ends early: the input was cut off after {len(data)} bytes"
    if offset is not None:
        line, col = _line_col(data, offset)
        near = _excerpt(data[offset : offset + 40])
        what = _BYTE_OFFSET.sub("", message).removeprefix("JSON is malformed: ").strip()
        return f"malformed JSON at line {line}, column {col} near {near!r}: {what}"
    return f"malformed JSON: {message}"


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _excerpt(data: bytes, limit: int = 40) -> str:
    return one_line(data[: limit * 2].decode("utf-8", "replace"), limit)
