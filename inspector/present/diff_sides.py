"""A `LogDiff` laid out side by side: rows of (what, before, after), for the TUI's diff screen.

Each side is a list of pieces: kept text (`=`) on both sides, removed text (`-`) on the
left, added text (`+`) on the right. Text is sanitised and shortened here, so a screen
only has to style the pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.present.diff import SECTIONS, LogDiff, MessageDiff
from inspector.present.diff_render import MAX_CHANGES, message_title, shorten, value_text
from inspector.present.jsondiff import Change, Op
from inspector.sanitize import one_line, sanitize

Pieces = list[tuple[Op, str]]


@dataclass(frozen=True, slots=True)
class SideRow:
    """One row: a section heading (sides empty), or a path or message with its two sides."""

    label: str
    left: Pieces
    right: Pieces
    heading: bool = False


def _change_row(change: Change) -> SideRow:
    left: Pieces = [] if change.kind == "added" else [("-", value_text(change.old, 2000))]
    right: Pieces = [] if change.kind == "removed" else [("+", value_text(change.new, 2000))]
    return SideRow(one_line(change.path, 300), left, right)


def _message_rows(message: MessageDiff) -> list[SideRow]:
    pieces = [(op, sanitize(text)) for op, text in shorten(message.text, 200)]
    left: Pieces = [(op, text) for op, text in pieces if op != "+"]
    right: Pieces = [(op, text) for op, text in pieces if op != "-"]
    rows = [SideRow(message_title(message), left, right)]
    rows += [_change_row(change) for change in message.fields[:MAX_CHANGES]]
    return rows


def _section(title: str, changes: list[Change]) -> list[SideRow]:
    if not changes:
        return []
    rows = [SideRow(title, [], [], heading=True)]
    rows += [_change_row(change) for change in changes[:MAX_CHANGES]]
    if len(changes) > MAX_CHANGES:
        rows.append(SideRow(f"… and {len(changes) - MAX_CHANGES:,} more", [], []))
    return rows


def side_rows(diff: LogDiff) -> list[SideRow]:
    """Every row of the side-by-side view, section by section, in the text diff's order."""
    rows: list[SideRow] = []
    for key, title in SECTIONS[:2]:
        rows += _section(title, diff.sections[key])
    if diff.messages:
        rows.append(SideRow(f"messages ({len(diff.messages)} differ)", [], [], heading=True))
        for message in diff.messages[:MAX_CHANGES]:
            rows += _message_rows(message)
    if diff.output is not None:
        rows.append(SideRow("output", [], [], heading=True))
        rows += _message_rows(diff.output)
    for key, title in SECTIONS[2:]:
        rows += _section(title, diff.sections[key])
    return rows
