"""JSON as text for a terminal: jq-style paths and token spans for highlighting a line.

Plain Python with no Textual, shared by the JSON explorer, the raw views and the
message cards (pretty-printed tool arguments).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final, Literal

PathKey = str | int
TokenKind = Literal["key", "string", "number", "literal", "punctuation"]

_IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: One token of a line of pretty-printed JSON. Strings never span lines in JSON text
#: (newlines inside strings are escaped), so a line can be highlighted on its own.
_TOKEN: Final = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<colon>\s*:)?'
    r"|(?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<punctuation>[{}\[\],])"
)


def jq_path(keys: Sequence[PathKey]) -> str:
    """The jq path of a value: `.choices[0].message["content type"]`; `.` for the root."""
    parts: list[str] = []
    for key in keys:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            parts.append(f".{key}")
        else:
            escaped = key.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'["{escaped}"]' if parts else f'.["{escaped}"]')
    return "".join(parts) or "."


def json_tokens(line: str) -> Iterator[tuple[int, int, TokenKind]]:
    """Spans of the tokens in one line of JSON text: (start, end, kind)."""
    for match in _TOKEN.finditer(line):
        if match.group("string") is not None:
            kind: TokenKind = "key" if match.group("colon") else "string"
            yield match.start("string"), match.end("string"), kind
        elif match.group("number") is not None:
            yield match.start(), match.end(), "number"
        elif match.group("literal") is not None:
            yield match.start(), match.end(), "literal"
        else:
            yield match.start(), match.end(), "punctuation"
