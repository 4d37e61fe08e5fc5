"""Hostile log text changes nothing but the text on screen: every pane, every field."""

from __future__ import annotations

import base64
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from inspector.tui.widgets.block_view import BlockView
from tests.support import factory
from tests.support.terminal import Terminal
from tests.support.terminal import read_for as terminal_read_for
from tests.support.tui import app_for, notifications, screen_text, wait_for, wait_loaded

HOSTILE = " ".join(factory.HOSTILE_STRINGS)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Keys whose values must stay well-formed for the log to decode at all.
STRUCTURAL = {"type", "created_at", "updated_at", "url"}


def poison(value: Any, key: str = "") -> Any:
    """Replace every string in a log (and every mapping key we own) with hostile text."""
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(item, key) for item in value]
    if isinstance(value, str) and key not in STRUCTURAL:
        return f"{value} {HOSTILE}"
    return value


def hostile_everywhere() -> dict[str, Any]:
    log = poison(factory.rich_log())
    log["inputs"] = {HOSTILE: HOSTILE, "huge": "x" * 2_000_000}
    log["metadata"] = {"[red]key[/red]": {"nested": HOSTILE}, "list": [HOSTILE, 1, None]}
    log["messages"].append({"role": "[b]role[/b]\x1b[2J", "content": "x" * 500_000})
    log["messages"].append(
        {"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "..."}}]}
    )
    log["provider_response"] = {HOSTILE: [HOSTILE] * 3, "deep": {"a": {"b": {"c": HOSTILE}}}}
    log["provider_request"] = [HOSTILE, {"x": HOSTILE}]
    log["unknown_top_level"] = {"shape": [1, {"2": HOSTILE}]}
    return log


async def test_every_pane_mounts_and_shows_hostile_text_literally(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "hostile.json", hostile_everywhere())
    app = app_for(path)
    async with app.run_test(size=(160, 60)) as pilot:
        await wait_loaded(pilot)
        seen = ""
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause(0.05)
            await wait_for(pilot, lambda: pilot.app.focused is not None)
            text = screen_text(pilot)
            assert CONTROL.search(text) is None, f"pane {key} drew a control character"
            seen += text
            assert app.is_running
        for literal in ["[/INST]", "[@click=app.quit]details[/]", "[link=https://evil.example]",
                        "[bold]not bold[/bold]", "\\x1b]0;pwned\\x07", "\\x9b31m", "\\u202e",
                        "$value [b]$x[/b]"]:  # fmt: skip
            assert literal in seen, literal
        await pilot.press("1", "G")
        await pilot.pause()
        assert "[red]key[/red]" in screen_text(pilot), "keys of metadata are log text too"
        await pilot.press("2", "G")
        await pilot.pause()
        assert "[input_audio part]" in screen_text(pilot), "a part of unknown type"
        assert " [b]role[/b]\\x1b[2J " in screen_text(pilot), "an unknown role, as it is"
        # The title of the terminal window is never taken from the log.
        assert app.title == "inspector"


async def test_clicking_markup_text_triggers_nothing(tmp_path: Path) -> None:
    log = factory.minimal_log(output="[@click=app.quit]details[/] and [@click=app.bell]ring[/]")
    path = factory.write(tmp_path / "click.json", log)
    app = app_for(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, BlockView))
        row = next(i for i, line in enumerate(screen_text(pilot).splitlines()) if "details" in line)
        column = screen_text(pilot).splitlines()[row].index("details")
        await pilot.click(offset=(column, row))
        await pilot.click(offset=(column, row))
        await pilot.pause()
        assert app.is_running


async def test_table_cells_and_notifications_never_parse_markup(tmp_path: Path) -> None:
    log = factory.shared("evals_feedback")
    log["feedback"][0]["value"] = "[/]"
    log["feedback"][0]["type"] = "[@click=app.quit]x[/]"
    log["evaluation_results"][0]["error"] = "oops [/INST]"
    path = factory.write(tmp_path / "cells.json", log)
    app = app_for(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("7")
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, DataTable))
        assert "[@click=app.quit]x[/]" in screen_text(pilot)
        await pilot.press("y")
        await pilot.press("6")
        await wait_for(pilot, lambda: "oops [/INST]" in screen_text(pilot))
        assert app.is_running


