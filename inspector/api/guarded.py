"""What keeps the loopback server safe to run: which files it serves, who it answers, how long.

Any local process (and, through DNS rebinding, any web page the operator opens) can
reach a loopback port. So the server reads only regular files inside its folder, answers
only requests naming its own address in `Host`, gives each connection a deadline, caps
how many it serves at once, and logs each request line sanitised.
"""

from __future__ import annotations

import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

from inspector.files import entry_problem, open_regular
from inspector.sanitize import one_line

#: Seconds a connection may sit idle (or trickle a request) before it is closed.
TIMEOUT: Final = 10.0
#: Connections served at once; more are closed at once instead of each holding a thread.
MAX_CONNECTIONS: Final = 32
#: The biggest log file served; bigger ones are skipped with a note.
MAX_FILE_BYTES: Final = 256 * 1024 * 1024


class GuardedServer(ThreadingHTTPServer):
    """A threading HTTP server with a cap on connections served at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            # Full: close at once rather than queue a thread per idle client.
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def host_allowed(header: str | None, address: Any) -> bool:
    """True when a `Host` header names the address the server listens on.

    A page served by `evil.example` that rebinds its name to 127.0.0.1 sends
    `Host: evil.example`; refusing that header keeps the browser out.
    """
    if not header:
        return False
    host, port = str(address[0]), int(address[1])
    names = {host, f"[{host}]"}
    if host in ("127.0.0.1", "::1"):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    given = header.strip().lower()
    name, _, given_port = given.rpartition(":") if not given.endswith("]") else (given, "", "")
    if not name:
        name, given_port = given, ""
    return name in names and given_port in ("", str(port))


def served_files(folder: Path, suffix: str = ".json") -> tuple[list[Path], list[str]]:
    """The files to serve: regular files in `folder` (links only to files inside it).

    Returns them sorted, and one note for each entry skipped, saying why.
    """
    root = folder.resolve()
    found: list[Path] = []
    notes: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(suffix):
                continue
            problem = entry_problem(entry)
            if problem is None and not Path(entry.path).resolve().is_relative_to(root):
                problem = "a link to a file outside the folder"
            if problem is None and entry.stat().st_size > MAX_FILE_BYTES:
                problem = f"bigger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
            if problem is None:
                found.append(Path(entry.path))
            else:
                notes.append(f"{one_line(entry.name, 120)}: skipped: {problem}")
    return sorted(found), sorted(notes)


def read_served(path: Path) -> bytes:
    """The bytes of a file to serve (a regular file only: never blocks on a FIFO)."""
    with open_regular(path) as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def log_line(text: str) -> str:
    """A request line fit for the operator's terminal: no escape, one line."""
    return one_line(text, 500)
