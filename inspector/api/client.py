"""The Humanloop v4 client: one httpx client, deadlines, retries, and one clear error per failure.

No httpx or msgspec exception leaves this module: every failure becomes one `FetchError`
subclass (or `LogDecodeError` for JSON that is not a log) with a one-line message. The API key
lives only in the httpx client's headers; messages are redacted against it before they are made.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Self
from urllib.parse import quote

import httpx
import msgspec

from inspector import __version__
from inspector.api.failures import Failure, Kind, error_for_status, explain_not_json, failure_for
from inspector.api.loopback import DIRECT, is_loopback
from inspector.api.retry import Backoff, RetryNotice
from inspector.api.transfer import ERROR_BODY_LIMIT, SUPPORTED_ENCODINGS, Progress, read_body
from inspector.errors import (
    BadResponseError,
    FetchError,
    InsecureURLError,
    LogDecodeError,
    MissingKeyError,
    SettingsError,
    UnreachableError,
)
from inspector.model.decode import LogDocument, decode_log
from inspector.sanitize import one_line
from inspector.settings import KEY_ENV, Settings, check_api_key, safe_url

__all__ = ["HumanloopClient", "LogPage", "RetryNotice"]

KEY_HEADER: Final = "X-API-KEY"
#: Loggers of httpx and httpcore. httpcore logs response headers at DEBUG, so a server that
#: echoes the key in a header would put it in a log record without the filter below.
_HTTP_LOGGERS: Final = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


@dataclass(frozen=True, slots=True)
class LogPage:
    """One page of `GET /logs`; each record keeps the exact bytes it had in the page."""

    records: list[LogDocument]
    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are at this page size."""
        return -(-self.total // self.size) if self.size > 0 else 0


class _RawPage(msgspec.Struct):
    # `Raw` keeps each record's bytes verbatim, unknown fields and all, for `decode_log`.
    records: list[msgspec.Raw]
    page: int
    size: int
    total: int


_page_decoder: Final = msgspec.json.Decoder(_RawPage)


@dataclass(frozen=True, slots=True)
class _Answer:
    # Kept out of repr: a traceback with locals would print up to 256 MB, and it is server text.
    body: bytes = field(repr=False)
    status: int
    content_type: str
    url: str


class HumanloopClient:
    """Fetch logs from the v4 API; use as `async with HumanloopClient(settings) as client:`.

    Args:
        settings: Base URL, key, deadline per attempt, retries and size cap.
        transport: An httpx transport to use instead of the network (tests).
        on_retry: Called before each wait between attempts, to show progress.
        backoff: The wait policy between attempts; tests pass a fast one.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        if settings.api_key is not None:
            check_api_key(settings.api_key)
        self._settings = settings
        self._on_retry = on_retry
        self._backoff = backoff or Backoff()
        try:
            base = httpx.URL(settings.base_url.rstrip("/") + "/")
        except httpx.InvalidURL:
            base = None
        if base is None or base.scheme not in ("http", "https") or not base.host:
            shown = one_line(safe_url(settings.base_url), 120)
            raise SettingsError(f"the base URL is not an http(s) URL with a host: {shown!r}")
        #: How messages name the server: its host, and for connection trouble its port too.
        self.host: str = base.host
        self._where = f"{base.host}:{base.port}" if base.port else base.host
        # The key goes straight into the client's headers, never into a local that a
        # traceback with locals could print, nor into any URL.
        self._http = httpx.AsyncClient(
            base_url=base,
            headers={
                "User-Agent": f"inspector/{__version__}",
                "Accept": "application/json",
                # We inflate these ourselves under the size cap (see transfer.py).
                "Accept-Encoding": ", ".join(SUPPORTED_ENCODINGS),
                **({KEY_HEADER: settings.api_key} if settings.api_key else {}),
            },
            timeout=httpx.Timeout(settings.timeout),
            transport=transport,
            # Loopback never goes through a proxy: HTTP_PROXY or ALL_PROXY would otherwise
            # get a plain http:// request, X-API-KEY and all, meant for this machine.
            mounts=DIRECT if is_loopback(base.host) else None,
            follow_redirects=False,
        )
        self._log_filter = _RedactKey(self)
        for name in _HTTP_LOGGERS:
            logging.getLogger(name).addFilter(self._log_filter)

    def __repr__(self) -> str:
        return f"<HumanloopClient {safe_url(self._settings.base_url)!r}>"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @property
    def is_closed(self) -> bool:
        """True once the connection pool is closed."""
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
        for name in _HTTP_LOGGERS:
            logging.getLogger(name).removeFilter(self._log_filter)

    async def get_log(
        self, log_id: str, *, on_retry: Callable[[RetryNotice], None] | None = None
    ) -> LogDocument:
        """Fetch and decode one log by id (`data_…`); `on_retry` overrides the client's.

        Raises:
            FetchError: A subclass naming how the fetch failed.
            LogDecodeError: The server answered JSON that is not a Humanloop log.
        """
        answer = await self._get(
            f"logs/{quote(log_id, safe='')}", None, log_id=log_id, on_retry=on_retry
        )
        try:
            return decode_log(answer.body, answer.url)
        except LogDecodeError as exc:
            error: Exception = self._not_json(answer) or self._fresh(exc)
        raise error

    async def list_logs(
        self,
        project_id: str,
        *,
        page: int = 0,
        size: int = 50,
        search: str | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        file: bool = False,
    ) -> LogPage:
        """Fetch one page (0-based) of a project's logs, newest first as the server sends them.

        Raises:
            FetchError: A subclass naming how the fetch failed.
            LogDecodeError: The page or one of its records is not what the API promises.
        """
        params: dict[str, str | int] = {"project_id": project_id, "page": page, "size": size}
        if file:  # v5: `GET /logs?file_id=…`, pages counted from 1.
            params = {"file_id": project_id, "page": page + 1, "size": size}
        if search:
            params["search"] = search
        answer = await self._get("logs", params, log_id=None, on_retry=on_retry)
        error: Exception
        try:
            raw = _page_decoder.decode(answer.body)
        except msgspec.ValidationError as exc:
            error = LogDecodeError(f"{answer.url}: not a page of logs: {one_line(str(exc))}")
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            error = self._not_json(answer) or BadResponseError(f"{answer.url}: unreadable JSON")
        else:
            try:
                records = [
                    decode_log(bytes(record), f"{answer.url} record {number}")
                    for number, record in enumerate(raw.records)
                ]
            except LogDecodeError as exc:
                error = self._fresh(exc)
            else:
                number = raw.page - 1 if file else raw.page
                return LogPage(records=records, page=number, size=raw.size, total=raw.total)
        raise error

    def _check_can_send(self) -> None:
        if KEY_HEADER not in self._http.headers:
            raise MissingKeyError(
                f"{KEY_ENV} is not set: export your Humanloop API key in it to fetch logs "
                "(the key is read only from the environment)"
            )
        url = self._http.base_url
        if url.scheme == "http" and not self._settings.insecure and not is_loopback(url.host):
            raise InsecureURLError(
                f"refusing to send the API key over plain http:// to {self.host}: use https://, "
                "or pass --insecure if you trust every network in between"
            )

    async def _get(
        self,
        path: str,
        params: dict[str, str | int] | None,
        log_id: str | None,
        on_retry: Callable[[RetryNotice], None] | None = None,
    ) -> _Answer:
        """GET with deadlines and retries; return a 2xx answer or raise the last failure."""
        self._check_can_send()
        notify = on_retry or self._on_retry
        attempts = self._settings.retries + 1
        failure: Failure | None = None
        for attempt in range(1, attempts + 1):
            outcome = await self._attempt(path, params, log_id)
            if isinstance(outcome, _Answer):
                return outcome
            failure = outcome
            if not failure.retryable or attempt == attempts:
                break
            wait = self._backoff.wait(attempt - 1, failure.headers)
            if notify is not None:
                notify(RetryNotice(attempt + 1, attempts, wait, self._redact(failure.reason)))
            await asyncio.sleep(wait)
        assert failure is not None
        # Raised here, outside any `except`, so no httpx exception hangs on as its context.
        raise failure.final(attempt, self._redact)

    async def _attempt(
        self, path: str, params: dict[str, str | int] | None, log_id: str | None
    ) -> _Answer | Failure:
        """One request under one deadline; every outcome but success becomes a `Failure`."""
        progress = Progress()
        status: int | None = None
        try:
            async with asyncio.timeout(self._settings.timeout):
                async with self._http.stream("GET", path, params=params) as response:
                    status = response.status_code
                    if 200 <= status <= 299:
                        body = await read_body(
                            response,
                            limit=self._settings.max_bytes,
                            host=self.host,
                            progress=progress,
                        )
                        return _Answer(
                            body,
                            status,
                            response.headers.get("content-type", ""),
                            _shown(response.url),
                        )
                    body = await self._error_body(response, progress)
                    return error_for_status(
                        response.status_code,
                        response.reason_phrase,
                        dict(response.headers),
                        body,
                        host=self.host,
                        log_id=log_id,
                        redact=self._redact,
                    )
        except FetchError as exc:
            return Failure.of(exc)
        except (TimeoutError, httpx.TimeoutException):
            # httpx's own timeouts are per read; `asyncio.timeout` is the real deadline.
            kind: Kind = "timeout"
            error: httpx.HTTPError | None = None
        except httpx.ConnectError as exc:
            kind, error = ("dns" if _name_not_found(exc) else "refused"), exc
        except httpx.RemoteProtocolError as exc:
            kind, error = ("cut" if status is not None else "closed"), exc
        except (httpx.NetworkError, httpx.ProxyError) as exc:
            kind, error = "lost", exc
        except httpx.HTTPError as exc:
            head = (
                f"the request to {self._where} failed: {type(exc).__name__}: {one_line(str(exc))}"
            )
            return Failure(UnreachableError, head, False, status=status)
        timeout = self._settings.timeout
        return failure_for(kind, self._where, timeout, status, progress.received, error)

    async def _error_body(self, response: httpx.Response, progress: Progress) -> bytes:
        """The start of an error answer, for its `detail`; unreadable compression gives none."""
        try:
            return await read_body(
                response, limit=ERROR_BODY_LIMIT, host=self.host, progress=progress, cut=True
            )
        except BadResponseError:
            # The status alone decides what happens next; a body we cannot inflate is no reason
            # to turn a retryable 503 into a final error.
            return b""

    def _not_json(self, answer: _Answer) -> BadResponseError | None:
        """A `BadResponseError` if the body is not JSON at all; None if it is (some) JSON."""
        message = explain_not_json(
            answer.body, answer.status, answer.content_type, self.host, self._redact
        )
        if message is None:
            return None
        return BadResponseError(self._redact(message), status=answer.status)

    def _fresh(self, error: LogDecodeError) -> LogDecodeError:
        """A copy raised from here: the original's traceback holds the body in `decode_log`."""
        return LogDecodeError(self._redact(error.message), path=error.path)

    def _redact(self, text: str) -> str:
        """`text` with the API key, should a server echo it, replaced by `[redacted]`."""
        if KEY_HEADER not in self._http.headers:
            return text
        return text.replace(self._http.headers[KEY_HEADER], "[redacted]")


def _shown(url: httpx.URL) -> str:
    """A response's URL for messages: no query, and never a user name or password."""
    return str(url.copy_with(query=None, userinfo=b""))


def _name_not_found(exc: BaseException) -> bool:
    """True when a connect error comes from a host name that does not exist (not worth retrying)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        cause = cause.__cause__ or cause.__context__
    return False


class _RedactKey(logging.Filter):
    """Replaces the client's key in any record logged by httpx or httpcore while it is open."""

    def __init__(self, client: HumanloopClient) -> None:
        super().__init__()
        # Weak, so a client that is never closed can still be collected.
        self._client = weakref.ref(client)

    def filter(self, record: logging.LogRecord) -> bool:
        client = self._client()
        if client is not None:
            message = record.getMessage()
            redacted = client._redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True
