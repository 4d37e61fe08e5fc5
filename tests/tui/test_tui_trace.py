"""Pilot tests of the Trace pane: expand, collapse, open a node, its parent and back; v4 trees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from inspector.tui.panes.trace import ALONE_V4
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.widgets.trace_tree import TraceTree
from tests.support import traces
from tests.support.tui import SIZE, active_tab, app_for, screen_text, wait_for, wait_loaded
from tests.tui.test_tui_list import wait_rows


async def open_trace(pilot: Pilot[Any]) -> TraceTree:
    """Press `9` on the log screen shown; the tree, once it has focus."""
    await pilot.press("9")
    await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
    screen = pilot.app.screen
    await wait_for(pilot, lambda: bool(screen.query("#pane-trace TraceTree")))
    tree = screen.query_one("#pane-trace TraceTree", TraceTree)
    await wait_for(pilot, lambda: tree.has_focus)
    return tree


def header(pilot: Pilot[Any]) -> str:
    return screen_text(pilot).splitlines()[0]


async def test_a_big_trace_opens_collapsed_below_the_budget_and_expands_on_keys(
    tmp_path: Path,
) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(traces.nested_flow(2000)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        tree = await open_trace(pilot)
        assert "2,000 logs" in screen_text(pilot)
        outline = tree.outline
        shown = len(tree.rows)
        assert tree.node == 0 and shown == 1 + len(outline.children[0])
        await pilot.press("down")
        assert outline.facts(tree.node).log_id == traces.BIG
        await pilot.press("l")  # Expand.
        assert len(tree.rows) == shown + 199
        await pilot.press("l")  # Already open: to the first child.
        assert outline.parent[tree.node] == 1
        await pilot.press("h")  # A leaf: to its parent.
        assert tree.node == 1
        await pilot.press("left")  # Collapse.
        assert len(tree.rows) == shown and tree.node == 1
        await pilot.press("space")
        assert len(tree.rows) == shown + 199
        await pilot.press("space")
        assert len(tree.rows) == shown
        await pilot.press("e")
        assert len(tree.rows) == 2000 and tree.node == 1
        await pilot.press("e")
        assert len(tree.rows) == shown and tree.node == 1


async def test_enter_opens_a_node_p_its_trace_parent_escape_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(traces.nested_flow(300)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        first = await wait_loaded(pilot)
        tree = await open_trace(pilot)
        await pilot.press("enter")  # The root is this log: a note, no new screen.
        await pilot.press("down", "right", "down")
        opened = tree.node
        assert tree.outline.parent[opened] == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is not first)
        child = await wait_loaded(pilot)
        child_id = tree.outline.facts(opened).log_id
        assert child_id in header(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: pilot.app.screen not in (first, child))
        await wait_loaded(pilot)
        assert traces.BIG in header(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is child)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is first)
        assert active_tab(pilot) == "tab-trace" and tree.node == opened


async def test_a_trace_50_levels_deep_expands_and_opens_its_deepest_log(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(traces.deep_flow(50)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        first = await wait_loaded(pilot)
        tree = await open_trace(pilot)
        assert "52 levels" in screen_text(pilot)
        await pilot.press("e", "end")
        assert len(tree.rows) == len(tree.outline)
        # The deepest flow's only leaf, drawn with its depth as a number.
        deepest_node = tree.outline.depth.index(51)
        tree.go_to(tree.rows.index(deepest_node))
        await pilot.pause()
        assert "   51 · weather/" in screen_text(pilot)
        deepest = tree.outline.facts(deepest_node).log_id
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is not first)
        await wait_loaded(pilot)
        assert deepest in header(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: "log_flow" in header(pilot))
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: pilot.app.screen is first)


async def test_search_finds_a_hidden_node_and_opens_the_way_to_it(tmp_path: Path) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(traces.nested_flow(2000)))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        tree = await open_trace(pilot)
        hidden = tree.outline.children[1][-1]
        wanted = tree.outline.facts(hidden).log_id
        await pilot.press("slash", *wanted, "enter")
        await wait_for(pilot, lambda: tree.node == hidden)
        assert 1 in tree.expanded


def write_v4_folder(folder: Path) -> None:
    folder.mkdir()
    logs = [*traces.v4_session("a"), *traces.v4_session("b", children=2)]
    logs.append({**logs[0], "id": "data_alone", "session_id": None, "parent_id": None})
    for log in logs:
        (folder / f"{log['id']}.json").write_text(json.dumps(log))


async def open_from_list(pilot: Pilot[Any], log_id: str) -> LogScreen:
    screen = await wait_rows(pilot)
    await wait_for(pilot, lambda: log_id in {entry.id for entry in screen.rows})
    row = next(i for i, entry in enumerate(screen.rows) if entry.id == log_id)
    screen.query_one(DataTable).move_cursor(row=row)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogScreen))
    return await wait_loaded(pilot)


async def test_a_v4_log_from_a_folder_shows_its_session_tree(tmp_path: Path) -> None:
    write_v4_folder(tmp_path / "logs")
    async with app_for(tmp_path / "logs").run_test(size=SIZE) as pilot:
        first = await open_from_list(pilot, "data_a_grandchild")
        tree = await open_trace(pilot)
        ids = [tree.outline.facts(node).log_id for node in tree.rows]
        assert ids[0] == "data_a_root" and len(ids) == 5 and "data_b_root" not in ids
        assert ids[tree.cursor] == "data_a_grandchild"
        assert "◀ this log" in screen_text(pilot)
        assert "5 logs · 1 with errors" in screen_text(pilot)
        await pilot.press("h")  # A leaf: to its parent.
        assert ids[tree.cursor] == "data_a_child0"
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is not first)
        child = await wait_loaded(pilot)
        assert "data_a_child0" in header(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: pilot.app.screen not in (first, child))
        await wait_loaded(pilot)
        assert "data_a_root" in header(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is child)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is first)


async def test_a_v4_log_alone_in_its_list_or_opened_alone_says_so(tmp_path: Path) -> None:
    write_v4_folder(tmp_path / "logs")
    async with app_for(tmp_path / "logs").run_test(size=SIZE) as pilot:
        await open_from_list(pilot, "data_alone")
        await pilot.press("9")
        await wait_for(pilot, lambda: "this log stands alone in" in screen_text(pilot))
    async with app_for(tmp_path / "logs" / "data_a_child0.json").run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("9")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-trace")
        assert ALONE_V4[:40] in screen_text(pilot)
