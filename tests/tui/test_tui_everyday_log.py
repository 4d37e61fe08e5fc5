"""Pilot tests of one log in everyday use (issue 11): parents, reloads, copying, errors, tools."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from inspector.settings import Settings
from inspector.tui.screens.log_screen import LogScreen
from tests.support import factory
from tests.support.tui import (
    RICH,
    SIZE,
    app_for,
    notifications,
    screen_text,
    wait_for,
    wait_loaded,
)

NO_KEY = Settings(api_key=None)


def _log_id(pilot: object) -> str | None:
    screen = pilot.app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, LogScreen) or screen.document is None:
        return None
    return screen.document.log.id


async def test_p_finds_the_parent_in_a_file_beside_the_log(tmp_path: Path) -> None:
    factory.write(tmp_path / "a-parent.json", factory.minimal_log(id="data_parent"))
    child = factory.write(
        tmp_path / "child.json", factory.minimal_log(id="data_child", parent_id="data_parent")
    )
    async with app_for(child, settings=NO_KEY).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: _log_id(pilot) == "data_parent")
        assert "← data_child (its child)" in screen_text(pilot)
        assert not any("HUMANLOOP_API_KEY" in n for n in notifications(pilot))


async def test_p_finds_an_evaluator_logs_parent_in_the_log_it_came_from(tmp_path: Path) -> None:
    log = json.loads(RICH.read_text())
    log["evaluation_results"][1]["evaluator_log"]["parent_id"] = log["id"]
    path = factory.write(tmp_path / "rich.json", log)
    async with app_for(path, settings=NO_KEY).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("6", "down", "enter")
        await wait_for(pilot, lambda: _log_id(pilot) == "data_E7rT2yU9iO4pA1sD6fG3h")
        await pilot.press("p")
        await wait_for(pilot, lambda: _log_id(pilot) == log["id"])
        assert len(pilot.app.screen_stack) == 4


async def test_p_without_the_parent_at_hand_or_a_key_says_what_to_set(tmp_path: Path) -> None:
    child = factory.write(
        tmp_path / "child.json", factory.minimal_log(id="data_child", parent_id="data_gone")
    )
    async with app_for(child, settings=NO_KEY).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert "HUMANLOOP_API_KEY" in notifications(pilot)[-1]
        assert _log_id(pilot) == "data_child"


async def test_a_failed_reload_keeps_the_log_and_says_why(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "log.json", factory.rich_log())
    async with app_for(path).run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        path.write_text("{ not json")
        await pilot.press("r")
        await wait_for(pilot, lambda: "Reload failed" in screen_text(pilot))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.document is not None
        assert screen.query_one("#body").current == "ready"  # type: ignore[attr-defined]
        factory.write(path, factory.rich_log())
        await pilot.press("r")
        await wait_for(pilot, lambda: "Reload failed" not in screen_text(pilot))


async def test_an_error_on_the_first_screen_offers_only_what_works(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "data_x", "config": ')
    async with app_for(bad).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert "r retry · o open another log · q quit" in text
        assert "escape back" not in text


async def test_y_copies_with_the_configured_command(tmp_path: Path) -> None:
    out = tmp_path / "copied.txt"
    script = tmp_path / "fakeclip"
    script.write_text(f"#!/bin/sh\ncat > {out}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    settings = Settings(api_key=None, clipboard=str(script))
    async with app_for(RICH, settings=settings).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        assert notifications(pilot)[-1].startswith("Copied ")
        assert "(fakeclip)" in notifications(pilot)[-1]
        assert out.read_text()


async def test_y_without_a_command_says_it_was_sent_not_copied(tmp_path: Path) -> None:
    settings = Settings(api_key=None, clipboard="terminal")
    async with app_for(RICH, settings=settings).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(notifications(pilot)))
        message = notifications(pilot)[-1]
        assert message.startswith("Sent ") and "Copied" not in message
        assert pilot.app.clipboard


async def test_an_agents_tools_are_counted_once(tmp_path: Path) -> None:
    tools = [{"name": "calculator", "description": "Adds."}, {"name": "search"}]
    config = {
        "type": "agent",
        "id": "config_agent",
        "status": "committed",
        "name": "planner",
        "agent_class": "ReActAgent",
        "model_config": {"model": "gpt-4o", "tools": tools},
        "tools": [{"type": "tool", **tool} for tool in tools],
    }
    path = factory.write(tmp_path / "agent.json", factory.minimal_log(config=config))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert "Tools (2)" in text and "Tools (4)" not in text


def _template_log() -> dict[str, object]:
    log = factory.rich_log()
    config = log["config"]
    assert isinstance(config, dict)
    config["chat_template"] = [
        {"role": "system", "content": "You help {{ customer }} with {{topic}}."},
        {"role": "user", "content": "{{question}}"},
    ]
    log["inputs"] = {"customer": "Ada", "topic": {"kind": "refunds"}}
    log["messages"] = [{"role": "user", "content": f"message {n}"} for n in range(30)]
    return log


async def test_template_mode_shows_it_is_on_fills_variables_and_toggles(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "template.json", _template_log())
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "t Template" in screen_text(pilot))
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(pilot)
        assert "TEMPLATE MODE" in text
        assert 'You help Ada with {"kind":"refunds"}.' in text
        assert "{{question}}" in text, "a variable without an input stays as written"
        assert "t Raw template" in text
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(pilot)
        assert "You help {{ customer }} with {{topic}}." in text and "t Messages" in text
        await pilot.press("t")
        await pilot.pause()
        assert "TEMPLATE MODE" not in screen_text(pilot)


async def test_colon_jumps_to_message_n(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "long.json", _template_log())
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "colon", "2", "5", "enter")
        await pilot.pause()
        view = pilot.app.screen.query_one("#pane-messages BlockView")
        assert view.current_block.key == "messages[25]"  # type: ignore[attr-defined]
        assert "message 25" in screen_text(pilot)


async def test_footer_says_collapse_when_a_block_is_expanded(tmp_path: Path) -> None:
    log = factory.rich_log()
    log["messages"] = [{"role": "user", "content": "word " * 2000}]
    path = factory.write(tmp_path / "long.json", log)
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "Expand all" in screen_text(pilot))
        footer = screen_text(pilot).splitlines()[-1]
        assert "enter Expand" in footer or "⏎ Expand" in footer, footer
        await pilot.press("enter")
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "Collapse" in footer and "Expand all" in footer, footer
        await pilot.press("e")
        await pilot.pause()
        assert "Collapse all" in screen_text(pilot).splitlines()[-1]


async def test_the_value_viewer_searches_and_typed_letters_never_fire_keys() -> None:
    from inspector.tui.screens.viewer import ValueViewer

    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ValueViewer))
        await pilot.press("slash", *"model", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ValueViewer), "q, m, E typed into the search"
        assert "1 of " in screen_text(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LogScreen)


def test_the_editor_falls_back_to_visual_then_a_default(tmp_path: Path) -> None:
    from inspector.tui.screens.viewer import find_editor

    assert find_editor({"EDITOR": "ed1", "VISUAL": "vis"}) == "ed1"
    assert find_editor({"VISUAL": "vis"}) == "vis"
    fallback = find_editor({})
    assert fallback is None or fallback in ("sensible-editor", "editor", "nano", "vi")


def test_open_completes_paths(tmp_path: Path) -> None:
    from inspector.tui.screens.open_target import complete_path

    (tmp_path / "logs").mkdir()
    (tmp_path / "log-one.json").write_text("{}")
    assert complete_path(f"{tmp_path}/logs") == f"{tmp_path}/logs/"
    assert complete_path(f"{tmp_path}/log-") == f"{tmp_path}/log-one.json"
    assert complete_path(f"{tmp_path}/zzz") is None
    assert complete_path("data_abc") is None


async def test_raw_lines_cut_at_the_edge_end_with_an_ellipsis(tmp_path: Path) -> None:
    log = factory.rich_log()
    log["config"]["name"] = "long " * 100
    path = tmp_path / "long.json"
    path.write_text(json.dumps(log, indent=2))
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("8")
        await wait_for(pilot, lambda: '"name": "long' in screen_text(pilot))
        line = next(line for line in screen_text(pilot).splitlines() if '"name": "long' in line)
        assert line.rstrip(" ▁▇█▎▊▌▐│").endswith("…"), line


async def test_evaluations_fit_80_columns_with_the_error_column() -> None:
    async with app_for(RICH).run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("6")
        await wait_for(pilot, lambda: "NameError" in screen_text(pilot))
        rows = screen_text(pilot).splitlines()
        header = next(line for line in rows if "evaluator" in line and "created" in line)
        assert "error" in header
        table = rows[rows.index(header) + 1 : rows.index(header) + 5]
        assert all(line.rstrip(" ▎▊").endswith("09-20 09:15") for line in table), table


def test_a_local_clipboard_command_is_picked_for_the_session(tmp_path: Path) -> None:
    from inspector.tui.clipboard import local_command

    assert local_command("terminal") is None
    assert local_command("xclip -i") == ["xclip", "-i"]
    assert local_command("auto", environ={}) is None or local_command("auto", environ={}) == [
        "pbcopy"
    ]


async def test_json_tree_lines_cut_at_the_edge_end_with_an_ellipsis() -> None:
    sample = Path(__file__).resolve().parents[2] / "inspector/samples/weather-forced-tool.json"
    async with app_for(sample).run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: 'system: "Turn' in screen_text(pilot))
        line = next(line for line in screen_text(pilot).splitlines() if 'system: "Turn' in line)
        assert line.rstrip(" ▁▃▇█▎▊▌▐│").endswith("…"), line
        short = next(line for line in screen_text(pilot).splitlines() if "max_tokens" in line)
        assert "…" not in short


async def test_ctrl_w_wraps_the_raw_view_and_back(tmp_path: Path) -> None:
    log = factory.rich_log()
    log["config"]["name"] = "long " * 100
    path = tmp_path / "long.json"
    path.write_text(json.dumps(log, indent=2))
    async with app_for(path).run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("8")
        await wait_for(pilot, lambda: '"name": "long' in screen_text(pilot))
        await pilot.press("ctrl+w")
        await pilot.pause()
        rows = screen_text(pilot).splitlines()
        first = next(i for i, line in enumerate(rows) if '"name": "long' in line)
        assert "…" not in rows[first] and rows[first + 1].strip().startswith("long")
        await pilot.press("slash", *"long long", "enter", "escape")
        pane = screen.current_pane()
        assert pane is not None
        # y copies the whole line, not the row it was wrapped into.
        assert (pane.copy_text() or "").count("long") == 100
        await pilot.press("ctrl+w")
        await pilot.pause()
        line = next(line for line in screen_text(pilot).splitlines() if '"name": "long' in line)
        assert line.rstrip(" ▁▃▇█▎▊▌▐│").endswith("…"), line


def test_y_on_a_json_value_copies_exact_json() -> None:
    from inspector.tui.widgets.json_explorer import value_text

    assert value_text("plain text") == "plain text"
    assert value_text("esc \x1b[2J here") == '"esc \\u001b[2J here"'
    assert json.loads(value_text("esc \x1b[2J here")) == "esc \x1b[2J here"
    nested = {"a": ["\x85 c1", 1.5, None, True], "b": "é"}
    assert json.loads(value_text(nested)) == nested
    assert "\x85" not in value_text(nested)


async def test_o_completes_a_path_with_tab(tmp_path: Path) -> None:
    from textual.widgets import Input

    from inspector.tui.screens.open_target import OpenTargetScreen

    (tmp_path / "weather-log.json").write_text("{}")
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        assert isinstance(pilot.app.screen, OpenTargetScreen)
        await pilot.press(*f"{tmp_path}/weath")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query_one(Input)._suggestion))
        await pilot.press("tab")
        assert pilot.app.screen.query_one(Input).value == f"{tmp_path}/weather-log.json"


async def test_t_is_not_offered_without_a_template(tmp_path: Path) -> None:
    log = factory.minimal_log(messages=[{"role": "user", "content": "hello"}])
    path = factory.write(tmp_path / "plain.json", log)
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "hello" in screen_text(pilot))
        assert "Template" not in screen_text(pilot).splitlines()[-1]
