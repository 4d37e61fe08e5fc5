"""Every command the README shows, run as a user types it, in a real pseudo-terminal.

These run the installed `inspector` script, so a broken entry point, a server that is
gone before the app asks it anything, or a screen that never appears fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import exports
from tests.support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "inspector" / "samples"
#: The script pip installs next to this Python, as a user runs it.
SCRIPT = shutil.which("inspector", path=str(Path(sys.executable).parent)) or "inspector"
LOG = SAMPLES / "weather-parallel-tools.json"
LOG_ID = "data_ccpSvDJ8f0Dy7uITozeQt"


def inspector(*args: str) -> list[str]:
    return [SCRIPT, *args]


def test_the_installed_script_is_the_one_under_test() -> None:
    assert Path(SCRIPT).is_file(), "pip install the project: the README's commands need it"


def test_inspector_demo_shows_the_sample_logs_and_q_exits_0() -> None:
    with Terminal(inspector("demo")) as term:
        text = term.wait_for("data_PXtNhYF6T5yDiNGbAvBvj")
        text = term.wait_for("log_5bYq2Vt8WmKe3RdZ0fLhA")  # The v5 flow, after the v4 logs.
        assert "cannot reach" not in text
        assert "6 matches" in text
        term.press("G")
        term.press("\r")
        term.wait_for("Trace (3)")
        term.press("9")
        term.wait_for("weather/get_weather")
        term.press("q")
        assert term.wait_exit() == 0


def test_inspector_demo_opens_a_log_from_the_list() -> None:
    with Terminal(inspector("demo", "--project", "weather-assistant")) as term:
        term.wait_for("weather")
        term.press("\r")
        term.wait_for("Overview")
        term.press("8")
        term.wait_for('"id": "data_')
        term.press("q")
        assert term.wait_exit() == 0


def test_inspector_file_opens_the_log() -> None:
    with Terminal(inspector(str(LOG))) as term:
        term.wait_for(LOG_ID)
        term.press("2")
        term.wait_for("get_current_weather")
        term.press("q")
        assert term.wait_exit() == 0


def test_inspector_export_lists_the_logs(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    logs = exports.make_logs(12)
    export.write_bytes(exports.jsonl(logs))
    with Terminal(inspector(str(export))) as term:
        term.wait_for(logs[0]["id"])
        term.wait_for("12 logs")
        term.wait_for(logs[11]["id"])
        term.press("q")
        assert term.wait_exit() == 0


def test_inspector_folder_lists_the_logs() -> None:
    with Terminal(inspector(str(SAMPLES))) as term:
        term.wait_for(LOG_ID)
        term.press("q")
        assert term.wait_exit() == 0


def test_cat_log_into_inspector_dash_reads_keys_from_the_terminal() -> None:
    with Terminal(inspector("-"), stdin=LOG.read_bytes()) as term:
        term.wait_for(LOG_ID)
        term.press("8")
        term.wait_for('"chat_template": [')
        term.press("q")
        assert term.wait_exit() == 0


def test_inspector_log_id_and_project_fetch_from_inspector_serve() -> None:
    with Terminal(inspector("serve", str(SAMPLES))) as server:
        text = server.wait_for("press Ctrl-C to stop")
        found = re.search(r"at (http://127\.0\.0\.1:\d+/v4)", text)
        assert found, text
        base = found.group(1)
        # The server requires the key it printed at start.
        key = re.search(r"HUMANLOOP_API_KEY=(\S+) ", text)
        assert key, text
        env = {"HUMANLOOP_API_KEY": key.group(1)}
        with Terminal(inspector(LOG_ID, "--base-url", base), env=env) as term:
            term.wait_for(LOG_ID)
            term.press("3")
            term.wait_for("get_current_weather")
            term.press("q")
            assert term.wait_exit() == 0
        project = "pr_38aIBnYYURLgfB0eKJkwr"
        with Terminal(inspector("--project", project, "--base-url", base), env=env) as term:
            term.wait_for(LOG_ID)
            term.press("q")
            assert term.wait_exit() == 0
        shown = run(["show", LOG_ID, "--base-url", base], env=env)
        assert shown.returncode == 0 and LOG_ID in shown.stdout
        server.press(b"\x03")
        assert server.wait_exit() == 0


def run(
    args: list[str], *, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        inspector(*args),
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_inspector_show_prints_the_log(fmt: str) -> None:
    result = run(["show", str(LOG), "--format", fmt])
    assert result.returncode == 0, result.stderr
    assert LOG_ID in result.stdout


def test_inspector_show_of_many_prints_a_line_each_and_picks_one_by_id(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    logs = exports.make_logs(5)
    export.write_bytes(exports.jsonl(logs))
    lines = run(["show", str(export)])
    assert lines.returncode == 0, lines.stderr
    assert [line.split()[0] for line in lines.stdout.splitlines()] == [log["id"] for log in logs]
    one = run(["show", str(export), "--id", logs[3]["id"], "--format", "json"])
    assert one.returncode == 0 and f'"id": "{logs[3]["id"]}"' in one.stdout


def test_inspector_with_no_arguments_and_help_say_what_it_does() -> None:
    for args in ([], ["--help"]):
        result = run(args)
        assert result.returncode == 0
        assert "inspector demo" in result.stdout


def test_a_target_that_names_nothing_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run([str(tmp_path / "missing.json")])
    assert result.returncode == 1
    assert result.stderr.strip().startswith("inspector: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
