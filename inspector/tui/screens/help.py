"""`HelpScreen`: the keys of the screen it was opened on (`?` or F1), read from its bindings."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen

from inspector.tui.bindings import help_sections
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.keys_footer import KeysFooter


class HelpScreen(ModalScreen[None]):
    """The keys, grouped by where they work, for the screen below."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 100; max-width: 100%; height: 90%;
        border: round $accent; background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")
    ]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.sections = help_sections(below)

    def compose(self) -> ComposeResult:
        blocks = []
        width = max((len(line.keys) for _, lines in self.sections for line in lines), default=8)
        for section, lines in self.sections:
            blocks.append(
                Block(section, [(section, "heading")], collapsible=False, gap_before=1, gap_after=0)
            )
            for line in lines:
                blocks.append(
                    Block(
                        f"{section}.{line.action}.{line.keys}",
                        [(f"{line.keys:<{width + 2}}", "call"), (line.text, "value")],
                        collapsible=False,
                        gap_after=0,
                    )
                )
        with Vertical() as frame:
            frame.border_title = "inspector keys"
            yield BlockView(blocks)
        yield KeysFooter()
