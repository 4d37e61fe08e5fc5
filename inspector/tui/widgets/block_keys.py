"""The keys of a `BlockView` (messages, overview, tools, help), with their ids."""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

#: Bound by `BlockView`. `toggle_block` and `toggle_all` come in pairs, one shown per state.
BLOCK_BINDINGS: Final[list[BindingType]] = [
    Binding("down,j", "cursor_down", "Next", show=False, id="block.cursor-down"),
    Binding("up,k", "cursor_up", "Previous", show=False, id="block.cursor-up"),
    # Two labels per key, one shown at a time: the footer names what the key will do.
    Binding(
        "enter,space",
        "toggle_block(1)",
        "Expand",
        tooltip="Expand the block",
        id="block.expand",
    ),
    Binding(
        "enter,space",
        "toggle_block(0)",
        "Collapse",
        tooltip="Collapse the block",
        id="block.collapse",
    ),
    Binding(
        "e",
        "toggle_all(1)",
        "Expand all",
        tooltip="Expand every block",
        id="block.expand-all",
    ),
    Binding(
        "e",
        "toggle_all(0)",
        "Collapse all",
        tooltip="Collapse every block",
        id="block.collapse-all",
    ),
    Binding("home,g", "first", "First", show=False, id="block.first"),
    Binding("end,G", "last", "Last", show=False, id="block.last"),
    Binding("pageup", "page_up", "Page up", show=False, id="block.page-up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="block.page-down"),
]
