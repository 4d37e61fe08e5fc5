"""The list of a big source between its two passes: every log shown, filters said partial."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from msgspec.structs import replace

from inspector.tui.widgets.stats_bar import StatsBar
from tests.support.lists import export, filter_by, list_app, wait_rows
from tests.support.tui import SIZE, screen_text, wait_for


@pytest.mark.usefixtures("small_slices")
async def test_filters_say_what_they_see_until_every_row_is_built(
    tmp_path: Path, between_passes: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # A short name: the whole title fits.
    export(tmp_path, 30)
    async with list_app(Path("export.jsonl")).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await wait_for(pilot, lambda: len(getattr(pilot.app.screen, "rows", [])) == 30)
        screen = pilot.app.screen
        progress = screen.log_list.progress()
        assert progress is not None and progress.listed and not progress.complete
        # Every log is in the list, in time order, before its row is built.
        title = screen_text(pilot).splitlines()[0]
        assert "· 30 logs · showing 30 · sorted by created ↓" in title
        assert "so far" not in title
        shown = list(screen.rows)
        # A filter sees only the rows built so far, and says so; so do the totals.
        await filter_by(pilot, "errors")
        await wait_for(pilot, lambda: "filters and sorts see 0 so far" in screen_text(pilot))
        await wait_for(pilot, lambda: screen.query_one(StatsBar).note == "so far")
        assert screen.rows == []
        # More rows built since the matches were counted: the title keeps saying how
        # many rows that count covered, until the rows are asked for again (a tenth more).
        now = screen.log_list.progress()
        assert now is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(screen.log_list, "progress", lambda: replace(now, rows=2))
            screen._poll()
            await pilot.pause(0.3)
            screen._title()
            assert "filters and sorts see 0 so far" in screen_text(pilot)
            # A tenth of the logs more (3 here): the matches are counted again, over the
            # rows built by then, and the title says so.
            patch.setattr(screen.log_list, "progress", lambda: replace(now, rows=12))
            screen._poll()
            await wait_for(pilot, lambda: "filters and sorts see 12 so far" in screen_text(pilot))
            # Every row built, the matches not counted again yet: still said to be partial.
            patch.setattr(screen.log_list, "progress", lambda: replace(now, rows=now.indexed))
            screen._title()
            assert "filters and sorts see 12 so far" in screen_text(pilot)
        between_passes.set()
        await wait_rows(pilot, 6)
        title = screen_text(pilot).splitlines()[0]
        assert "· 30 logs · 6 matches · showing 6 ·" in title and "so far" not in title
        assert screen.query_one(StatsBar).note == ""
        assert all(entry.error for entry in screen.rows)
        await filter_by(pilot, "errors")  # Off again: the list shown before, now from rows.
        await wait_rows(pilot, 30)
        assert screen.rows == shown
