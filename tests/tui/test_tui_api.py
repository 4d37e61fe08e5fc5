"""The TUI over HTTP: fetching by id, the retry countdown, errors inside the app, parents."""

from __future__ import annotations

from pathlib import Path

from inspector.api.server import LogServer
from inspector.settings import Settings
from inspector.tui.app import InspectorApp, Launch, make_app
from inspector.tui.screens.log_screen import LogScreen
from tests.support.faultserver import FaultServer, Reply, json_reply
from tests.support.tui import SIZE, notifications, screen_text, wait_for, wait_loaded

KEY = "sk-test-SECRET-tui-7d1e"
LOG = (
    Path(__file__).parent.parent / "support" / "fixtures" / "shared" / "chat_tools.json"
).read_bytes()
SAMPLES = Path(__file__).resolve().parent.parent.parent / "inspector" / "samples"


def app_for_id(
    base_url: str, log_id: str = "data_8fKq2LxR7mZt1VbN3cWd0", **kw: object
) -> InspectorApp:
    settings = Settings(base_url=base_url, api_key=kw.pop("key", KEY), timeout=5.0)  # type: ignore[arg-type]
    return make_app(Launch(target=log_id), settings)


async def test_fetch_by_id_shows_the_retry_countdown_then_the_log() -> None:
    script = [Reply(503, b'{"detail": "busy"}', [("Retry-After", "2")]), Reply(200, LOG)]
    with FaultServer(script) as server:
        async with app_for_id(server.base_url).run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: "retrying in" in screen_text(pilot))
            text = screen_text(pilot)
            assert "HTTP 503" in text and "(attempt 2 of 3)" in text
            first = next(line for line in text.splitlines() if "retrying in" in line)
            await pilot.pause(0.5)
            later = next(
                (line for line in screen_text(pilot).splitlines() if "retrying in" in line), ""
            )
            assert later != first, "the countdown ticks"
            screen = await wait_loaded(pilot)
            await wait_for(pilot, lambda: screen.document is not None)
            assert "data_8fKq2LxR7mZt1VbN3cWd0" in screen_text(pilot)
        assert len(server.requests) == 2
        assert all(r.headers.get("x-api-key") == KEY for r in server.requests)


async def test_errors_show_in_the_app_and_r_retries() -> None:
    script = [json_reply(404, b'{"detail": "Log not found"}'), Reply(200, LOG)]
    with FaultServer(script) as server:
        async with app_for_id(server.base_url).run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            text = screen_text(pilot)
            assert "no log with id data_8fKq2LxR7mZt1VbN3cWd0" in text
            assert "r retry" in text
            assert KEY not in text
            await pilot.press("r")
            screen = await wait_loaded(pilot)
            await wait_for(pilot, lambda: screen.document is not None)


async def test_missing_key_sends_nothing_and_says_which_variable() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        app = app_for_id(server.base_url, key=None)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            assert "HUMANLOOP_API_KEY is not set" in screen_text(pilot)
        assert server.requests == []


async def test_the_key_never_reaches_the_screen_on_any_failure() -> None:
    for reply in [
        json_reply(401, f'{{"detail": "bad key {KEY}"}}'.encode()),
        Reply(200, f"<html>{KEY}</html>".encode(), content_type="text/html"),
        json_reply(422, f'{{"detail": [{{"loc": ["x"], "msg": "{KEY}", "type": "t"}}]}}'.encode()),
    ]:
        with FaultServer([reply]) as server:
            async with app_for_id(server.base_url).run_test(size=SIZE) as pilot:
                await wait_loaded(pilot)
                text = screen_text(pilot)
                assert "could not open" in text
                assert KEY not in text
                assert all(KEY not in n for n in notifications(pilot))


async def test_parent_of_a_file_log_is_fetched_from_the_api() -> None:
    key = "sk-test-parent"
    with LogServer(SAMPLES, api_key=key) as server:
        settings = Settings(base_url=server.base_url, api_key=key, timeout=5.0)
        child = SAMPLES / "support-code-evaluator.json"
        app = make_app(Launch(target=str(child)), settings)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            await pilot.press("p")
            await wait_for(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, LogScreen)
                    and pilot.app.screen.document is not None
                    and pilot.app.screen.document.log.id == "data_PXtNhYF6T5yDiNGbAvBvj"
                ),
            )
            assert "(its child)" in screen_text(pilot)
            await pilot.press("escape")
            assert pilot.app.screen.document.log.id == "data_Fp2K77r9rfap6vgyQlzDW"  # type: ignore[attr-defined]
