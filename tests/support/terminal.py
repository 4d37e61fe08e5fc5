"""The real program in a pseudo-terminal, its screen read back through a terminal emulator.

End-to-end tests run `inspector …` exactly as a user types it, wait until the screen
shows what they expect (never a fixed delay), press keys, and check the exit status.
`pyte` plays the terminal, so assertions are on what a person would see.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

import pyte

#: Generous: the 2-core CI machine runs two test workers beside the program.
DEADLINE = 45.0


def read_for(controller: int, output: bytearray, seconds: float) -> None:
    """Add to `output` what the program writes on `controller` in the next `seconds`
    (for tests that check raw bytes, not the screen)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([controller], [], [], 0.05)[0]:
            try:
                output.extend(os.read(controller, 65536))
            except OSError:  # the program exited and closed its side
                return


class Terminal:
    """A program running in a pty of `columns`×`lines`, with a pyte screen of its output."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 120,
        lines: int = 40,
        env: dict[str, str] | None = None,
        cwd: Path | str | None = None,
        stdin: bytes | None = None,
    ) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        environ = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(lines),
            **(env or {}),
        }
        piped = subprocess.PIPE if stdin is not None else terminal
        self.proc = subprocess.Popen(
            list(argv),
            stdin=piped,
            stdout=terminal,
            stderr=terminal,
            env=environ,
            cwd=cwd,
            close_fds=True,
            start_new_session=True,
            # The pty is the controlling terminal, so `-` can reattach keys to /dev/tty.
            preexec_fn=lambda: fcntl.ioctl(1, termios.TIOCSCTTY, 0),
        )
        os.close(terminal)
        self.controller = controller
        if stdin is not None and self.proc.stdin is not None:
            self.proc.stdin.write(stdin)
            self.proc.stdin.close()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def read(self, seconds: float = 0.05) -> None:
        """Feed what the program wrote in the next `seconds` to the screen."""
        deadline = time.monotonic() + seconds
        while True:
            left = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.controller], [], [], left)
            if ready:
                try:
                    data = os.read(self.controller, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.output.extend(data)
                self.stream.feed(data)
            if time.monotonic() >= deadline:
                return

    def text(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(self.screen.display)

    def wait_for(self, check: str | Callable[[str], bool], timeout: float = DEADLINE) -> str:
        """Read until the screen shows `check` (a string, or a test of the screen's text)."""
        test = check if callable(check) else (lambda text: check in text)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.1)
            if test(self.text()):
                return self.text()
            if self.proc.poll() is not None:
                self.read(0.2)
                break
        raise AssertionError(f"never showed {check!r}; the screen:\n{self.text()}")

    def press(self, *keys: str | bytes) -> None:
        """Type keys (`"q"`, or raw bytes such as `b"\\x1b"` for escape)."""
        for key in keys:
            os.write(self.controller, key.encode() if isinstance(key, str) else key)
            self.read(0.05)

    def wait_exit(self, timeout: float = DEADLINE) -> int:
        """Read until the program exits; its exit status."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.read(0.1)
        self.read(0.1)
        assert self.proc.poll() is not None, f"still running; the screen:\n{self.text()}"
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.controller)
