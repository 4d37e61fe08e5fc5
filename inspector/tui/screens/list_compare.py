"""The list screen's keys for comparing: totals (`b`), export (`w`), mark (`space`), diff (`d`).

A base class of `ListScreen`, kept apart so the list's own module stays about listing: it
adds the totals bar when mounted and recounts whenever the list's rows are fetched again.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Footer
from textual.worker import WorkerCancelled, WorkerFailed

from inspector.catalog import Entry
from inspector.catalog.stats import Stats, of_entries
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument
from inspector.open.many import CatalogList
from inspector.sanitize import one_line
from inspector.tui.screens.list_base import ListBase
from inspector.tui.view_state import view_state
from inspector.tui.widgets.stats_bar import StatsBar

if TYPE_CHECKING:
    from pathlib import Path


class CompareKeys(ListBase):
    """Totals of the rows shown, their export, and a diff of two logs of the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "mark",
            "Mark",
            tooltip="Mark the selected log to diff another with it",
            id="list.mark",
        ),
        Binding(
            "d", "diff", "Diff", tooltip="Diff the marked log with the selected one", id="list.diff"
        ),
        Binding(
            "b",
            "breakdown",
            "By model",
            show=False,
            tooltip="Totals by model, or not",
            id="list.by-model",
        ),
        Binding(
            "w",
            "export",
            "Export",
            show=False,
            tooltip="Write the rows to .jsonl or .csv",
            id="list.export",
        ),
    ]

    def on_mount(self) -> None:
        # Textual runs each class's `on_mount`: this one adds the totals above the footer.
        self.mount(StatsBar(id="list-stats"), before=self.query_one(Footer))

    @on(ListBase.Shown)
    def _rows_shown(self) -> None:
        # New rows (a filter, a sort, more logs listed): count the totals again.
        self.refresh_totals()

    @work(exclusive=True, group="totals", exit_on_error=False)
    async def refresh_totals(self) -> None:
        """Totals of the logs the filters match (of the rows fetched, for an API list)."""
        bar = self.query_one(StatsBar)
        note = ""
        try:
            if isinstance(self.log_list, CatalogList):
                stats: Stats = await self.log_list.stats(self.query_filter)
                progress = self.log_list.progress()
                if progress is not None and not progress.complete:
                    note = "so far"
            else:
                stats = of_entries(self.rows)
                note = f"of the {len(self.rows):,} rows fetched"
        except (InspectorError, RuntimeError):
            return  # The catalog closed under us (the screen is going away).
        bar.show(stats, note)

    def action_breakdown(self) -> None:
        self.query_one(StatsBar).toggle_breakdown()

    def action_export(self) -> None:
        if not isinstance(self.log_list, CatalogList):
            self.notify(
                "Export works on a file of logs; from the API, open one log and use y or x.",
                markup=False,
            )
            return
        count = self.log_list.catalog.count(self.query_filter)

        def done(path: Path | None) -> None:
            if path is not None:
                logs = f"{count:,} log{'' if count == 1 else 's'}"
                self.notify(f"Wrote {logs} to {one_line(str(path), 120)}", markup=False)

        from inspector.tui.screens.export_screen import ExportScreen  # not for first paint

        self.app.push_screen(ExportScreen(self.log_list.catalog, self.query_filter, count), done)

    async def _document(self, entry: Entry) -> LogDocument | None:
        try:
            return await self.log_list.document(entry, lambda news: None)
        except InspectorError as error:
            self.notify(error.message, severity="error", markup=False, timeout=10)
            return None

    def action_mark(self) -> None:
        # The row under the cursor now, not when the worker starts: a key typed right
        # after (`space`, `down`) may have moved it by then.
        entry = self.current_entry()
        if entry is not None:
            self._mark(entry)

    @work(exclusive=True, group="mark", exit_on_error=False)
    async def _mark(self, entry: Entry) -> None:
        document = await self._document(entry)
        if document is None:
            return
        view_state(self).marked = document
        self.notify(
            f"Marked {one_line(document.log.id, 60)}: select or open another log and press d",
            markup=False,
        )

    def action_diff(self) -> None:
        self._diff(self.current_entry())  # The row under the cursor now, as for a mark.

    @work(exclusive=True, group="diff", exit_on_error=False)
    async def _diff(self, entry: Entry | None) -> None:
        # A mark still reading its log (`space`, then `d` typed at once) is the one to diff.
        for marking in [w for w in self.workers if w.group == "mark" and w.is_running]:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await marking.wait()
        current = await self._document(entry) if entry is not None else None
        from inspector.tui.screens.diff_screen import show_diff  # not for first paint

        await show_diff(self, current)
