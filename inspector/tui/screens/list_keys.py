"""The keys of the list screen, with their ids (`inspector keys`) and help texts."""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

#: Bound by `ListScreen`; the actions are its own (and `app.open_target`).
LIST_BINDINGS: Final[list[BindingType]] = [
    Binding(
        "slash",
        "filter_text",
        "Search",
        tooltip="Filter by words in the logs",
        id="list.filter-text",
    ),
    Binding(
        "f",
        "filter_by",
        "Filter",
        tooltip="Choose a filter: errors, model, status, feedback, session",
        id="list.filter-by",
    ),
    Binding(
        "i",
        "session",
        "Session",
        show=False,
        tooltip="Only the selected log's session, or all",
        id="list.session",
    ),
    # `F` undoes `f` as `S` reverses `s`; `c` is copy-as-curl in a log.
    Binding("F", "clear_filters", "Clear", tooltip="Clear every filter", id="list.clear-filters"),
    Binding("s", "sort", "Sort", tooltip="Sort by a column", id="list.sort"),
    Binding("S", "reverse", "Reverse", show=False, tooltip="Reverse the order", id="list.reverse"),
    Binding("r", "reload", "Reload", show=False, tooltip="Fetch the rows again", id="list.reload"),
    Binding(
        "o",
        "app.open_target",
        "Open",
        show=False,
        tooltip="Open another log or list",
        id="list.open-target",
    ),
    Binding(
        "escape",
        "back",
        "Back",
        show=False,
        tooltip="Back, or clear the filter text",
        id="list.back",
    ),
]
