"""`TablePane`: a table of items (evaluations, feedback) and the details of the selected one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import DataTable

from inspector.present import words as d
from inspector.sanitize import one_line
from inspector.tui.panes.base import Empty, Pane, Searchable
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block


def cell(text: str, style: str = "", limit: int = 60) -> Text:
    """A table cell from log text: one sanitised line, never parsed as markup.

    Long text is cut so the columns after it stay on screen; the details below the
    table show it whole.
    """
    return Text(one_line(text, limit), style=style)


def value_cell(value: Any) -> Text:
    """A value styled by its type (the table would print floats with two decimals)."""
    styles = {"boolean": "magenta", "number": "yellow", "list": "cyan", "none": "dim"}
    return cell(d.format_value(value), styles.get(d.value_kind(value), ""), limit=50)


class TableSearch:
    """Search over the rows of a table: jump to the rows whose text matches."""

    def __init__(self, table: DataTable[Text], texts: list[str]) -> None:
        self.table = table
        self.texts = texts
        self.rows: list[int] = []
        self.index = -1

    def search(self, pattern: re.Pattern[str] | None) -> int:
        self.index = -1
        self.rows = [i for i, t in enumerate(self.texts) if pattern and pattern.search(t)]
        return len(self.rows)

    def goto_match(self, step: int) -> int:
        if not self.rows:
            return -1
        start = 0 if step > 0 else len(self.rows) - 1
        self.index = (self.index + step) % len(self.rows) if self.index >= 0 else start
        self.table.move_cursor(row=self.rows[self.index])
        return self.index

    @property
    def match_count(self) -> int:
        return len(self.rows)


class TablePane(Pane):
    """A table above a details view of the row under the cursor."""

    DEFAULT_CSS = """
    TablePane > DataTable { height: auto; max-height: 50%; }
    TablePane > BlockView { height: 1fr; border-top: solid $panel-lighten-2; }
    """

    COLUMNS: tuple[str, ...] = ()
    #: Column widths (0: what is left, at least 8), or empty to size columns to their cells.
    WIDTHS: tuple[int, ...] = ()

    def items(self) -> list[Any]:
        raise NotImplementedError

    def row(self, item: Any) -> list[Text]:
        raise NotImplementedError

    def details(self, item: Any) -> list[Block]:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.items())

    def make(self) -> Iterable[Widget]:
        items = self.items()
        if not items:
            yield Empty(self.EMPTY)
            return
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        if self.WIDTHS:
            # Fit the table to the width, so every column stays on screen at 80 columns.
            left = (self.size.width or self.app.size.width) - 2 * len(self.WIDTHS) - 2
            rest = max(8, left - sum(self.WIDTHS))
            for title, width in zip(self.COLUMNS, self.WIDTHS, strict=True):
                table.add_column(title, width=width or rest)
        else:
            table.add_columns(*self.COLUMNS)
        for item in items:
            table.add_row(*self.row(item))
        self._search = TableSearch(table, ["\t".join(c.plain for c in self.row(i)) for i in items])
        yield table
        yield BlockView(self.details(items[0]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        items = self.items()
        if 0 <= event.cursor_row < len(items):
            self.query_one(BlockView).set_blocks(self.details(items[event.cursor_row]))

    @property
    def searchable(self) -> Searchable | None:
        return getattr(self, "_search", None)

    def copy_text(self) -> str | None:
        tables = self.query(DataTable)
        if not tables:
            return None
        index = tables.first().cursor_row
        items = self.items()
        return "\n".join(b.text_to_copy for b in self.details(items[index])) if items else None
