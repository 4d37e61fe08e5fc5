"""`BlockView`: a virtual, searchable list of text blocks (messages, fields) with a cursor.

Only the blocks on screen are wrapped and rendered (the Line API), so thousands of messages
open as fast as a few; unseen blocks' heights are estimated, then corrected when drawn.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from inspector.tui.widgets.block_keys import BLOCK_BINDINGS
from inspector.tui.widgets.block_layout import BlockLayout
from inspector.tui.widgets.blocks import Block, BlockMatches, Styles

STYLE_NAMES = [
    *("body", "muted", "label", "heading", "error", "warning", "call", "result", "more", "value"),
    *("match", "match-current", "cursor"),
    *("json-key", "json-string", "json-number", "json-literal"),
    *("role-user", "role-assistant", "role-system", "role-tool", "role-developer", "role-other"),
]


class BlockView(ScrollView, can_focus=True):
    """A scrollable list of `Block`s with a cursor, collapsing and search."""

    BINDINGS: ClassVar[list[BindingType]] = BLOCK_BINDINGS

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"block-view--{name}" for name in STYLE_NAMES}

    DEFAULT_CSS = """
    BlockView {
        background: $surface;
        scrollbar-gutter: stable;
        & > .block-view--muted { color: $text-muted; }
        & > .block-view--label { color: $text-muted; }
        & > .block-view--heading { color: $text-accent; text-style: bold; }
        & > .block-view--error { color: $text-error; text-style: bold; }
        & > .block-view--warning { color: $text-warning; }
        & > .block-view--call { color: $text-accent; text-style: bold; }
        & > .block-view--result { color: $text-success; text-style: bold; }
        & > .block-view--more { color: $text-muted; text-style: italic; }
        & > .block-view--match { background: $warning 40%; }
        & > .block-view--match-current { background: $warning; color: $text; }
        & > .block-view--cursor { color: $accent; background: $accent 10%; }
        & > .block-view--json-key { color: $text-primary; }
        & > .block-view--json-string { color: $text-success; }
        & > .block-view--json-number { color: $text-warning; }
        & > .block-view--json-literal { color: $text-secondary; text-style: italic; }
        & > .block-view--role-user { background: $success-darken-1; }
        & > .block-view--role-assistant { background: $primary-darken-1; }
        & > .block-view--role-system { background: $warning-darken-2; }
        & > .block-view--role-tool { background: $secondary-darken-1; }
        & > .block-view--role-developer { background: $error-darken-2; }
        & > .block-view--role-other { background: $panel-lighten-2; }
        & > .block-view--value { color: $text; }
        & > .block-view--role-user, & > .block-view--role-assistant,
        & > .block-view--role-system, & > .block-view--role-tool,
        & > .block-view--role-developer, & > .block-view--role-other {
            color: $text; text-style: bold;
        }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class Selected(Message):
        """The cursor moved to another block."""

        def __init__(self, view: BlockView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

        @property
        def control(self) -> BlockView:
            """The view whose cursor moved."""
            return self.view

    class ExpandAllChanged(Message):
        """The user expanded or collapsed every block (`e`)."""

        def __init__(self, expand: bool) -> None:
            super().__init__()
            self.expand = expand

    def __init__(
        self,
        blocks: list[Block] | None = None,
        *,
        expand_all: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._layout = BlockLayout(blocks or [], expand_all=expand_all)
        self._styles_stale = True
        self._search = BlockMatches()

    @property
    def blocks(self) -> list[Block]:
        """The blocks shown."""
        return self._layout.blocks

    def set_blocks(self, blocks: list[Block]) -> None:
        """Replace the blocks, keeping the cursor on the same key when it still exists."""
        key = self.current_block.key if self.current_block else None
        self._layout.blocks = blocks
        self._relayout(force=True)
        keys = [block.key for block in blocks]
        self.cursor = keys.index(key) if key in keys else 0
        if self._search.pattern is not None:
            self.search(self._search.pattern)
        self.refresh()

    def is_collapsed(self, index: int) -> bool:
        """True when the block at `index` shows only its preview."""
        return self._layout.is_collapsed(index)

    @property
    def expand_all(self) -> bool:
        """True when blocks start expanded."""
        return self._layout.expand_all

    # -- layout --------------------------------------------------------------------

    def _relayout(self, force: bool = False) -> None:
        width = max(8, self.scrollable_content_region.width - 2) if self.is_mounted else 80
        if self._layout.relayout(width, force=force):
            self._sized()

    def _sized(self) -> None:
        self.virtual_size = Size(self._layout.width + 2, self._layout.height)

    def _reset_block(self, index: int) -> None:
        self._layout.reset_block(index)
        self._sized()

    def _strips(self, index: int) -> list[Strip]:
        return self._layout.strips(index, self._search.of)

    def _make_exact(self, first_line: int, last_line: int) -> None:
        """Correct the heights of the blocks about to be shown; keep the view in place."""
        before = self._layout.height
        shift = self._layout.make_exact(first_line, last_line, self._search.of)
        if self._layout.height != before:
            self._sized()
        if shift:
            self.set_scroll(None, self.scroll_y + shift)

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Component styles are applied after this call; read them at the next render.
        self._styles_stale = True
        self.refresh()

    def _refresh_styles(self) -> None:
        self._layout.styles = Styles(
            {
                name: Style.from_rich_style(self.get_component_rich_style(f"block-view--{name}"))
                for name in STYLE_NAMES
            }
        )
        self._styles_stale = False
        self._layout.forget()

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._styles_stale:
            self._refresh_styles()
        self._relayout()
        top = round(self.scroll_y)
        self._make_exact(top, top + self.scrollable_content_region.height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        layout = self._layout
        if not layout.blocks or line >= layout.height:
            return Strip.blank(width, base)
        index = layout.block_at(line)
        strips = self._strips(index)
        row = line - layout.offsets[index]
        strip = strips[row] if row < len(strips) else Strip.blank(layout.width)
        block = layout.blocks[index]
        in_block = block.gap_before <= row < len(strips) - block.gap_after
        is_cursor = index == self.cursor and self.has_focus_within and in_block
        gutter_style = layout.styles["cursor"].rich_style if is_cursor else None
        gutter = Segment("▌ " if is_cursor else "  ", gutter_style)
        return Strip([gutter, *strip]).adjust_cell_length(width).apply_style(base)

    # -- cursor and keys -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Expand or Collapse, whichever the key would do now."""
        expand = bool(parameters and parameters[0])
        if action == "toggle_block" and parameters:
            blocks = self._layout.blocks
            if not blocks or not blocks[self.cursor].is_long(self._layout.width):
                return None if expand else False  # nothing to expand: shown dimmed
            return self.is_collapsed(self.cursor) == expand
        return self._layout.expand_all != expand if action == "toggle_all" else True

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.refresh_bindings()
        if self._layout.blocks:
            self.post_message(self.Selected(self, new))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    @property
    def current_block(self) -> Block | None:
        """The block under the cursor."""
        return self._layout.blocks[self.cursor] if self._layout.blocks else None

    def select(self, index: int, *, top: bool = False) -> None:
        """Move the cursor to a block and scroll it into view."""
        if not self._layout.blocks:
            return
        self.cursor = max(0, min(len(self._layout.blocks) - 1, index))
        self._scroll_to_block(self.cursor, top=top)

    def _scroll_to_block(self, index: int, *, top: bool = False, row: int = 0) -> None:
        self._make_exact(self._layout.offsets[index], self._layout.offsets[index] + 1)
        start = self._layout.offsets[index] + row
        height = self.scrollable_content_region.height
        if top or row:
            target = start if top else start - height // 3
            self.set_scroll(None, max(0, target))
            return
        end = min(self._layout.offsets[index + 1], start + height)
        self.scroll_to_region(Region(0, start, 1, max(1, end - start)), animate=False, force=True)

    def action_cursor_down(self) -> None:
        if not self._layout.blocks:
            return
        bottom = self._layout.offsets[self.cursor + 1]
        view_bottom = round(self.scroll_y) + self.scrollable_content_region.height
        if bottom > view_bottom + 1 and self._layout.offsets[self.cursor] < view_bottom:
            self.scroll_relative(y=1, animate=False)
        elif self.cursor < len(self._layout.blocks) - 1:
            self.select(self.cursor + 1)
        else:
            self.scroll_relative(y=1, animate=False)

    def action_cursor_up(self) -> None:
        if not self._layout.blocks:
            return
        offsets = self._layout.offsets
        top, scroll_top = offsets[self.cursor], round(self.scroll_y)
        if top < scroll_top and offsets[self.cursor + 1] > scroll_top:
            self.scroll_relative(y=-1, animate=False)
        elif self.cursor > 0:
            index = self.cursor - 1
            self.cursor = index
            height = self._layout.offsets[index + 1] - self._layout.offsets[index]
            if height > self.scrollable_content_region.height:
                self.set_scroll(
                    None, self._layout.offsets[index + 1] - self.scrollable_content_region.height
                )
            else:
                self._scroll_to_block(index)
        else:
            self.scroll_home(animate=False)

    def action_first(self) -> None:
        self.select(0, top=True)

    def action_last(self) -> None:
        if not self._layout.blocks:
            return
        self.cursor = len(self._layout.blocks) - 1
        end = self._layout.height
        self._make_exact(end - self.scrollable_content_region.height, end)
        self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)
        self.cursor = self._layout.block_at(
            round(self.scroll_y) + self.scrollable_content_region.height // 2
        )

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)
        self.cursor = self._layout.block_at(
            round(self.scroll_y) + self.scrollable_content_region.height // 2
        )

    def action_toggle_block(self, expand: int = -1) -> None:
        """Expand or collapse the block under the cursor."""
        if not self._layout.blocks:
            return
        block = self._layout.blocks[self.cursor]
        if not block.is_long(self._layout.width):
            return
        self._layout.toggled ^= {block.key}
        self._reset_block(self.cursor)
        self._scroll_to_block(self.cursor)
        self.refresh()
        self.refresh_bindings()

    def action_toggle_all(self, expand: int = -1) -> None:
        """Expand every block, or collapse them all back."""
        self.set_expand_all(not self._layout.expand_all)
        self.post_message(self.ExpandAllChanged(self._layout.expand_all))

    def set_expand_all(self, expand: bool) -> None:
        """Start every block expanded (True) or collapsed (False)."""
        key = self.current_block.key if self.current_block else None
        self._layout.expand_all = expand
        self._layout.toggled.clear()
        self._relayout(force=True)
        if key is not None:
            self._scroll_to_block(self.cursor, top=True)
        self.refresh()
        self.refresh_bindings()

    def on_click(self, event: events.Click) -> None:
        if not self._layout.blocks:
            return
        line = round(self.scroll_y) + event.y
        if line >= self._layout.offsets[-1]:
            return
        index = self._layout.block_at(line)
        if index == self.cursor:
            self.action_toggle_block()
        else:
            self.cursor = index

    def search(self, pattern: re.Pattern[str] | None) -> int:
        """Find every match of `pattern` in the blocks; return how many there are."""
        count = self._search.find(self._layout.blocks, pattern)
        self._layout.forget()
        self.refresh()
        return count

    @property
    def match_count(self) -> int:
        """How many matches the last search found."""
        return len(self._search.found)

    @property
    def match_index(self) -> int:
        """The index of the current match, or -1."""
        return self._search.index

    def goto_match(self, step: int) -> int:
        """Move to the next (`step`=1) or previous (-1) match; return its index, or -1."""
        if not self._search.found:
            return -1
        old = self._search.found[self._search.index][0] if self._search.index >= 0 else None
        index = self._search.step(self.cursor, step)
        block_index = self._search.found[index][0]
        block = self._layout.blocks[block_index]
        if self.is_collapsed(block_index) and block.is_long(self._layout.width):
            # A match past the preview can only be shown expanded.
            self._layout.toggled ^= {block.key}
            self._reset_block(block_index)
        for stale in {old, block_index}:
            if stale is not None:
                self._layout.forget(stale)
        self.cursor = block_index
        self._layout.match_row = None
        self._strips(block_index)
        start = self._layout.offsets[block_index]
        self._make_exact(start, start + 1)
        self._scroll_to_block(block_index, row=self._layout.match_row or 0)
        self.refresh()
        return index
