"""`ExportScreen`: write the logs a list shows to a file named by the user (`.jsonl` or `.csv`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from inspector.catalog import Catalog, Query
from inspector.catalog.export import format_for, write_csv, write_jsonl
from inspector.errors import InspectorError
from inspector.sanitize import one_line


class ExportScreen(ModalScreen[Path | None]):
    """Asks for a file name, writes the matching logs with progress; returns the path."""

    # The box and its hint: one rule with `OpenTargetScreen`'s, in app.tcss.
    DEFAULT_CSS = """
    ExportScreen ProgressBar { margin-top: 1; display: none; }
    ExportScreen ProgressBar.-running { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel")
    ]

    def __init__(self, catalog: Catalog, query: Query, count: int) -> None:
        super().__init__()
        self.catalog = catalog
        self.query_filter = query
        self.count = count
        self._confirmed: Path | None = None
        self._writing = False

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = f"Export {self.count:,} log{'' if self.count == 1 else 's'}"
            yield Input(placeholder="logs.jsonl or logs.csv", id="export-input")
            yield ProgressBar(total=max(1, self.count), show_eta=False, id="export-progress")
            yield Static(
                Content(
                    "JSON Lines (.jsonl): each log exactly as stored, one per line. "
                    "CSV (.csv): the list's columns. In source order."
                ),
                id="export-hint",
            )

    def _hint(self, text: str) -> None:
        self.query_one("#export-hint", Static).update(Content(one_line(text, 300)))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        if self._writing:
            return
        typed = event.value.strip()
        if not typed:
            self.dismiss(None)
            return
        fmt = format_for(typed)
        if fmt is None:
            self._hint(f"{typed}: name a .jsonl or .csv file")
            return
        path = Path(typed).expanduser()
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self._hint(f"{typed} exists: enter again to replace it, escape to cancel")
            return
        self._writing = True
        self.query_one(ProgressBar).add_class("-running")
        self._hint(f"Writing {typed}…")
        self.export(path, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def export(self, path: Path, fmt: str) -> None:
        """Write the file in a thread; the bar follows, the screen closes when done."""
        bar = self.query_one(ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done, total=max(1, total))

        try:
            if fmt == "csv":
                with path.open("w", encoding="utf-8", newline="") as out:
                    write_csv(self.catalog, self.query_filter, out, progress)
            else:
                with path.open("wb") as binary:
                    write_jsonl(self.catalog, self.query_filter, binary, progress)
        except (OSError, InspectorError) as error:
            reason = error.message if isinstance(error, InspectorError) else str(error)
            self.app.call_from_thread(self._failed, f"Cannot write {path}: {reason}")
            return
        self.app.call_from_thread(self.dismiss, path)

    def _failed(self, message: str) -> None:
        self._writing = False
        self.query_one(ProgressBar).remove_class("-running")
        self._hint(message)

    def action_cancel(self) -> None:
        if not self._writing:
            self.dismiss(None)
