"""Pilot tests of what a person hits in the first ten minutes (issue 11), on the settled screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from inspector.api.server import LogServer
from inspector.catalog import Query
from inspector.settings import Settings
from inspector.tui.app import Launch, make_app
from inspector.tui.screens import list_screen
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.widgets.log_table import LogTable
from inspector.tui.widgets.search_bar import SearchBar
from tests.support import exports
from tests.support.lists import SAMPLES, export, filter_by, list_app, wait_rows
from tests.support.tui import RICH, SIZE, app_for, screen_text, wait_for, wait_loaded


async def test_the_search_prompt_shows_what_is_typed() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"weather")
        bar = pilot.app.screen.query_one(SearchBar)
        assert isinstance(pilot.app.focused, Input)
        await pilot.pause()
        row = bar.region.y
        line = screen_text(pilot).splitlines()[row]
        assert line.lstrip().startswith("/ weather"), line


async def test_the_list_filter_box_shows_what_is_typed(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 30)
        await pilot.press("slash", *"refund")
        assert "refund" in screen_text(pilot).splitlines()[1]


async def test_a_project_without_a_key_stays_an_error_naming_the_variable() -> None:
    with LogServer(SAMPLES, api_key="sk-x") as server:
        settings = Settings(base_url=server.base_url, api_key=None, timeout=5.0)
        app = make_app(Launch(project="pr_1"), settings)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: "HUMANLOOP_API_KEY" in screen_text(pilot))
            await pilot.pause()
            text = screen_text(pilot)
            assert "could not list the logs" in text
            assert "0 match" not in text and "escape back" not in text
            # A retry cannot find a key the environment does not have: not offered.
            assert "o open a file or folder instead · q quit" in text and "r retry" not in text
            assert "Filter" not in text.splitlines()[-1]


async def test_list_keys_move_to_first_and_last_rows(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, 450)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot)
        table = screen.query_one("LogTable")
        # The first page is on screen and the table has the keys before they are pressed.
        await wait_for(pilot, lambda: table.row_count >= 3 and table.has_focus)  # type: ignore[attr-defined]
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: table.cursor_row == 2)  # type: ignore[attr-defined]
        await pilot.press("k")
        await wait_for(pilot, lambda: table.cursor_row == 1)  # type: ignore[attr-defined]
        await pilot.press("end")
        await wait_for(pilot, lambda: len(screen.rows) == 450)
        await wait_for(pilot, lambda: screen.current_entry() == screen.rows[-1])
        await pilot.press("g")
        assert screen.current_entry() == screen.rows[0]
        await pilot.press("G")
        assert screen.current_entry() == screen.rows[-1]
        await pilot.press("home")
        assert screen.current_entry() == screen.rows[0]


async def test_plurals_in_the_list_title(tmp_path: Path) -> None:
    logs = exports.make_logs(1)
    path = tmp_path / "one.jsonl"
    path.write_bytes(exports.jsonl(logs + exports.make_logs(2)[1:]))
    async with list_app(path).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 2)
        assert " 2 logs " in screen_text(pilot)
        await pilot.press("slash", *"zzzz-nothing")
        await wait_for(pilot, lambda: not screen.rows)
        await pilot.pause()
        assert "0 matches" in screen_text(pilot)


async def test_at_80x24_status_and_output_stay_on_screen(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=(80, 24)) as pilot:
        screen = await wait_rows(pilot, 30)
        text = screen_text(pilot)
        header = next(line for line in text.splitlines() if "created" in line)
        assert "session: any" in text, "the filters line wraps rather than cut"
        for title in ("created", "id", "status", "cost", "output"):
            assert title in header, header
        first = screen.rows[0]
        assert first.output and first.output[:5] in text
        assert screen.query_one("LogTable").max_scroll_x == 0  # type: ignore[attr-defined]


async def test_status_filter_can_pick_error(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        await filter_by(pilot, "status")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        choices = pilot.app.screen.values
        await pilot.press(*["down"] * choices.index("error"), "enter")
        await wait_for(pilot, lambda: len(screen.rows) == 6)
        assert all(entry.error for entry in screen.rows)
        assert "errors only: yes" in screen_text(pilot)


async def test_step_shows_the_position_in_the_list(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, 12)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 12)
        await pilot.press("down", "down", "enter")
        log = await wait_loaded(pilot)
        assert "log 3 of 12 in the list" in screen_text(pilot)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: "log 4 of 12 in the list" in screen_text(pilot))
        assert log.document is not None and log.document.log.id == screen.rows[3].id
        assert isinstance(screen, ListScreen)


async def test_a_chooser_leaves_the_list_visible_behind_it(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        await filter_by(pilot, "model")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await pilot.pause()
        svg = pilot.app.export_screenshot().replace("&#160;", " ")
        assert str(screen.rows[-1].id) in svg or str(screen.rows[0].id) in svg
        assert "any model" in svg


async def test_the_filter_chooser_shows_what_is_typed_and_fits_80x24(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=(80, 24)) as pilot:
        screen = await wait_rows(pilot, 30)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))
        chooser = pilot.app.screen
        await pilot.press(*"stat")
        await wait_for(pilot, lambda: len(chooser.shown) == 1)
        await pilot.pause()
        frame = chooser.query_one("Vertical").region
        lines = screen_text(pilot).splitlines()
        inside = [line[frame.x + 1 : frame.right - 1].strip() for line in lines]
        assert inside[frame.y + 1] == "stat", "the typed text shows in the chooser"
        assert inside[frame.y + 2].startswith("Status…")
        assert screen.rows[0].id and screen.rows[0].id[:6] in "\n".join(lines[: frame.y])
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await wait_for(pilot, lambda: len(chooser.shown) == 6)
        await pilot.pause()
        frame = chooser.query_one("Vertical").region
        assert frame.bottom <= 24 and frame.right <= 80, frame
        text = screen_text(pilot)
        for entry in ["Errors only", "Model…", "Status…", "Feedback…", "session", "Clear every"]:
            assert entry in text, entry
        await pilot.press("escape")
        assert pilot.app.screen is screen and len(screen.rows) == 30


async def test_the_list_and_the_header_show_one_cost_format(tmp_path: Path) -> None:
    logs = exports.make_logs(3)
    for log in logs:
        log["prompt_cost"], log["output_cost"] = 0.0000123, 0.0000001
    path = tmp_path / "costs.jsonl"
    path.write_bytes(exports.jsonl(logs))
    async with list_app(path).run_test(size=(80, 24)) as pilot:
        await wait_rows(pilot, 3)
        assert "$0.0000124" in screen_text(pilot)
        await pilot.press("enter")
        await wait_loaded(pilot)
        assert "cost $0.0000124" in screen_text(pilot)


async def test_end_of_a_long_list_fetches_its_last_page_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At a million logs, End fetched every row before the last: gigabytes in the table.
    # Past `FAR` rows it shows the last page alone; going up fetches the page before.
    monkeypatch.setattr(list_screen, "FAR", 300)
    async with list_app(export(tmp_path, 1500)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, list_screen.PAGE)
        order = (Query(), screen.sort, screen.descending)
        every = await screen.log_list.page(*order, 0, 1500, lambda _: None)
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.first == 1300 and len(screen.rows) == 200)
        await wait_for(pilot, lambda: screen.current_entry() == every[-1])
        assert screen.rows == every[1300:]
        assert "· showing 1,301–1,500 ·" in screen_text(pilot).splitlines()[0]
        # Listing that ends while the end is shown (End pressed while indexing): the
        # list's new end is shown, not its first page.
        await pilot.press("up", "up")
        screen._listed = False
        screen._poll()
        await wait_for(pilot, lambda: screen.current_entry() == every[-1] and screen.first == 1300)
        # Up to the table's first rows: the page before comes in, the cursor's log kept.
        table = screen.query_one(LogTable)
        for _ in range(20):  # A page of the table at a time, until the page before comes.
            if screen.first != 1300:
                break
            await pilot.press("pageup")
        await wait_for(pilot, lambda: screen.first == 1100)
        assert screen.rows == every[1100:]
        assert 200 <= table.cursor_row < 200 + list_screen.NEAR
        assert screen.current_entry() == every[1100 + table.cursor_row]
        await pilot.press("enter")
        where = f"{1100 + table.cursor_row + 1:,} of 1,500"
        await wait_for(pilot, lambda: where in screen_text(pilot))
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        # Home goes back to the list's first row, not the table's.
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.first == 0 and screen.rows == every[:200])
        await wait_for(pilot, lambda: screen.current_entry() == every[0])


async def test_a_new_order_keeps_the_cursor_on_its_log_wherever_it_goes(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, 1500)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, list_screen.PAGE)
        newest = screen.current_entry()
        assert newest is not None and screen.descending
        # Oldest first: the newest log is now the last of 1,500, far below the first page.
        await pilot.press("S")
        await wait_for(pilot, lambda: not screen.descending and screen.first > 0)
        await wait_for(pilot, lambda: screen.current_entry() == newest)
        oldest_first = await screen.log_list.page(Query(), screen.sort, False, 0, 1500, print)
        place = oldest_first.index(newest)  # Near the end (ties keep their source order).
        assert place >= list_screen.PAGE
        assert screen.first == place - list_screen.PAGE // 2
        assert screen.rows == oldest_first[screen.first : screen.first + list_screen.PAGE]
        shown = f"· showing {screen.first + 1:,}–{screen.first + len(screen.rows):,} ·"
        assert shown in screen_text(pilot).splitlines()[0]
        # And back: the first page again, the cursor still on it.
        await pilot.press("S")
        await wait_for(pilot, lambda: screen.descending and screen.first == 0)
        await wait_for(pilot, lambda: screen.current_entry() == newest)


async def test_stepping_back_from_the_first_row_of_a_later_page_fetches_the_one_before(
    tmp_path: Path,
) -> None:
    async with list_app(export(tmp_path, 1500)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, list_screen.PAGE)
        await pilot.press("S")  # The newest log, now far down: the table starts there.
        await wait_for(pilot, lambda: not screen.descending and screen.first > 0)
        first = screen.first
        oldest_first = await screen.log_list.page(Query(), screen.sort, False, 0, 1500, print)
        # `[` in the log of the table's first row, before its page before is fetched.
        screen._opened = screen.rows[0]
        stepped = await screen._step(-1)
        assert stepped is not None
        await wait_for(pilot, lambda: screen.current_entry() == oldest_first[first - 1])
        assert screen.first == first - list_screen.PAGE
        assert screen.rows == oldest_first[screen.first : first + list_screen.PAGE]
