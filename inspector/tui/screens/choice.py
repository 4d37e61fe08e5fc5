"""`ChoiceScreen`: pick one value from a list (a model, a status, a sort column)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inspector.sanitize import one_line


class ChoiceScreen(ModalScreen[str | None]):
    """Returns the chosen value, "" for the first entry ("any"), or None when cancelled."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 80%;
        border: round $accent; background: $surface;
    }
    ChoiceScreen OptionList, ChoiceScreen OptionList:focus {
        height: auto; max-height: 30; border: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel")
    ]

    def __init__(self, title: str, choices: list[str], *, any_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.values = ([""] if any_label is not None else []) + choices
        # Values can be log text (model names): shown as plain, sanitised text.
        self.labels = ([any_label] if any_label is not None else []) + [
            one_line(choice, 100) for choice in choices
        ]

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = Content(self.title_text)
            yield OptionList(*(Option(Content(label)) for label in self.labels))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
