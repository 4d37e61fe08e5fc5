"""JSON values decoded one level at a time, and searched without decoding what cannot match.

Plain Python with no Textual, for the JSON explorer. A 5 MB provider response decoded
whole is a million Python objects (100 MB, and garbage collections of 60 ms); the tree
shows a few hundred nodes at a time, so values stay raw JSON (`msgspec.Raw`, zero-copy
and not tracked by the collector) until a node is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from inspector.bigtext.jsontext import PathKey
from inspector.bigtext.lines import literal_text

_OBJECT: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY: Final = msgspec.json.Decoder(list[msgspec.Raw])


def shallow(raw: msgspec.Raw | bytes) -> Any:
    """A JSON value decoded one level deep: an object or array keeps its members raw."""
    head = bytes(memoryview(raw)[:1])
    if head == b"{":
        return _OBJECT.decode(raw)
    if head == b"[":
        return _ARRAY.decode(raw)
    return msgspec.json.decode(raw)


def node_value(value: Any) -> Any:
    """A child as a node holds it: decoded one level if it is still raw JSON."""
    return shallow(value) if isinstance(value, msgspec.Raw) else value


def full(value: Any) -> Any:
    """A value decoded whole, members still raw JSON included."""
    if isinstance(value, msgspec.Raw):
        return msgspec.json.decode(value)
    members = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict | list) and any(isinstance(m, msgspec.Raw) for m in members):
        return msgspec.json.decode(msgspec.json.encode(value))
    return value


#: Characters a number's text can hold: a query made of them only may match a number
#: whose JSON spelling differs (`1e5` is `100000.0`).
_NUMBER_CHARS: Final = frozenset("0123456789.+-eE")
#: Characters JSON writes escaped.
_ESCAPED: Final = re.compile(r'["\\/\x00-\x1f\x7f]')


def can_skip_raw(pattern: re.Pattern[str]) -> bool:
    """True when a raw subtree whose JSON text has no match (and no `\\u` escape) has none.

    So for a plain ASCII query that JSON never escapes and that cannot be part of a
    number: its matches in keys and strings appear as they are in the JSON text.
    """
    plain = literal_text(pattern)
    if plain is None:
        return False
    return plain.isascii() and not _ESCAPED.search(plain) and not set(plain) <= _NUMBER_CHARS


def _no_match_inside(raw: msgspec.Raw, pattern: re.Pattern[str]) -> bool:
    text = str(raw, "utf-8")
    return "\\u" not in text and pattern.search(text) is None


def iter_matches(value: Any, pattern: re.Pattern[str]) -> Iterator[tuple[PathKey, ...]]:
    """Paths whose key or scalar value matches, in document order.

    `value` may hold raw JSON (`msgspec.Raw`) anywhere; it is decoded as the walk goes,
    and for a query `can_skip_raw` allows, a raw object or array whose JSON text has
    no match is skipped whole: a 5 MB response is searched in milliseconds. A path is
    only built for a match or a container (a million scalars, on every keystroke).
    """
    search = pattern.search
    skip = can_skip_raw(pattern)
    size = len(value) if isinstance(value, msgspec.Raw) else 0
    if size and skip and _no_match_inside(value, pattern):
        return
    value = node_value(value)
    if not isinstance(value, dict | list):
        if search(_scalar_text(value)):
            yield ()
        return
    # (path, members left, size of the container's JSON text when it came raw)
    stack: list[tuple[tuple[PathKey, ...], Iterator[tuple[PathKey, Any]], int]] = [
        ((), _items(value), size)
    ]
    while stack:
        path, items, size = stack[-1]
        for key, child in items:
            child_size = 0
            if child.__class__ is msgspec.Raw:
                child_size = len(child)
                # Checking a member about as big as its container repeats the
                # container's check: only smaller ones are worth it.
                if (
                    skip
                    and child_size * 2 < size
                    and bytes(memoryview(child)[:1]) in (b"{", b"[")
                    and _no_match_inside(child, pattern)
                ):
                    if key.__class__ is str and search(key):
                        yield (*path, key)
                    continue
                child = node_value(child)
            nested = isinstance(child, dict | list)
            if (key.__class__ is str and search(key)) or (
                not nested and search(child if child.__class__ is str else _scalar_text(child))
            ):
                yield (*path, key)
            if nested and child:
                stack.append(((*path, key), _items(child), child_size or size))
                break
        else:
            stack.pop()


def _items(value: dict[str, Any] | list[Any]) -> Iterator[tuple[PathKey, Any]]:
    return iter(value.items()) if isinstance(value, dict) else enumerate(value)


def _scalar_text(value: Any) -> str:
    """A scalar as JSON text, as `msgspec.json.encode` writes it."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)
    return msgspec.json.encode(value).decode()
