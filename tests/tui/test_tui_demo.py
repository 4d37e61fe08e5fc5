"""Pilot tests: `inspector demo` lists the v4 sample project and the v5 flow in one list."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from inspector.cli.options import SAMPLES
from inspector.cli.tui import DEMO_PROJECTS
from inspector.tui.app import Demo, Launch, make_app
from inspector.tui.screens.list_screen import ListScreen
from tests.support.tui import SIZE, active_tab, screen_text, wait_for, wait_loaded
from tests.tui.test_tui_list import wait_rows

V5_FLOW = "log_5bYq2Vt8WmKe3RdZ0fLhA"


def demo(*names: str) -> Any:
    first, *more = names
    extra = tuple((name, DEMO_PROJECTS[name]) for name in more)
    return make_app(Launch(demo=Demo(str(SAMPLES), DEMO_PROJECTS[first], first, extra)))


async def test_the_demo_lists_v4_and_v5_logs_and_steps_across_them() -> None:
    async with demo("support-bot", "weather-flow-v5").run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await wait_rows(pilot, 6)
        ids = [entry.id for entry in screen.rows]
        assert ids[-1] == V5_FLOW and all(str(i).startswith("data_") for i in ids[:-1])
        assert "support-bot and weather-flow-v5" in screen_text(pilot)
        screen.query_one(DataTable).move_cursor(row=5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ListScreen))
        await wait_loaded(pilot)
        assert V5_FLOW in screen_text(pilot).splitlines()[0]
        await pilot.press("9")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
        assert "weather/get_weather" in screen_text(pilot)
        # `[` steps back into the v4 project's rows.
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: ids[4] in screen_text(pilot).splitlines()[0])
        await wait_loaded(pilot)
        assert "log 5 of 6" in screen_text(pilot)


async def test_one_demo_project_still_lists_alone() -> None:
    async with demo("weather-flow-v5").run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await wait_rows(pilot, 1)
        assert [entry.id for entry in screen.rows] == [V5_FLOW]
