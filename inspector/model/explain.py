"""Every decoding failure worded as one precise line, with its JSON path when there is one.

Validation errors name the path; bytes that are not JSON say how (empty, HTML, UTF-16,
cut off, malformed).
"""

from __future__ import annotations

import re
from typing import Final

from inspector.sanitize import one_line

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
