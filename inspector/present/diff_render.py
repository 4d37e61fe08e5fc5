"""A `LogDiff` as text (`[-old-]{+new+}` word marks, as `git diff --word-diff`), Markdown or JSON.

Every string from a log is sanitised here, so the text and Markdown are safe to print;
long values and long unchanged stretches of text are shortened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from inspector.present import words as d
from inspector.present.diff import SECTIONS, LogDiff, MessageDiff
from inspector.present.jsondiff import Change, Op
from inspector.present.report import longest_run
from inspector.sanitize import one_line, sanitize

#: Changes shown per section, and characters per value, before "… and N more".
MAX_CHANGES: Final = 200
_VALUE_CHARS: Final = 160
#: Characters of unchanged text kept either side of a change.
_CONTEXT: Final = 60
_MARKS: Final = {"=": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
_SIGNS: Final = {"added": "+", "removed": "-", "changed": "~"}
_UNSAFE_IN_JSON: Final = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def value_text(value: Any, limit: int = _VALUE_CHARS) -> str:
    """A JSON value on one safe line, shortened to `limit` characters."""
    return one_line(msgspec.json.encode(value).decode(), limit)


def change_line(change: Change) -> str:
    """`~ .config.temperature: 0.2 → 0.7`, `+ .config.seed: 42`, `- .x: "y"`."""
    sign = _SIGNS[change.kind]
    path = one_line(change.path, 300)
    if change.kind == "added":
        return f"{sign} {path}: {value_text(change.new)}"
    if change.kind == "removed":
        return f"{sign} {path}: {value_text(change.old)}"
    return f"{sign} {path}: {value_text(change.old)} → {value_text(change.new)}"


def shorten(pieces: list[tuple[Op, str]], context: int = _CONTEXT) -> list[tuple[Op, str]]:
    """Unchanged text cut to `context` characters around each change (… marks a cut)."""
    if len(pieces) == 1:
        op, text = pieces[0]
        return [(op, text if len(text) <= 20 * context else text[: 20 * context] + "…")]
    short: list[tuple[Op, str]] = []
    for index, (op, text) in enumerate(pieces):
        if op != "=" or len(text) <= 2 * context + 1:
            short.append((op, text))
            continue
        first, last = index == 0, index == len(pieces) - 1
        # Cut at a space where there is one near, so that no word is cut in half.
        head = "" if first else text[:context].rsplit(" ", 1)[0]
        tail = "" if last else text[-context:].split(" ", 1)[-1]
        short.append((op, head + "…" + tail))
    return short


def marked(pieces: list[tuple[Op, str]]) -> str:
    """The pieces as one safe text with `[-removed-]` and `{+added+}` marks."""
    parts = []
    for op, text in shorten(pieces):
        start, end = _MARKS[op]
        parts.append(start + sanitize(text) + end)
    return "".join(parts)


def message_title(message: MessageDiff) -> str:
    """`~ messages[3] user`, `+ messages[5] assistant`, `~ output`."""
    sign = _SIGNS[message.kind]
    if message.role == "output" and message.old_index is None and message.new_index is None:
        return f"{sign} output"
    if message.kind == "changed" and message.old_index != message.new_index:
        where = f"messages[{message.old_index}] → [{message.new_index}]"
    else:
        index = message.new_index if message.new_index is not None else message.old_index
        where = f"messages[{index}]"
    return f"{sign} {where} {one_line(message.role, 40)}"


def _message_lines(message: MessageDiff, indent: str) -> Iterator[str]:
    yield indent + message_title(message)
    if message.text:
        for line in marked(message.text).split("\n"):
            yield f"{indent}    {line}"
    for change in message.fields[:MAX_CHANGES]:
        yield f"{indent}    {change_line(change)}"
    if len(message.fields) > MAX_CHANGES:
        yield f"{indent}    … and {len(message.fields) - MAX_CHANGES} more"


def _change_lines(changes: list[Change], indent: str) -> Iterator[str]:
    for change in changes[:MAX_CHANGES]:
        yield indent + change_line(change)
    if len(changes) > MAX_CHANGES:
        yield f"{indent}… and {d.format_count(len(changes) - MAX_CHANGES)} more"


def to_text(diff: LogDiff) -> str:
    """The diff as plain text, one section after another; `no differences` when equal."""
    lines = [f"--- {one_line(diff.old_name, 300)}", f"+++ {one_line(diff.new_name, 300)}"]
    if not diff.differs:
        return "\n".join([*lines, "no differences"]) + "\n"
    for key, title in SECTIONS[:2]:
        if diff.sections[key]:
            lines += ["", title, *_change_lines(diff.sections[key], "  ")]
    if diff.messages:
        lines += ["", f"messages ({len(diff.messages)} differ)"]
        for message in diff.messages[:MAX_CHANGES]:
            lines += _message_lines(message, "  ")
        if len(diff.messages) > MAX_CHANGES:
            lines.append(f"  … and {len(diff.messages) - MAX_CHANGES} more")
    if diff.output is not None:
        lines += ["", "output", *_message_lines(diff.output, "  ")]
    for key, title in SECTIONS[2:]:
        if diff.sections[key]:
            lines += ["", title, *_change_lines(diff.sections[key], "  ")]
    return "\n".join(lines) + "\n"


def _fenced(lines: list[str]) -> list[str]:
    body = "\n".join(lines)
    fence = "`" * max(3, longest_run(body, "`") + 1)
    return [fence + "diff", body, fence]


def to_markdown(diff: LogDiff) -> str:
    """The diff as Markdown: a heading per section, the changes in fenced blocks."""
    lines = [
        "# Diff",
        "",
        f"- old: `{one_line(diff.old_name, 300).replace('`', '')}`",
        f"- new: `{one_line(diff.new_name, 300).replace('`', '')}`",
    ]
    if not diff.differs:
        return "\n".join([*lines, "", "No differences."]) + "\n"
    blocks: list[tuple[str, list[str]]] = [
        (title.capitalize(), list(_change_lines(diff.sections[key], "")))
        for key, title in SECTIONS[:2]
    ]
    messages = [line for m in diff.messages[:MAX_CHANGES] for line in _message_lines(m, "")]
    blocks.append((f"Messages ({len(diff.messages)} differ)", messages))
    if diff.output is not None:
        blocks.append(("Output", list(_message_lines(diff.output, ""))))
    blocks += [
        (title.capitalize(), list(_change_lines(diff.sections[key], "")))
        for key, title in SECTIONS[2:]
    ]
    for title, body in blocks:
        if body:
            lines += ["", f"## {title}", "", *_fenced(body)]
    return "\n".join(lines) + "\n"


def to_json(diff: LogDiff) -> bytes:
    """The diff as one JSON object; DEL, C1 controls and bidi marks written as escapes."""
    text = msgspec.json.encode(diff.as_json()).decode()
    return _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text).encode()
