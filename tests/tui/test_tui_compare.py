"""Pilot tests of issue 12: totals and export in the list, marks and the diff screen, curl."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from tests.support.tui import SIZE, app_for, notifications, wait_for, wait_loaded

SAMPLES = Path(__file__).resolve().parent.parent.parent / "inspector" / "samples"


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
