"""`after_drawn`: run something once what is on screen now has reached the terminal."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump

#: Refreshes until the first frame is written: the app composes its first refresh in a
#: batch that is never written, and the next is partial (traced in a real terminal).
_FIRST_FRAME_REFRESHES = 3


def after_drawn(node: MessagePump, callback: Callable[[], object]) -> None:
    """Call `callback` after the next refreshes, by when the first frame is on the terminal.

    For work that would slow the first frame down if it ran before (the index listing the
    rest, the table taking its other rows); later frames only wait a refresh or two more.
    """

    def later(left: int) -> None:
        if left:
            node.call_after_refresh(later, left - 1)
        else:
            callback()

    later(_FIRST_FRAME_REFRESHES)
