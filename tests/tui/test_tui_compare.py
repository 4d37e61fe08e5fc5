"""Pilot tests of issue 12: totals and export in the list, marks and the diff screen, curl."""

from __future__ import annotations

import csv
import io
import json
import shlex
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from inspector.api.server import LogServer
from inspector.catalog import Query
from inspector.catalog.stats import Stats
from inspector.open.many import CatalogList
from inspector.settings import Settings
from inspector.tui.app import Launch, make_app
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.diff_screen import DiffScreen
from inspector.tui.screens.export_screen import ExportScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.view_state import view_state
from inspector.tui.widgets.stats_bar import StatsBar
from tests.support.lists import SAMPLES, export, filter_by, list_app, wait_rows
from tests.support.tui import SIZE, app_for, notifications, screen_text, wait_for, wait_loaded
from tests.unit.test_catalog_cancel import LONG


async def test_request_pane_copies_a_curl_command() -> None:
    async with app_for(SAMPLES / "weather-forced-tool.json").run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await pilot.press("c")
        words = shlex.split(pilot.app.clipboard.replace("\\\n", " "))
        assert words[:2] == ["curl", "https://api.anthropic.com/v1/messages"]
        assert "x-api-key: $ANTHROPIC_API_KEY" in words


async def test_curl_says_why_not_and_response_pane_has_no_curl_key(tmp_path: Path) -> None:
    log = json.loads((SAMPLES / "weather-forced-tool.json").read_text())
    log["config"]["provider"] = "bedrock"
    path = tmp_path / "bedrock.json"
    path.write_text(json.dumps(log))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert "SigV4" in notifications(pilot)[-1] and pilot.app.clipboard == ""
    async with app_for(SAMPLES / "weather-forced-tool.json").run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("5")
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await pilot.press("c")
        await pilot.pause()
        assert pilot.app.clipboard == ""


async def wait_list(pilot: Any) -> ListScreen:
    """Wait for every row of the list, and for its totals over all of them."""
    screen = await wait_rows(pilot)
    bar = screen.query_one(StatsBar)

    def ready() -> bool:
        return (
            screen.matching > 0
            and bar.stats is not None
            and bar.stats.totals.count == screen.matching
            and len(screen.rows) == screen.matching
        )

    await wait_for(pilot, ready)
    return screen


def select(screen: ListScreen, log_id: str) -> None:
    index = [entry.id for entry in screen.rows].index(log_id)
    screen.query_one(DataTable).move_cursor(row=index)


async def test_totals_follow_the_filters_and_b_shows_them_by_model() -> None:
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        bar = screen.query_one(StatsBar)
        assert (
            "Σ 13 logs · 1 error (7.7%) · 10,180 in / 2,012 out · $0.0172 · p50 1.6 s"
            in screen_text(pilot)
        )
        assert "b: by model · w: export" in screen_text(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: bar.breakdown)
        assert "gpt-4o-2024-08-06              3   0 (0.0%)" in screen_text(pilot)
        await filter_by(pilot, "errors")
        await wait_for(pilot, lambda: bar.stats is not None and bar.stats.totals.count == 1)
        text = screen_text(pilot)
        assert "Σ 1 log · 1 error (100.0%)" in text
        assert "claude-3-5-sonnet-20241022     1  1 (100.0%)" in text
        await pilot.press("b")
        await wait_for(pilot, lambda: not bar.breakdown)
        assert "claude-3-5-sonnet-20241022     1" not in screen_text(pilot)


async def test_w_exports_the_filtered_rows_by_extension(tmp_path: Path) -> None:
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        await filter_by(pilot, "model")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await pilot.press(*"gpt-4o-2024-08", "enter")
        await wait_for(pilot, lambda: screen.matching == 3 and not screen.workers)
        for name in ("three.jsonl", "three.csv"):
            await pilot.press("w")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
            await pilot.press(*str(tmp_path / name), "enter")
            await wait_for(pilot, lambda: pilot.app.screen is screen)
        lines = (tmp_path / "three.jsonl").read_bytes().splitlines()
        assert [json.loads(line)["config"]["model"] for line in lines] == ["gpt-4o-2024-08-06"] * 3
        rows = list(csv.reader(io.StringIO((tmp_path / "three.csv").read_text())))
        assert rows[0][0] == "id" and len(rows) == 4
        assert "Wrote 3 logs to" in notifications(pilot)[-1]