def run_in_pty(argv: list[str], ready: bytes, keys: list[bytes]) -> tuple[int, bytes]:
    """Run a program in a 120×40 pseudo-terminal, press keys once `ready` shows, then `q`.

    Returns the exit status and every byte the program wrote to the terminal.
    """
    controller, terminal = pty.openpty()
    ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    proc = subprocess.Popen(
        argv, stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True
    )
    os.close(terminal)
    output = bytearray()

    def read_for(seconds: float) -> None:
        terminal_read_for(controller, output, seconds)

    try:
        deadline = time.monotonic() + 30
        while ready not in output and time.monotonic() < deadline:
            read_for(0.2)
        assert ready in output, f"{ready!r} never appeared"
        read_for(0.5)
        for key in keys:
            os.write(controller, key)
            read_for(0.4)
        os.write(controller, b"q")
        read_for(1.0)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(controller)
    return proc.returncode, bytes(output)


def test_no_escape_sequence_from_the_log_reaches_the_terminal(tmp_path: Path) -> None:
    """Run the real program in a pseudo-terminal and read every byte it writes."""
    path = factory.write(tmp_path / "hostile.json", hostile_everywhere())
    keys = [b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"1", b"j", b"y"]
    code, written = run_in_pty(
        [sys.executable, "-m", "inspector", str(path)], b"data_Q4vT8nWz2LkR6sXp0YbM1", keys
    )
    assert code == 0
    assert b"Traceback" not in written
    leaks = [b"\x1b]0;pwned", b"\x1b]52;c;ZXZpbA==", b"\x1b[2J screen", b"\x1b[?1049l screen"]
    leaks += [b"\xc2\x9b31m", b"\xc2\x85 nel", b"\xe2\x80\xae"]
    for hostile in leaks:
        assert hostile not in written, hostile
    # The escapes are on screen as text instead.
    assert b"\\x1b]0;pwned\\x07" in written
    # The one clipboard write is the user's `y`, and it carries no raw control byte.
    clipboard = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)", written)
    assert len(clipboard) == 1
    assert CONTROL.search(base64.b64decode(clipboard[0]).decode()) is None


def test_a_bug_in_a_key_handler_ends_with_one_line_not_a_traceback() -> None:
    script = (
        "import sys\n"
        "from inspector.tui.screens.log_screen import LogScreen\n"
        "def broken(self):\n"
        "    raise RuntimeError('boom')\n"
        "LogScreen.action_copy = broken\n"
        "from inspector.tui.app import Launch, make_app\n"
        "app = make_app(Launch(target=sys.argv[1]))\n"
        "app.run()\n"
        "sys.exit(app.return_code or 0)\n"
    )
    fixture = str(Path(__file__).parent.parent / "support" / "fixtures" / "rich.json")
    code, written = run_in_pty(
        [sys.executable, "-c", script, fixture], b"data_RichFixture0001", [b"y", b"2"]
    )
    assert code == 1, written[-2000:]
    assert b"Traceback" not in written and b"locals" not in written
    assert b"inspector: error: internal error (RuntimeError: boom); please report it" in written


def test_a_value_opens_in_the_users_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "seen.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\ncp "$1" {copy}\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    fixture = str(Path(__file__).parent.parent / "support" / "fixtures" / "rich.json")
    with Terminal([sys.executable, "-m", "inspector", fixture]) as term:
        term.wait_for("data_RichFixture0001")
        term.press("4")
        term.wait_for("View value")
        term.press("v")
        term.wait_for("shown as text")
        term.press("E")
        for _ in range(100):
            if copy.exists():
                break
            term.read(0.1)
        term.wait_for("shown as text")
        term.press(b"\x1b")
        term.wait_for("View value")
        term.press("q")
        assert term.wait_exit() == 0
    assert '"model": "gpt-4o"' in copy.read_text(), "the editor got the whole request"


async def test_value_viewer_titles_are_never_markup(tmp_path: Path) -> None:
    log = factory.minimal_log(provider_response={"[/INST] [@click=app.quit]x[/]": "value"})
    path = factory.write(tmp_path / "keys.json", log)
    app = app_for(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("5")
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await pilot.press("down", "enter")
        await pilot.pause()
        text = screen_text(pilot)
        assert '.["[/INST] [@click=app.quit]x[/]"]' in text
        assert app.is_running


async def test_notifications_never_carry_control_bytes_or_markup() -> None:
    from tests.support.tui import RICH

    app = app_for(RICH)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        app.notify("bad \x1b]0;title\x07 [/INST]")
        await pilot.pause()
        assert notifications(pilot)[-1] == "bad \\x1b]0;title\\x07 [/INST]"
        assert app.is_running


async def test_ctrl_c_says_how_to_quit_in_plain_words() -> None:
    from tests.support.tui import RICH

    app = app_for(RICH)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert notifications(pilot)[-1] == "Press q to quit inspector"
        assert "[b]" not in screen_text(pilot)
        assert app.is_running
