"""`Pane`: one tab of a log, built the first time it is shown, searchable, copyable."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.model.decode import LogDocument, gc_paused
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block


class Searchable(Protocol):
    """What a pane's main widget offers to the search bar."""

    def search(self, pattern: re.Pattern[str] | None) -> int: ...

    def goto_match(self, step: int) -> int: ...

    @property
    def match_count(self) -> int: ...


class Empty(Static):
    """The sentence an empty pane shows instead of content."""

    DEFAULT_CSS = """
    Empty {
        width: 1fr;
        height: auto;
        padding: 1 2;
        color: $text-muted;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Content(text), classes="empty")


class Pane(Vertical):
    """Base class of the tab contents. Subclasses implement `make`."""

    DEFAULT_CSS = """
    Pane { height: 1fr; }
    """

    #: The sentence shown when the log has nothing for this pane.
    EMPTY = "Nothing to show."

    def __init__(self, doc: LogDocument, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc = doc
        self.built = False

    async def ensure_built(self) -> None:
        """Mount the content the first time the pane is shown."""
        if not self.built:
            self.built = True
            # Blocks and decoded payloads are many small objects made at once.
            with gc_paused():
                widgets = list(self.make())
            await self.mount_all(widgets)

    def make(self) -> Iterable[Widget]:
        """The widgets of the pane (called once, on first show)."""
        raise NotImplementedError

    def count(self) -> int | None:
        """The number shown in the tab title, if any."""
        return None

    @property
    def searchable(self) -> Searchable | None:
        """The widget `/` searches, if the pane has one."""
        found = self.query(BlockView)
        return found.first() if found else None

    def copy_text(self) -> str | None:
        """What `y` copies: the selected value, message or line."""
        found = self.query(BlockView)
        block = found.first().current_block if found else None
        return block.text_to_copy if block is not None else None

    def focus_content(self) -> None:
        """Give focus to the pane's main widget, at once.

        Not `Widget.focus`, which takes effect a moment later: by then a key typed
        ahead may have switched to another pane, and focus arriving in this hidden one
        would make the tabs show it again.
        """
        for widget in self.query("*"):
            if widget.focusable and widget.display:
                self.screen.set_focus(widget)
                return


class BlocksPane(Pane):
    """A pane that shows a list of blocks, or a sentence when there are none."""

    def blocks(self) -> list[Block]:
        """The blocks to show."""
        raise NotImplementedError

    def make(self) -> Iterable[Widget]:
        blocks = self.blocks()
        if not blocks:
            yield Empty(self.EMPTY)
            return
        yield BlockView(blocks, expand_all=self.expand_all_default())

    def expand_all_default(self) -> bool:
        """Whether long blocks start expanded."""
        return False
