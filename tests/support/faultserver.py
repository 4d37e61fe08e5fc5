"""A loopback HTTP server that misbehaves on purpose: every byte and every pause is scripted.

Built on asyncio streams in a thread of its own, so sync tests, async tests and subprocesses can
all talk to it. Each request gets the next `Action` of the script (the last one repeats).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    409: "Conflict",
    418: "I'm a teapot",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Request:
    """What the client sent: request line and headers (names lowercased)."""

    method: str
    target: str
    headers: dict[str, str]
    at: float


@dataclass(frozen=True)
class Reply:
    """A whole response; chunked transfer encoding when `chunks` is given instead of `body`."""

    status: int = 200
    body: bytes = b""
    headers: Sequence[tuple[str, str]] = ()
    chunks: Sequence[bytes] | None = None
    content_type: str = "application/json"


@dataclass(frozen=True)
class Hang:
    """Read the request, then never answer."""


@dataclass(frozen=True)
class Drip:
    """Send the headers, then the body one byte every `interval` seconds."""

    body: bytes
    interval: float = 0.2
    status: int = 200


@dataclass(frozen=True)
class Truncate:
    """Declare `declared` bytes, send `body` (fewer), then close the connection."""

    body: bytes
    declared: int
    status: int = 200


@dataclass(frozen=True)
class Raw:
    """Send these bytes as they are, then close."""

    data: bytes


@dataclass(frozen=True)
class Close:
    """Close the connection without a word."""


Action = Reply | Hang | Drip | Truncate | Raw | Close
Script = Sequence[Action] | Callable[[int, Request], Action]


def json_reply(status: int, payload: bytes, *headers: tuple[str, str]) -> Reply:
    """A JSON answer."""
    return Reply(status, payload, headers)


def gzip_reply(body: bytes, status: int = 200) -> Reply:
    """The body gzip-compressed, with `Content-Encoding: gzip`."""
    return Reply(status, gzip.compress(body), [("Content-Encoding", "gzip")])


@dataclass
class FaultServer:
    """`with FaultServer([Reply(503), Reply(200, body)]) as server:` then use `server.base_url`."""

    script: Script
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v4"

    def __enter__(self) -> Self:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        future.result(timeout=5)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._loop is not None and self._thread is not None
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _next(self, request: Request) -> Action:
        number = len(self.requests)
        self.requests.append(request)
        if callable(self.script):
            return self.script(number, request)
        return self.script[min(number, len(self.script) - 1)]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            # One request per connection: every reply says `Connection: close`.
            request = await _read_request(reader)
            if request is not None:
                await _perform(self._next(request), writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            # Stopped while hanging or dripping: end quietly, as a killed server would.
            return
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return Request(method, target, headers, time.monotonic())


def _head(status: int, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Whatever')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _perform(action: Action, writer: asyncio.StreamWriter) -> None:
    if isinstance(action, Reply):
        base = [("Content-Type", action.content_type), ("Connection", "close"), *action.headers]
        if action.chunks is None:
            writer.write(_head(action.status, [*base, ("Content-Length", str(len(action.body)))]))
            writer.write(action.body)
        else:
            writer.write(_head(action.status, [*base, ("Transfer-Encoding", "chunked")]))
            for chunk in action.chunks:
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                await writer.drain()
            writer.write(b"0\r\n\r\n")
        await writer.drain()
    elif isinstance(action, Hang):
        await asyncio.sleep(3600)
    elif isinstance(action, Drip):
        writer.write(_head(action.status, [("Content-Length", str(len(action.body)))]))
        await writer.drain()
        for index in range(len(action.body)):
            writer.write(action.body[index : index + 1])
            await writer.drain()
            await asyncio.sleep(action.interval)
    elif isinstance(action, Truncate):
        headers = [("Content-Type", "application/json"), ("Content-Length", str(action.declared))]
        writer.write(_head(action.status, headers) + action.body)
        await writer.drain()
    elif isinstance(action, Raw):
        writer.write(action.data)
        await writer.drain()
