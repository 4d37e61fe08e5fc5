"""Help and palette come from the bindings; number keys end on the last one pressed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events
from textual.widgets import TabbedContent

from inspector.tui.app import InspectorApp
from inspector.tui.bindings import key_help
from inspector.tui.panes.base import Pane
from inspector.tui.screens import log_screen
from inspector.tui.screens.help import HelpScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_keys import pane_keys
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.type_ahead import arrived
from tests.support.lists import export, list_app, wait_rows
from tests.support.tui import RICH, SIZE, active_tab, app_for, screen_text, wait_for, wait_loaded

#: The panes of keys 1 to 8.
PANES = ("overview", "messages", "tools", "request", "response", "evaluations", "feedback", "raw")


def _help_text(app: InspectorApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return "\n".join(f"{line.keys} {line.text}" for _, lines in screen.sections for line in lines)


async def test_the_help_of_a_log_lists_every_key_bound_on_it() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        log_screen = await wait_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = _help_text(pilot.app)
        for owner in [type(pilot.app), LogScreen, *(o for _, o in log_screen.key_sections())]:
            for line in key_help(owner):
                assert f"{line.keys} {line.text}" in text, line
        # And it is what the help screen draws.
        assert "Open the parent log (parent_id)" in screen_text(pilot)
        await pilot.press("escape", "f1")
        assert isinstance(pilot.app.screen, HelpScreen)


async def test_the_help_of_a_list_lists_the_list_keys_and_not_the_panes(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, 3)).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 3)
        await pilot.press("question_mark")
        await pilot.pause()
        text = _help_text(pilot.app)
        for line in key_help(ListScreen):
            assert f"{line.keys} {line.text}" in text
        assert "The Overview pane" not in text
        assert "Open another log or list" in text
        assert "f Choose a filter: errors, model, status, feedback, session" in text
        assert "F Clear every filter" in text


async def test_the_palette_holds_the_screens_actions_and_no_textual_internals() -> None:
    app = app_for(RICH)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ["Overview", "Raw", "Search", "Copy", "Parent", "Quit", "Help"]:
            assert expected in titles, expected
        assert titles.count("Quit") == 1
        assert "Keys" not in titles and "Maximize" not in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"Feedback", "enter")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-feedback")


async def test_the_last_number_key_wins_right_after_the_log_appears() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As soon as the log screen has its document, type fast: 1 to 7, then 8.
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LogScreen) and pilot.app.screen.document is not None
            ),
        )
        await pilot.press(*"1234567", "8")
        await pilot.app.workers.wait_for_complete()
        for _ in range(20):
            await pilot.pause(0.05)
        assert pilot.app.screen.query_one(TabbedContent).active == "tab-raw"


async def test_a_burst_of_number_keys_ends_on_the_last_one() -> None:
    # A terminal delivers typed-ahead keys at once, not one per frame as `pilot.press`
    # does: each goes to whatever is focused when it arrives, and a pane built for an
    # earlier key must not win over a later one.
    for burst, gap in (("12345678", 0.0), ("12345678", 0.004), ("2345678123456785", 0.01)):
        async with app_for(RICH).run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            await wait_for(pilot, lambda: active_tab(pilot) == "tab-overview")
            for key in burst:
                pilot.app.post_message(events.Key(key, key))
                await asyncio.sleep(gap)
            await pilot.app.workers.wait_for_complete()
            last = PANES[int(burst[-1]) - 1]
            await wait_for(pilot, lambda last=last: active_tab(pilot) == f"tab-{last}")
            for _ in range(20):  # and it stays there once everything has settled
                await pilot.pause(0.05)
            assert active_tab(pilot) == f"tab-{last}", burst


async def test_pane_keys_that_come_back_up_out_of_order_end_on_the_last_typed() -> None:
    # Each focused widget handles its keys in its own queue: a key typed before another
    # but given to a widget that is busy can reach the pane bindings after it. Seen in
    # CI under load: a burst ending in `5` ended on the pane of a `1` typed before it.
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-overview")
        typed_first, typed_last = events.Key("2", "2"), events.Key("5", "5")
        arrived(typed_first)  # As the app notes each key when it comes in...
        arrived(typed_last)
        screen._forward_event(typed_last)  # ...and as they come back up, the other way.
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-response")
        screen._forward_event(typed_first)
        for _ in range(10):
            await pilot.pause(0.05)
        assert active_tab(pilot) == "tab-response"
        await pilot.press("3")  # A key typed after both still switches.
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-tools")


async def test_a_refresh_that_never_comes_does_not_hold_up_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A pane switch waits for the screen to refresh, in the app's own message loop; if
    # that refresh never came, no key after it would be handled. The wait is bounded.
    monkeypatch.setattr(log_screen, "REFRESH_WAIT", 0.2)
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = pilot.app.screen
        monkeypatch.setattr(screen, "call_after_refresh", lambda *args: True)  # dropped
        # Without the bound, the first press would never return: fail instead of hanging.
        await asyncio.wait_for(pilot.press("8"), 20)
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-raw")
        await asyncio.wait_for(pilot.press("2"), 20)
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-messages")


async def test_focus_arriving_in_a_hidden_pane_does_not_bring_it_back() -> None:
    # A pane focuses its content once built; with keys typed ahead, that can happen
    # after a later key switched away. The tabs stay, and focus goes to the pane shown.
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("8")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-raw")
        overview = pilot.app.screen.query_one("#pane-overview", Pane)
        late = next(w for w in overview.query("*") if w.focusable)
        raw = pilot.app.screen.query_one("#pane-raw", Pane)
        pilot.app.screen.set_focus(late)

        def in_raw() -> bool:
            focused = pilot.app.focused
            return focused is not None and raw in focused.ancestors

        await wait_for(pilot, in_raw)  # Once the tabs have handled the focus.
        for _ in range(10):
            await pilot.pause(0.02)
        assert active_tab(pilot) == "tab-raw" and in_raw()


async def test_number_keys_pressed_while_the_tabs_mount_are_kept() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        screen = None
        for _ in range(200):
            await pilot.pause(0)
            screen = pilot.app.screen
            if isinstance(screen, LogScreen) and screen.document is not None:
                break
        assert isinstance(screen, LogScreen)
        await pilot.press("6")
        await wait_loaded(pilot)
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-evaluations")


def test_the_pane_keys_follow_the_users_keymap() -> None:
    keys = pane_keys({"log.pane-raw": "f8,ctrl+r"})
    assert {"1", "7", "f8", "ctrl+r"} <= keys
    assert "8" not in keys  # `8` no longer switches to Raw: it is any other key now


def test_a_key_that_comes_back_up_as_the_app_closes_is_ignored() -> None:
    # Under load, a key typed at quit reached the app's own handler after its screens
    # were gone, and raised `ScreenStackError` on the way out.
    app = app_for(RICH)
    assert not app.screen_stack
    key = events.Key("5", "5")
    app.on_key(key)
    assert not key._stop_propagation
