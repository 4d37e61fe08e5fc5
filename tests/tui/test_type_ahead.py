"""Keys typed faster than the app handles them: each still goes where the one before sent it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from inspector.catalog import Query
from inspector.model.decode import LogDocument, decode_log
from inspector.open.many import CatalogList
from inspector.open.one import Progress
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.diff_screen import DiffScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.screens.open_target import OpenTargetScreen
from tests.support.lists import export, list_app, wait_rows
from tests.support.tui import (
    RICH,
    SIZE,
    active_tab,
    app_for,
    app_for_source,
    type_ahead,
    wait_for,
    wait_loaded,
)


async def test_letters_typed_right_after_slash_are_the_filter(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        type_ahead(pilot, "/error")  # `r` and `o` are keys of the list too
        search = screen.query_one("#list-search", Input)
        await wait_for(pilot, lambda: screen.query_filter.text == "error")
        assert search.value == "error" and search.has_focus
        assert pilot.app.screen is screen, "no `o`: nothing opened over the list"


async def test_letters_typed_right_after_f_narrow_the_chooser(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 30)
        # "Status…" is the third choice: enter picks it only if "status" narrowed them.
        type_ahead(pilot, [*"fstatus", "enter"])
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ChoiceScreen)
                and "status" in pilot.app.screen.title_text.lower()
            ),
        )


async def test_a_path_typed_right_after_o_opens_that_log() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        first = await wait_loaded(pilot)
        type_ahead(pilot, ["o", *str(RICH.parent / "minimal.json"), "enter"])
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LogScreen)
                and pilot.app.screen is not first
                and pilot.app.screen.source.label.endswith("minimal.json")
            ),
        )
        assert not isinstance(pilot.app.screen, OpenTargetScreen)


async def test_a_search_typed_right_after_slash_in_a_log_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # `w` of "weather", taken as a key of the log, writes here
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("2")
        type_ahead(pilot, "/weather")
        box = screen.query_one("#search-input", Input)
        await wait_for(pilot, lambda: box.value == "weather")
        assert box.has_focus
        assert list(tmp_path.iterdir()) == []


async def test_letters_typed_into_a_box_are_typed_once(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 30)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))
        chooser = pilot.app.screen
        await pilot.press(*"mod")
        await wait_for(pilot, lambda: chooser.query_one(Input).value == "mod")
        type_ahead(pilot, "el")
        await wait_for(pilot, lambda: chooser.query_one(Input).value == "model")


async def test_a_pane_key_typed_right_after_enter_opens_the_log_on_that_pane(
    tmp_path: Path,
) -> None:
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        list_screen = await wait_rows(pilot, 30)
        type_ahead(pilot, ["enter", "8"])
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogScreen))
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-raw")
        # Back, down a row, open it on Messages: four keys at once.
        type_ahead(pilot, ["escape", "down", "enter", "2"])
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LogScreen)
                and pilot.app.screen.document is not None
                and pilot.app.screen.document.log.id == list_screen.rows[1].id
            ),
        )
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-messages")


class GatedSource:
    """The rich fixture, loaded only once the test opens the gate."""

    label = "rich.json"
    reloadable = True

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.waiting = False

    async def load(self, progress: Progress) -> LogDocument:
        self.waiting = True
        await self.gate.wait()
        return decode_log(RICH.read_bytes(), str(RICH))


async def test_a_pane_key_typed_while_the_log_loads_opens_it_on_that_pane() -> None:
    source = GatedSource()
    async with app_for_source(source).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: source.waiting)
        await pilot.press("5")  # Response, while the log is still loading
        source.gate.set()
        await wait_loaded(pilot)
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-response")


async def test_space_down_d_at_once_diffs_the_two_rows(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        first, second = screen.rows[0].id, screen.rows[1].id
        type_ahead(pilot, ["space", "down", "d"])
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        diff = pilot.app.screen.diff
        assert first in diff.old_name and second in diff.new_name


async def test_enter_before_the_first_rows_opens_the_first_once_they_are_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a fast user does with a project fetched over the API: enter as soon as the
    list is up, before its rows have come."""
    gate = asyncio.Event()
    count = CatalogList.count

    async def held(self: CatalogList, query: Query, news: Any) -> int:
        await gate.wait()
        return await count(self, query, news)

    monkeypatch.setattr(CatalogList, "ready", lambda *_: None)
    monkeypatch.setattr(CatalogList, "count", held)
    async with list_app(export(tmp_path, count=30)).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        listed = pilot.app.screen
        assert isinstance(listed, ListScreen)
        await pilot.press("enter")
        assert not listed.rows
        gate.set()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogScreen))
        screen = pilot.app.screen
        assert isinstance(screen, LogScreen)
        await wait_for(pilot, lambda: screen.document is not None)
        assert screen.document is not None
        assert screen.document.log.id == listed.rows[0].id
