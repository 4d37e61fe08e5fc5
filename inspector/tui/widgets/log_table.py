"""`LogTable`: the list's table, with the keys people expect and columns fitted to its width."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from inspector.catalog import Entry
from inspector.tui.frames import after_drawn
from inspector.tui.widgets.list_rows import Column, layout, row_cells
from inspector.tui.widgets.table_cells import one_line_cell


class LogTable(DataTable[Text]):
    """Rows of logs; `g`/Home and `G`/End go to the first and last row, `j`/`k` move."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="log.cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="log.cursor-up"),
        Binding("home,g", "first", "First row", show=False, id="log.first"),
        Binding("end,G", "last", "Last row", show=False, id="log.last"),
        # The screen opens the log at once, not on a `RowSelected` message handled later:
        # a pane key typed right after enter then reaches the log (`8` opens on Raw).
        Binding("enter", "screen.open_log", "Open the log", show=False, id="list.open-log"),
    ]

    class WantsLast(Message):
        """The user asked for the last row: the screen fetches the rows not loaded yet."""

    class WantsFirst(Message):
        """The user asked for the first row: the screen fetches it if the table starts
        later in the list (after a jump to the end of a long one)."""

    def __init__(self) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True)
        #: Every row's log, in order; the table may not hold the last ones yet (`_pending`).
        self.entries: list[Entry] = []
        self.columns_shown: list[Column] = []
        #: Logs of `entries` whose rows `set_entries` left for after the next frame.
        self._pending: list[Entry] = []

    def on_mount(self) -> None:
        self.fit(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if not self.fit(event.size.width):
            # The same columns: no cell changes (a row is one line, a column's width is
            # fixed), so `DataTable` need not forget every row it drew, as it does on any
            # resize. The first frame's rows are drawn before the table hears of its size.
            event.prevent_default()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """A cell of a row, drawn by `one_line_cell` (4× sooner than `DataTable`, which
        takes Rich's general layout: a first frame draws some 230 cells) and cached as
        `DataTable` caches it; the header, and a cell it cannot draw, `DataTable`'s way."""
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_index < 0 or column_index < 0 or row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is None:
            place = (row_index, column_index)
            line = self._one_line(row_key, place, width, base_style, cursor, hover)
            if line is None:
                return super()._render_cell(
                    row_index, column_index, base_style, width, cursor, hover
                )
            lines = self._cell_render_cache[key] = [line]
        return lines

    def _one_line(
        self, row_key: RowKey, place: tuple[int, int], width: int, base_style: Style,
        cursor: bool, hover: bool,
    ) -> list[Segment] | None:  # fmt: skip
        row_index, column_index = place
        cell = self._get_row_renderables(row_index).cells[column_index]
        if self.rows[row_key].height != 1 or not isinstance(cell, Text):
            return None
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component, post = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )  # fmt: skip
        # The cell's place, for mouse clicks, as `DataTable` gives it.
        style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        console = self.app.console
        return one_line_cell(cell, width, self.cell_padding, style + component, post, console)

    def fit(self, width: int) -> bool:
        """Lay the columns out for `width` (again, with the rows, when the layout changes);
        False when the layout is the one shown."""
        columns = layout(width)
        if columns == self.columns_shown:
            return False
        row = self.cursor_row
        self.columns_shown = columns
        self._pending = []
        self.clear(columns=True)
        for title, key, column_width in columns:
            self.add_column(title, key=key, width=column_width)
        self._add_rows(self.entries)
        if self.entries:
            self.move_cursor(row=min(row, len(self.entries) - 1))
        return True

    def set_entries(self, entries: list[Entry]) -> None:
        """Show these rows instead of the rows shown: those on screen in the next frame."""
        self.clear()
        self.entries = list(entries)
        # As many rows as the terminal has lines (the table is never taller) at once; the
        # rest once they are drawn: each row costs the table a measure of every cell.
        at_once = max(self.size.height, self.app.size.height)
        self._add_rows(entries[:at_once])
        self._pending = entries[at_once:]
        if self._pending:
            after_drawn(self, self._flush)

    def add_entries(self, entries: list[Entry]) -> None:
        """Add rows at the end."""
        self._flush()
        self._add_rows(entries)
        self.entries.extend(entries)

    def _add_rows(self, entries: list[Entry]) -> None:
        for entry in entries:
            self.add_row(*row_cells(entry, self.columns_shown), key=str(entry.ordinal))

    def _flush(self) -> None:
        """Add the rows `set_entries` left for later, before anything needs them."""
        pending, self._pending = self._pending, []
        self._add_rows(pending)

    def move_cursor(
        self,
        *,
        row: int | None = None,
        column: int | None = None,
        animate: bool = False,
        scroll: bool = True,
    ) -> None:
        """`DataTable.move_cursor`, to any row of `entries` (added first if pending)."""
        self._flush()
        super().move_cursor(row=row, column=column, animate=animate, scroll=scroll)

    def action_first(self) -> None:
        self.post_message(self.WantsFirst())

    def first(self) -> None:
        """Move to the first row fetched."""
        if self.entries:
            self.move_cursor(row=0)

    def action_last(self) -> None:
        self.post_message(self.WantsLast())

    def last(self) -> None:
        """Move to the last row fetched."""
        if self.entries:
            self.move_cursor(row=len(self.entries) - 1)
