"""The log screen's actions on the log shown: copy a value or the transcript, open its parent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.model.decode import LogDocument
from inspector.open.one import LogSource
from inspector.open.parents import Finder, parent_finder
from inspector.sanitize import one_line, sanitize
from inspector.tui.clipboard import copy_text
from inspector.tui.screens.sharing import SharingScreen

if TYPE_CHECKING:
    from inspector.tui.panes.base import Pane


class LogActions(SharingScreen):
    """Copying and `p`; the log screen supplies the log, its source and its panes."""

    document: LogDocument | None
    source: LogSource
    resolver: Finder | None

    def current_pane(self) -> Pane | None:
        raise NotImplementedError

    async def action_copy(self) -> None:
        pane = self.current_pane()
        text = pane.copy_text() if pane is not None else None
        if not text:
            self.notify("Nothing selected to copy")
            return
        # What is copied is what is shown: control bytes stay visible escapes.
        shown = sanitize(text)
        await copy_text(self.app, shown, f"{len(shown):,} characters: {one_line(text, 40)}")

    async def action_copy_markdown(self) -> None:
        if self.document is None:
            return
        from inspector.present.report import to_markdown

        # `to_markdown` sanitises every string it takes from the log.
        text = to_markdown(self.document)
        await copy_text(self.app, text, f"a Markdown transcript ({len(text):,} characters)")

    def open_related(self, log_id: str, trail: str, finder: Finder) -> None:
        """Ask the app to open a log by id, looking with `finder` before the API."""
        raise NotImplementedError

    def _has_key(self) -> bool:
        api = getattr(self.app, "api", None)
        return bool(api is not None and api.settings.api_key)

    async def action_parent(self) -> None:
        log = self.document.log if self.document is not None else None
        if log is None or not log.parent_id:
            self.notify("This log has no parent_id")
            return
        trail = f"← {one_line(log.id, 40)} (its child)"
        # The list, the log this one was opened from, the file's folder; then the API.
        finder = parent_finder(self.source, None, self.resolver)
        if await finder(log.parent_id) is None and not self._has_key():
            self.notify(
                f"The parent {one_line(log.parent_id, 60)} is not in this list, file or folder; "
                "set HUMANLOOP_API_KEY to fetch it from the API",
                severity="warning",
            )
            return
        self.open_related(log.parent_id, trail, finder)
