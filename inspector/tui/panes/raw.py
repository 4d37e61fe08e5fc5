"""The Raw pane: the whole log exactly as received, pretty-printed and searchable."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.bigtext.pretty import pretty_json
from inspector.tui.panes.base import Pane, Searchable
from inspector.tui.widgets.text_view import TextView


class RawPane(Pane):
    """The whole log exactly as received, pretty-printed, read-only and searchable."""

    def make(self) -> Iterable[Widget]:
        note = (
            "The log as received, every field kept, pretty-printed. / searches, y copies a line, "
            "ctrl+w wraps long lines."
        )
        yield Static(Content(note), classes="pane-note")
        # UTF-8 bytes, the view decoding only the lines it draws; for a big log, made a
        # piece at a time as it is read (the pretty text of a 50 MB log is 108 MB).
        yield TextView(pretty_json(self.doc.raw), json=True)

    @property
    def searchable(self) -> Searchable | None:
        found = self.query(TextView)
        return found.first() if found else None

    def copy_text(self) -> str | None:
        found = self.query(TextView)
        return found.first().selected_text() if found else None
