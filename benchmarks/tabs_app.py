"""The launch baseline: a minimal Textual app with a one-line header and 8 tabs.

`python benchmarks/tabs_app.py MARKER` shows MARKER in its header on the first frame, as
`inspector FILE` shows the log id; the suite times both from spawn to that text.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static, TabbedContent, TabPane

TITLES = ["Overview", "Messages", "Tools", "Request", "Response", "Evaluations", "Feedback", "Raw"]


class TabsApp(App[None]):
    """A header, 8 tabs with a line of text each, and a footer."""

    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def compose(self) -> ComposeResult:
        yield Static(self.marker, markup=False)
        with TabbedContent():
            for title in TITLES:
                with TabPane(title):
                    yield Static(f"The {title} pane.", markup=False)
        yield Footer()


if __name__ == "__main__":
    TabsApp(sys.argv[1] if len(sys.argv) > 1 else "BASELINE-READY").run()
