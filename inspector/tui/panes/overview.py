"""The Overview pane: identity, status, timing, usage, the config, inputs and output."""

from __future__ import annotations

from inspector.tui.panes.base import BlocksPane
from inspector.tui.panes.overview_content import overview_blocks
from inspector.tui.widgets.blocks import Block


class OverviewPane(BlocksPane):
    """Identity, status, timing, usage, the config, inputs, metadata and output."""

    def blocks(self) -> list[Block]:
        return overview_blocks(self.doc)
