"""`ViewState`: choices the user makes that carry over from one log to the next."""

from __future__ import annotations

import msgspec

from inspector.model.decode import LogDocument


class ViewState(msgspec.Struct):
    """Held by the app, so each run (and each test) starts from the defaults."""

    #: The pane shown last; the next log opens on it.
    pane: str = "overview"
    #: Whether long messages start expanded (`e` in Messages).
    expand_messages: bool = False
    #: The log marked with `space` in a list, to diff against another with `d`.
    marked: LogDocument | None = None


def view_state(node: object) -> ViewState:
    """The view state of the app a widget or screen belongs to."""
    app = getattr(node, "app", None)
    state = getattr(app, "view_state", None)
    if isinstance(state, ViewState):
        return state
    return ViewState()
