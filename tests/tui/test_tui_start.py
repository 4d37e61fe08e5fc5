"""What `inspector TARGET` opens first, and the settings the app honours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspector.cli.main import _start
from inspector.errors import SourceError
from inspector.open.many import CatalogList, ProjectList
from inspector.open.one import Api, ApiSource, DocumentSource, FileSource
from inspector.settings import Settings
from tests.support import exports
from tests.support.tui import RICH, SIZE, app_for, notifications, wait_loaded


@pytest.fixture
def api() -> Api:
    return Api(Settings(base_url="http://127.0.0.1:9/v4", api_key="k"))


def test_a_file_of_one_log_opens_as_a_log(api: Api) -> None:
    start = _start(str(RICH), None, api)
    assert isinstance(start, FileSource)


@pytest.mark.parametrize("name", ["export.jsonl", "export.json", "export.txt"])
def test_a_file_of_many_logs_opens_as_a_list(tmp_path: Path, api: Api, name: str) -> None:
    logs = exports.make_logs(4)
    path = tmp_path / name
    path.write_bytes(exports.array(logs) if name == "export.json" else exports.jsonl(logs))
    start = _start(str(path), None, api)
    assert isinstance(start, CatalogList)
    start.close()


def test_a_folder_opens_as_a_list(tmp_path: Path, api: Api) -> None:
    exports.write_folder(tmp_path, exports.make_logs(3))
    start = _start(str(tmp_path), None, api)
    assert isinstance(start, CatalogList)
    start.close()


def test_an_id_is_fetched_and_a_project_is_listed(api: Api) -> None:
    assert isinstance(_start("data_abc", None, api), ApiSource)
    project = _start(None, "pr_x", api)
    assert isinstance(project, ProjectList)
    assert project.label == "project pr_x on 127.0.0.1"


def test_stdin_of_one_log_is_a_document(monkeypatch: pytest.MonkeyPatch, api: Api) -> None:
    monkeypatch.setattr("inspector.cli.main.read_stdin", lambda: RICH.read_bytes())
    monkeypatch.setattr("inspector.cli.main._reattach_terminal", lambda: None)
    start = _start("-", None, api)
    assert isinstance(start, DocumentSource)
    assert start.doc.log.id == "data_RichFixture0001"


def test_an_empty_folder_says_so(tmp_path: Path, api: Api) -> None:
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl files in this folder"):
        _start(str(tmp_path), None, api)


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
