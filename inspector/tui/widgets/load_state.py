"""The loading and error states of a log screen: what is happening, and what went wrong."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import LoadingIndicator, Static

from inspector.open.one import Waiting
from inspector.sanitize import one_line


class LoadingPanel(Vertical):
    """A spinner and one line of news; a retry wait counts down every tenth of a second."""

    DEFAULT_CSS = """
    LoadingPanel { align: center middle; }
    LoadingPanel LoadingIndicator { height: 3; }
    LoadingPanel #loading-status { width: auto; color: $text-muted; }
    """

    def __init__(self, first: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.first = first
        self._countdown: Timer | None = None

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(Content(one_line(self.first, 200)), id="loading-status")

    def show(self, news: str | Waiting) -> None:
        """Say what loading is doing now (call on the app's thread)."""
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        if isinstance(news, Waiting):
            self._countdown = self.set_interval(0.1, lambda: self._say(news))
            self._say(news)
        else:
            self._set(news)

    def _say(self, waiting: Waiting) -> None:
        self._set(waiting.describe(time.monotonic()))

    def _set(self, text: str) -> None:
        self.query_one("#loading-status", Static).update(Content(one_line(text, 200)))


class ErrorPanel(Vertical):
    """Why a log could not be opened, and the keys that help next."""

    DEFAULT_CSS = """
    ErrorPanel { align: center middle; }
    ErrorPanel #error-message {
        width: 90%; height: auto; padding: 1 2; border: round $error; color: $text-error;
    }
    ErrorPanel #error-hint { width: auto; color: $text-muted; margin-top: 1; }
    """

    #: Whether escape goes back to a screen, and whether `r` can read the log again.
    back = True
    retry = True

    def compose(self) -> ComposeResult:
        yield Static(id="error-message")
        yield Static(id="error-hint")

    def show(self, message: str) -> None:
        """Show one sanitised line of what went wrong, and the keys that work here."""
        self.query_one("#error-message", Static).update(Content(one_line(message, 2000)))
        keys = [
            "r retry" if self.retry else "",
            "o open another log",
            "escape back" if self.back else "",
            "q quit",
        ]
        hint = " · ".join(key for key in keys if key)
        self.query_one("#error-hint", Static).update(Content(hint))
