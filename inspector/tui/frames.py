"""`after_drawn`: run something once what is on screen now has reached the terminal."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump


def after_drawn(node: MessagePump, callback: Callable[[], object]) -> None:
    """Call `callback` after the screen's next refresh, which writes what is shown now.

    For work that would slow the first frame down if it ran before (the index listing the
    rest, the table taking its other rows). The first screen is pushed after the app's
    startup batch, whose frames Textual never writes (`InspectorApp.on_mount`), so its
    first refresh is written: traced in a real terminal, the rows are in that frame.
    """
    node.call_after_refresh(callback)
