"""Target 2: how long a key takes to show its result on screen, headless with Pilot.

The app runs under `App.run_test` at 120×40. Keys are sent straight to the headless
driver (Pilot's `press` waits for the process to go idle, in steps of 20 ms, which would
blur the numbers), and every frame the screen composes is checked for the text that
shows the result: the clock stops at the first frame that shows it.
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.screen import Screen

from benchmarks.generate import Input, Markers
from inspector.tui.app import InspectorApp, Launch, make_app

SIZE = (120, 40)
CHARS = {"slash": "/", "enter": "\r", "escape": "\x1b"}


@dataclass(frozen=True)
class PaneCheck:
    """A pane, its key, and text that is on screen only once the pane shows its content."""

    pane: str
    key: str
    #: The text, given the id of the log shown.
    text: Callable[[str], str]


PANES = [
    PaneCheck("overview", "1", lambda _: "project_id"),
    PaneCheck("messages", "2", lambda _: Markers.FIRST),
    PaneCheck("tools", "3", lambda _: "Tools offered"),
    PaneCheck("request", "4", lambda _: "top_logprobs:"),
    PaneCheck("response", "5", lambda _: "system_fingerprint:"),
    PaneCheck("evaluations", "6", lambda _: "evfn_bench"),
    PaneCheck("feedback", "7", lambda _: Markers.FEEDBACK),
    PaneCheck("raw", "8", lambda log_id: f'"id": "{log_id}"'),
]


class FrameWatch:
    """Hooks the app's frame output: times the first frame on which a condition holds."""

    def __init__(self, app: InspectorApp) -> None:
        self.app = app
        self.condition: Callable[[], bool] | None = None
        self.hit: float | None = None
        self.done = asyncio.Event()
        original = app._display

        def display(screen: Screen[Any], renderable: RenderableType | None) -> None:
            original(screen, renderable)
            if self.condition is not None and renderable is not None:
                now = time.perf_counter()
                if self.condition():
                    self.hit = now
                    self.condition = None
                    self.done.set()

        app._display = display  # type: ignore[method-assign]

    def screen_text(self) -> str:
        """Everything on screen as plain text."""
        strips = self.app.screen._compositor.render_strips()
        return "\n".join(strip.text for strip in strips)

    def shows(self, text: str) -> Callable[[], bool]:
        """A condition: `text` is on screen."""
        return lambda: text in self.screen_text()

    async def time_key(
        self, key: str, condition: Callable[[], bool], timeout: float = 30.0, settle: bool = True
    ) -> float:
        """Seconds from sending `key` until the first frame where `condition` holds.

        With `settle`, background work (workers, timers) finishes first.
        """
        if settle:
            await self.settle()
        self.done.clear()
        self.hit = None
        self.condition = condition
        driver = self.app._driver
        assert driver is not None
        start = time.perf_counter()
        driver.send_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except TimeoutError:
            self.condition = None
            raise TimeoutError(
                f"key {key!r}: condition not met in {timeout} s; screen:\n{self.screen_text()}"
            ) from None
        assert self.hit is not None
        return self.hit - start

    async def settle(self) -> None:
        """Let pending work finish, so one measurement does not run into the next."""
        await self.app.workers.wait_for_complete()
        for _ in range(3):
            await asyncio.sleep(0.05)


async def _open(path: Path, first_pane: str) -> tuple[FrameWatch, Any]:
    """Start the app on `path`, showing `first_pane`, and wait until the log is shown."""
    # Each run starts a new app in this process: collect the last one's garbage now, or
    # a collection of a whole dead app lands in some measurement of this one.
    gc.collect()
    app = make_app(Launch(target=str(path)))
    app.view_state.pane = first_pane
    context = app.run_test(size=SIZE)
    pilot = await context.__aenter__()
    watch = FrameWatch(app)
    await watch.settle()
    await pilot.pause()
    return watch, context


async def measure_log(item: Input) -> dict[str, float]:
    """One repetition of every measurement on one log: {measurement: seconds}."""
    results: dict[str, float] = {}
    # Overview is the pane a log opens on; time it from a log opened on Feedback.
    watch, context = await _open(item.path, "feedback")
    try:
        check = PANES[0]
        results[f"show {check.pane}"] = await watch.time_key(
            check.key, watch.shows(check.text(item.log_id))
        )
        # The end of Raw at once, while its lines are still being indexed.
        raw = PANES[-1]
        await watch.time_key(raw.key, watch.shows(raw.text(item.log_id)))
        results["end of raw, just opened"] = await watch.time_key(
            "end", watch.shows(Markers.END), settle=False
        )
    finally:
        await context.__aexit__(None, None, None)

    watch, context = await _open(item.path, "overview")
    try:
        for check in PANES[1:]:
            results[f"show {check.pane}"] = await watch.time_key(
                check.key, watch.shows(check.text(item.log_id))
            )
        # Jump to the end of the two longest panes: Messages (blocks) and Raw (lines).
        await watch.time_key("2", watch.shows(Markers.FIRST))
        results["end of messages"] = await watch.time_key("end", watch.shows(Markers.LAST))
        await watch.time_key("8", watch.shows(f'"id": "{item.log_id}"'))
        results["end of raw"] = await watch.time_key("end", watch.shows(Markers.END))
        await watch.time_key("home", watch.shows(f'"id": "{item.log_id}"'))
        results.update(await _search(watch, "raw"))
        await watch.time_key("escape", lambda: True)
        await watch.time_key("2", watch.shows(Markers.LAST))
        await watch.time_key("home", watch.shows(Markers.FIRST))
        results.update(await _search(watch, "messages"))
        await watch.time_key("escape", lambda: True)
        await watch.time_key("5", watch.shows("system_fingerprint:"))
        results.update(await _search(watch, "response"))
    finally:
        await context.__aexit__(None, None, None)
    return results


async def _search(watch: FrameWatch, pane: str) -> dict[str, float]:
    """Type the needle after `/`, press enter for the first match, then `n` for the next.

    Each keystroke searches the whole pane again; the slowest keystroke is reported.
    """
    needle = Markers.NEEDLE
    screen = watch.app.screen
    status = screen.query_one("#search-status")
    await watch.time_key("slash", lambda: True)
    typing = []
    for end in range(1, len(needle) + 1):
        query = re.escape(needle[:end])

        def counted(query: str = query) -> bool:
            pattern = getattr(screen, "_pattern", None)
            searched = pattern is not None and pattern.pattern == query
            return searched and "match" in str(status.render())

        typing.append(await watch.time_key(needle[end - 1], counted))
    first = await watch.time_key("enter", lambda: str(status.render()).startswith("1 of"))

    def second() -> bool:
        if not str(status.render()).startswith("2 of"):
            return False
        # The match is drawn in the pane (not only in the search bar below it).
        lines = watch.screen_text().splitlines()[:-3]
        return any(needle in line for line in lines)

    following = await watch.time_key("n", second)
    return {
        f"search {pane}: slowest keystroke": max(typing),
        f"search {pane}: enter, first match": first,
        f"search {pane}: n, next match": following,
    }


def run(items: list[Input], repeat: int) -> dict[str, dict[str, list[float]]]:
    """Every measurement on every log, `repeat` times: {log name: {measurement: [s, ...]}}."""
    results: dict[str, dict[str, list[float]]] = {item.spec.name: {} for item in items}
    for _ in range(repeat):
        for item in items:
            for name, seconds in asyncio.run(measure_log(item)).items():
                results[item.spec.name].setdefault(name, []).append(seconds)
    return results
