"""Where the TUI writes a log's page, and which browsers it will (not) open it with."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Any

import pytest

from inspector.tui import share


class Recorder(webbrowser.BackgroundBrowser):
    opened: list[str]

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


def test_a_graphical_browser_opens_the_page(monkeypatch: Any, tmp_path: Path) -> None:
    browser = Recorder("firefox")
    browser.opened = []
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html>")
    assert share.open_page(page) is True
    assert browser.opened == [page.as_uri()]


@pytest.mark.parametrize("name", ["lynx", "/usr/bin/w3m", "www-browser", "links -g"])
def test_a_terminal_browser_is_never_started(monkeypatch: Any, name: str) -> None:
    browser = Recorder(name)
    browser.opened = []
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    assert share.system_browser() is None
    assert share.open_page(Path("x.html")) is False
    assert browser.opened == []


def test_no_browser_at_all(monkeypatch: Any) -> None:
    def nothing() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", nothing)
    assert share.open_page(Path("x.html")) is False


def test_the_page_goes_to_the_current_folder_or_else_the_temp_folder(
    monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert share.page_folder() == tmp_path
    monkeypatch.setattr(share.os, "access", lambda path, mode: False)
    assert share.page_folder() != tmp_path
