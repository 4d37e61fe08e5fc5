"""`JsonExplorer`: a foldable tree over a JSON value whose children are built when expanded.

Children are added in pages of `PAGE` with a "… n more" node, so a list of 100,000
items opens at once, and values are decoded one level at a time as nodes are built
(`inspector.bigtext.jsonvalues`). Labels are Rich `Text` built from sanitised strings, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import msgspec
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Span, Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from inspector.bigtext.jsontext import PathKey, jq_path
from inspector.bigtext.jsonvalues import full, node_value
from inspector.present.words import format_bytes
from inspector.sanitize import sanitize

PAGE: Final = 200
#: Characters of a string shown in its label; the whole value is one key away.
LABEL_CHARS: Final = 160
MAX_MATCHES: Final = 10_000


@dataclass(slots=True)
class JsonNode:
    """What a tree node stands for: a value at a path, and how many children are built."""

    path: tuple[PathKey, ...]
    value: Any
    loaded: int = 0


@dataclass(slots=True)
class MoreNode:
    """The "… n more" node: selecting it builds the next page of its parent's children."""

    parent: TreeNode[Any]


def children(value: Any) -> list[tuple[PathKey, Any]]:
    """The (key, child) pairs of a container, in order."""
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return []


def summary(value: Any) -> Text:
    """A one-line preview of a value, styled by type."""
    if isinstance(value, dict):
        return Text(f"{{{len(value)} key{'s' if len(value) != 1 else ''}}}", "dim")
    if isinstance(value, list):
        return Text(f"[{len(value)} item{'s' if len(value) != 1 else ''}]", "dim")
    if isinstance(value, str):
        shown = sanitize(value[: LABEL_CHARS * 2]).replace("\n", "↵")
        if len(shown) > LABEL_CHARS or len(value) > LABEL_CHARS * 2:
            shown = shown[:LABEL_CHARS] + f"… ({format_bytes(len(value))})"
        return Text(f'"{shown}"', "green")
    if value is None:
        return Text("null", "italic magenta")
    if isinstance(value, bool):
        return Text("true" if value else "false", "italic magenta")
    return Text(str(value), "yellow")


def label_for(key: PathKey | None, value: Any) -> Text:
    """`key: preview` for a node; the root has no key."""
    if key is None:
        return summary(value)
    name = f"[{key}]" if isinstance(key, int) else sanitize(key)
    preview = summary(value)
    # One Text with two spans, as `Text.assemble` would make, at a third of the cost:
    # revealing item 10,000 of a list builds 10,000 labels.
    start = len(name) + 2
    spans = [Span(0, len(name), "bold cyan"), Span(start, start + len(preview), preview.style)]
    return Text(f"{name}: {preview.plain}", spans=spans)


#: DEL and C1 controls, which JSON allows raw in strings but a terminal must not get.
_CONTROLS: Final = re.compile("[\x7f-\x9f]")


