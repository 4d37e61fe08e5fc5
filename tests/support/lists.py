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


def caught_up(screen: ListScreen) -> bool:
    """The screen shows the finished index and nothing runs.

    The index finishing is not enough: the screen learns of it at its next poll (up to
    0.3 s later), which hides the progress bar and asks for the rows again.
    """
    progress = screen.log_list.progress()
    if progress is not None:
        if not progress.done or screen.total != progress.indexed:
            return False
        if screen.query_one("#list-progress").has_class("-indexing"):
            return False
    return not screen.workers


async def wait_rows(pilot: Any, count: int | None = None) -> ListScreen:
    """Wait until the list is indexed, its rows fetched (`count` of them) and nothing runs."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ListScreen)

    def ready() -> bool:
        return caught_up(screen) and (count is None or len(screen.rows) == count)

    # Twice: rows shown start the totals' worker from a message handled after a pause.
    for _ in range(2):
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
