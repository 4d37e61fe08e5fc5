"""`inspector FILE` on one log paints its header before importing what only lists and sharing need.

Runs in a fresh interpreter, so that modules imported by other tests do not count: the
app is built as the command line builds it, run headless, and `sys.modules` is read the
moment the header with the log's id has been drawn (before the tabs are built).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import cast

from tests.support.exports import jsonl, make_logs
from tests.support.tui import RICH

#: Modules that `inspector FILE` on a single log must not import before its first paint.
DEFERRED = (
    "sqlite3",
    "multiprocessing",
    "http.server",
    "webbrowser",
    "inspector.catalog.catalog",
    "inspector.open.many",
    "inspector.api.server",
    "inspector.tui.screens.list_screen",
    "inspector.tui.screens.help",
    "inspector.tui.share",
    "inspector.present.html",
)

SCRIPT = """
import asyncio, json, sys
from inspector.cli.tui import _run
from inspector.tui.app import Launch, make_app
from inspector.tui.screens.log_screen import LogScreen

seen = {}
painted = LogScreen._header_painted

async def header_painted(self):
    await painted(self)
    seen.setdefault("modules", sorted(sys.modules))
    seen.setdefault("id", self.document.log.id)

LogScreen._header_painted = header_painted

async def main():
    app = make_app(Launch(target=sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while "modules" not in seen:
            await pilot.pause()
        await screen.tabs_built()
        await pilot.pause()
        seen["tabs"] = screen.query_one("TabbedContent").active

asyncio.run(main())
sys.stdout.write(json.dumps(seen))
"""


def _first_paint(path: Path, script: str = SCRIPT) -> dict[str, object]:
    """What `script` (run in a fresh interpreter on `path`) saw at the first paint."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_one_log_paints_its_header_before_importing_lists_servers_and_sharing() -> None:
    seen = _first_paint(RICH)
    log_id = json.loads(RICH.read_text())["id"]
    assert seen["id"] == log_id
    modules = set(cast(list[str], seen["modules"]))
    assert "inspector.tui.screens.log_screen" in modules
    assert [name for name in DEFERRED if name in modules] == []
    # The log still opens on its tabs once the header is up.
    assert seen["tabs"] == "tab-overview"


#: Modules that `inspector EXPORT` must not import before its first rows are drawn.
DEFERRED_FOR_LISTS = (
    "multiprocessing",  # workers start only for big sources, after the first rows
    "concurrent.futures.process",
    "http.server",
    "webbrowser",
    "inspector.tui.screens.log_screen",
    "inspector.tui.screens.diff_screen",
    "inspector.tui.screens.export_screen",
    "inspector.tui.screens.help",
    "inspector.present.diff",
)

LIST_SCRIPT = """
import asyncio, json, sys
from inspector.tui.app import Launch, make_app
from inspector.tui.screens.list_screen import ListScreen

async def main():
    app = make_app(Launch(target=sys.argv[1]))
    seen = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, ListScreen) and app.screen.rows):
            await pilot.pause(0.01)
        seen["modules"] = sorted(sys.modules)
        seen["rows"] = len(app.screen.rows)
    sys.stdout.write(json.dumps(seen))

asyncio.run(main())
"""


def test_a_list_draws_its_first_rows_before_importing_what_only_logs_and_diffs_need(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(300)))
    seen = _first_paint(path, LIST_SCRIPT)
    assert cast(int, seen["rows"]) > 0
    modules = set(cast(list[str], seen["modules"]))
    assert "inspector.tui.screens.list_screen" in modules
    assert [name for name in DEFERRED_FOR_LISTS if name in modules] == []
