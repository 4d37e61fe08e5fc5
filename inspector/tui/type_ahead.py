"""Keys typed ahead: sent on to where the key before them moved the focus.

A terminal hands over keys typed quickly (or sent by tmux) at once, and Textual gives
each to the widget focused when it arrives, before the first is handled. So in `/error`
the letters reach the list, not the search box that `/` focuses (`r` would reload, `o`
open), and in `fstatus⏎` the list, not the chooser that `f` opens. `InspectorApp.on_key`
catches them as they come back up unhandled and sends them on; this module marks the
keys sent on, so that each is sent on once.
"""

from __future__ import annotations

import itertools
import weakref

from textual import events
from textual.message_pump import MessagePump

_sent: weakref.WeakSet[events.Key] = weakref.WeakSet()
#: The order in which keys reached the app (`arrived`), which their handling may not keep.
_arrivals: weakref.WeakKeyDictionary[events.Key, int] = weakref.WeakKeyDictionary()
_counter = itertools.count()


def arrived(event: events.Key) -> None:
    """Note that `event` reached the app now, before it is given to the focused widget.

    Each focused widget handles its keys in its own queue, so two keys given to two
    widgets (the focus moved between them, as a pane switch moves it) can come back up
    to the app's bindings in the other order: under load, a burst of number keys once
    ended on the pane of a key typed before the last (`LastKey`).
    """
    _arrivals[event] = next(_counter)


class LastKey:
    """Among some keys (the pane keys), lets through only one that arrived after every
    one let through before it: the last key typed wins, whatever order they come back in."""

    def __init__(self, keys: frozenset[str]) -> None:
        self._keys = keys
        self._latest = -1

    def stale(self, event: events.Key) -> bool:
        """Whether `event` is one of the keys, and one typed before another let through."""
        arrival = _arrivals.get(event)
        if event.key not in self._keys or arrival is None:
            return False
        if arrival < self._latest:
            return True
        self._latest = arrival
        return False


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
