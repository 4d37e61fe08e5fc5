"""The Trace pane: a log's trace as a collapsible tree with totals; enter opens a node as a log.

A v5 flow or agent log carries its tree (`trace_children`). A v4 log's tree is linked from
the logs of the list it was opened from (`parent_id`, `session_id`), asked of the list's
catalog in the background. Either way the tree draws only its expanded rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.catalog import Entry
from inspector.errors import InspectorError
from inspector.model.decode import trace_child
from inspector.open.many import EntrySource
from inspector.open.one import DocumentSource, LogSource
from inspector.open.related import related_in
from inspector.present import words as d
from inspector.present.outline import Facts, Outline, initial_open, v4_outline, v5_outline
from inspector.present.trace import TraceNode
from inspector.sanitize import one_line
from inspector.tui.panes.base import Empty, Pane, Searchable
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, rows
from inspector.tui.widgets.trace_tree import TraceTree

#: Rows shown at first: the roots' children always, then whole levels while they fit.
FIRST_ROWS = 200
ALONE_V4 = (
    "No trace: this v4 log was opened on its own. Open the file, folder or list that holds "
    "it to see its parent, children and session here."
)


def count_nodes(doc: Any) -> int:
    """How many logs a v5 trace holds, root included (0 without a trace); no recursion."""
    root = doc.v5
    if root is None or not root.trace_children:
        return 0
    total, stack = 0, [root]
    while stack:
        log = stack.pop()
        total += 1
        stack.extend(log.trace_children or ())
    return total


def entry_facts(entry: Entry) -> Facts:
    """The row of a v4 log of the list."""
    return Facts(
        entry.id or "",
        entry.config_type or "log",
        # Many v4 logs share a model or config name: the id tells them apart.
        f"{entry.label} {entry.id or ''}".strip() or "?",
        entry.status or "",
        entry.latency,
        entry.total_tokens,
        entry.cost,
        entry.error or "",
    )


class TracePane(Pane):
    """The trace around this log: kind, name, status, latency, tokens, cost and error per node."""

    EMPTY = "No trace: this log has no trace_children (v5 flow and agent logs have them)."

    DEFAULT_CSS = """
    TracePane > .trace-totals { height: auto; padding: 0 1; }
    TracePane > TraceTree { height: 2fr; padding: 0 1; }
    TracePane > BlockView { height: 1fr; border-top: solid $panel-lighten-2; }
    """

    outline: Outline[Any] | None = None
    _node_count: int | None = None

    def count(self) -> int | None:
        if self.doc.v5 is None:
            return None
        if self._node_count is None:
            self._node_count = count_nodes(self.doc)
        return self._node_count

    def make(self) -> Iterable[Widget]:
        root = self.doc.v5
        if root is not None:
            if not root.trace_children:
                yield Empty(self.EMPTY)
                return
            yield from self._tree(v5_outline(root))
            return
        source = getattr(self.screen, "source", None)
        if not isinstance(source, EntrySource):
            yield Empty(ALONE_V4)
            return
        yield Empty(f"Looking for related logs in {one_line(source.log_list.label, 80)}…")
        self.run_worker(self._related(source), exit_on_error=False, group="trace")

    async def _related(self, source: EntrySource) -> None:
        """Link the v4 tree from the list's logs, then show it in place of the note."""
        widgets = await self._related_widgets(source)
        await self.remove_children()
        await self.mount_all(widgets)
        if self.screen.focused is None and self.is_on_screen:
            self.focus_content()

    async def _related_widgets(self, source: EntrySource) -> list[Widget]:
        log_id = self.doc.log.id
        label = one_line(source.log_list.label, 80)
        try:
            found = await related_in(source.log_list, log_id)
        except (InspectorError, OSError, sqlite3.Error) as error:
            return [Empty(f"No trace: could not look in {label}: {one_line(str(error), 200)}")]
        if found is None:
            return [Empty(f"No trace: {label} cannot look up related logs.")]
        if len(found) <= 1:
            return [
                Empty(
                    f"No trace: this log stands alone in {label} (no log there has it as "
                    "parent_id or shares its session_id, and its parent_id is not there)."
                )
            ]
        return list(self._tree(v4_outline(found, entry_facts, log_id)))

    def _tree(self, outline: Outline[Any]) -> Iterable[Widget]:
        self.outline = outline
        sums = outline.totals()
        latency = d.format_seconds(sums.latency) if sums.latency is not None else "—"
        where = "at the root" if len(outline.roots) == 1 else "of the first root"
        text = (
            f"{d.plural(sums.nodes, 'log')} · {sums.errors} with errors · "
            f"{d.format_count(sums.tokens)} tokens · {d.format_cost(sums.cost)} · {latency} {where}"
        )
        if outline.depth:
            text += f" · {max(outline.depth) + 1} levels"
        yield Static(Content(text), classes="trace-totals")
        start = outline.current if outline.current >= 0 else outline.roots[0]
        yield TraceTree(outline, initial_open(outline, FIRST_ROWS), start=start)
        yield BlockView(self.details(start))

    # -- details and opening --------------------------------------------------------

    def details(self, node: int) -> list[Block]:
        """The facts of one node, below the tree."""
        assert self.outline is not None
        item = self.outline.items[node]
        where = "this log" if node == self.outline.current else "enter opens it as a full log"
        if isinstance(item, TraceNode):
            log = item.log
            facts: list[tuple[str, Any]] = [
                ("id", log.id),
                ("kind", log.kind),
                ("file", item.name),
                ("version_id", log.version.version_id),
                ("status", log.status),
                (
                    "start_time",
                    d.format_time(log.start_time, precise=True) if log.start_time else None,
                ),
                ("end_time", d.format_time(log.end_time, precise=True) if log.end_time else None),
                ("output", log.output),
                ("error", log.error),
                ("children", len(log.trace_children or []) or None),
            ]
            kind = log.kind
        else:
            entry: Entry = item
            facts = [
                ("id", entry.id),
                ("kind", entry.config_type),
                ("config", entry.label),
                ("status", entry.status),
                ("created_at", d.format_time(entry.created_at) if entry.created_at else None),
                ("session_id", entry.session_id),
                ("parent_id", entry.parent_id),
                ("where", entry.location),
                ("output", entry.output or None),
                ("error", entry.error),
                ("children", len(self.outline.children[node]) or None),
            ]
            kind = entry.config_type or "log"
        return [heading("node", kind, where), *rows("node", facts, note_missing=False)]

    def on_trace_tree_highlighted(self, event: TraceTree.Highlighted) -> None:
        event.stop()
        views = self.query(BlockView)
        if views and self.outline is not None and 0 <= event.node < len(self.outline):
            views.first().set_blocks(self.details(event.node))

    def on_trace_tree_chosen(self, event: TraceTree.Chosen) -> None:
        event.stop()
        self.open_node(event.node)

    def open_node(self, node: int) -> None:
        """Open one node as a full log, on a new screen of the kind this pane is on."""
        outline = self.outline
        if outline is None:
            return
        if node == outline.current:
            self.notify("This is the log you are looking at.", markup=False)
            return
        item = outline.items[node]
        source: LogSource
        if isinstance(item, TraceNode):
            try:
                source = DocumentSource(trace_child(self.doc, item.path))
            except InspectorError as error:
                self.notify(error.message, severity="error", markup=False)
                return
            resolver: Any = self._resolver
        else:
            screen_source = getattr(self.screen, "source", None)
            assert isinstance(screen_source, EntrySource)
            source = EntrySource(screen_source.log_list, item)
            resolver = getattr(self.screen, "resolver", None)
        # The log screen imports the panes, so its class is taken from the screen.
        log_screen: Any = type(self.screen)
        trail = f"← {one_line(self.doc.log.id, 40)} trace"
        self.app.push_screen(log_screen(source, trail=trail, resolver=resolver, pane="overview"))

    async def _resolver(self, log_id: str) -> Any:
        """`p` from a node: its trace parent, found in this trace; else the outer resolver."""
        node = self.outline.index_of(log_id) if self.outline is not None else -1
        if node >= 0:
            item = self.outline.items[node] if self.outline is not None else None
            if isinstance(item, TraceNode):
                return DocumentSource(trace_child(self.doc, item.path) if item.path else self.doc)
        outer = getattr(self.screen, "resolver", None)
        return await outer(log_id) if outer is not None else None

    # -- search and copy ------------------------------------------------------------

    @property
    def searchable(self) -> Searchable | None:
        trees = self.query(TraceTree)
        return trees.first() if trees else None

    def copy_text(self) -> str | None:
        trees = self.query(TraceTree)
        if not trees or self.outline is None or trees.first().node < 0:
            return None
        return "\n".join(b.text_to_copy for b in self.details(trees.first().node))


def _time(moment: Any) -> str | None:
    return d.format_time(moment, precise=True) if moment else None
