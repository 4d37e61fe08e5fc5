"""What `inspector TARGET` opens first (the one rule), and the settings the app honours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspector.errors import SourceError
from inspector.open.many import CatalogList, ProjectList
from inspector.open.one import Api, ApiSource, DocumentSource, FileSource
from inspector.open.rule import open_target
from inspector.open.targets import classify
from inspector.settings import Settings
from inspector.tui.app import Launch, make_app
from inspector.tui.screens.list_screen import ListScreen
from tests.support import exports
from tests.support.tui import RICH, SIZE, app_for, notifications, wait_for, wait_loaded


@pytest.fixture
def api() -> Api:
    return Api(Settings(base_url="http://127.0.0.1:9/v4", api_key="k"))


def test_a_file_of_one_log_opens_as_a_log(api: Api) -> None:
    assert isinstance(open_target(classify(str(RICH)), api), FileSource)


@pytest.mark.parametrize("name", ["export.jsonl", "export.json", "export.txt"])
def test_a_file_of_many_logs_opens_as_a_list(tmp_path: Path, api: Api, name: str) -> None:
    logs = exports.make_logs(4)
    path = tmp_path / name
    path.write_bytes(exports.array(logs) if name == "export.json" else exports.jsonl(logs))
    start = open_target(classify(str(path)), api)
    assert isinstance(start, CatalogList)
    start.close()


def test_a_folder_opens_as_a_list(tmp_path: Path, api: Api) -> None:
    exports.write_folder(tmp_path, exports.make_logs(3))
    start = open_target(classify(str(tmp_path)), api)
    assert isinstance(start, CatalogList)
    start.close()


def test_an_id_is_fetched_and_a_project_is_listed(api: Api) -> None:
    assert isinstance(open_target(classify("data_abc"), api), ApiSource)
    project = open_target(None, api, project="pr_x")
    assert isinstance(project, ProjectList)
    assert project.label == "project pr_x on 127.0.0.1"


def test_stdin_of_one_log_is_a_document(api: Api) -> None:
    start = open_target(RICH.read_bytes(), api)
    assert isinstance(start, DocumentSource)
    assert start.doc.log.id == "data_RichFixture0001"


def test_an_empty_folder_says_so(tmp_path: Path, api: Api) -> None:
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl files in this folder"):
        open_target(classify(str(tmp_path)), api)


async def test_a_first_target_that_cannot_open_ends_the_app_with_its_message(
    tmp_path: Path,
) -> None:
    app = make_app(Launch(target=str(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 1
    assert app.error_message is not None
    assert "no .json or .jsonl files in this folder" in app.error_message


async def test_a_list_page_in_a_file_is_read_once_and_shown_as_a_list(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    page.write_bytes(exports.page(exports.make_logs(3)))
    async with app_for(page).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ListScreen))
        # The list replaced the log screen that found it: escape has nothing to go back to.
        assert len(pilot.app.screen_stack) == 2


async def test_the_app_closes_its_one_api_client_on_exit(tmp_path: Path) -> None:
    app = make_app(Launch(target="data_abc"), Settings(base_url="http://127.0.0.1:9/v4"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        client = app.api.client()
        assert app.api.client() is client
    assert client.is_closed


async def test_theme_from_settings(tmp_path: Path) -> None:
    settings: Any = Settings(theme="textual-light")
    async with app_for(RICH, settings=settings).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert pilot.app.theme == "textual-light"
    settings = Settings(theme="no-such-theme")
    async with app_for(RICH, settings=settings).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert pilot.app.theme == "textual-dark"
        assert any("Unknown theme 'no-such-theme'" in n for n in notifications(pilot))