def hint(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#export-hint", Static).content)


async def test_export_refuses_other_extensions_and_asks_before_replacing(tmp_path: Path) -> None:
    existing = tmp_path / "old.csv"
    existing.write_text("keep")
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
        await pilot.press(*str(tmp_path / "x.txt"), "enter")
        await pilot.pause()
        assert "name a .jsonl or .csv file" in hint(pilot)
        pilot.app.screen.query_one(Input).value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert "exists: enter again to replace it" in hint(pilot)
        assert existing.read_text() == "keep"
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        assert existing.read_text().startswith("id,created,model")


async def test_space_marks_and_d_diffs_side_by_side() -> None:
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert "Mark a log first" in notifications(pilot)[-1]
        select(screen, "data_y6u15mG6SCC7USq9Kiuky")
        await pilot.press("space")
        await wait_for(pilot, lambda: view_state(screen).marked is not None)
        select(screen, "data_ccpSvDJ8f0Dy7uITozeQt")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        text = screen_text(pilot)
        assert "before: data_y6u15mG6SCC7USq9Kiuky" in text
        assert "after:  data_ccpSvDJ8f0Dy7uITozeQt" in text
        for expected in ["config", ".config.model", '"gpt-4o-mini-2024-07-18"',
                         '"gpt-4o-2024-08-06"', "messages (7 differ)"]:  # fmt: skip
            assert expected in text
        await pilot.press("y")
        assert pilot.app.clipboard.startswith("# Diff")
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)


async def test_mark_in_the_list_then_d_on_an_opened_log() -> None:
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        select(screen, "data_nRo1E0BnHlyOop2hEZ8GC")
        await pilot.press("space")
        await wait_for(pilot, lambda: view_state(screen).marked is not None)
        select(screen, "data_y6u15mG6SCC7USq9Kiuky")
        await pilot.press("enter")
        await wait_loaded(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        text = screen_text(pilot)
        assert "before: data_nRo1E0BnHlyOop2hEZ8GC" in text
        assert "after:  data_y6u15mG6SCC7USq9Kiuky" in text
        assert '"claude-3-5-haiku-20241022"' in text and '"gpt-4o-mini-2024-07-18"' in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LogScreen))


async def test_a_log_against_itself_says_so() -> None:
    async with list_app(SAMPLES).run_test(size=(140, 45)) as pilot:
        screen = await wait_list(pilot)
        await pilot.press("space")
        await wait_for(pilot, lambda: view_state(screen).marked is not None)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        assert "no differences" in screen_text(pilot)
        assert "The two logs are the same." in screen_text(pilot)


async def test_an_api_list_totals_its_fetched_rows_and_diffs_but_does_not_export() -> None:
    key = "sk-test-compare"
    with LogServer(SAMPLES, api_key=key) as server:
        settings = Settings(base_url=server.base_url, api_key=key, timeout=5.0)
        app = make_app(Launch(project="pr_eHBIgJLVHKtP3skqoO6cD"), settings)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await wait_rows(pilot, 5)
            bar = screen.query_one(StatsBar)
            await wait_for(pilot, lambda: bar.stats is not None and bar.stats.totals.count == 5)
            assert "of the 5 rows fetched" in screen_text(pilot)
            await pilot.press("w")
            await wait_for(pilot, lambda: bool(notifications(pilot)))
            assert "Export works on a file of logs" in notifications(pilot)[-1]
            await pilot.press("space")
            await wait_for(pilot, lambda: view_state(screen).marked is not None)
            await pilot.press("down", "d")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))


async def test_a_new_filter_gives_up_the_totals_still_being_counted(tmp_path: Path) -> None:
    """At a million logs the totals take a second or more on their reader: a filter
    typed meanwhile gives them up, and its own totals come without waiting for them."""
    async with list_app(export(tmp_path, count=30)).run_test(size=(140, 45)) as pilot:
        screen = await wait_rows(pilot, 30)
        assert isinstance(screen.log_list, CatalogList)
        catalog = screen.log_list.catalog
        store, stats = catalog._store, catalog.stats

        def slow_stats(query: Query) -> Stats:
            with store.together() as reads:
                reads.rows(LONG)  # a minute or so, unless given up
            return stats(query)

        catalog.stats = slow_stats  # type: ignore[method-assign]
        screen.refresh_totals()  # As when rows are shown.
        await wait_for(pilot, lambda: store._side is not None and store._side.running is not None)
        catalog.stats = stats  # type: ignore[method-assign]
        await pilot.press("slash", *"refund", "enter")
        await wait_for(pilot, lambda: screen.query_filter.text == "refund" and screen.matching == 6)
        bar = screen.query_one(StatsBar)
        await wait_for(pilot, lambda: bar.stats is not None and bar.stats.totals.count == 6)
