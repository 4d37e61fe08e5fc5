"""The Trace pane: a flow's or agent's `trace_children` as a tree, with totals; enter opens one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static

from inspector.errors import InspectorError
from inspector.model.decode import trace_child
from inspector.open.one import DocumentSource
from inspector.present import words as d
from inspector.present.trace import TraceNode, totals, trace_nodes
from inspector.sanitize import one_line
from inspector.tui.panes.base import Empty
from inspector.tui.panes.tables import TablePane, TableSearch
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, rows

#: Rows in the table when the pane is first drawn; the rest follow after that frame.
FIRST_ROWS = 100
#: Column widths, in the order of `TracePane.COLUMNS`.
WIDTHS: tuple[int, ...] = (9, 44, 10, 8, 8, 10, 40)


class TracePane(TablePane):
    """Every log of the trace, depth-first: kind, name, status, latency, tokens, cost, error."""

    EMPTY = "No trace: this log has no trace_children (v5 flow and agent logs have them)."
    COLUMNS = ("kind", "name", "status", "latency", "tokens", "cost", "error")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_node", "Open log", show=True, id="trace.open-node"),
    ]

    _trace_nodes: list[TraceNode] | None = None

    def items(self) -> list[TraceNode]:
        if self._trace_nodes is None:
            root = self.doc.v5
            found = list(trace_nodes(root)) if root is not None and root.trace_children else []
            self._trace_nodes = found
        return self._trace_nodes

    def count(self) -> int:
        return len(self.items())

    def make(self) -> Iterable[Widget]:
        nodes = self.items()
        if not nodes:
            yield Empty(self.EMPTY)
            return
        sums = totals(nodes)
        latency = d.format_seconds(sums.latency) if sums.latency is not None else "—"
        text = (
            f"{sums.nodes} logs · {sums.errors} with errors · {d.format_count(sums.tokens)}"
            f" tokens · {d.format_cost(sums.cost)} · {latency} at the root"
        )
        yield Static(Content(text), classes="trace-totals")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, show_header=False)
        # One column of laid-out text (see `row`).
        header = "".join(
            _fit(name, width) for name, width in zip(self.COLUMNS, WIDTHS, strict=True)
        )
        # The header is a line of its own, laid out as the rows are (past the cell padding).
        yield Static(Content.styled(" " + header.rstrip(), "bold"), classes="trace-header")
        table.add_column("trace")
        rows = [self.row(node) for node in nodes]
        # A screenful first; the rest once it is drawn (the table's bookkeeping per row
        # is what a big trace waits for).
        for cells in rows[:FIRST_ROWS]:
            table.add_row(*cells)
        if len(rows) > FIRST_ROWS:
            self.call_after_refresh(self._add_rest, table, rows[FIRST_ROWS:])
        self._search = TableSearch(table, ["\t".join(c.plain for c in cells) for cells in rows])
        yield table
        yield BlockView(self.details(nodes[0]))

    @staticmethod
    def _add_rest(table: DataTable[Text], rows: list[list[Text]]) -> None:
        for cells in rows:
            table.add_row(*cells)

    def row(self, item: TraceNode) -> list[Text]:
        """One cell per node: the columns laid out in it, since the table measures every
        cell it is given and that took most of a second on a 2,000-node trace."""
        log = item.log
        guide = "│ " * max(0, item.depth - 1) + ("└ " if item.depth else "")
        name_width = WIDTHS[1] - len(guide)
        parts = [
            (_fit(log.kind, WIDTHS[0]), "cyan"),
            (_fit(guide, len(guide)), "dim"),
            (_fit(item.name, name_width), "bold red" if log.error else "bold"),
            (_fit(log.status or "", WIDTHS[2]), ""),
            (_fit(d.format_seconds(log.latency) if log.latency is not None else "", WIDTHS[3]), ""),
            (_fit(d.format_count(item.tokens) if item.tokens is not None else "", WIDTHS[4]), ""),
            (_fit(d.format_cost(item.cost) if item.cost is not None else "", WIDTHS[5]), ""),
            (one_line(log.error or "", WIDTHS[6]), "bold red"),
        ]
        return [Text.assemble(*parts)]

    def details(self, item: TraceNode) -> list[Block]:
        log = item.log
        facts: list[tuple[str, Any]] = [
            ("id", log.id),
            ("kind", log.kind),
            ("file", item.name),
            ("version_id", log.version.version_id),
            ("status", log.status),
            ("start_time", d.format_time(log.start_time, precise=True) if log.start_time else None),
            ("end_time", d.format_time(log.end_time, precise=True) if log.end_time else None),
            ("output", log.output),
            ("error", log.error),
            ("children", len(log.trace_children or []) or None),
        ]
        where = "enter opens it as a full log" if item.path else "this log"
        return [heading("node", log.kind, where), *rows("node", facts, note_missing=False)]

    def action_open_node(self) -> None:
        tables = self.query(DataTable)
        if not tables:
            return
        node = self.items()[tables.first().cursor_row]
        if not node.path:
            self.notify("This is the log you are looking at.", markup=False)
            return
        try:
            child = trace_child(self.doc, node.path)
        except InspectorError as error:
            self.notify(error.message, severity="error", markup=False)
            return
        # A new screen of the kind this pane is on (the log screen, which imports the
        # panes, so it is not imported here).
        log_screen: Any = type(self.screen)
        trail = f"← {one_line(self.doc.log.id, 40)} trace"
        screen = log_screen(
            DocumentSource(child), trail=trail, resolver=self._resolver, pane="overview"
        )
        self.app.push_screen(screen)

    async def _resolver(self, log_id: str) -> Any:
        """`p` from a node: its trace parent, found in this trace; else the outer resolver."""
        for node in self.items():
            if node.log.id == log_id:
                doc = self.doc if not node.path else trace_child(self.doc, node.path)
                return DocumentSource(doc)
        outer = getattr(self.screen, "resolver", None)
        return await outer(log_id) if outer is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_node()


def _fit(text: str, width: int) -> str:
    """`text` as one sanitised line of exactly `width` cells (cut, then padded), a space after."""
    return one_line(text, width - 1).ljust(width - 1)[: width - 1] + " " if width else ""
