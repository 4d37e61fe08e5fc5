"""The list screen's choosers: one "Filter by…" for every field filter, then its values; sort."""

from __future__ import annotations

from typing import Final

import msgspec
from textual.widgets import Input

from inspector.catalog import Query
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.list_base import ListBase
from inspector.tui.screens.list_words import filter_choice
from inspector.tui.widgets.list_rows import SORT_TITLES

#: The field filters `f` offers, by `Query` field, in the chooser's order.
FIELD_FILTERS: Final = ("errors_only", "model", "status", "feedback", "session_id")

#: The chooser's last entry (no `Query` field has this name).
CLEAR: Final = "clear"

#: The title of the values chooser of each filter that has values.
_VALUE_TITLES: Final = {
    "model": "Show the logs of one model",
    "status": "Show the logs with one status",
    "feedback": "Show the logs with this feedback",
}


class ListChoosers(ListBase):
    """The filter and sort keys, and the choosers they open over the list."""

    def action_errors_only(self) -> None:
        self._set_query(errors_only=not self.query_filter.errors_only)

    def action_session(self) -> None:
        if self.query_filter.session_id is not None:
            self._set_query(session_id=None)
            return
        entry = self.current_entry()
        if entry is None or not entry.session_id:
            self.notify("The selected log has no session_id")
            return
        self._set_query(session_id=entry.session_id)

    def action_clear_filters(self) -> None:
        self.query_one("#list-search", Input).value = ""
        self._set_query(**msgspec.structs.asdict(Query()))

    def action_filter_by(self) -> None:
        """Choose a field to filter by (or clear them all); a field with values asks for one."""
        fields = [name for name in FIELD_FILTERS if name in self.log_list.filters]
        labels = [filter_choice(name, self.query_filter) for name in fields]

        def chosen(value: str | None) -> None:
            if value == "errors_only":
                self.action_errors_only()
            elif value == "session_id":
                self.action_session()
            elif value == CLEAR:
                self.action_clear_filters()
            elif value:
                self._choose(value)

        choices = ChoiceScreen(
            "Filter by…", [*fields, CLEAR], labels=[*labels, "Clear every filter (F)"]
        )
        self.app.push_screen(choices, chosen)

    def _choose(self, name: str) -> None:
        choices = self.log_list.choices(name)
        if name == "status" and "error" not in choices:
            # A failed log's status is often `completed`; "error" means it has an error.
            choices = [*choices, "error"]
        if not choices:
            self.notify(f"No {name} values in these logs")
            return

        def chosen(value: str | None) -> None:
            if name == "status" and value == "error":
                self._set_query(status=None, errors_only=True)
            elif value is not None:
                self._set_query(**{name: value or None})

        title = _VALUE_TITLES[name]
        self.app.push_screen(ChoiceScreen(title, choices, any_label=f"any {name}"), chosen)

    def action_sort(self) -> None:
        keys = list(SORT_TITLES)

        def chosen(value: str | None) -> None:
            if value:
                self._set_sort(keys[[SORT_TITLES[k] for k in keys].index(value)], self.descending)

        self.app.push_screen(ChoiceScreen("Sort by", [SORT_TITLES[k] for k in keys]), chosen)
