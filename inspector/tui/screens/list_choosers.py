"""The list screen's choosers: pick a model, status or feedback to filter by, or a sort column."""

from __future__ import annotations

from textual.screen import Screen

from inspector.open.many import LogList
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.widgets.list_rows import SORT_TITLES


class ListChoosers(Screen[None]):
    """The actions that open a `ChoiceScreen` over the list; the list screen applies the choice."""

    log_list: LogList
    sort: str
    descending: bool

    def _set_query(self, **changes: object) -> None:
        raise NotImplementedError

    def _set_sort(self, key: str, descending: bool) -> None:
        raise NotImplementedError

    def _choose(self, name: str, title: str) -> None:
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

        self.app.push_screen(ChoiceScreen(title, choices, any_label=f"any {name}"), chosen)

    def action_filter_model(self) -> None:
        self._choose("model", "Show the logs of one model")

    def action_filter_status(self) -> None:
        self._choose("status", "Show the logs with one status")

    def action_filter_feedback(self) -> None:
        self._choose("feedback", "Show the logs with this feedback")

    def action_sort(self) -> None:
        keys = list(SORT_TITLES)

        def chosen(value: str | None) -> None:
            if value:
                self._set_sort(keys[[SORT_TITLES[k] for k in keys].index(value)], self.descending)

        self.app.push_screen(ChoiceScreen("Sort by", [SORT_TITLES[k] for k in keys]), chosen)
