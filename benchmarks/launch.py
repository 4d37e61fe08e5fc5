"""Target 1: launch to first paint, timed from spawn in a pseudo-terminal, as a user sees it.

A process is forked onto a new pty of a fixed size and runs `inspector FILE` (or the
baseline app); the clock stops when the log id (the baseline's marker) appears in the
bytes the process writes to the terminal. Then `q` is typed and the process is reaped.
"""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import functools
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

COLUMNS, ROWS = 120, 40
BASELINE = Path(__file__).with_name("tabs_app.py")
ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def compiled(root: Path) -> None:
    """Write the bytecode of the `inspector` package under `root` (once a run), as `pip
    install` does: with `PYTHONDONTWRITEBYTECODE` set, or after an edit, every launch would
    compile each changed module again while the baseline's Textual has its bytecode."""
    package = root / "inspector"
    if package.is_dir():
        compileall.compile_dir(package, quiet=1)


def _env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "PYTEST")) and key not in ("COLUMNS", "LINES", "NO_COLOR")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    return env


def inspector_command(*args: str) -> list[str]:
    """`inspector ARGS`, with the console script of the running interpreter's environment."""
    script = Path(sys.executable).with_name("inspector")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "inspector", *args]


def inspector_argv(path: Path) -> list[str]:
    """`inspector FILE`."""
    return inspector_command(str(path))


def baseline_argv(marker: str) -> list[str]:
    """The minimal 8-tab Textual app showing `marker`."""
    return [sys.executable, str(BASELINE), marker]


def time_to_text(
    argv: list[str],
    marker: str,
    timeout: float = 60.0,
    *,
    extra_env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> float:
    """Seconds from spawning `argv` on a new pty (in `cwd`, with `extra_env`) until
    `marker` is written to it."""
    needle = marker.encode()
    env = {**_env(), **(extra_env or {})}
    compiled(Path(cwd).resolve() if cwd is not None else ROOT)
    start = time.perf_counter()
    pid, master = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = bytearray()
    elapsed: float | None = None
    try:
        deadline = start + timeout
        while elapsed is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{marker!r} not shown within {timeout} s by {argv}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child exited
                chunk = b""
            if not chunk:
                tail = seen[-2000:].decode("utf-8", "replace")
                raise RuntimeError(f"{argv} exited before showing {marker!r}: {tail}")
            seen += chunk
            if needle in seen[-(len(chunk) + len(needle)) :]:
                elapsed = time.perf_counter() - start
    finally:
        _stop(pid, master)
    return elapsed


def _stop(pid: int, master: int) -> None:
    """Type `q`, keep reading so the app can finish writing, and reap it (kill if stuck)."""
    with contextlib.suppress(OSError):
        os.write(master, b"q")
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            with contextlib.suppress(OSError):
                os.read(master, 1 << 16)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(master)
