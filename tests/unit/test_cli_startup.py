"""`inspector TARGET` builds its app with the garbage collector off, then runs it with
what was built frozen (out of every later collection) and the collector on again."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from inspector.cli.main import main
from tests.support.exports import jsonl, make_logs


class FakeApp:
    """Stands in for the app: records the collector's state when it is run."""

    error_message = None
    return_code = 0

    def __init__(self, seen: dict[str, Any]) -> None:
        self.seen = seen

    def run(self) -> None:
        self.seen["enabled"] = gc.isenabled()
        self.seen["frozen"] = gc.get_freeze_count()


def test_the_app_is_built_without_collections_and_run_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(3)))
    seen: dict[str, Any] = {}

    def make_app(launch: Any, settings: Any) -> FakeApp:
        seen["building"] = gc.isenabled()
        return FakeApp(seen)

    monkeypatch.setattr("inspector.tui.app.make_app", make_app)
    try:
        assert main([str(path)]) == 0
    finally:
        gc.unfreeze()
    assert seen["building"] is False
    assert seen["enabled"] is True
    assert seen["frozen"] > 0
    assert gc.isenabled()


def test_a_command_line_that_fails_leaves_the_collector_on(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.json"
    assert main([str(missing)]) != 0
    assert gc.isenabled()
    assert main(["data_x", "--project", "pr_y"]) != 0
    assert gc.isenabled()
