"""Keys typed ahead: sent on to where the key before them moved the focus.

A terminal hands over keys typed quickly (or sent by tmux) at once, and Textual gives
each to the widget focused when it arrives, before the first is handled. So in `/error`
the letters reach the list, not the search box that `/` focuses (`r` would reload, `o`
open), and in `fstatus⏎` the list, not the chooser that `f` opens. `InspectorApp.on_key`
catches them as they come back up unhandled and sends them on; this module marks the
keys sent on, so that each is sent on once.
"""

from __future__ import annotations

import weakref

from textual import events
from textual.message_pump import MessagePump

_sent: weakref.WeakSet[events.Key] = weakref.WeakSet()


def send_on(event: events.Key, target: MessagePump) -> None:
    """Handle `event` by sending a copy of it to `target`, in line after what it holds."""
    again = events.Key(event.key, event.character)
    _sent.add(again)
    event.prevent_default()
    event.stop()
    target.post_message(again)


def was_sent_on(event: events.Key) -> bool:
    """True for a key that `send_on` sent (not to be sent on again)."""
    return event in _sent
