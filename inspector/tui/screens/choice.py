"""`ChoiceScreen`: pick one value from a list (a filter, a model, a status, a sort column)."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from inspector.sanitize import one_line
from inspector.tui.type_ahead import was_sent_on


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

    #: The typing box has the focus as soon as it is composed: letters typed right after
    #: the key that opened the chooser narrow it (with `focus()` in `on_mount` they were lost).
    AUTO_FOCUS = "Input"

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

    def takes(self, event: events.Key) -> bool:
        """True for a key this chooser handles in `on_key` when it is typed ahead."""
        printable = event.is_printable and bool(event.character)
        return printable or event.key == "enter" or self._action_of(event.key) is not None

    def _action_of(self, key: str) -> str | None:
        """The action of this screen's own binding for `key` (as the user's keys map it)."""
        active = self.active_bindings.get(key)
        if active is None or active.node is not self or not active.enabled:
            return None
        return active.binding.action

    async def on_key(self, event: events.Key) -> None:
        """Keys that reach the screen itself: letters typed before the box was there to
        take them, and keys sent on by the app (`inspector.tui.type_ahead`), in order."""
        box = self.query_one(Input)
        if event.is_printable and event.character:
            event.stop()
            box.insert_text_at_cursor(event.character)
            self.set_focus(box)
            # Now, not on the box's `Changed`: an enter typed ahead may be next in line.
            self._narrow_to(box.value)
        elif was_sent_on(event):
            event.stop()
            action = self._action_of(event.key)
            if event.key == "enter":
                self._pick(box.value)
            elif action is not None:
                await self.run_action(action)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0 if self.values else None

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        self._narrow_to(event.value)

    def _narrow_to(self, text: str) -> None:
        """Show the choices whose label contains `text` (any case), the first highlighted."""
        typed = text.casefold().strip()
        shown = [i for i, label in enumerate(self.labels) if typed in label.casefold()]
        if shown == self.shown:  # (again, from the box's `Changed` after `on_key`)
            return
        self.shown = shown
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Content(self.labels[i])) for i in self.shown])
        options.highlighted = 0 if self.shown else None

    def action_move(self, action: str) -> None:
        getattr(self.query_one(OptionList), f"action_{action}")()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._pick(event.value)

    def _pick(self, typed: str) -> None:
        """Choose the highlighted choice of those that `typed` narrows to."""
        self._narrow_to(typed)  # An enter typed ahead can come before `Changed`.
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.values[self.shown[index]])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[self.shown[event.option_index]])

    def action_cancel(self) -> None:
        self.dismiss(None)
