"""Pilot tests of the list screen: exports of every shape, filters, sorting, open and step."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from inspector.api.server import LogServer
from inspector.catalog import catalog as catalog_module
from inspector.settings import Settings
from inspector.tui.app import Launch, make_app
from inspector.tui.screens import list_screen
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_screen import LogScreen
from tests.support import exports
from tests.support.lists import SAMPLES, export, filter_by, list_app, wait_rows
from tests.support.tui import SIZE, screen_text, wait_for, wait_loaded


def table_ids(screen: ListScreen) -> list[str | None]:
    return [entry.id for entry in screen.rows]


async def test_jsonl_export_lists_every_log_with_its_columns(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=(160, 40)) as pilot:
        screen = await wait_rows(pilot, 30)
        text = screen_text(pilot)
        assert "30 logs" in text and "sorted by created ↓" in text
        for column in ["created", "id", "model / config", "status", "tokens", "cost", "latency",
                       "output"]:  # fmt: skip
            assert column in text
        assert exports.log_id(0) in text
        assert "✗ error" in text, "errors are marked"
        assert "Rate limit exceeded" in text, "an error shows where the output would be"
        assert isinstance(pilot.app.focused, DataTable)
        created = [entry.created_at for entry in screen.rows if entry.created_at]
        assert created == sorted(created, reverse=True)


async def test_the_first_rows_do_not_wait_for_the_next_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rows fetched as the screen mounts can come before the index holds any log;
    # the first rows must show as soon as it does, not at the next periodic poll (here
    # an hour away).
    monkeypatch.setattr(list_screen, "POLL_SECONDS", 3600.0)
    held = threading.Event()
    real = catalog_module.batches

    def late(*args: Any, **kwargs: Any) -> Iterator[Any]:
        held.wait(30)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(catalog_module, "batches", late)
    async with list_app(export(tmp_path, 12)).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        screen = pilot.app.screen
        assert isinstance(screen, ListScreen)
        await wait_for(pilot, lambda: not screen.workers)  # the first fetch found nothing
        assert screen.rows == []
        held.set()
        await wait_for(pilot, lambda: len(screen.rows) == 12)


async def test_the_list_lets_the_index_go_on_once_its_first_rows_are_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index is held after its first page until the list has drawn it (here it
    # would otherwise wait an hour): every log is listed.
    monkeypatch.setattr(catalog_module, "HOLD_SECONDS", 3600.0)
    async with list_app(export(tmp_path, 1000)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot)
        await wait_for(pilot, lambda: screen.total == 1000)
        assert len(screen.rows) == 200


async def test_every_export_shape_opens_as_a_list(tmp_path: Path) -> None:
    logs = exports.make_logs(12)
    (tmp_path / "array.json").write_bytes(exports.array(logs, indent=2))
    (tmp_path / "page.json").write_bytes(exports.page(logs))
    folder = tmp_path / "folder"
    folder.mkdir()
    exports.write_folder(folder, logs)
    for target in [tmp_path / "array.json", tmp_path / "page.json", folder]:
        async with list_app(target).run_test(size=SIZE) as pilot:
            screen = await wait_rows(pilot, 12)
            assert sorted(filter(None, table_ids(screen))) == sorted(
                exports.log_id(i) for i in range(12)
            )


async def test_stdin_bytes_open_as_a_list() -> None:
    data = exports.jsonl(exports.make_logs(5))
    async with list_app(data).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 5)
        await wait_for(pilot, lambda: screen_text(pilot).startswith(" stdin · 5 logs"))


async def test_text_filter_counts_and_clears(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        word = exports.WORDS[1]
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*word, "enter")
        expected = [exports.log_id(i) for i in range(30) if i % len(exports.WORDS) == 1]
        # One enter filters and opens the first log that matches.
        log_screen = await wait_loaded(pilot)
        assert log_screen.document is not None
        assert log_screen.document.log.id == screen.rows[0].id
        assert "log 1 of 6 in the list" in screen_text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        assert sorted(table_ids(screen)) == sorted(expected)  # type: ignore[type-var]
        assert f"{len(expected)} matches" in screen_text(pilot)
        assert isinstance(pilot.app.focused, DataTable)
        await pilot.press("slash", "escape")
        await wait_for(pilot, lambda: len(screen.rows) == 30)


async def test_errors_model_session_and_clear_filters(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        await filter_by(pilot, "errors")
        await wait_for(pilot, lambda: len(screen.rows) == 6)
        assert all(entry.error for entry in screen.rows)
        await pilot.press("F")
        await wait_for(pilot, lambda: len(screen.rows) == 30)
        await filter_by(pilot, "model")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        assert pilot.app.screen.title_text == "Show the logs of one model"
        await pilot.press("down", "enter")
        model = sorted({exports.MODELS[i % 3] for i in range(30) if i % 7 != 6})[0]
        await wait_for(pilot, lambda: {e.model for e in screen.rows} == {model})
        assert f"model: {model}" in screen_text(pilot)
        await filter_by(pilot, "clear")
        await wait_for(pilot, lambda: len(screen.rows) == 30)
        assert "model: any" in screen_text(pilot)
        index = next(i for i, e in enumerate(screen.rows) if e.session_id == "sesh_a")
        pilot.app.screen.query_one(DataTable).move_cursor(row=index)
        await filter_by(pilot, "session")
        await wait_for(pilot, lambda: len(screen.rows) == 3)
        assert {e.session_id for e in screen.rows} == {"sesh_a"}
        await pilot.press("down")
        chosen = screen.current_entry()
        await pilot.press("i")
        await wait_for(pilot, lambda: len(screen.rows) == 30)
        # Clearing a filter keeps the selected log selected.
        assert screen.current_entry() == chosen


async def test_sort_by_a_column_and_reverse(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=(160, 40)) as pilot:
        screen = await wait_rows(pilot, 30)
        await pilot.press("s")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await pilot.press(*["down"] * 5, "enter")  # created, id, model, status, tokens, cost
        await wait_for(pilot, lambda: screen.sort == "cost")
        await wait_rows(pilot, 30)
        costs = [entry.cost for entry in screen.rows]
        assert costs == sorted(costs, reverse=True)
        await pilot.press("S")
        await wait_for(pilot, lambda: not screen.descending)
        await wait_rows(pilot, 30)
        assert [entry.cost for entry in screen.rows] == sorted(costs)
        await pilot.click(DataTable, offset=(20, 0))  # the id column's header
        await wait_for(pilot, lambda: screen.sort == "id")
        await wait_rows(pilot, 30)
        ids = table_ids(screen)
        assert ids == sorted(ids, reverse=screen.descending)  # type: ignore[type-var]


async def test_open_step_and_back_to_the_same_row(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        await pilot.press("down", "down", "enter")
        log_screen = await wait_loaded(pilot)
        assert log_screen.document is not None
        assert log_screen.document.log.id == screen.rows[2].id
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: log_screen.document is not None
                       and log_screen.document.log.id == screen.rows[3].id)  # fmt: skip
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: log_screen.document is not None
                       and log_screen.document.log.id == screen.rows[4].id)  # fmt: skip
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: log_screen.document is not None
                       and log_screen.document.log.id == screen.rows[3].id)  # fmt: skip
        await pilot.press("escape")
        assert pilot.app.screen is screen
        assert pilot.app.screen.query_one(DataTable).cursor_row == 3, "back on the stepped row"


async def test_stepping_stops_at_the_ends(tmp_path: Path) -> None:
    async with list_app(export(tmp_path, 3)).run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 3)
        await pilot.press("enter")
        log_screen = await wait_loaded(pilot)
        first = log_screen.document.log.id if log_screen.document else None
        await pilot.press("left_square_bracket")
        await pilot.pause(0.2)
        assert log_screen.document is not None and log_screen.document.log.id == first
        assert "No more logs in that direction" in [n.message for n in pilot.app._notifications]


async def test_parent_links_resolve_inside_the_file(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        index = next(i for i, e in enumerate(screen.rows) if e.id == exports.log_id(2))
        pilot.app.screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await wait_loaded(pilot)
        await pilot.press("p")
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LogScreen)
                and pilot.app.screen.document is not None
                and pilot.app.screen.document.log.id == exports.log_id(1)
            ),
        )
        await pilot.press("p")
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, LogScreen)
                and pilot.app.screen.document is not None
                and pilot.app.screen.document.log.id == exports.log_id(0)
            ),
        )
        assert "(its child)" in screen_text(pilot)


async def test_a_list_page_file_opened_as_one_log_becomes_a_list(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_bytes(exports.page(exports.make_logs(4)))
    from tests.support.tui import app_for

    async with app_for(path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        await wait_rows(pilot, 4)


async def test_a_project_over_the_api_lists_searches_opens_and_steps() -> None:
    key = "sk-test-list-screen"
    with LogServer(SAMPLES, api_key=key) as server:
        settings = Settings(base_url=server.base_url, api_key=key, timeout=5.0)
        app = make_app(Launch(project="pr_eHBIgJLVHKtP3skqoO6cD"), settings)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await wait_rows(pilot, 5)
            text = screen_text(pilot)
            assert "5 matches" in text and "server's order" in text
            assert "data_PXtNhYF6T5yDiNGbAvBvj" in text
            assert "the API filters by text only" in text
            # The selected row says where it came from, as a path into the page fetched.
            assert "API page 0 · records[0]" in text
            # Only what the API can do is offered: no field filters, no sort.
            footer = text.splitlines()[-1]
            assert "f Filter" not in footer and "Sort" not in footer
            await pilot.press("f", "s")
            await pilot.pause()
            assert pilot.app.screen is screen and not pilot.app._notifications
            await pilot.press("slash", *"refund")
            await wait_for(pilot, lambda: 0 < len(screen.rows) < 5)
            await pilot.press("escape")
            await wait_for(pilot, lambda: len(screen.rows) == 5)
            await pilot.press("enter")
            log_screen = await wait_loaded(pilot)
            assert log_screen.document is not None
            first = log_screen.document.log.id
            assert first == screen.rows[0].id
            await pilot.press("right_square_bracket")
            await wait_for(pilot, lambda: log_screen.document is not None
                           and log_screen.document.log.id == screen.rows[1].id)  # fmt: skip


async def test_list_cells_never_parse_markup(tmp_path: Path) -> None:
    logs = exports.make_logs(3)
    logs[0]["output"] = "[@click=app.quit]x[/] \x1b]0;title\x07"
    logs[1]["config"] = {"type": "model", "id": "c", "model": "[/INST]"}
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(exports.jsonl(logs))
    app = list_app(path)
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_rows(pilot, 3)
        text = screen_text(pilot)
        assert "[@click=app.quit]x[/] \\x1b]0;title\\x07" in text
        assert "[/INST]" in text
        assert app.is_running


async def test_open_a_folder_from_a_log_lists_it(tmp_path: Path) -> None:
    from tests.support.tui import RICH, app_for

    folder = tmp_path / "logs"
    folder.mkdir()
    exports.write_folder(folder, exports.make_logs(4))
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o", *str(folder), "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        await wait_rows(pilot, 4)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LogScreen), "back to the log it was opened from"


async def test_the_palette_lists_the_list_actions(tmp_path: Path) -> None:
    app = list_app(export(tmp_path, 3))
    async with app.run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 3)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for expected in ["Search", "Filter", "Session", "Clear", "Sort", "Reverse"]:
            assert expected in titles, expected
        for gone in ["Errors", "Model", "Status", "Feedback"]:
            assert gone not in titles, f"{gone} is an entry of the Filter chooser, not a key"


async def test_status_and_feedback_filters(tmp_path: Path) -> None:
    async with list_app(export(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_rows(pilot, 30)
        await filter_by(pilot, "status")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        choices = pilot.app.screen.values
        await pilot.press(*["down"] * choices.index("failed"), "enter")
        await wait_for(pilot, lambda: len(screen.rows) == 6)
        assert {e.status for e in screen.rows} == {"failed"}
        await pilot.press("F")
        await wait_for(pilot, lambda: len(screen.rows) == 30)
        await filter_by(pilot, "feedback")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        # Typing narrows the values: `iss` leaves `issue` alone, and enter picks it.
        await pilot.press(*"iss")
        assert pilot.app.screen.labels[pilot.app.screen.shown[0]] == "issue"
        await pilot.press("enter")
        expected = [exports.log_id(i) for i in range(30) if i % 6 == 3]
        await wait_for(pilot, lambda: len(screen.rows) == len(expected))
        assert sorted(table_ids(screen)) == sorted(expected)  # type: ignore[type-var]
        await pilot.press("r")
        await wait_for(pilot, lambda: len(screen.rows) == len(expected))
