"""`SearchBar`: the `/` prompt at the bottom of a log, with match counts and a regex toggle."""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static


def compile_query(query: str, *, regex: bool) -> re.Pattern[str] | None:
    """A pattern for a query: smart case (case-sensitive only with a capital letter).

    Returns None for an empty query; raises `re.error` for a bad regular expression.
    """
    if not query:
        return None
    flags = 0 if any(c.isupper() for c in query) else re.IGNORECASE
    return re.compile(query if regex else re.escape(query), flags)


class SearchBar(Horizontal):
    """A search prompt. Posts `Changed` as the user types and `Done` on enter or escape."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        display: none;
        background: $panel;
        &.-open { display: block; }
        & > #search-label { width: auto; padding: 0 1; color: $text-accent; }
        & > Input, & > Input:focus {
            border: none; height: 1; padding: 0; width: 1fr; background: $panel;
        }
        & > #search-status { width: auto; padding: 0 1; color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", show=False, id="search.close"),
        Binding(
            "ctrl+r",
            "toggle_regex",
            "Regex",
            tooltip="Toggle regular expressions",
            id="search.toggle-regex",
        ),
    ]

    regex: reactive[bool] = reactive(False)

    class Changed(Message):
        """The query changed; `pattern` is None when it is empty."""

        def __init__(self, pattern: re.Pattern[str] | None) -> None:
            super().__init__()
            self.pattern = pattern

    class Done(Message):
        """The user finished typing: `jump` is True on enter, False on escape."""

        def __init__(self, jump: bool) -> None:
            super().__init__()
            self.jump = jump

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-label")
        yield Input(placeholder="search this pane (ctrl+r: regex)", id="search-input", compact=True)
        yield Static("", id="search-status")

    def open(self) -> None:
        """Show the bar and focus its input."""
        self.add_class("-open")
        # At once: letters typed right after `/` then find the box focused, and go in it
        # (`InspectorApp.on_key`), not to the pane as keys.
        self.screen.set_focus(self.query_one(Input))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Done(jump=False))

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex

    def watch_regex(self, regex: bool) -> None:
        self.query_one("#search-label", Static).update(Content("re/" if regex else "/"))
        if self.is_mounted:
            self._emit(self.query_one(Input).value)

    def set_status(self, text: str) -> None:
        """Show match counts or a problem with the query."""
        self.query_one("#search-status", Static).update(Content(text))

    @property
    def value(self) -> str:
        """The query typed."""
        return self.query_one(Input).value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._emit(event.value)

    def _emit(self, value: str) -> None:
        try:
            pattern = compile_query(value, regex=self.regex)
        except re.error as error:
            self.set_status(f"bad regex: {error}")
            return
        self.post_message(self.Changed(pattern))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # The bar stays open to show "3 of 17" while n and N step through the matches.
        event.stop()
        self.post_message(self.Done(jump=True))
