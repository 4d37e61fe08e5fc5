"""`DiffScreen`: two logs side by side, removals on the left, additions on the right."""

from __future__ import annotations

import asyncio
from typing import ClassVar, Final

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from inspector.model.decode import LogDocument, gc_paused
from inspector.present.diff import LogDiff, decode_top, diff_logs
from inspector.present.diff_render import to_markdown
from inspector.present.diff_sides import Pieces, SideRow, side_rows
from inspector.sanitize import one_line
from inspector.tui.view_state import view_state
from inspector.tui.widgets.keys_footer import KeysFooter

#: Rows drawn at most: a Rich table in one Static slows down past a few hundred rows.
MAX_ROWS: Final = 600
_STYLES: Final = {"=": "", "-": "bold red reverse", "+": "bold green reverse"}


def side_text(pieces: Pieces) -> Text:
    """One side as Rich text: kept text plain, removals and additions highlighted."""
    text = Text(overflow="fold")
    for op, piece in pieces:
        text.append(piece, _STYLES[op])
    return text


def diff_table(rows: list[SideRow]) -> Table:
    """The rows as a three-column grid: what, before, after (text is already safe)."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column("what", ratio=2, style="dim", overflow="fold")
    table.add_column("before", ratio=3, overflow="fold")
    table.add_column("after", ratio=3, overflow="fold")
    for row in rows[:MAX_ROWS]:
        if row.heading:
            table.add_row(Text(row.label, "bold"), "", "", end_section=False)
        else:
            table.add_row(
                Text(row.label, overflow="fold"), side_text(row.left), side_text(row.right)
            )
    if len(rows) > MAX_ROWS:
        more = f"… and {len(rows) - MAX_ROWS:,} more rows: `inspector diff` prints them all"
        table.add_row(Text(more, "dim"), "", "")
    return table


class DiffScreen(Screen[None]):
    """A diff of two logs; `escape` goes back, `y` copies it as Markdown."""

    DEFAULT_CSS = """
    DiffScreen #diff-title { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    DiffScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Back", id="diff.close"),
        Binding("y", "copy", "Copy", tooltip="Copy the diff as Markdown", id="diff.copy"),
    ]

    def __init__(self, diff: LogDiff) -> None:
        super().__init__()
        self.diff = diff
        self.rows = side_rows(diff)

    def compose(self) -> ComposeResult:
        old, new = one_line(self.diff.old_name, 100), one_line(self.diff.new_name, 100)
        verdict = "" if self.diff.differs else "   no differences"
        yield Static(Content(f"before: {old}{verdict}\nafter:  {new}"), id="diff-title")
        with VerticalScroll():
            if self.rows:
                yield Static(diff_table(self.rows), id="diff-body")
            else:
                yield Static(Content("The two logs are the same."), id="diff-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(to_markdown(self.diff))
        self.notify("Copied the diff as Markdown", markup=False)


def _name(document: LogDocument) -> str:
    return f"{document.log.id} ({document.source})"


def compare(old: LogDocument, new: LogDocument) -> LogDiff:
    """The diff of two logs (run it in a thread: big logs take a tenth of a second)."""
    with gc_paused():
        return diff_logs(decode_top(old.raw), decode_top(new.raw), _name(old), _name(new))


async def show_diff(node: Screen[None] | App[None], current: LogDocument | None) -> None:
    """Push the diff of the marked log against `current`, or say what is missing."""
    marked = view_state(node).marked
    if marked is None:
        node.notify("Mark a log first: space on a row of a list", markup=False)
        return
    if current is None:
        node.notify("Open or select another log to compare with the marked one", markup=False)
        return
    diff = await asyncio.to_thread(compare, marked, current)
    await node.app.push_screen(DiffScreen(diff))
