"""The keys of a log screen, with their ids (`inspector keys`) and help texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from textual.binding import Binding, BindingType

from inspector.tui.panes.log_tabs import PANES
from inspector.tui.screens.sharing import SHARE_BINDINGS

#: Bound by `LogScreen`; the actions are its own (and `app.open_target`).
LOG_BINDINGS: Final[list[BindingType]] = [
    *(
        Binding(
            str(n),
            f"show_pane('{pane_id}')",
            title,
            show=False,
            tooltip=f"The {title} pane",
            id=f"log.pane-{pane_id}",
        )
        for n, (pane_id, title) in enumerate(PANES, 1)
    ),
    Binding(
        "slash",
        "search",
        "Search",
        tooltip="Search the current pane (ctrl+r in the prompt: regular expressions)",
        id="log.search",
    ),
    Binding("n", "next_match", "Next match", show=False, id="log.next-match"),
    Binding("N", "previous_match", "Previous match", show=False, id="log.previous-match"),
    Binding("y", "copy", "Copy", tooltip="Copy the selected value, message or line", id="log.copy"),
    Binding(
        "x",
        "copy_markdown",
        "Copy as Markdown",
        show=False,
        tooltip="Copy the whole log as a Markdown transcript, for a bug report",
        id="log.copy-markdown",
    ),
    *SHARE_BINDINGS,
    Binding("r", "reload", "Reload", tooltip="Load the log again", show=False, id="log.reload"),
    Binding(
        "o",
        "app.open_target",
        "Open",
        tooltip="Open another log: a file, a folder, an export or a log id",
        show=False,
        id="log.open",
    ),
    Binding("p", "parent", "Parent", tooltip="Open the parent log (parent_id)", id="log.parent"),
    Binding(
        "escape,backspace",
        "back",
        "Back",
        tooltip="Close the search, else back to the previous log or the list",
        show=False,
        id="log.back",
    ),
    Binding(
        "right_square_bracket",
        "step(1)",
        "Next log",
        show=False,
        tooltip="The next log of the list this one was opened from",
        id="log.next-log",
    ),
    Binding(
        "left_square_bracket",
        "step(-1)",
        "Previous log",
        show=False,
        tooltip="The previous log of the list this one was opened from",
        id="log.previous-log",
    ),
]


def pane_keys(keymap: Mapping[str, str]) -> frozenset[str]:
    """The keys that switch panes: `1` to `8`, or those the user's keymap gives them."""
    keys: set[str] = set()
    for number, (pane_id, _) in enumerate(PANES, 1):
        bound = keymap.get(f"log.pane-{pane_id}")
        keys.update(bound.split(",") if bound else [str(number)])
    return frozenset(keys)
