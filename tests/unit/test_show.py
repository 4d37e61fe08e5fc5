"""`inspector show` as a user runs it: a subprocess, real files, stdin and exit codes."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import factory

CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def inspector(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def hostile_log() -> dict[str, Any]:
    """A rich log with a hostile string in every text field a report prints."""
    log = factory.rich_log()
    bad = " | ".join(factory.HOSTILE_STRINGS)
    log["id"] = "data_" + "x\x1b]0;title\x07"
    log["error"] = bad
    log["output"] = bad
    log["user"] = bad
    log["project"] = bad
    log["messages"][0]["content"] = bad
    log["messages"][0]["name"] = bad
    log["messages"][1]["content"][0]["text"] = bad
    log["messages"][2]["tool_calls"][0]["function"]["name"] = bad
    log["messages"][2]["tool_calls"][0]["function"]["arguments"] = json.dumps({"k": bad})
    log["messages"][3]["content"] = bad
    log["messages"][5]["tool_call_id"] = bad
    log["feedback"][0]["value"] = bad
    log["feedback"][1]["type"] = bad
    log["evaluation_results"][3]["error"] = bad
    log["config"]["name"] = bad
    log["config"]["tools"][0]["name"] = bad
    log["config"]["stop"] = [bad]
    return log


def test_text_summary_of_the_shared_fixture() -> None:
    result = inspector("show", str(factory.SHARED / "chat_tools.json"))
    assert result.returncode == 0
    out = result.stdout.decode()
    assert out.startswith("Log data_8fKq2LxR7mZt1VbN3cWd0\n")
    for expected in [
        "completed · finish reason tool_calls",
        "gpt-4o-2024-08-06 (openai, chat)",
        "142 prompt + 23 output = 165",
        "$0.000355 prompt + $0.00023 output = $0.000585",
        "tool_choice  forced: the model must call get_current_weather",
        "[user (alice)]",
        "[image https://example.com/uploads/london-skyline.jpg, detail low]",
        '      "location": "London, UK",',
        "← no result in this log",
        "No feedback on this log.",
    ]:
        assert expected in out
    assert b"\x1b" not in result.stdout, "no colour when stdout is not a terminal"


def test_text_pairs_tool_results_with_their_calls(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "rich.json", factory.rich_log())
    out = inspector("show", str(path)).stdout.decode()
    call = out.index("→ get_weather  call_1")
    assert out.index('"temp_c": 18', call) > call
    assert "(arguments are not valid JSON; shown as received)" in out
    assert "(answers call_orphan: no matching call earlier in the log)" in out
    assert "[image image/png ~3.0 KB]" in out
    assert "AAAA" not in out, "base64 image data is never printed"


def test_json_is_the_log_exactly_as_received(tmp_path: Path) -> None:
    data = factory.shared("evals_feedback")
    data["config"]["config_extra"] = "kept too"
    path = tmp_path / "log.json"
    # Written by hand so the number keeps a spelling json.dumps would normalise.
    text = json.dumps(data, separators=(",", ":"))[:-1] + ',"future_field":{"kept":[1,2.50,"x"]}}'
    path.write_text(text)
    data["future_field"] = {"kept": [1, 2.5, "x"]}
    result = inspector("show", str(path), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == data
    assert list(json.loads(result.stdout)) == list(data), "key order kept"
    assert b"2.50" in result.stdout, "numbers keep their spelling"
    assert result.stdout.startswith(b'{\n  "id": ')


def test_markdown_transcript(tmp_path: Path) -> None:
    log = factory.rich_log()
    log["output"] = "Here is code:\n```python\nprint(1)\n```"
    log["output_message"] = None
    path = factory.write(tmp_path / "log.json", log)
    out = inspector("show", str(path), "-f", "markdown").stdout.decode()
    assert out.startswith("# Log `data_Q4vT8nWz2LkR6sXp0YbM1`\n")
    assert "| tokens | 86 prompt + 31 output = 117 |" in out
    assert "### 3. assistant" in out
    assert "**Tool call** `get_weather` (`call_1`)" in out
    assert '```json\n{\n  "city": "Paris"\n}\n```' in out
    assert "**Result**" in out
    assert "## Evaluations (4)" in out and "| Helpfulness (1-5) | 4 | number |" in out
    assert "## Feedback (4)" in out and "| rating | good | customer-48213 |" in out
    # The output holds a ``` fence, so the block around it must use a longer one.
    assert "````text\nHere is code:\n```python\nprint(1)\n```\n````" in out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_hostile_log_prints_no_control_bytes(tmp_path: Path, fmt: str) -> None:
    path = factory.write(tmp_path / "hostile.json", hostile_log())
    result = inspector("show", str(path), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert CONTROL.search(result.stdout.replace(b"\n", b"").replace(b"\t", b"")) is None
    out = result.stdout.decode()
    assert "[/INST]" in out and "[@click=app.quit]details[/]" in out, "markup shown as typed"
    assert "\\x1b]0;title\\x07" in out, "escapes are visible"
    assert "\\u202e" in out


def test_stdin() -> None:
    data = (factory.SHARED / "evals_feedback.json").read_bytes()
    result = inspector("show", "-", stdin=data)
    assert result.returncode == 0
    assert result.stdout.startswith(b"Log data_Q4vT8nWz2LkR6sXp0YbM1\n")


def test_colour_only_on_a_terminal() -> None:
    path = str(factory.SHARED / "chat_tools.json")

    def run_on_pty(env: dict[str, str]) -> bytes:
        controller, terminal = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector", "show", path],
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "TERM": "xterm-256color", **env},
        )
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=30)
        os.close(controller)
        return b"".join(chunks)

    assert b"\x1b[" in run_on_pty({})
    assert b"\x1b[" not in run_on_pty({"NO_COLOR": "1"})


BAD_INPUTS = {
    "empty.json": (b"", "empty input"),
    "truncated.json": (b'{"id": "data_x", "config": {"type": "mo', "JSON ends early"),
    "page.html": (b"<html><body>Bad Gateway</body></html>", "looks like HTML"),
    "latin1.json": (b'{"id": "caf\xe9"}', "not valid UTF-8"),
    "number.json": (b"3.14", "got a number"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "got an array"),
    "deep-object.json": (
        b'{"id":"x","config":{"type":"generic","id":"c","status":"s","name":"n","other":'
        + b'{"a":' * 5000
        + b"1"
        + b"}" * 5000
        + b"}}",
        "nested too deeply",
    ),
    "missing.json": (json.dumps({"id": "data_x"}).encode(), "no `config` (v4)"),
}


def test_a_log_read_in_part_prints_and_still_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "role.json"
    path.write_bytes(json.dumps(factory.minimal_log(messages=[{"role": None}])).encode())
    result = inspector("show", str(path))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err == f"inspector: error: {path}: expected str, got null at $.messages[0].role\n"
    assert b"could not read: expected str, got null at $.messages[0].role" in result.stdout


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = inspector("show", str(path))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.startswith(f"inspector: error: {path}: ")
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert result.stdout == b""


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["show"], 2, "the following arguments are required: TARGET"),
        (["show", "x.json", "--format", "yaml"], 2, "invalid choice: 'yaml'"),
        (["show", "x.json", "--bogus"], 2, "unrecognized arguments: --bogus"),
        (["show", "no-such.json"], 1, "no-such.json: no such file or folder"),
        (["show", "not-an-id"], 1, "not-an-id: no such file, and not a log id"),
    ],
)
def test_usage_and_target_errors(args: list[str], code: int, expected: str) -> None:
    result = inspector(*args)
    assert result.returncode == code
    assert expected in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_stdin_from_a_terminal_is_a_usage_error() -> None:
    controller, terminal = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "inspector", "show", "-"],
        stdin=terminal,
        capture_output=True,
        timeout=30,
    )
    os.close(terminal)
    os.close(controller)
    assert proc.returncode == 2
    assert b"stdin is a terminal" in proc.stderr


def test_help_and_version() -> None:
    help_result = inspector("--help")
    assert help_result.returncode == 0
    assert b"inspector show TARGET" in help_result.stdout
    version = inspector("--version")
    assert version.returncode == 0
    assert version.stdout.decode().startswith("inspector 0.")
    show_help = inspector("show", "--help")
    assert b"--format" in show_help.stdout


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "inspector"
    result = subprocess.run([str(script), "--version"], capture_output=True, timeout=30)
    assert result.returncode == 0 and result.stdout.startswith(b"inspector ")


def test_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    log = factory.minimal_log(messages=[{"role": "user", "content": "x\n" * 200_000}])
    path = factory.write(tmp_path / "big.json", log)
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "show", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=30) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_demo_options_and_a_wrong_project() -> None:
    result = inspector("demo", "--help")
    assert result.returncode == 0
    assert b"support-bot" in result.stdout and b"weather-assistant" in result.stdout
    wrong = inspector("demo", "--project", "nope")
    assert wrong.returncode == 2
    assert b"invalid choice: 'nope'" in wrong.stderr
