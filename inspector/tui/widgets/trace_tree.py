"""`TraceTree`: a trace as a collapsible tree that draws only the rows on screen.

The rows shown are a flat list of node indexes into an `Outline`: expanding a node
inserts its visible subtree into that list, collapsing removes it, and each frame lays
out only the rows it draws (`trace_rows`). No widget or table row exists per node, so a
trace of 10,000 logs opens and expands as fast as one of ten.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from inspector.present.outline import Outline
from inspector.tui.widgets.trace_rows import (
    FIXED,
    KIND_WIDTH,
    guides,
    header_line,
    layout,
    row_content,
)


class TraceTree(ScrollView, can_focus=True):
    """The rows of a trace: arrows and h/l open and close nodes, enter opens one as a log."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open log", tooltip="Open the node as a log", id="trace.open"),
        Binding("space", "toggle_node", "Expand", tooltip="Expand or collapse", id="trace.toggle"),
        Binding(
            "right,l",
            "expand",
            "Expand",
            show=False,
            tooltip="Expand the node, or go to its first child",
            id="trace.expand",
        ),
        Binding(
            "left,h",
            "collapse",
            "Collapse",
            show=False,
            tooltip="Collapse the node, or go to its parent",
            id="trace.collapse",
        ),
        Binding(
            "e",
            "expand_all",
            "Expand all",
            tooltip="Expand every node, or collapse back to the first levels",
            id="trace.expand-all",
        ),
        Binding("down,j", "move(1)", "Down", show=False, id="trace.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="trace.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="trace.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="trace.page-up"),
        Binding("home,g", "first", "Top", show=False, id="trace.first"),
        Binding("end,G", "last", "Bottom", show=False, id="trace.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"trace-tree--cursor", "trace-tree--match"}

    DEFAULT_CSS = """
    TraceTree {
        background: $surface;
        & > .trace-tree--cursor { background: $accent 30%; }
        & > .trace-tree--match { background: $warning 30%; }
    }
    """

    class Highlighted(Message):
        """The cursor moved to `node`."""

        def __init__(self, node: int) -> None:
            super().__init__()
            self.node = node

    class Chosen(Message):
        """Enter on `node`: open it as a log."""

        def __init__(self, node: int) -> None:
            super().__init__()
            self.node = node

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(
        self, outline: Outline[Any], expanded: set[int], *, start: int = -1, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.outline = outline
        self.expanded = set(expanded)
        self._initial = set(expanded)
        #: Node indexes in the order they are drawn: the expanded part of the tree.
        self.rows: list[int] = self._visible(outline.roots)
        self._matches: list[int] = []
        self._match_set: set[int] = set()
        self._match_index = -1
        self._texts: list[str] | None = None
        self._update_size()
        if start in self.rows:
            self.set_reactive(TraceTree.cursor, self.rows.index(start))

    def on_mount(self) -> None:
        if self.cursor:
            self.call_after_refresh(self.go_to, self.cursor, center=True)

    # -- the visible rows ----------------------------------------------------------

    def _visible(self, starts: list[int]) -> list[int]:
        """`starts` and every node under them whose ancestors are all expanded."""
        order: list[int] = []
        stack = list(reversed(starts))
        children, expanded = self.outline.children, self.expanded
        while stack:
            node = stack.pop()
            order.append(node)
            if node in expanded:
                stack.extend(reversed(children[node]))
        return order

    def _subtree_end(self, row: int) -> int:
        """The row after the last visible descendant of the node on `row`."""
        depth, rows = self.outline.depth, self.rows
        top = depth[rows[row]]
        end = row + 1
        while end < len(rows) and depth[rows[end]] > top:
            end += 1
        return end

    def _update_size(self) -> None:
        # One line more than the rows: the column titles stay on the first line.
        width = FIXED + sum(layout(self.scrollable_content_region.width))
        self.virtual_size = Size(width, len(self.rows) + 1)

    def on_resize(self) -> None:
        self._update_size()

    @property
    def node(self) -> int:
        """The node under the cursor."""
        return self.rows[self.cursor] if self.rows else -1

    def open_row(self, row: int) -> None:
        """Show the children of the node on `row` (and what was open below them)."""
        node = self.rows[row]
        if node in self.expanded or not self.outline.children[node]:
            return
        self.expanded.add(node)
        self.rows[row + 1 : row + 1] = self._visible(self.outline.children[node])
        self._update_size()
        self.refresh()

    def close_row(self, row: int) -> None:
        """Hide everything under the node on `row`."""
        node = self.rows[row]
        if node not in self.expanded:
            return
        del self.rows[row + 1 : self._subtree_end(row)]
        self.expanded.discard(node)
        self._update_size()
        self.refresh()

    def reveal(self, node: int) -> None:
        """Expand the ancestors of `node` and put the cursor on it."""
        missing = [up for up in self.outline.ancestors(node) if up not in self.expanded]
        if missing:
            self.expanded.update(missing)
            self.rows = self._visible(self.outline.roots)
            self._update_size()
            self.refresh()
        self.go_to(self.rows.index(node), center=True)

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        x = round(self.scroll_x)
        base = self.rich_style
        if y == 0:
            title = Content.styled(header_line(width), "bold")
            return self._strip(title, x, width).apply_style(base)
        row = round(self.scroll_y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, base)
        node = self.rows[row]
        strip = self._strip(row_content(self.outline, node, node in self.expanded, width), x, width)
        if row == self.cursor:
            strip = strip.apply_style(self.get_component_rich_style("trace-tree--cursor"))
        elif node in self._match_set:
            strip = strip.apply_style(self.get_component_rich_style("trace-tree--match"))
        return strip.apply_style(base)

    @staticmethod
    def _strip(content: Content, x: int, width: int) -> Strip:
        """The part of a line in view, with `…` where it goes on past the right edge."""
        strip = Strip(content.render_segments()).crop(x, x + width)
        if content.cell_length > x + width and width > 1:
            more = Strip([Segment("…", RichStyle(bold=True))])
            strip = Strip.join([strip.crop(0, width - 1), more])
        return strip.adjust_cell_length(width)

    # -- cursor and keys -----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_lines(old + 1)
        self.refresh_lines(new + 1)
        if self.rows:
            self.post_message(self.Highlighted(self.rows[new]))

    def go_to(self, row: int, *, center: bool = False) -> None:
        """Put the cursor on `row` (clamped) and scroll it into view."""
        self.cursor = max(0, min(len(self.rows) - 1, row))
        if center:
            self.set_scroll(None, max(0, self.cursor - self.scrollable_content_region.height // 2))
        else:
            # The row and the one after it: the row is drawn one line down, below the titles.
            self.scroll_to_region(Region(0, self.cursor, 1, 2), animate=False, force=True)

    def action_move(self, step: int) -> None:
        self.go_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.go_to(self.cursor + step * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.go_to(0)

    def action_last(self) -> None:
        self.go_to(len(self.rows) - 1)

    def action_toggle_node(self) -> None:
        if self.node in self.expanded:
            self.close_row(self.cursor)
        else:
            self.open_row(self.cursor)

    def action_expand(self) -> None:
        node = self.node
        if node in self.expanded:
            self.go_to(self.cursor + 1)
        else:
            self.open_row(self.cursor)

    def action_collapse(self) -> None:
        node = self.node
        if node in self.expanded:
            self.close_row(self.cursor)
        elif node >= 0 and self.outline.parent[node] >= 0:
            self.go_to(self.rows.index(self.outline.parent[node]))

    def action_expand_all(self) -> None:
        node = self.node
        everything = {n for n in range(len(self.outline)) if self.outline.children[n]}
        self.expanded = set(self._initial) if self.expanded >= everything else everything
        self.rows = self._visible(self.outline.roots)
        self._update_size()
        self.refresh()
        if node in self.rows:
            self.go_to(self.rows.index(node))
        else:
            self.reveal(node)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self.node))

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - 1
        if event.y < 1 or not 0 <= row < len(self.rows):
            return
        self.cursor = row
        # A click on the arrow opens or closes the node.
        indent = len(guides(self.outline.depth[self.rows[row]]))
        column = round(self.scroll_x) + event.x
        if KIND_WIDTH + indent <= column < KIND_WIDTH + indent + 2:
            self.action_toggle_node()

    # -- search over every node, shown or not ---------------------------------------

    def _text(self, node: int) -> str:
        if self._texts is None:
            facts = map(self.outline.facts, range(len(self.outline)))
            self._texts = [" ".join((f.log_id, f.kind, f.name, f.status, f.error)) for f in facts]
        return self._texts[node]

    def search(self, pattern: re.Pattern[str] | None) -> int:
        """Find the nodes whose id, kind, name, status or error match; return how many."""
        if pattern is None:
            self._matches = []
        else:
            self._matches = [
                n for n in self.outline.preorder() if pattern.search(self._text(n)) is not None
            ]
        self._match_set = set(self._matches)
        self._match_index = -1
        self.refresh()
        return len(self._matches)

    def goto_match(self, step: int) -> int:
        """Go to the next (`step` 1) or previous match, expanding what hides it."""
        if not self._matches:
            return -1
        if self._match_index < 0:
            self._match_index = 0 if step > 0 else len(self._matches) - 1
        else:
            self._match_index = (self._match_index + step) % len(self._matches)
        self.reveal(self._matches[self._match_index])
        return self._match_index

    @property
    def match_count(self) -> int:
        return len(self._matches)
