"""`LogTable`: the list's table, with the keys people expect and columns fitted to its width."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from inspector.catalog import Entry
from inspector.tui.widgets.list_rows import Column, layout, row_cells


class LogTable(DataTable[Text]):
    """Rows of logs; `g`/Home and `G`/End go to the first and last row, `j`/`k` move."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="log.cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="log.cursor-up"),
        Binding("home,g", "first", "First row", show=False, id="log.first"),
        Binding("end,G", "last", "Last row", show=False, id="log.last"),
    ]

    class WantsLast(Message):
        """The user asked for the last row: the screen fetches the rows not loaded yet."""

    def __init__(self) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True)
        self.entries: list[Entry] = []
        self.columns_shown: list[Column] = []

    def on_mount(self) -> None:
        self.fit(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width)

    def fit(self, width: int) -> None:
        """Lay the columns out for `width` (again, with the rows, when the layout changes)."""
        columns = layout(width)
        if columns == self.columns_shown:
            return
        row = self.cursor_row
        self.columns_shown = columns
        self.clear(columns=True)
        for title, key, column_width in columns:
            self.add_column(title, key=key, width=column_width)
        for entry in self.entries:
            self.add_row(*row_cells(entry, columns), key=str(entry.ordinal))
        if self.entries:
            self.move_cursor(row=min(row, len(self.entries) - 1))

    def set_entries(self, entries: list[Entry]) -> None:
        """Show these rows instead of the rows shown."""
        self.clear()
        self.entries = []
        self.add_entries(entries)

    def add_entries(self, entries: list[Entry]) -> None:
        """Add rows at the end."""
        for entry in entries:
            self.add_row(*row_cells(entry, self.columns_shown), key=str(entry.ordinal))
        self.entries.extend(entries)

    def action_first(self) -> None:
        if self.entries:
            self.move_cursor(row=0)

    def action_last(self) -> None:
        self.post_message(self.WantsLast())

    def last(self) -> None:
        """Move to the last row fetched."""
        if self.entries:
            self.move_cursor(row=len(self.entries) - 1)
