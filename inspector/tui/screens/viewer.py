"""`ValueViewer`: one whole value (a long string, a message) wrapped, or rendered as Markdown."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from inspector.present.words import format_bytes
from inspector.sanitize import one_line, sanitize
from inspector.tui.clipboard import copy_text
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import text_blocks
from inspector.tui.widgets.keys_footer import KeysFooter
from inspector.tui.widgets.search_bar import SearchBar

#: Markdown rendering is slow on big text (3 s for 50 KB); above this, show text.
MARKDOWN_LIMIT = 50_000
#: Editors tried, in order, when neither $EDITOR nor $VISUAL is set.
DEFAULT_EDITORS = ("sensible-editor", "editor", "nano", "vi")


def find_editor(environ: Mapping[str, str]) -> str | None:
    """`$EDITOR`, else `$VISUAL`, else the first default editor found, else None."""
    for name in ("EDITOR", "VISUAL"):
        if environ.get(name, "").strip():
            return environ[name]
    return next((name for name in DEFAULT_EDITORS if shutil.which(name)), None)


class ValueViewer(ModalScreen[None]):
    """A full-screen look at one value; `m` switches between text and Markdown."""

    DEFAULT_CSS = """
    ValueViewer { align: center middle; }
    ValueViewer > Vertical {
        width: 95%; height: 90%;
        border: round $accent; background: $surface;
        border-title-color: $text-accent;
    }
    ValueViewer #viewer-note { height: 1; color: $text-muted; padding: 0 1; }
    ValueViewer VerticalScroll { height: 1fr; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="value-viewer.close"),
        Binding("slash", "search", "Search", tooltip="Search the value", id="value-viewer.search"),
        Binding("n", "match(1)", "Next match", show=False, id="value-viewer.next-match"),
        Binding("N", "match(-1)", "Previous match", show=False, id="value-viewer.previous-match"),
        Binding("m", "toggle_markdown", "Markdown/text", id="value-viewer.toggle-markdown"),
        Binding("y", "copy", "Copy", id="value-viewer.copy"),
        Binding(
            "E",
            "edit",
            "Editor",
            tooltip="Open the value in $EDITOR, $VISUAL or nano/vi",
            id="value-viewer.edit",
        ),
    ]

    def __init__(self, title: str, text: str, *, markdown: bool = False) -> None:
        super().__init__()
        self.title_text = one_line(title, 100)
        self.text = text
        self.markdown = markdown and len(text) <= MARKDOWN_LIMIT
        self._asked_markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            # The title is log text (a JSON path, a message header): never markup.
            frame.border_title = Content(self.title_text)
            yield Static(Content(self._note()), id="viewer-note")
            yield from self._body()
            yield SearchBar()
        yield KeysFooter()

    def _note(self) -> str:
        mode = "Markdown" if self.markdown else "text"
        note = f"{format_bytes(len(self.text))} · shown as {mode} · m switches · y copies"
        if self._asked_markdown and not self.markdown and len(self.text) > MARKDOWN_LIMIT:
            note += " · too long to render as Markdown"
        return note

    def _body(self) -> ComposeResult:
        safe = sanitize(self.text)
        if self.markdown:
            with VerticalScroll():
                # Markdown does not parse Textual markup; links must not open a browser.
                yield Markdown(safe, open_links=False)
        else:
            yield BlockView(text_blocks("value", safe))

    # Search works on the text view; typed letters go to the prompt, never to the keys.

    async def action_search(self) -> None:
        if self.markdown:
            self.markdown = False
            await self.recompose()
        self.query_one(SearchBar).open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        views = self.query(BlockView)
        if not views:
            return
        count = views.first().search(event.pattern)
        status = "" if event.pattern is None else f"{count:,} match{'es' * (count != 1)}"
        self.query_one(SearchBar).set_status(status)

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        views = self.query(BlockView)
        if views:
            if event.jump:
                self.action_match(1)
            else:
                views.first().search(None)
            views.first().focus()

    def action_match(self, step: int) -> None:
        views = self.query(BlockView)
        index = views.first().goto_match(step) if views else -1
        if index >= 0:
            total = views.first().match_count
            self.query_one(SearchBar).set_status(f"{index + 1:,} of {total:,}")

    def action_close(self) -> None:
        bar = self.query_one(SearchBar)
        if bar.has_class("-open"):
            bar.action_close()
            return
        self.dismiss()

    async def action_toggle_markdown(self) -> None:
        if len(self.text) > MARKDOWN_LIMIT:
            self.notify("Too long to render as Markdown; showing text.")
            return
        self.markdown = not self.markdown
        await self.recompose()

    def action_edit(self) -> None:
        """Open the value, as shown here, in the user's editor (read it there, search it)."""
        editor = find_editor(os.environ)
        if not editor:
            self.notify("Set $EDITOR (or $VISUAL) to open values in your editor")
            return
        with tempfile.NamedTemporaryFile(
            "w", suffix=".txt", prefix="inspector-", delete=False, encoding="utf-8"
        ) as handle:
            # The text as shown: control bytes stay visible escapes in the editor too.
            handle.write(sanitize(self.text))
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), handle.name], check=False)
        except (OSError, SuspendNotSupported) as error:
            self.notify(f"Could not run {one_line(editor, 60)}: {error}")
        finally:
            Path(handle.name).unlink(missing_ok=True)

    async def action_copy(self) -> None:
        await copy_text(self.app, sanitize(self.text), format_bytes(len(self.text)))
