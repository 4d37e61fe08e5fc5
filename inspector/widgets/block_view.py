"""`BlockView`: a virtual, searchable list of text blocks (messages, fields) with a cursor.

Only the blocks on screen are wrapped and rendered (the Line API), so a conversation of
thousands of messages opens as fast as a short one. Heights of blocks not yet seen are
estimated from character counts and corrected when a block is first drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from inspector.widgets.blocks import Block, Match, Styles, layout_block

STYLE_NAMES = (
    "body muted label heading error warning call result more match match-current cursor "
    "json-key json-string json-number json-literal role-user role-assistant role-system "
    "role-tool role-developer role-other value"
).split()

#: How many laid-out blocks to keep; enough for a few screens either way.
CACHE_SIZE = 256


class BlockView(ScrollView, can_focus=True):
    """A scrollable list of `Block`s with a cursor, collapsing and search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next", show=False),
        Binding("up,k", "cursor_up", "Previous", show=False),
        Binding("enter,space", "toggle", "Expand", tooltip="Expand or collapse the block"),
        Binding("e", "toggle_all", "All", tooltip="Expand or collapse every block"),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

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
        & > .block-view--role-user { background: $success-darken-1; color: $text; text-style: bold; }
        & > .block-view--role-assistant { background: $primary-darken-1; color: $text; text-style: bold; }
        & > .block-view--role-system { background: $warning-darken-2; color: $text; text-style: bold; }
        & > .block-view--role-tool { background: $secondary-darken-1; color: $text; text-style: bold; }
        & > .block-view--role-developer { background: $error-darken-2; color: $text; text-style: bold; }
        & > .block-view--role-other { background: $panel-lighten-2; color: $text; text-style: bold; }
        & > .block-view--value { color: $text; }
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
        self._blocks: list[Block] = blocks or []
        self._expand_all = expand_all
        self._toggled: set[str] = set()
        self._heights: list[int] = []
        self._exact: list[bool] = []
        self._offsets: list[int] = [0]
        self._width = 0
        self._cache: OrderedDict[int, list[Strip]] = OrderedDict()
        self._styles = Styles()
        self._styles_stale = True
        self._pattern: re.Pattern[str] | None = None
        self._matches: list[tuple[int, int, int]] = []
        self._match_index = -1
        self._match_row: int | None = None

    # -- content -------------------------------------------------------------------

    @property
    def blocks(self) -> list[Block]:
        """The blocks shown."""
        return self._blocks

    def set_blocks(self, blocks: list[Block]) -> None:
        """Replace the blocks, keeping the cursor on the same key when it still exists."""
        key = self._blocks[self.cursor].key if self._blocks else None
        self._blocks = blocks
        self._cache.clear()
        self._relayout(force=True)
        keys = [block.key for block in blocks]
        self.cursor = keys.index(key) if key in keys else 0
        if self._pattern is not None:
            self.search(self._pattern)
        self.refresh()

    def is_collapsed(self, index: int) -> bool:
        """True when the block at `index` shows only its preview."""
        block = self._blocks[index]
        return (block.key in self._toggled) == self._expand_all

    @property
    def expand_all(self) -> bool:
        """True when blocks start expanded."""
        return self._expand_all

    # -- layout --------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(8, self.scrollable_content_region.width - 2)

    def _relayout(self, force: bool = False) -> None:
        width = self._content_width() if self.is_mounted else 80
        if width == self._width and not force and len(self._heights) == len(self._blocks):
            return
        self._width = width
        self._cache.clear()
        self._heights = [
            block.estimate_height(width, self.is_collapsed(i)) for i, block in enumerate(self._blocks)
        ]
        self._exact = [False] * len(self._blocks)
        self._update_offsets()

    def _update_offsets(self) -> None:
        self._offsets = [0, *accumulate(self._heights)]
        self.virtual_size = Size(self._width + 2, self._offsets[-1])

    def _reset_block(self, index: int) -> None:
        self._cache.pop(index, None)
        self._heights[index] = self._blocks[index].estimate_height(
            self._width, self.is_collapsed(index)
        )
        self._exact[index] = False
        self._update_offsets()

    def _block_at(self, line: int) -> int:
        return max(0, min(len(self._blocks) - 1, bisect_right(self._offsets, line) - 1))

    def _strips(self, index: int) -> list[Strip]:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        matches = [(s, e) for b, s, e in self._matches if b == index]
        current = self._current_match(index)
        lines, row = layout_block(
            self._blocks[index],
            self._width,
            self._styles,
            collapsed=self.is_collapsed(index),
            matches=matches,
            current=current,
        )
        if current is not None:
            self._match_row = row
        strips = [Strip(line.render_segments()) for line in lines]
        self._cache[index] = strips
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return strips

    def _make_exact(self, first_line: int, last_line: int) -> None:
        """Lay out the blocks covering the given lines and correct their heights.

        A block above the viewport that grows or shrinks moves what is on screen; the
        scroll position is shifted by the same amount so the view stays put.
        """
        for _ in range(8):
            changed = False
            shift = 0
            index = self._block_at(first_line)
            while index < len(self._blocks) and self._offsets[index] <= last_line:
                if not self._exact[index]:
                    height = len(self._strips(index))
                    if height != self._heights[index]:
                        if self._offsets[index] < first_line:
                            shift += height - self._heights[index]
                        self._heights[index] = height
                        changed = True
                    self._exact[index] = True
                index += 1
            if not changed:
                return
            self._update_offsets()
            if shift:
                self.set_scroll(None, self.scroll_y + shift)
                first_line += shift
                last_line += shift

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Component styles are applied after this call; read them at the next render.
        self._styles_stale = True
        self.refresh()

    def _refresh_styles(self) -> None:
        self._styles = Styles(
            {
                name: Style.from_rich_style(self.get_component_rich_style(f"block-view--{name}"))
                for name in STYLE_NAMES
            }
        )
        self._styles_stale = False
        self._cache.clear()

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
        if not self._blocks or line >= self._offsets[-1]:
            return Strip.blank(width, base)
        index = self._block_at(line)
        strips = self._strips(index)
        row = line - self._offsets[index]
        strip = strips[row] if row < len(strips) else Strip.blank(self._width)
        block = self._blocks[index]
        in_block = block.gap_before <= row < len(strips) - block.gap_after
        is_cursor = index == self.cursor and self.has_focus_within and in_block
        gutter_style = self._styles["cursor"].rich_style if is_cursor else None
        gutter = Segment("▌ " if is_cursor else "  ", gutter_style)
        return Strip([gutter, *strip]).adjust_cell_length(width).apply_style(base)

    # -- cursor and keys -----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        if self._blocks:
            self.post_message(self.Selected(self, new))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    @property
    def current_block(self) -> Block | None:
        """The block under the cursor."""
        return self._blocks[self.cursor] if self._blocks else None

    def select(self, index: int, *, top: bool = False) -> None:
        """Move the cursor to a block and scroll it into view."""
        if not self._blocks:
            return
        self.cursor = max(0, min(len(self._blocks) - 1, index))
        self._scroll_to_block(self.cursor, top=top)

    def _scroll_to_block(self, index: int, *, top: bool = False, row: int = 0) -> None:
        self._make_exact(self._offsets[index], self._offsets[index] + 1)
        start = self._offsets[index] + row
        height = self.scrollable_content_region.height
        if top or row:
            target = start if top else start - height // 3
            self.set_scroll(None, max(0, target))
            return
        end = min(self._offsets[index + 1], start + height)
        self.scroll_to_region(Region(0, start, 1, max(1, end - start)), animate=False, force=True)

    def action_cursor_down(self) -> None:
        if not self._blocks:
            return
        bottom = self._offsets[self.cursor + 1]
        view_bottom = round(self.scroll_y) + self.scrollable_content_region.height
        if bottom > view_bottom + 1 and self._offsets[self.cursor] < view_bottom:
            self.scroll_relative(y=1, animate=False)
        elif self.cursor < len(self._blocks) - 1:
            self.select(self.cursor + 1)
        else:
            self.scroll_relative(y=1, animate=False)

    def action_cursor_up(self) -> None:
        if not self._blocks:
            return
        top = self._offsets[self.cursor]
        if top < round(self.scroll_y) and self._offsets[self.cursor + 1] > round(self.scroll_y):
            self.scroll_relative(y=-1, animate=False)
        elif self.cursor > 0:
            index = self.cursor - 1
            self.cursor = index
            height = self._offsets[index + 1] - self._offsets[index]
            if height > self.scrollable_content_region.height:
                self.set_scroll(None, self._offsets[index + 1] - self.scrollable_content_region.height)
            else:
                self._scroll_to_block(index)
        else:
            self.scroll_home(animate=False)

    def action_first(self) -> None:
        self.select(0, top=True)

    def action_last(self) -> None:
        if not self._blocks:
            return
        self.cursor = len(self._blocks) - 1
        self._make_exact(self._offsets[-1] - self.scrollable_content_region.height, self._offsets[-1])
        self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)
        self.cursor = self._block_at(round(self.scroll_y) + self.scrollable_content_region.height // 2)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)
        self.cursor = self._block_at(round(self.scroll_y) + self.scrollable_content_region.height // 2)

    def action_toggle(self) -> None:
        """Expand or collapse the block under the cursor."""
        if not self._blocks:
            return
        block = self._blocks[self.cursor]
        if not block.is_long(self._width):
            return
        self._toggled ^= {block.key}
        self._reset_block(self.cursor)
        self._scroll_to_block(self.cursor)
        self.refresh()

    def action_toggle_all(self) -> None:
        """Expand every block, or collapse them all back."""
        self.set_expand_all(not self._expand_all)
        self.post_message(self.ExpandAllChanged(self._expand_all))

    def set_expand_all(self, expand: bool) -> None:
        """Start every block expanded (True) or collapsed (False)."""
        key = self.current_block.key if self.current_block else None
        self._expand_all = expand
        self._toggled.clear()
        self._relayout(force=True)
        if key is not None:
            self._scroll_to_block(self.cursor, top=True)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if not self._blocks:
            return
        line = round(self.scroll_y) + event.y
        if line >= self._offsets[-1]:
            return
        index = self._block_at(line)
        if index == self.cursor:
            self.action_toggle()
        else:
            self.cursor = index

    # -- search --------------------------------------------------------------------

    def search(self, pattern: re.Pattern[str] | None) -> int:
        """Find every match of `pattern` in the blocks; return how many there are."""
        self._pattern = pattern
        self._matches = []
        self._match_index = -1
        if pattern is not None:
            for index, block in enumerate(self._blocks):
                for found in pattern.finditer(block.search_text):
                    if found.end() > found.start():
                        self._matches.append((index, found.start(), found.end()))
        self._cache.clear()
        self.refresh()
        return len(self._matches)

    @property
    def match_count(self) -> int:
        """How many matches the last search found."""
        return len(self._matches)

    @property
    def match_index(self) -> int:
        """The index of the current match, or -1."""
        return self._match_index

    def _current_match(self, index: int) -> Match | None:
        if 0 <= self._match_index < len(self._matches):
            block, start, end = self._matches[self._match_index]
            if block == index:
                return start, end
        return None

    def goto_match(self, step: int) -> int:
        """Move to the next (`step`=1) or previous (-1) match from the cursor; return its index."""
        if not self._matches:
            return -1
        if self._match_index < 0:
            # The first jump goes to the first match at or after the cursor.
            after = [i for i, (b, _, _) in enumerate(self._matches) if b >= self.cursor]
            index = after[0] if step > 0 and after else (len(self._matches) - 1 if step < 0 else 0)
        else:
            index = (self._match_index + step) % len(self._matches)
        old = self._matches[self._match_index][0] if self._match_index >= 0 else None
        self._match_index = index
        block_index, _, end = self._matches[index]
        block = self._blocks[block_index]
        if self.is_collapsed(block_index) and block.is_long(self._width):
            # A match past the preview can only be shown expanded.
            self._toggled ^= {block.key}
            self._reset_block(block_index)
        for stale in {old, block_index}:
            if stale is not None:
                self._cache.pop(stale, None)
                self._exact[stale] = False
        self.cursor = block_index
        self._match_row = None
        self._strips(block_index)
        self._make_exact(self._offsets[block_index], self._offsets[block_index] + 1)
        self._scroll_to_block(block_index, row=self._match_row or 0)
        self.refresh()
        return index
