"""`ChoiceScreen`: pick one value from a list (a filter, a model, a status, a sort column)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from inspector.sanitize import one_line


class ChoiceScreen(ModalScreen[str | None]):
    """Returns the chosen value, "" for the first entry ("any"), or None when cancelled.

    What is typed shows in a box above the choices and narrows them to those that contain
    it, so a long list of models is a few letters away; the arrows move, enter picks.
    """

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 80%;
        border: round $accent; background: $surface;
    }
    ChoiceScreen Input, ChoiceScreen Input:focus {
        height: 1; border: none; padding: 0 1; background: $boost;
    }
    ChoiceScreen OptionList, ChoiceScreen OptionList:focus {
        height: auto; max-height: 30; border: none;
    }
    /* The typing box has the focus, yet enter picks this one: show it as the focused cursor. */
    ChoiceScreen OptionList > .option-list--option-highlighted {
        color: $block-cursor-foreground; background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        # The typing box keeps the focus: the keys that move go to the choices.
        Binding("down", "move('cursor_down')", "Down", show=False, id="choice.cursor-down"),
        Binding("up", "move('cursor_up')", "Up", show=False, id="choice.cursor-up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="choice.page-down"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="choice.page-up"),
    ]

    def __init__(
        self,
        title: str,
        choices: list[str],
        *,
        any_label: str | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """`labels`, when given, are shown instead of the choices: one line each, sanitised."""
        super().__init__()
        self.title_text = title
        self.values = ([""] if any_label is not None else []) + choices
        # Values can be log text (model names): shown as plain, sanitised text.
        self.labels = ([any_label] if any_label is not None else []) + (
            labels if labels is not None else [one_line(choice, 100) for choice in choices]
        )
        #: The indexes (into `values`) of the choices shown, narrowed by what is typed.
        self.shown = list(range(len(self.values)))

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = Content(self.title_text)
            frame.border_subtitle = Content("type to narrow · ↑↓ · enter · esc")
            yield Input(placeholder="type to narrow the choices", compact=True)
            yield OptionList(*(Option(Content(label)) for label in self.labels))

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0 if self.values else None
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        typed = event.value.casefold().strip()
        self.shown = [i for i, label in enumerate(self.labels) if typed in label.casefold()]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Content(self.labels[i])) for i in self.shown])
        options.highlighted = 0 if self.shown else None

    def action_move(self, action: str) -> None:
        getattr(self.query_one(OptionList), f"action_{action}")()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.values[self.shown[index]])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[self.shown[event.option_index]])

    def action_cancel(self) -> None:
        self.dismiss(None)
