"""A loopback server with the v4 and v5 API's shape, serving a folder of log JSON files.

`GET /v4/logs/{id}` answers a file's bytes verbatim; `GET /v4/logs?project_id=…` answers pages
`{records, page, size, total}`; `/v5/logs/{id}` and `/v5/logs?file_id=…` (pages from 1) the same
for v5, where a log is listed under the file of its version object. Errors have FastAPI's
`{"detail": …}` shape, like the real API.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from inspector.api.guarded import (
    TIMEOUT,
    GuardedServer,
    host_allowed,
    log_line,
    read_served,
    served_files,
)
from inspector.errors import SourceError
from inspector.sanitize import one_line

#: The path prefix of the API, as in `https://api.humanloop.com/v4`.
PREFIX = "/v4"
#: The same for v5 (`https://api.humanloop.com/v5`).
V5_PREFIX = "/v5"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One served log: its bytes as in the file, and what listing filters on."""

    raw: bytes
    project_id: str | None
    created_at: str
    text: str


class LogServer:
    """Serve every `*.json` log in `folder` on `host`:`port` (a free port by default).

    Files are indexed by their `id` field when they are JSON objects that have one, else by
    their file name without `.json` (so a broken log can be served too, but not listed).

    Args:
        folder: The folder of log files, read once by `start()`.
        host: The address to bind; loopback by default.
        port: The port; 0 picks a free one.
        api_key: When set, requests without this `X-API-KEY` get 401.
        log: Where to write one line per request (`inspector serve`); None for silence, which
            the TUI needs, since a stray line on its terminal would break the screen.
    """

    def __init__(
        self,
        folder: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        log: TextIO | None = None,
    ) -> None:
        self.folder = Path(folder)
        self._address = (host, port)
        self._api_key = api_key
        self._log = log
        self._entries: dict[str, _Entry] = {}
        #: Why files of the folder were not served (a FIFO, a link out of the folder, …).
        self.notes: list[str] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"<LogServer {str(self.folder)!r} {len(self._entries)} logs>"

    @property
    def base_url(self) -> str:
        """The base URL to give the client, such as `http://127.0.0.1:54321/v4`."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{PREFIX}"

    @property
    def log_ids(self) -> list[str]:
        """The ids served, sorted."""
        return sorted(self._entries)

    def start(self) -> Self:
        """Index the folder and start serving in a daemon thread."""
        if self._httpd is not None:
            return self
        self._entries, self.notes = index_folder(self.folder)
        # Binding is the only OSError left here: the folder's errors are `SourceError`s.
        httpd = GuardedServer(self._address, _Handler)
        httpd.log_server = self  # type: ignore[attr-defined]
        self._httpd = httpd
        # A short poll interval makes `stop()` quick: shutdown waits for the next poll.
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.05,), name="LogServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def authorised(self, key: str | None) -> bool:
        """True when no key is required or `key` matches it."""
        if self._api_key is None:
            return True
        return key is not None and hmac.compare_digest(key.encode(), self._api_key.encode())

    def get(self, log_id: str) -> bytes | None:
        """The bytes of one log, or None."""
        entry = self._entries.get(log_id)
        return None if entry is None else entry.raw

    def page(self, project_id: str, page: int, size: int, search: str | None) -> bytes:
        """One page of the project's logs, newest first, as `{records, page, size, total}`."""
        needle = search.casefold() if search else None
        found = [
            entry
            for entry in self._entries.values()
            if entry.project_id == project_id and (needle is None or needle in entry.text)
        ]
        found.sort(key=lambda entry: entry.created_at, reverse=True)
        chosen = found[page * size : (page + 1) * size]
        # Records are spliced in as bytes so each is exactly as in its file.
        records = b",".join(entry.raw.strip() for entry in chosen)
        tail = json.dumps({"page": page, "size": size, "total": len(found)})[1:]
        return b'{"records":[' + records + b"]," + tail.encode()

    def write_log(self, line: str) -> None:
        """One request line to the log stream, if there is one."""
        if self._log is not None:
            self._log.write(line + "\n")
            self._log.flush()


def index_folder(folder: Path) -> tuple[dict[str, _Entry], list[str]]:
    """Read every `*.json` in `folder` into entries by log id; notes on the files skipped."""
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder of log files")
    entries: dict[str, _Entry] = {}
    try:
        paths, notes = served_files(folder)
        if (folder / "v5").is_dir():  # The bundled v5 samples live in `samples/v5/`.
            more, more_notes = served_files(folder / "v5")
            paths, notes = paths + more, notes + more_notes
    except OSError as exc:
        raise SourceError(f"{folder}: cannot list the folder: {exc.strerror or exc}") from None
    for path in paths:
        try:
            raw = read_served(path)
        except OSError as exc:
            notes.append(f"{one_line(path.name, 120)}: skipped: {exc.strerror or exc}")
            continue
        try:
            data: Any = json.loads(raw)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            created = data.get("created_at")
            entries[data["id"]] = _Entry(
                raw,
                _project_or_file_id(data),
                created if isinstance(created, str) else "",
                "\n".join(_texts(data)).casefold(),
            )
        else:
            entries[path.stem] = _Entry(raw, None, "", "")
    return entries, notes


