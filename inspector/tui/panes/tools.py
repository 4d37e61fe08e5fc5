"""The Tools pane: the tools offered, `tool_choice`, the calls made and their results."""

from __future__ import annotations

from inspector.present import words as d
from inspector.tui.panes.base import BlocksPane
from inspector.tui.panes.tools_content import tools_blocks
from inspector.tui.widgets.blocks import Block


class ToolsPane(BlocksPane):
    """The tools offered, `tool_choice`, the calls made and the tool results."""

    def blocks(self) -> list[Block]:
        return tools_blocks(self.doc.log)

    def count(self) -> int:
        return len(d.offered_tools(self.doc.log.config))
