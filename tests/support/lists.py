"""Helpers for Pilot tests of the list screen: open a list, wait for its rows, filter it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspector.tui.app import InspectorApp, Launch, make_app
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.list_screen import ListScreen
from tests.support import exports
from tests.support.tui import wait_for

SAMPLES = Path(__file__).resolve().parent.parent.parent / "inspector" / "samples"


def list_app(target: Path | bytes) -> InspectorApp:
    """The app of `inspector TARGET` (a path), or of `cat … | inspector -` (bytes)."""
    if isinstance(target, bytes):
        return make_app(Launch(target="-", stdin=target))
    return make_app(Launch(target=str(target)))


def export(tmp_path: Path, count: int = 30, name: str = "export.jsonl") -> Path:
    """A JSONL export of `count` made-up logs (`exports.make_logs`)."""
    path = tmp_path / name
    path.write_bytes(exports.jsonl(exports.make_logs(count)))
    return path


async def wait_rows(pilot: Any, count: int | None = None) -> ListScreen:
    """Wait until the list is indexed, its rows fetched (`count` of them) and nothing runs."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ListScreen)

    def ready() -> bool:
        progress = screen.log_list.progress()
        done = progress is None or progress.done
        return done and (count is None or len(screen.rows) == count) and not screen.workers

    await wait_for(pilot, ready)
    await pilot.pause()
    return screen


async def filter_by(pilot: Any, field: str) -> None:
    """`f`, then type `field` ("errors", "model", "status", "feedback", "session", "clear") and
    enter: the "Filter by…" chooser narrowed to that entry picks it."""
    await pilot.press("f")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))
    chooser = pilot.app.screen
    await pilot.press(*field)
    await wait_for(pilot, lambda: len(chooser.shown) == 1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is not chooser)
