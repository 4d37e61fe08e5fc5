"""The list's first frame: rows at hand drawn at once, the footer and the table kept cheap."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from inspector.catalog import Entry, Query
from inspector.catalog.source import Source, open_source
from inspector.open.many import CatalogList
from inspector.open.one import Progress as News
from inspector.open.rule import list_of
from inspector.tui.app import InspectorApp, Launch, make_app
from inspector.tui.frames import after_drawn
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.widgets.keys_footer import KeysFooter
from inspector.tui.widgets.log_table import LogTable
from inspector.tui.widgets.stats_bar import StatsBar
from tests.support.lists import export, list_app, wait_rows
from tests.support.tui import wait_for


class Stalled(CatalogList):
    """A catalog's list whose `count` and `page` never answer: only `ready` gives rows."""

    def __init__(self, inner: CatalogList) -> None:
        super().__init__(inner.catalog, inner.label)
        self.asked = 0

    async def count(self, query: Query, news: News) -> int:
        self.asked += 1
        await asyncio.Event().wait()
        raise AssertionError("never answers")

    async def page(self, *args: object) -> list[Entry]:
        await asyncio.Event().wait()
        raise AssertionError("never answers")


def _catalog_list(path: Path) -> CatalogList:
    source = open_source(str(path))
    assert isinstance(source, Source)
    return list_of(source)


async def test_rows_at_hand_are_shown_without_asking_again(tmp_path: Path) -> None:
    inner = _catalog_list(export(tmp_path, count=30))
    # Listed before the screen is: a listing that ends after the rows are shown makes the
    # screen ask for them again, which gives up the totals until they come, and here
    # they never come (seen under load in CI, when the totals took longer than the rest).
    assert inner.catalog.wait(30)
    stalled = Stalled(inner)
    app = make_app(Launch(opened=stalled))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        screen = pilot.app.screen
        assert isinstance(screen, ListScreen)
        # In the table once mounted, though `count` and `page` never answer.
        assert len(screen.rows) == 30
        assert screen.matching == 30
        assert screen.query_one(LogTable).has_focus
        # The totals follow the rows shown, wherever they came from.
        bar = screen.query_one(StatsBar)
        await wait_for(pilot, lambda: bar.stats is not None and bar.stats.totals.count == 30)
        await pilot.pause(0.4)  # A poll or two of the finished listing.
        assert stalled.asked == 0
        assert len(screen.rows) == 30


async def test_an_index_too_big_to_read_at_once_is_asked_on_a_thread(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr("inspector.open.many.READY_ROWS", 10)
    catalog_list = _catalog_list(export(tmp_path, count=30))
    catalog_list.catalog.wait(30)
    assert catalog_list.ready(Query(), "created_at", True, 200) is None
    catalog_list.close()


async def test_a_refresh_under_way_is_not_restarted_by_the_polls(tmp_path: Path) -> None:
    """The index has rows but the first count is slow: each poll used to cancel the
    refresh and start it again, so the rows came only when a poll missed."""
    inner = _catalog_list(export(tmp_path, count=30))
    inner.catalog.wait(30)
    stalled = Stalled(inner)
    stalled.ready = lambda *args: None  # type: ignore[method-assign]
    app = make_app(Launch(opened=stalled))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: stalled.asked == 1)
        await pilot.pause(1.0)  # Three polls at least (`POLL_SECONDS`).
        assert stalled.asked == 1


async def test_the_table_takes_its_first_rows_then_the_rest(tmp_path: Path) -> None:
    app = list_app(export(tmp_path, count=120))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_rows(pilot, 120)
        table = screen.query_one(LogTable)
        await wait_for(pilot, lambda: table.row_count == len(table.entries))
        entries = list(table.entries)
        table.set_entries(entries)
        assert table.row_count == 40  # as many as the terminal has lines
        assert len(table.entries) == len(entries)
        # Going to a row not added yet adds the rest first.
        table.move_cursor(row=len(entries) - 1)
        assert table.row_count == len(entries)
        assert table.cursor_row == len(entries) - 1
        table.set_entries(entries)
        await wait_for(pilot, lambda: table.row_count == len(entries))
        table.add_entries([])
        assert [str(key.value) for key in table.rows] == [str(e.ordinal) for e in entries]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(tmp_path: Path) -> None:
    app = list_app(export(tmp_path, count=5))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_rows(pilot, 5)
        footer = screen.query_one(KeysFooter)
        await wait_for(pilot, lambda: bool(footer.query("FooterKey")))
        keys = list(footer.query("FooterKey"))
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query("FooterKey")) == keys, "nothing changed: the same keys"
        # A key that stops working is shown disabled (None): that is a change.
        screen.check_action = lambda action, parameters: None if action == "sort" else True  # type: ignore[method-assign]
        screen.refresh_bindings()
        await wait_for(pilot, lambda: list(footer.query("FooterKey")) != keys)
        sort = [key for key in footer.query("FooterKey") if getattr(key, "action", None) == "sort"]
        assert sort and sort[0].has_class("-disabled")


async def test_after_drawn_waits_for_refreshes_then_calls_once(tmp_path: Path) -> None:
    app = list_app(export(tmp_path, count=5))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_rows(pilot, 5)
        calls: list[int] = []
        after_drawn(screen, lambda: calls.append(1))
        assert calls == []  # not at once: the frame is drawn first
        screen.refresh()
        await wait_for(pilot, lambda: calls == [1])
        for _ in range(5):
            screen.refresh()
            await pilot.pause()
        assert calls == [1]


async def test_a_resize_of_the_height_alone_keeps_the_rows_drawn(tmp_path: Path) -> None:
    app = list_app(export(tmp_path, count=30))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_rows(pilot, 30)
        table = screen.query_one(LogTable)
        drawn: list[tuple[int, int]] = []
        render_cell = table._render_cell

        def counting(row: int, column: int, *args: Any, **kwargs: Any) -> Any:
            drawn.append((row, column))
            return render_cell(row, column, *args, **kwargs)

        table._render_cell = counting  # type: ignore[method-assign]
        await pilot.resize_terminal(140, 30)
        await wait_for(pilot, lambda: table.size.height < 30)
        await pilot.pause()
        table.refresh()  # as the next cursor move or new rows would
        await pilot.pause()
        # Rows still on screen come from the table's caches, not drawn again.
        assert [cell for cell in drawn if cell[0] >= 0] == []
        columns = list(table.columns_shown)
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: table.columns_shown != columns)
        await pilot.pause()
        # A new width lays the columns out again, and the rows are drawn with them.
        assert len(table.columns) == len(table.columns_shown)
        assert any(cell[0] >= 0 for cell in drawn)


async def test_the_first_screen_is_pushed_once_the_app_is_mounted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual mounts the app in a batch whose frames are never written: a screen pushed
    # from the app's `on_mount` was laid out and drawn there for nothing, then again.
    mounting: list[bool] = []
    on_mount = InspectorApp.on_mount

    def watched_mount(self: InspectorApp) -> None:
        mounting.append(True)
        on_mount(self)
        mounting.clear()

    monkeypatch.setattr(InspectorApp, "on_mount", watched_mount)
    app = list_app(export(tmp_path, count=5))
    pushed: list[tuple[str, bool]] = []
    push_screen = app.push_screen

    def watched(screen: Any, *args: Any, **kwargs: Any) -> Any:
        pushed.append((type(screen).__name__, bool(mounting)))
        return push_screen(screen, *args, **kwargs)

    app.push_screen = watched  # type: ignore[method-assign]
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_rows(pilot, 5)
    assert pushed == [("ListScreen", False)]
