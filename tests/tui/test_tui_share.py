"""`w` writes the log on screen as an HTML page and says where; `W` also opens it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspector.tui import share
from inspector.tui.bindings import key_help
from inspector.tui.screens.log_screen import LogScreen
from tests.support.tui import RICH, SIZE, app_for, notifications, wait_for, wait_loaded

PAGE = "inspector-data_RichFixture0001.html"


async def test_w_writes_the_page_into_the_current_folder_and_says_where(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr("inspector.tui.share.open_page", opened.append)
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: any("Wrote" in n for n in notifications(pilot)))
        page = tmp_path / PAGE
        assert page.read_text().startswith("<!DOCTYPE html>")
        assert f"Wrote {page} (W opens it in the browser)" in notifications(pilot)
        assert opened == []


async def test_shift_w_opens_the_page_in_the_browser(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    opened: list[Path] = []

    def fake_open(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr("inspector.tui.share.open_page", fake_open)
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("W")
        await wait_for(pilot, lambda: bool(opened) and bool(notifications(pilot)))
        assert opened == [tmp_path / PAGE]
        assert f"Wrote {tmp_path / PAGE} and opened it in the browser" in notifications(pilot)


async def test_without_a_browser_the_page_is_still_written(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(share, "system_browser", lambda: None)
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("W")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert (
            notifications(pilot)[-1] == f"Wrote {tmp_path / PAGE}; no browser to open it with here"
        )
        assert (tmp_path / PAGE).exists()


async def test_a_folder_that_cannot_be_written_is_said_so(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(share, "page_folder", lambda: tmp_path / "no" / "such" / "folder")
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert notifications(pilot)[-1].startswith("Could not write the HTML page: ")


def test_the_keys_are_in_the_help_of_a_log() -> None:
    texts = {line.keys: line.text for line in key_help(LogScreen)}
    assert texts["w"].startswith("Write the log as a self-contained HTML page")
    assert texts["W"].startswith("Write the log as an HTML page and open it")