def value_text(value: Any) -> str:
    """A value as text to copy: plain strings as they are, everything else as exact JSON.

    A string with control characters is copied as a JSON string, so its escapes are
    JSON escapes (`\\u001b`) that paste back as the same value.
    """
    if isinstance(value, str) and sanitize(value) == value:
        return value
    text = msgspec.json.format(msgspec.json.encode(full(value)), indent=2).decode()
    return _CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class JsonExplorer(Tree[JsonNode | MoreNode]):
    """A lazily built tree of one JSON value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l,right", "expand_node", "Expand", show=False, id="json.expand-node"),
        Binding("h,left", "collapse_node", "Collapse", show=False, id="json.collapse-node"),
        Binding("j", "cursor_down", "Down", show=False, id="json.cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="json.cursor-up"),
        Binding(
            "e",
            "expand_all",
            "Expand all",
            tooltip="Expand everything under the node",
            id="json.expand-all",
        ),
    ]

    class PathChanged(Message):
        """The highlighted node changed; `path` is its jq path."""

        def __init__(self, path: str, value: Any) -> None:
            super().__init__()
            self.path = path
            self.value = value

    class OpenValue(Message):
        """The user asked to see a whole string value."""

        def __init__(self, path: str, value: str) -> None:
            super().__init__()
            self.path = path
            self.value = value

    def __init__(self, value: Any, *, id: str | None = None) -> None:
        """Explore `value`: raw JSON (`msgspec.Raw`, decoded as nodes are built) or Python."""
        root = node_value(value)
        super().__init__(summary(root), data=JsonNode((), root), id=id)
        self.show_root = True
        self.guide_depth = 3
        self._value = value

    #: True while a page of children is being added.
    _adding = False

    def _invalidate(self) -> None:
        # Tree resets its caches and asks for a layout after every node added; building
        # a page (or the 10,000 nodes up to a search match) does it once at the end.
        if not self._adding:
            super()._invalidate()

    def get_label_width(self, node: TreeNode[JsonNode | MoreNode]) -> int:
        # Tree measures every line after a change; rendering each label to measure it
        # took 170 ms for the 10,000 nodes built to reveal a search match.
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        label = node.label
        return cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def process_label(self, label: str | Text) -> Text:
        # Never parse a label as markup: every label here comes from log data.
        return Text(label) if isinstance(label, str) else label

    def on_mount(self) -> None:
        self._load_children(self.root)
        self.root.expand()
        if self.root.children:
            self.move_cursor(self.root)

    # -- building ------------------------------------------------------------------

    def _load_children(self, node: TreeNode[JsonNode | MoreNode], until: int = 0) -> None:
        """Build the next page of `node`'s children (or up to index `until`)."""
        data = node.data
        if not isinstance(data, JsonNode):
            return
        items = children(data.value)
        if data.loaded >= len(items):
            return
        for child in list(node.children):
            if isinstance(child.data, MoreNode):
                child.remove()
        stop = min(len(items), max(data.loaded + PAGE, until + 1))
        self._adding = True
        try:
            for key, member in items[data.loaded : stop]:
                child_value = node_value(member)
                is_container = isinstance(child_value, dict | list) and len(child_value) > 0
                node.add(
                    label_for(key, child_value),
                    data=JsonNode(data.path + (key,), child_value),
                    allow_expand=is_container,
                )
        finally:
            self._adding = False
            self._invalidate()
        data.loaded = stop
        if stop < len(items):
            node.add_leaf(
                Text(f"… {len(items) - stop:,} more (enter to show)", "dim italic"),
                data=MoreNode(node),
            )

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[JsonNode | MoreNode]) -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, JsonNode) and data.loaded == 0:
            self._load_children(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[JsonNode | MoreNode]) -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, MoreNode):
            self._load_children(data.parent)
        elif isinstance(data, JsonNode) and isinstance(data.value, str):
            self.post_message(self.OpenValue(jq_path(data.path), data.value))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[JsonNode | MoreNode]) -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, JsonNode):
            self.post_message(self.PathChanged(jq_path(data.path), data.value))

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.allow_expand:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def render_line(self, y: int) -> Strip:
        """A line; one that goes on past the right edge ends in `…` instead of a silent cut."""
        strip = super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        node = self.get_node_at_line(y + scroll_y)
        width = self.scrollable_content_region.width
        if node is None or width < 2:
            return strip
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        if depth * self.guide_depth + self.get_label_width(node) <= scroll_x + width:
            return strip
        return Strip.join([strip.crop(0, width - 1), Strip([Segment("…", RichStyle(bold=True))])])

    def action_expand_all(self, limit: int = 5_000) -> None:
        """Expand the node under the cursor and its descendants, up to `limit` nodes."""
        node = self.cursor_node or self.root
        budget = limit
        stack = [node]
        while stack and budget > 0:
            current = stack.pop()
            if not current.allow_expand:
                continue
            self._load_children(current)
            current.expand()
            budget -= len(current.children)
            stack.extend(reversed(current.children))
        if budget <= 0:
            self.notify(f"Expanded the first {limit:,} nodes only")

    # -- selection, copy and search --------------------------------------------------

    @property
    def current(self) -> JsonNode | None:
        """The value under the cursor."""
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, JsonNode) else None

    def reveal(self, path: tuple[PathKey, ...]) -> bool:
        """Expand down to `path`, building pages as needed, and put the cursor on it."""
        node = self.root
        for depth, key in enumerate(path):
            data = node.data
            if not isinstance(data, JsonNode):
                return False
            keys = [k for k, _ in children(data.value)]
            try:
                position = keys.index(key)
            except ValueError:
                return False
            if position >= data.loaded:
                self._load_children(node, until=position)
            node.expand()
            node = next(
                (
                    c
                    for c in node.children
                    if isinstance(c.data, JsonNode) and c.data.path[depth] == key
                ),
                node,
            )
        # Lines of newly expanded nodes are laid out on the next refresh.
        self.call_after_refresh(self._land_on, node)
        return True

    def _land_on(self, node: TreeNode[JsonNode | MoreNode]) -> None:
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    @property
    def value(self) -> Any:
        """The whole JSON value shown, decoded (a full decode each time)."""
        return full(self._value)

    @property
    def source(self) -> Any:
        """The value as given: raw JSON, or Python values."""
        return self._value
