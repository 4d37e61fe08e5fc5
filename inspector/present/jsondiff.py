"""Structural diffs: JSON values compared node by node (jq paths), text compared word by word."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import msgspec

from inspector.bigtext.jsontext import PathKey, jq_path

Kind = Literal["added", "removed", "changed"]
#: One piece of a text diff: kept (`=`), only in the first text (`-`), only in the second (`+`).
Op = Literal["=", "-", "+"]

#: Lines of text beyond which a changed block is shown line by line, not word by word:
#: difflib's matching is quadratic in the worst case, and a word diff of pages of text
#: reads no better than the lines.
_WORD_DIFF_TOKENS: Final = 4000
_TOKEN: Final = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Change:
    """One value that differs: where (a jq path), how, and the two values (JSON)."""

    path: str
    kind: Kind
    old: Any = None
    new: Any = None

    def as_json(self) -> dict[str, Any]:
        """The change as plain JSON."""
        found: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != "added":
            found["old"] = self.old
        if self.kind != "removed":
            found["new"] = self.new
        return found


_OBJECT: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY: Final = msgspec.json.Decoder(list[msgspec.Raw])


def one_level(value: Any) -> Any:
    """A `msgspec.Raw` decoded one level deep (its members stay raw); other values as they are.

    Lets a diff skip equal subtrees of big payloads by comparing bytes, and decode only
    along the paths that differ.
    """
    if not isinstance(value, msgspec.Raw):
        return value
    view = memoryview(value)
    first = bytes(view[:64]).lstrip()[:1]
    if first == b"{":
        return _OBJECT.decode(view)
    if first == b"[":
        return _ARRAY.decode(view)
    return msgspec.json.decode(view)


def plain(value: Any) -> Any:
    """A value with every `msgspec.Raw` inside it decoded (to show or encode it)."""
    if isinstance(value, msgspec.Raw):
        return msgspec.json.decode(memoryview(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def json_changes(
    old: Any, new: Any, prefix: Sequence[PathKey] = (), *, suffix: str = ""
) -> list[Change]:
    """Every leaf that differs between two JSON values, in document order.

    Objects are compared key by key, arrays index by index (an array that grew or
    shrank gives `added`/`removed` items at its end); equal subtrees are skipped with
    one C-speed `==`. Values may hold `msgspec.Raw` parts, compared as bytes first and
    decoded only where they differ. `suffix` goes after each path (` | fromjson | …`).
    """
    found: list[Change] = []
    _walk(old, new, list(prefix), found, suffix)
    return found


def _path(keys: list[PathKey], suffix: str, start: int) -> str:
    if not suffix:
        return jq_path(keys)
    # The keys after `start` are inside a parsed string: `.args | fromjson | .city`.
    inner = jq_path(keys[start:])
    return jq_path(keys[:start]) + suffix + ("" if inner == "." else " | " + inner)


def _walk(old: Any, new: Any, keys: list[PathKey], found: list[Change], suffix: str) -> None:
    _walk_at(old, new, keys, found, suffix, len(keys))


def _walk_at(
    old: Any, new: Any, keys: list[PathKey], found: list[Change], suffix: str, start: int
) -> None:
    if type(old) is type(new) and old == new:
        return
    if isinstance(old, msgspec.Raw) or isinstance(new, msgspec.Raw):
        old, new = one_level(old), one_level(new)
        if type(old) is type(new) and old == new:
            return
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            keys.append(key)
            if key in new:
                _walk_at(value, new[key], keys, found, suffix, start)
            else:
                found.append(Change(_path(keys, suffix, start), "removed", old=plain(value)))
            keys.pop()
        for key, value in new.items():
            if key not in old:
                keys.append(key)
                found.append(Change(_path(keys, suffix, start), "added", new=plain(value)))
                keys.pop()
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            keys.append(index)
            if index >= len(new):
                found.append(Change(_path(keys, suffix, start), "removed", old=plain(old[index])))
            elif index >= len(old):
                found.append(Change(_path(keys, suffix, start), "added", new=plain(new[index])))
            else:
                _walk_at(old[index], new[index], keys, found, suffix, start)
            keys.pop()
        return
    path = _path(keys, suffix, start)
    if old is None and new is not None:
        found.append(Change(path, "added", new=plain(new)))
    elif new is None and old is not None:
        found.append(Change(path, "removed", old=plain(old)))
    else:
        found.append(Change(path, "changed", old=plain(old), new=plain(new)))


def words(text: str) -> list[str]:
    """`text` split into words, runs of white space and single punctuation marks."""
    return _TOKEN.findall(text)


def text_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """A word-level diff of two texts: pieces kept, removed and added, in order.

    Lines are matched first; lines that changed are then compared word by word unless
    the block is very long, where whole lines are removed and added instead.
    """
    if old == new:
        return [("=", old)] if old else []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    pieces: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(("=", before))
        elif tag == "replace":
            pieces.extend(_word_diff(before, after))
        elif tag == "delete":
            pieces.append(("-", before))
        else:
            pieces.append(("+", after))
    return list(_merge(pieces))


def _word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    old_words, new_words = words(old), words(new)
    if len(old_words) + len(new_words) > _WORD_DIFF_TOKENS:
        return [("-", old), ("+", new)]
    pieces: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("=", "".join(old_words[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            pieces.append(("-", "".join(old_words[i1:i2])))
        if tag in ("replace", "insert"):
            pieces.append(("+", "".join(new_words[j1:j2])))
    return _absorb_spaces(pieces)


def _absorb_spaces(pieces: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """Runs of changes split only by white space become one removal and one addition.

    `[-Hi there-]{+do you+}` reads better than `[-Hi-]{+do+} [-there-]{+you+}`.
    """
    result: list[tuple[Op, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            result.append(("-", "".join(removed)))
        if added:
            result.append(("+", "".join(added)))
        removed.clear()
        added.clear()

    for index, (op, text) in enumerate(pieces):
        between = 0 < index < len(pieces) - 1 and pieces[index + 1][0] != "="
        if op == "=" and not (between and (removed or added) and text.isspace()):
            flush()
            result.append((op, text))
        else:
            if op != "+":
                removed.append(text)
            if op != "-":
                added.append(text)
    flush()
    return result


def _merge(pieces: list[tuple[Op, str]]) -> Iterator[tuple[Op, str]]:
    """Neighbouring pieces of the same kind joined; empty pieces dropped."""
    current: tuple[Op, str] | None = None
    for op, text in pieces:
        if not text:
            continue
        if current is not None and current[0] == op:
            current = (op, current[1] + text)
            continue
        if current is not None:
            yield current
        current = (op, text)
    if current is not None:
        yield current