def _texts(log: dict[str, Any]) -> Iterator[str]:
    """The text `search` looks in: inputs, output and every message's text."""
    if isinstance(log.get("output"), str):
        yield log["output"]
    if isinstance(log.get("inputs"), dict):
        yield json.dumps(log["inputs"], ensure_ascii=False)
    messages = log.get("messages")
    for message in [*(messages if isinstance(messages, list) else []), log.get("output_message")]:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            yield content
        elif isinstance(content, list):
            yield from (p["text"] for p in content if isinstance(p, dict) and "text" in p)


class _Handler(BaseHTTPRequestHandler):
    """Routes GET requests to the owning `LogServer`."""

    protocol_version = "HTTP/1.1"
    server_version = "inspector-LogServer"
    #: An idle or trickling client is dropped after this many seconds.
    timeout = TIMEOUT

    @property
    def owner(self) -> LogServer:
        owner: LogServer = self.server.log_server  # type: ignore[attr-defined]
        return owner

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if self._misdirected():
            return
        if not self.owner.authorised(self.headers.get("X-API-KEY")):
            self._json(HTTPStatus.UNAUTHORIZED, {"detail": "Invalid or missing API key"})
            return
        if url.path == f"{PREFIX}/logs":
            self._list(parse_qs(url.query))
            return
        if url.path.startswith(f"{V5_PREFIX}/logs"):
            self._v5(url.path, parse_qs(url.query))
            return
        if url.path.startswith(f"{PREFIX}/logs/"):
            self._log(unquote(url.path.removeprefix(f"{PREFIX}/logs/")))
            return
        self._json(HTTPStatus.NOT_FOUND, {"detail": "Not Found"})

    def do_POST(self) -> None:
        if not self._misdirected():
            self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"detail": "Method Not Allowed"})

    def _misdirected(self) -> bool:
        """Answer 421 to a `Host` that is not our address (DNS rebinding); True if so."""
        if host_allowed(self.headers.get("Host"), self.server.server_address):
            return False
        self._json(HTTPStatus.MISDIRECTED_REQUEST, {"detail": "Host is not this server"})
        return True

    do_PUT = do_PATCH = do_DELETE = do_POST

    def _log(self, log_id: str) -> None:
        """One log by id, as stored, or the API's 404."""
        raw = self.owner.get(log_id)
        if raw is None:
            self._json(HTTPStatus.NOT_FOUND, {"detail": f"Log with id {log_id} not found"})
        else:
            self._send(HTTPStatus.OK, raw)

    def _list(self, query: dict[str, list[str]]) -> None:
        errors: list[dict[str, Any]] = []
        project = query.get("project_id", [""])[0]
        if not project:
            errors.append(_missing("project_id"))
        page = _integer(query, "page", 0, errors)
        size = _integer(query, "size", 50, errors)
        if errors:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"detail": errors})
            return
        search = query.get("search", [None])[0]
        self._send(HTTPStatus.OK, self.owner.page(project, page, size, search))

    def _v5(self, path: str, query: dict[str, list[str]]) -> None:
        """`GET /v5/logs/{id}` and `GET /v5/logs?file_id=…` (pages from 1, as in v5)."""
        if path.startswith(f"{V5_PREFIX}/logs/"):
            self._log(unquote(path.removeprefix(f"{V5_PREFIX}/logs/")))
            return
        errors: list[dict[str, Any]] = []
        file_id = query.get("file_id", [""])[0]
        if not file_id:
            errors.append(_missing("file_id"))
        page = _integer(query, "page", 1, errors)
        size = _integer(query, "size", 10, errors)
        if page < 1 and not errors:
            errors.append(_invalid("page", "Input should be greater than or equal to 1", "int"))
        if errors or path != f"{V5_PREFIX}/logs":
            status = HTTPStatus.NOT_FOUND if not errors else HTTPStatus.UNPROCESSABLE_ENTITY
            self._json(status, {"detail": errors or "Not Found"})
            return
        body = self.owner.page(file_id, page - 1, size, query.get("search", [None])[0])
        self._send(HTTPStatus.OK, _one_based(body, page))

    def _json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode())

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line only: headers (and so the key) are never logged.
        # Request lines are anyone's bytes: escapes would reach the operator's terminal.
        self.owner.write_log(log_line(f"{self.address_string()} {format % args}"))


def _project_or_file_id(log: dict[str, Any]) -> str | None:
    """What a log is listed under: v4 `project_id`, or the id of a v5 log's version object."""
    if isinstance(log.get("project_id"), str):
        return str(log["project_id"])
    for key in ("agent", "flow", "prompt", "tool", "evaluator"):
        version = log.get(key)
        if isinstance(version, dict) and isinstance(version.get("id"), str):
            return str(version["id"])
    return None


def _one_based(body: bytes, page: int) -> bytes:
    """A page built 0-based by `LogServer.page`, renumbered as v5 numbers pages (from 1)."""
    head, sep, tail = body.rpartition(b'"page": ')
    return head + sep + str(page).encode() + tail[tail.index(b",") :]


def _missing(name: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": "field required", "type": "value_error.missing"}


def _integer(query: dict[str, list[str]], name: str, default: int, errors: list[Any]) -> int:
    text = query.get(name, [None])[0]
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        errors.append(_invalid(name, "value is not a valid integer", "type_error.integer"))
        return default
    least = 1 if name == "size" else 0
    if value < least:
        message = f"ensure this value is greater than or equal to {least}"
        errors.append(_invalid(name, message, "value_error.number.not_ge"))
        return default
    return value


def _invalid(name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": message, "type": kind}
