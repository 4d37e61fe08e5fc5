"""SIGTERM and SIGHUP: the real program in a pseudo-terminal exits cleanly and leaves no data.

Before, either signal ended the process at once: the terminal stayed in the alternate
screen with mouse reporting on and raw, and the catalog of an export (`rows.db`, log
data) stayed in the temp folder, where no later run removed it.
"""

from __future__ import annotations

import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path

import pytest

from inspector.catalog import Catalog, scratch
from tests.support import exports
from tests.support.terminal import read_for as terminal_read_for

ALTERNATE_OFF = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def run_and_signal(
    argv: list[str], tmp: Path, ready: bytes, number: int
) -> tuple[int, bytes, list[int]]:
    """Run `argv` in a pty with TMPDIR=`tmp`, send `number` once `ready` shows.

    Returns the exit status, every byte written, and the terminal's local flags before
    and after the run.
    """
    controller, terminal = pty.openpty()
    ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    before = termios.tcgetattr(terminal)[3]
    env = {**os.environ, "TERM": "xterm-256color", "TMPDIR": str(tmp)}
    proc = subprocess.Popen(argv, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    output = bytearray()

    def read_for(seconds: float) -> None:
        terminal_read_for(controller, output, seconds)

    try:
        deadline = time.monotonic() + 30
        while ready not in output and time.monotonic() < deadline:
            read_for(0.2)
        assert ready in output, f"{ready!r} never appeared: {bytes(output[-500:])!r}"
        read_for(0.5)
        proc.send_signal(number)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            read_for(0.1)
        read_for(0.2)
        after = termios.tcgetattr(terminal)[3]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(controller)
        os.close(terminal)
    return proc.returncode, bytes(output), [before, after]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal_and_removes_the_catalog(
    tmp_path: Path, number: int
) -> None:
    logs = exports.make_logs(300)
    export = tmp_path / "export.jsonl"
    export.write_bytes(exports.jsonl(logs))
    temp = tmp_path / "temp"
    temp.mkdir()
    code, written, (before, after) = run_and_signal(
        [sys.executable, "-m", "inspector", str(export)], temp, logs[0]["id"][:12].encode(), number
    )
    assert code == 128 + number, written[-2000:]
    assert b"Traceback" not in written
    tail = written[written.rfind(b"\x1b[?1049h") :]
    assert ALTERNATE_OFF in tail and MOUSE_OFF in tail, "the terminal is left as it was"
    assert after & termios.ECHO and after & termios.ICANON, "the tty is not left raw"
    assert after == before
    assert list(temp.iterdir()) == [], "the catalog (log data) is removed"


def test_show_and_serve_exit_cleanly_on_sigterm(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    code, written, _ = run_and_signal(
        [sys.executable, "-m", "inspector", "serve"], temp, b"press Ctrl-C", signal.SIGTERM
    )
    assert code == 128 + signal.SIGTERM, written[-2000:]
    assert b"Traceback" not in written


CHILD = """
import os, sys
from inspector.catalog.store import Store
store = Store()
print(store.folder, flush=True)
os.kill(os.getpid(), 9)
"""


def test_a_catalog_left_by_a_killed_run_is_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env)
    assert done.returncode == -9
    left = Path(done.stdout.strip())
    assert (left / "rows.db").exists() and (left / scratch.OWNER).read_text().strip().isdigit()
    assert left.stat().st_mode & 0o077 == 0, "owner-only"
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    export = tmp_path / "export.jsonl"
    export.write_bytes(exports.jsonl(exports.make_logs(3)))
    with Catalog.open(export) as live:
        assert not left.exists(), "the dead run's catalog is swept"
        # A live catalog (its owner runs) is never swept, even by this same process.
        assert scratch.sweep(str(tmp_path)) == []
        assert live._store.folder.exists()
