"""`/`, `n` and `N` on a log: the search prompt applied to the pane shown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on

from inspector.tui.screens.log_actions import LogActions
from inspector.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from inspector.tui.panes.base import Pane


class LogSearch(LogActions):
    """The search of a log screen; the screen supplies its panes (`current_pane`)."""

    #: The search being applied, kept from pane to pane.
    _pattern: re.Pattern[str] | None = None

    def current_pane(self) -> Pane | None:
        """The pane of the active tab."""
        raise NotImplementedError

    def action_search(self) -> None:
        if self.document is not None:
            self.query_one(SearchBar).open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self._pattern = event.pattern
        self._apply_search()

    def _apply_search(self) -> None:
        pane = self.current_pane()
        target = pane.searchable if pane is not None else None
        bar = self.query_one(SearchBar)
        if target is None:
            bar.set_status("nothing to search here" if self._pattern else "")
            return
        count = target.search(self._pattern)
        if self._pattern is None:
            bar.set_status("")
        else:
            bar.set_status(
                f"{count:,} match{'es' if count != 1 else ''}" if count else "no matches"
            )

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        pane = self.current_pane()
        if not event.jump:
            self._pattern = None
            self._apply_search()
        elif pane is not None:
            self._goto(1)
        if pane is not None:
            pane.focus_content()

    def _goto(self, step: int) -> None:
        pane = self.current_pane()
        target = pane.searchable if pane is not None else None
        if target is None or self._pattern is None:
            self.notify("No search: press / first")
            return
        index = target.goto_match(step)
        if index < 0:
            self.notify("No matches")
        else:
            self.query_one(SearchBar).set_status(f"{index + 1:,} of {target.match_count:,}")

    def action_next_match(self) -> None:
        self._goto(1)

    def action_previous_match(self) -> None:
        self._goto(-1)
