"""Building blocks for field lists: a section heading, a `label  value` row, a JSON value."""

from __future__ import annotations

import itertools
from typing import Any, Final

import msgspec

from inspector.present.words import format_value
from inspector.sanitize import one_line, sanitize
from inspector.tui.widgets.blocks import Block, Part

#: Labels are padded to this width so values line up.
LABEL_WIDTH: Final = 22
#: A value longer than this, or with a newline, goes below its label.
INLINE_LIMIT: Final = 90


def heading(key: str, title: str, note: str = "") -> Block:
    """A section heading; `note` is shown dimmed after it."""
    runs = [(one_line(title, 80), "heading")]
    if note:
        runs.append((f"  {one_line(note, 120)}", "muted"))
    return Block(key, runs, collapsible=False, copy_text=title, gap_before=1, gap_after=0)


def json_text(value: Any) -> str:
    """A value as pretty JSON (unsanitised)."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode()


def row(
    key: str,
    label: str,
    value: Any,
    *,
    style: str = "value",
    as_json: bool = False,
) -> Block:
    """`label  value`: short values inline, long or multi-line values below, collapsible.

    Strings are shown as they are (sanitised); other values as their JSON (or, for
    numbers and booleans, as `format_value` writes them).
    """
    if isinstance(value, str) and not as_json:
        text = value
        is_json = False
    elif as_json or isinstance(value, dict | list):
        text = json_text(value)
        is_json = True
    else:
        text = format_value(value)
        is_json = False
    shown = sanitize(text)
    # Labels can be log data too (keys of `inputs` and `metadata`).
    label_run = (f"{one_line(label, 60):<{LABEL_WIDTH}} ", "label")
    if "\n" not in shown and len(shown) <= INLINE_LIMIT:
        return Block(
            key, [label_run, (shown, style)], copy_text=shown, collapsible=False, gap_after=0
        )
    part = Part(shown, style if not is_json else "body", 2, is_json)
    return Block(key, [label_run], [part], shown, gap_after=0)


def spaced(blocks: list[Block]) -> list[Block]:
    """Drop a heading's blank line when the block before it already ends with one."""
    for before, block in itertools.pairwise(blocks):
        if block.gap_before and before.gap_after:
            block.gap_before = 0
    return blocks


def missing(key: str, names: list[str]) -> Block | None:
    """A dim line listing the fields of a section that the log does not set."""
    if not names:
        return None
    return Block(key, [("not set: " + ", ".join(names), "muted")], collapsible=False, gap_after=0)


def rows(prefix: str, pairs: list[tuple[str, Any]], *, note_missing: bool = True) -> list[Block]:
    """Rows for the pairs whose value is set, then a line naming the ones that are not."""
    blocks = [row(f"{prefix}.{label}", label, value) for label, value in pairs if value is not None]
    if note_missing:
        absent = missing(f"{prefix}.missing", [label for label, value in pairs if value is None])
        if absent is not None:
            blocks.append(absent)
    return blocks
