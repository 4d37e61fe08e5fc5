"""`OpenTargetScreen`: ask for another log to open (`o`): a path, a folder or a log id."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class OpenTargetScreen(ModalScreen[str | None]):
    """Returns the target typed, or None when cancelled."""

    DEFAULT_CSS = """
    OpenTargetScreen { align: center middle; }
    OpenTargetScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    OpenTargetScreen #open-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Open a log"
            yield Input(
                placeholder="path/to/log.json, a folder, an export, or data_…", id="open-input"
            )
            yield Static(
                Content(
                    "A file of one log opens it; a file of many logs or a folder lists them; "
                    "an id fetches it from the API (HUMANLOOP_API_KEY)."
                ),
                id="open-hint",
            )

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
