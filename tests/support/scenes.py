"""The scenes shown in the SVG snapshot tests and the README screenshots: one per pane and state.

`tests/test_snapshots.py` compares each scene with its accepted SVG; the script
`screenshots/make_screenshots.py` renders the same scenes for the README, so the pictures
and the tests cannot drift apart.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from inspector.catalog import Catalog, Source, open_source
from inspector.model.decode import LogDocument, decode_log
from inspector.open.many import CatalogList
from inspector.open.one import FileSource, LogSource, Progress
from inspector.tui.app import InspectorApp, Launch, make_app
from inspector.tui.screens.list_screen import ListScreen
from tests.support.lists import wait_rows

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "inspector" / "samples"
FIXTURES = ROOT / "tests" / "support" / "fixtures"


#: A step of a scene's keys: wait until typing has taken effect and workers are done.
SETTLE = "(settle)"


class NeverSource:
    """A source that never finishes loading: the loading state, frozen."""

    label = "data_PXtNhYF6T5yDiNGbAvBvj"
    reloadable = True

    async def load(self, progress: Progress) -> LogDocument:
        progress("Fetching data_PXtNhYF6T5yDiNGbAvBvj from 127.0.0.1")
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Scene:
    """An app, the keys pressed in it, and the terminal size."""

    name: str
    source: Callable[[], LogSource | CatalogList]
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (120, 36)
    #: Scenes in the README: one per pane.
    readme: bool = False
    settle: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def app(self) -> InspectorApp:
        """A fresh app for the scene, with animations off so frames are stable."""
        app = make_app(Launch(opened=self.source()))
        app.animation_level = "none"
        return app

    async def play(self, pilot: Pilot[Any]) -> None:
        """Wait for the log, press the keys, wait until the app is idle."""
        await pilot.pause()
        if self.settle:
            await pilot.app.workers.wait_for_complete()
            await _indexed(pilot)
        await pilot.pause()
        for key in self.keys:
            if key == SETTLE:
                await _filtered(pilot)
            else:
                await pilot.press(key)
            await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    def run_before(self) -> Callable[[Pilot[Any]], Awaitable[None]]:
        """The hook pytest-textual-snapshot calls before taking the picture."""
        return self.play


async def _filtered(pilot: Pilot[Any]) -> None:
    """Wait until the text typed in a list's filter box is applied (and stop a cursor's blink)."""
    screen = pilot.app.screen
    if isinstance(pilot.app.focused, Input):
        pilot.app.focused.cursor_blink = False  # a chooser's typing box
    if isinstance(screen, ListScreen):
        box = screen.query_one("#list-search", Input)
        box.cursor_blink = False  # a blinking cursor would make the picture flaky
        typed = box.value
        for _ in range(500):  # the box waits 0.25 s for more typing, then filters
            if screen.query_filter.text == typed:
                break
            await asyncio.sleep(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _indexed(pilot: Pilot[Any]) -> None:
    """On a list screen, wait until the file is indexed and its rows are shown."""
    if isinstance(pilot.app.screen, ListScreen):
        await wait_rows(pilot)


def export_list() -> CatalogList:
    """The list of a fixed export of 40 logs."""
    path = FIXTURES / "export.jsonl"
    opened = open_source(path, label="export.jsonl")
    assert isinstance(opened, Source)
    catalog = Catalog(opened)
    catalog.start()
    return CatalogList(catalog, "export.jsonl")


def sample(name: str) -> Callable[[], LogSource]:
    """A source reading one bundled sample."""
    return lambda: FileSource(str(SAMPLES / f"{name}.json"))


def fixture(name: str) -> Callable[[], LogSource]:
    """A source reading one test fixture."""
    return lambda: FileSource(str(FIXTURES / name))


SUPPORT = sample("support-evaluated")
WEATHER = sample("weather-parallel-tools")
V5_FLOW = sample("v5/weather-flow-trace")

#: In a list: `f`, then "errors" narrows the "Filter by…" chooser to errors only; enter.
ERRORS_ONLY = ("f", *"errors", "enter", SETTLE)

SCENES = [
    Scene("overview", SUPPORT, ("1",), readme=True),
    Scene("messages", WEATHER, ("2",), readme=True),
    Scene("tools", WEATHER, ("3",), readme=True),
    Scene("request", WEATHER, ("4", "e", "down", "down"), readme=True),
    Scene("response", WEATHER, ("5", "e", "down", "down", "down"), readme=True),
    Scene("evaluations", SUPPORT, ("6", "down"), readme=True),
    Scene("feedback", SUPPORT, ("7",), readme=True),
    Scene("raw", SUPPORT, ("8",), readme=True),
    Scene("search", sample("dev-copilot-long-chat"), ("2", "slash", *"token", "enter", "n")),
    Scene("long-chat", sample("dev-copilot-long-chat"), ("2", "j", "j")),
    Scene("loading", NeverSource, settle=False),
    Scene(
        "error", lambda: _BytesSource((FIXTURES / "truncated.json").read_bytes(), "truncated.json")
    ),
    Scene("empty", fixture("minimal.json"), ("2",)),
    Scene("narrow-overview", SUPPORT, ("1",), size=(80, 24)),
    Scene("narrow-messages", WEATHER, ("2",), size=(80, 24)),
    Scene("hostile", fixture("hostile.json"), ("2",)),
    Scene("help", SUPPORT, ("question_mark",)),
    Scene("evaluator-log", SUPPORT, ("6", "down", "enter")),
    Scene("list", export_list, readme=True),
    Scene("list-filtered", export_list, ("slash", *"refund", SETTLE)),
    Scene("list-no-match", export_list, (*ERRORS_ONLY, "slash", *"refund", SETTLE)),
    Scene("list-by-model", export_list, (*ERRORS_ONLY, "b")),
    Scene("list-filter-chooser", export_list, ("f", "s", SETTLE), size=(80, 24)),
    Scene("v5-overview", V5_FLOW, ("1",)),
    Scene("v5-trace", V5_FLOW, ("9", "down")),
    Scene("v5-trace-deep", lambda: _deep_trace(), ("9", "end", "up", "up")),
    Scene("v5-evaluations", V5_FLOW, ("6",)),
    Scene(
        "v5-not-a-log",
        lambda: _BytesSource(
            (FIXTURES / "real" / "hl-docs-v5-examples-tool_log_response.json").read_bytes(),
            "tool_log_response.json",
        ),
    ),
]


def _deep_trace() -> LogSource:
    """A flow 12 levels deep, past the levels drawn as guides."""
    from tests.support.traces import deep_flow

    return _BytesSource(json.dumps(deep_flow(12)).encode(), "deep-trace.json")


@dataclass(frozen=True)
class _BytesSource:
    """Bytes decoded under a fixed name, so the scene does not show where the repo is."""

    data: bytes
    name: str
    reloadable = False

    @property
    def label(self) -> str:
        return self.name

    async def load(self, progress: Progress) -> LogDocument:
        return decode_log(self.data, self.name)
