"""`ListBase`: what every part of the list screen shares: the list, its query, order and rows."""

from __future__ import annotations

import msgspec
from textual.message import Message
from textual.screen import Screen

from inspector.catalog import Entry, Query
from inspector.open.many import LogList
from inspector.tui.widgets.log_table import LogTable


class ListBase(Screen[None]):
    """The state of a list of logs, and the rows on screen.

    The parts of the list screen (its choosers, its totals and diff keys) build on this, so
    each reads the rows and changes the query without knowing the screen that fetches them:
    a change posts `Changed`, and the list screen fetches the rows again.
    """

    class Changed(Message):
        """The filters or the order changed: the rows are to be fetched again."""

    class Shown(Message):
        """A first page of rows is on screen: new filters, a new order, or more logs."""

    def __init__(self, log_list: LogList) -> None:
        super().__init__()
        self.log_list = log_list
        self.query_filter = Query()
        self.sort = "created_at"
        self.descending = True

    @property
    def rows(self) -> list[Entry]:
        """The rows fetched so far, in the table's order."""
        return self.query_one(LogTable).entries

    def current_entry(self) -> Entry | None:
        """The row under the cursor."""
        table = self.query_one(LogTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _set_query(self, **changes: object) -> None:
        """Change some filters (`Query` fields), keeping the others."""
        self.query_filter = msgspec.structs.replace(self.query_filter, **changes)
        self.post_message(self.Changed())

    def _set_sort(self, key: str, descending: bool) -> None:
        """Sort by a column (a `SORT_TITLES` key), where the list can sort."""
        if not self.log_list.sortable:
            self.notify("The API decides the order; open a file of logs to sort.")
            return
        self.sort, self.descending = key, descending
        self.post_message(self.Changed())
