"""`BlockLayout`: where each block of a `BlockView` starts, and its lines, drawn on demand.

Heights of blocks not yet drawn are estimated from character counts (see
`Block.estimate_height`); a block's real height is known once it is laid out, and
`make_exact` corrects the estimates of the blocks about to be shown. Kept apart from the
widget so the bookkeeping can be read (and tested) without scrolling and keys.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Final

from textual.strip import Strip

from inspector.tui.widgets.blocks import Block, Match, Styles, layout_block

#: How many laid-out blocks to keep; enough for a few screens either way.
CACHE_SIZE: Final = 256

#: For a block index: the search matches inside it, and the current match if it is there.
MatchesOf = Callable[[int], tuple[list[Match], Match | None]]


def _no_matches(index: int) -> tuple[list[Match], Match | None]:
    return [], None


class BlockLayout:
    """Heights, offsets and drawn lines of a list of blocks at one width."""

    def __init__(self, blocks: list[Block], *, expand_all: bool = False) -> None:
        self.blocks = blocks
        self.expand_all = expand_all
        #: Keys of the blocks toggled away from `expand_all`.
        self.toggled: set[str] = set()
        self.styles = Styles()
        self.width = 0
        self.heights: list[int] = []
        self.exact: list[bool] = []
        self.offsets: list[int] = [0]
        #: The row of the current search match inside its block, once it is drawn.
        self.match_row: int | None = None
        self._cache: OrderedDict[int, list[Strip]] = OrderedDict()

    @property
    def height(self) -> int:
        """All the lines of all the blocks."""
        return self.offsets[-1]

    def is_collapsed(self, index: int) -> bool:
        """True when the block at `index` shows only its preview."""
        return (self.blocks[index].key in self.toggled) == self.expand_all

    def relayout(self, width: int, *, force: bool = False) -> bool:
        """Estimate every height for `width`; return True when anything changed."""
        if width == self.width and not force and len(self.heights) == len(self.blocks):
            return False
        self.width = width
        self._cache.clear()
        self.heights = [
            block.estimate_height(width, self.is_collapsed(i))
            for i, block in enumerate(self.blocks)
        ]
        self.exact = [False] * len(self.blocks)
        self.offsets = [0, *accumulate(self.heights)]
        return True

    def forget(self, index: int | None = None) -> None:
        """Drop drawn lines (of one block, or all) so they are drawn again."""
        if index is None:
            self._cache.clear()
            self.exact = [False] * len(self.blocks)
        else:
            self._cache.pop(index, None)
            self.exact[index] = False

    def reset_block(self, index: int) -> None:
        """Estimate one block again (after it was expanded or collapsed)."""
        self.forget(index)
        self.heights[index] = self.blocks[index].estimate_height(
            self.width, self.is_collapsed(index)
        )
        self.offsets = [0, *accumulate(self.heights)]

    def block_at(self, line: int) -> int:
        """The index of the block drawn on `line`."""
        return max(0, min(len(self.blocks) - 1, bisect_right(self.offsets, line) - 1))

    def strips(self, index: int, matches_of: MatchesOf = _no_matches) -> list[Strip]:
        """The lines of one block, laid out now or taken from the cache."""
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        matches, current = matches_of(index)
        lines, row = layout_block(
            self.blocks[index],
            self.width,
            self.styles,
            collapsed=self.is_collapsed(index),
            matches=matches,
            current=current,
        )
        if current is not None:
            self.match_row = row
        strips = [Strip(line.render_segments()) for line in lines]
        self._cache[index] = strips
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return strips

    def make_exact(self, first_line: int, last_line: int, matches_of: MatchesOf) -> int:
        """Lay out the blocks covering the given lines and correct their heights.

        Returns how far the content above `first_line` grew (or shrank): a view that
        scrolls by that much keeps what is on screen in place.
        """
        total_shift = 0
        for _ in range(8):
            changed = False
            shift = 0
            index = self.block_at(first_line)
            while index < len(self.blocks) and self.offsets[index] <= last_line:
                if not self.exact[index]:
                    height = len(self.strips(index, matches_of))
                    if height != self.heights[index]:
                        if self.offsets[index] < first_line:
                            shift += height - self.heights[index]
                        self.heights[index] = height
                        changed = True
                    self.exact[index] = True
                index += 1
            if not changed:
                break
            self.offsets = [0, *accumulate(self.heights)]
            first_line += shift
            last_line += shift
            total_shift += shift
        return total_shift
