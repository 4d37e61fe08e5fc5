"""Pilot tests: every published payload opens, v5 panes, the Trace pane and an exporter folder."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from textual.widgets import DataTable

from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.widgets.trace_tree import TraceTree
from tests.support import exports_v5
from tests.support.lists import wait_rows
from tests.support.tui import SIZE, active_tab, app_for, screen_text, wait_for, wait_loaded

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"
IDS = {
    "hl-docs-site-v4-api-logs-list-example-record0.json": "id",
    "hl-docs-v4-overrides-chat-deployed-data0.json": "data_lwWadasRw0vT4XDarZuNQ",
    "hl-docs-v4-overrides-chat-response.json": "data_fIfEb1SoKZooqeFbi9IFs",
    "hl-docs-v4-overrides-completion-response.json": "data_hdsujCtCep4W5L7XwYpnn",
    "hl-docs-v5-examples-create_flow_log_response.json": "medqa_experiment_0001",
    "hl-docs-v5-examples-flow_log_response.json": "medqa_experiment_0001",
    "hl-docs-v5-examples-prompt_call_response.json": "data_fIfEb1SoKZooqeFbi9IFs",
    "hl-docs-v5-examples-prompt_log_object.json": "log_123efg",
    "hl-docs-v5-examples-prompt_log_response.json": "data_fIfEb1SoKZooqeFbi9IFs",
    "hl-docs-v5-examples-session_event_response.json": "log_123efg",
    "hl-docs-v5-examples-tool_log_response.json": "data_abc123",
}


@pytest.mark.parametrize("name", sorted(IDS))
async def test_every_real_payload_opens_showing_its_id(name: str) -> None:
    async with app_for(REAL / name).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert IDS[name] in text.splitlines()[0]
        await pilot.press("8")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-raw")
        assert IDS[name] in screen_text(pilot)


async def test_the_real_list_page_opens_as_a_list() -> None:
    async with app_for(REAL / "hl-docs-v5-overrides-logs-list-page.json").run_test(
        size=SIZE
    ) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        screen = await wait_rows(pilot, 1)
        assert [entry.id for entry in screen.rows] == ["log_123efg"]
        assert "test-prompt" in screen_text(pilot)


async def test_a_create_response_says_it_is_not_a_log() -> None:
    path = REAL / "hl-docs-v5-examples-tool_log_response.json"
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert "the answer to POST /tools/log, not a log" in screen_text(pilot)


async def test_a_broken_log_opens_with_a_banner_naming_the_path(tmp_path: Path) -> None:
    log = exports_v5.prompt_log(random.Random(1), 1)
    log["messages"][1]["role"] = 5
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(log))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert "could not read: expected str, got int at $.messages[1].role" in text
        await pilot.press("2")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-messages")
        assert "You answer weather questions." in screen_text(pilot)


async def test_trace_pane_open_a_node_its_parent_and_back(tmp_path: Path) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(exports_v5.flow_log(random.Random(1), 7)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        first = await wait_loaded(pilot)
        assert "Trace (3)" in screen_text(pilot)
        await pilot.press("9")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
        text = screen_text(pilot)
        assert "3 logs · 1 with errors" in text
        for name in ("weather/assistant", "weather/answer", "weather/get_weather"):
            assert name in text
        assert "timeout calling weather API" in text
        tree = first.query_one("#pane-trace TraceTree", TraceTree)
        await wait_for(pilot, lambda: tree.has_focus)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: pilot.app.screen is not first)
        child = await wait_loaded(pilot)
        assert "log_prompt0000007" in screen_text(pilot).splitlines()[0]
        await pilot.press("p")
        await wait_for(pilot, lambda: pilot.app.screen not in (first, child))
        await wait_loaded(pilot)
        assert "log_flow0000007" in screen_text(pilot).splitlines()[0]
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is child)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is first)
        assert isinstance(pilot.app.screen, LogScreen)


async def test_an_exporter_folder_opens_as_a_list_and_a_flow_shows_its_trace(
    tmp_path: Path,
) -> None:
    exports_v5.make_export(tmp_path, flows=10)
    async with app_for(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await wait_rows(pilot)
        kinds = {"flow", "agent", "prompt", "tool", "evaluator"}
        # The table fills again once indexing ends: wait for the rows to settle.
        await wait_for(pilot, lambda: {entry.config_type for entry in screen.rows} == kinds)
        assert not [entry for entry in screen.rows if entry.invalid]
        flow = next(i for i, e in enumerate(screen.rows) if e.config_type == "flow")
        screen.query_one(DataTable).move_cursor(row=flow)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogScreen))
        await wait_loaded(pilot)
        await pilot.press("9")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
        assert "3 logs" in screen_text(pilot)


async def test_a_big_trace_lists_every_node(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(exports_v5.deep_trace(12, 2)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("9")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
        tree = screen.query_one("#pane-trace TraceTree", TraceTree)
        # All 157 fit the rows shown at first, so every level is open.
        assert len(tree.rows) == 1 + 12 + 144
        assert "157 logs" in screen_text(pilot)


async def test_a_call_response_of_three_items_opens_as_a_list_of_three(tmp_path: Path) -> None:
    from tests.unit.test_v4_calls import chat_response

    path = tmp_path / "chat.json"
    path.write_text(json.dumps(chat_response(3)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        screen = await wait_rows(pilot, 3)
        assert sorted(str(entry.id) for entry in screen.rows) == [
            "data_item0",
            "data_item1",
            "data_item2",
        ]
        assert "Answer number 2" in screen_text(pilot)


async def test_every_generation_of_a_prompt_call_is_in_messages(tmp_path: Path) -> None:
    from tests.unit.test_v4_calls import prompt_call

    path = tmp_path / "call.json"
    path.write_text(json.dumps(prompt_call(3)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert "3 generations" in screen_text(pilot)
        assert "Messages (3)" in screen_text(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-messages")
        await wait_for(pilot, lambda: "logs[2].output_message" in screen_text(pilot))
        text = screen_text(pilot)
        assert "Take 2" in text and "Take 3" in text and "logs[1].output_message" in text
