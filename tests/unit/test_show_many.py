"""`inspector show` on files, folders and stdin of many logs, run as a user would: a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.support import exports

COUNT = 12
LOGS = exports.make_logs(COUNT)
#: Bytes no terminal should receive: C0 controls but tab and newline, DEL, C1, bidi marks.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inspector(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def ids_of(stdout: bytes) -> list[str]:
    return [line.split()[0] for line in stdout.decode().splitlines()]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS, blank_lines=True))
    return path


def test_one_line_per_log(export: Path) -> None:
    result = inspector("show", str(export))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert ids_of(result.stdout) == [log["id"] for log in LOGS]
    first = lines[0]
    assert "2024-09-20 12:00:00 UTC" in first
    assert "gpt-4o" in first and "completed" in first
    assert "10 tok" in first and "$0.0005" in first
    assert first.endswith("Answer 0: common refund")
    error = lines[4]
    assert "ERROR" in error and error.endswith("Rate limit exceeded (4)")
    assert "search-tool" in lines[6]


@pytest.mark.parametrize("shape", ["array", "pretty-array", "page", "folder", "stdin"])
def test_every_shape(tmp_path: Path, shape: str) -> None:
    stdin = None
    if shape == "folder":
        exports.write_folder(tmp_path / "logs", LOGS)
        target = str(tmp_path / "logs")
    elif shape == "stdin":
        target, stdin = "-", exports.jsonl(LOGS)
    else:
        data = {
            "array": exports.array(LOGS),
            "pretty-array": exports.array(LOGS, indent=2),
            "page": exports.page(LOGS),
        }[shape]
        (tmp_path / "export.json").write_bytes(data)
        target = str(tmp_path / "export.json")
    result = inspector("show", target, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert ids_of(result.stdout) == [log["id"] for log in LOGS]


def test_json_lines_of_summaries(export: Path) -> None:
    result = inspector("show", str(export), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == [log["id"] for log in LOGS]
    assert rows[0]["location"] == "line 2"
    assert rows[4]["error"].startswith("Rate limit exceeded")


def test_markdown_needs_an_id(export: Path) -> None:
    result = inspector("show", str(export), "--format", "markdown")
    assert result.returncode == 2
    assert b"pick it with --id ID" in result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("indent", [None, 2])
def test_id_json_is_that_record_exactly_as_stored(tmp_path: Path, indent: int | None) -> None:
    data = exports.array(LOGS, indent=indent)
    path = tmp_path / "export.json"
    path.write_bytes(data)
    target = LOGS[7]["id"]
    result = inspector("show", str(path), "--id", target, "--format", "json")
    assert result.returncode == 0, result.stderr
    # The exact stored bytes of that record, pretty-printed; nothing re-encoded.
    assert json.loads(result.stdout) == LOGS[7]
    assert result.stdout == msgspec.json.format(_record_bytes(data, 7), indent=2) + b"\n"


def _record_bytes(data: bytes, index: int) -> bytes:
    """The bytes of one item of a JSON array, as stored."""
    items = msgspec.json.decode(data, type=list[msgspec.Raw])
    return bytes(items[index])


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_id_prints_the_log_as_show_prints_one(tmp_path: Path, export: Path, fmt: str) -> None:
    single = tmp_path / "single.json"
    single.write_bytes(exports.encode(LOGS[3]))
    many = inspector("show", str(export), "--id", LOGS[3]["id"], "--format", fmt)
    one = inspector("show", str(single), "--format", fmt)
    assert many.returncode == one.returncode == 0
    assert many.stdout == one.stdout
    assert LOGS[3]["id"].encode() in many.stdout


def test_id_errors(tmp_path: Path, export: Path) -> None:
    missing = inspector("show", str(export), "--id", "data_nope")
    assert missing.returncode == 1
    assert missing.stderr.decode() == f"inspector: error: {export}: no log with id data_nope\n"
    single = tmp_path / "single.json"
    single.write_bytes(exports.encode(LOGS[0]))
    wrong = inspector("show", str(single), "--id", "data_nope")
    assert wrong.returncode == 1
    assert f"holds one log, {LOGS[0]['id']}, not data_nope" in wrong.stderr.decode()
    right = inspector("show", str(single), "--id", LOGS[0]["id"], "-f", "json")
    assert right.returncode == 0 and json.loads(right.stdout) == LOGS[0]


def hostile_logs() -> list[dict[str, Any]]:
    evil = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e\x9b31m\x00"
    logs = exports.make_logs(3)
    logs[0]["id"] = f"data_{evil}"
    logs[0]["output"] = f"out {evil}"
    logs[1]["config"] = {"type": "generic", "id": "c", "status": "s", "name": f"name {evil}"}
    logs[2]["error"] = f"err {evil}"
    return logs


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_control_bytes_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "evil.jsonl"
    path.write_bytes(exports.jsonl(hostile_logs()) + b'{"id": "data_\\u001b[2J", "x\n')
    result = inspector("show", str(path), "--format", fmt)
    # Every log gets its line; the cut-off one makes the status 1, with a summary.
    assert result.returncode == 1
    assert result.stderr.decode().endswith(": 1 of 4 logs not fully read\n")
    text = result.stdout.decode()
    assert len(text.splitlines()) == 4
    assert not UNSAFE.search(text)
    if fmt == "text":
        assert "\\x1b]52" in text and "INVALID" in text.splitlines()[3]


def test_bad_shapes_exit_1_with_one_line(tmp_path: Path) -> None:
    for data, expected in (
        (b"[]", "holds no logs: the JSON array is empty"),
        (b"[1, 2]", "got an array of numbers"),
        (b'{"page": 0, "size": 10, "total": 0}', "a list page without `records`"),
        (exports.array(LOGS)[:-30], "JSON ends early"),
    ):
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        result = inspector("show", str(path))
        assert result.returncode == 1
        err = result.stderr.decode()
        assert err.startswith(f"inspector: error: {path}: ") and expected in err
        assert err.count("\n") == 1 and "Traceback" not in err


def test_single_log_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(exports.encode(LOGS[0], indent=2))
    result = inspector("show", str(path))
    assert result.returncode == 0
    assert result.stdout.decode().startswith(f"Log {LOGS[0]['id']}\n")


def test_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(3000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "show", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert first.startswith(b"data_0000")
    assert b"Traceback" not in proc.stderr.read()
    proc.stderr.close()
