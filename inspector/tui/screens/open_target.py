"""Prompts: `OpenTargetScreen` asks for another log to open (`o`), `PromptScreen` for a number."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static


def complete_path(typed: str) -> str | None:
    """The first file or folder that `typed` is the start of (folders end in `/`), or None."""
    if not typed or typed.startswith("data_"):
        return None
    folder, slash, start = typed.rpartition("/")
    where = Path(folder or "/").expanduser() if slash else Path()
    try:
        names = sorted(entry.name for entry in os.scandir(where) if entry.name.startswith(start))
    except OSError:
        return None
    # Hidden files only when asked for with a dot.
    names = [name for name in names if start.startswith(".") or not name.startswith(".")]
    if not names:
        return None
    name = names[0]
    suffix = "/" if (where / name).is_dir() else ""
    return f"{folder}{slash}{name}{suffix}"


class PathSuggester(Suggester):
    """Suggests the rest of a path as it is typed; tab or → takes it."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class OpenTargetScreen(ModalScreen[str | None]):
    """Returns the target typed, or None when cancelled."""

    # Its box and hint: one rule with `ExportScreen`'s, in app.tcss.

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="open-target.cancel"),
        Binding(
            "tab",
            "complete",
            "Complete",
            tooltip="Take the suggested path",
            id="open-target.complete",
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Open a log"
            yield Input(
                placeholder="path/to/log.json, a folder, an export, or data_…",
                id="open-input",
                suggester=PathSuggester(),
            )
            yield Static(
                Content(
                    "A file of one log opens it; a file of many logs or a folder lists them; "
                    "an id fetches it from the API (HUMANLOOP_API_KEY). tab completes a path."
                ),
                id="open-hint",
            )

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_complete(self) -> None:
        field = self.query_one(Input)
        if field._suggestion:
            field.value = field._suggestion
            field.cursor_position = len(field.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """Returns what was typed, or None when cancelled with escape."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 50; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PromptScreen Input, PromptScreen Input:focus { border: none; height: 1; padding: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel")
    ]

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = Content(self.title_text)
            yield Input(placeholder=self.placeholder, compact=True)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
