"""Helpers for Pilot tests: start the app on a file and read what is on screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from inspector.open.many import LogList
from inspector.open.one import LogSource
from inspector.tui.app import InspectorApp, Launch, make_app
from inspector.tui.screens.log_screen import LogScreen

SIZE = (120, 40)
RICH = Path(__file__).parent / "fixtures" / "rich.json"


def app_for(path: Path | str, **kwargs: Any) -> InspectorApp:
    """The app of `inspector PATH`, built as the command line builds it."""
    return make_app(Launch(target=str(path)), **kwargs)


def app_for_source(source: LogSource | LogList, **kwargs: Any) -> InspectorApp:
    """An app that opens a log (or list) from a source the test built."""
    return make_app(Launch(opened=source), **kwargs)


async def wait_loaded(pilot: Pilot[Any]) -> LogScreen:
    """Wait until the log screen shows its tabs (or its error), and return it."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LogScreen), screen
    return screen


def screen_text(pilot: Pilot[Any]) -> str:
    """Everything on screen as plain text, one line per row."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def active_tab(pilot: Pilot[Any]) -> str:
    """The id of the active tab of the log screen."""
    return pilot.app.screen.query_one(TabbedContent).active


def notifications(pilot: Pilot[Any]) -> list[str]:
    """The messages of the notifications shown so far."""
    return [notification.message for notification in pilot.app._notifications]


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 30) -> None:
    """Let the app run until `condition` holds (panes are built asynchronously)."""
    for _ in range(int(timeout / 0.02)):
        await pilot.pause()
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not met in time")


#: Key names of the characters that are not their own name (`events.Key(name, character)`).
_KEY_NAMES = {"/": "slash", " ": "space", ".": "full_stop", "-": "minus", "_": "underscore"}


def type_ahead(pilot: Pilot[Any], keys: str | list[str]) -> None:
    """Deliver keys all at once, as a terminal does when they are typed (or pasted by tmux)
    faster than the app handles them; `pilot.press` waits for each in turn instead.

    `keys` is text, or key names (`"enter"`) mixed with single characters."""
    for key in keys:
        name = _KEY_NAMES.get(key, key)
        character = key if len(key) == 1 else {"enter": "\r", "escape": "\x1b"}.get(key)
        pilot.app.post_message(events.Key(name, character))
