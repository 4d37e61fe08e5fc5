"""The key never leaks, nothing is sent without it, httpx never escapes, cancelling is immediate."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from inspector.api.client import HumanloopClient
from inspector.api.retry import Backoff, RetryNotice
from inspector.errors import (
    FetchError,
    FetchTimeoutError,
    InsecureURLError,
    InspectorError,
    MissingKeyError,
    SettingsError,
    UnreachableError,
)
from tests.support.conftest_http import FAST, KEY, closed_port, log_bytes, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env
from tests.support.faultserver import (
    Action,
    Close,
    Drip,
    FaultServer,
    Hang,
    Reply,
    Request,
    Truncate,
)

LOG = log_bytes()


def _echo(status: int, make: Callable[[str], bytes], **kw: Any) -> Callable[[int, Request], Action]:
    """A server that puts the key it received into its answer."""
    return lambda _n, request: Reply(status, make(request.headers.get("x-api-key", "")), **kw)


def _detail(key: str) -> bytes:
    return json.dumps({"detail": f"Invalid API key {key}"}).encode()


def _detail_list(key: str) -> bytes:
    entry = {"loc": ["header", key], "msg": f"bad key {key}", "type": "value_error"}
    return json.dumps({"detail": [entry]}).encode()


# Every way a fetch can fail, most of them with a server that echoes the key back.
ERROR_PATHS: dict[str, Any] = {
    "401 echo": _echo(401, _detail),
    "403 echo": _echo(403, _detail),
    "404 echo": _echo(404, _detail),
    "400 echo": _echo(400, _detail),
    "422 echo": _echo(422, _detail_list),
    "429 echo": _echo(429, _detail, headers=[("retry-after-ms", "1")]),
    "500 echo": _echo(500, _detail),
    "503 echo": _echo(503, _detail),
    "redirect echo": lambda _n, r: Reply(
        301, b"", [("Location", f"https://x/?k={r.headers['x-api-key']}")]
    ),
    "html echo": _echo(200, lambda key: f"<html>{key}</html>".encode(), content_type="text/html"),
    "bad json echo": _echo(200, lambda key: f'{{"id": {key}}}'.encode()),
    "not a log echo": _echo(200, lambda key: json.dumps({"id": key}).encode()),
    "hang": [Hang()],
    "drip": [Drip(LOG, interval=0.05)],
    "truncated": [Truncate(LOG[:20], declared=len(LOG))],
    "closed": [Close()],
    "too large": [Reply(200, b"x" * 5000)],
    "bomb": [Reply(200, gzip.compress(b"\0" * 10_000_000), [("Content-Encoding", "gzip")])],
    "bad encoding": [Reply(200, LOG, [("Content-Encoding", "zstd")])],
    "corrupt gzip": [Reply(200, b"garbage", [("Content-Encoding", "gzip")])],
}
NO_SERVER = {
    "refused": lambda: f"http://127.0.0.1:{closed_port()}/v4",
    "dns": lambda: "https://no-such-host.invalid/v4",
    "insecure": lambda: "http://example.invalid/v4",
}


def _everything_shown(error: BaseException, notices: list[RetryNotice]) -> str:
    """Every way an error reaches a person: str, repr, tracebacks with locals, notices."""
    parts = [str(error), repr(error), *(n.describe() for n in notices), *map(repr, notices)]
    parts += traceback.TracebackException.from_exception(error, capture_locals=True).format()
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(
        Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True)
    )
    parts.append(console.file.getvalue())  # type: ignore[attr-defined]
    return "\n".join(parts)


async def _fail(base_url: str, notices: list[RetryNotice], **kw: Any) -> BaseException:
    options = {"timeout": 0.4, "retries": 1, "max_bytes": 4096, **kw}
    async with HumanloopClient(
        settings(base_url, **options), on_retry=notices.append, backoff=FAST
    ) as client:
        try:
            await client.get_log("data_test1")
        except InspectorError as exc:
            return exc
    raise AssertionError("the fetch did not fail")


@pytest.mark.parametrize("name", [*ERROR_PATHS, *NO_SERVER])
async def test_the_key_appears_nowhere(
    name: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    notices: list[RetryNotice] = []
    if name in NO_SERVER:
        error = await _fail(NO_SERVER[name](), notices)
    else:
        with FaultServer(ERROR_PATHS[name]) as server:
            error = await _fail(server.base_url, notices)
        assert all(r.headers.get("x-api-key") == KEY for r in server.requests)
    shown = _everything_shown(error, notices)
    captured = capsys.readouterr()
    assert "request" in caplog.text.lower() or name in NO_SERVER
    for text in (shown, caplog.text, captured.out, captured.err):
        assert KEY not in text
        assert "SECRET" not in text
    # Raised from our code, with no httpx or msgspec exception chained on.
    assert error.__cause__ is None
    assert error.__context__ is None or isinstance(error.__context__, InspectorError)


async def test_echoed_key_is_redacted_not_dropped() -> None:
    with FaultServer(_echo(401, _detail)) as server:
        error = await _fail(server.base_url, [])
    assert str(error).endswith("(server said: Invalid API key [redacted])")


async def test_settings_repr_hides_the_key() -> None:
    assert KEY not in repr(settings("https://x/v4"))
    client = HumanloopClient(settings("https://x/v4"))
    assert KEY not in repr(client)
    await client.aclose()


async def test_no_request_without_a_key() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        async with HumanloopClient(settings(server.base_url, api_key=None)) as client:
            with pytest.raises(MissingKeyError) as caught:
                await client.get_log("data_test1")
            with pytest.raises(MissingKeyError):
                await client.list_logs("pr_1")
    assert server.requests == []
    assert str(caught.value) == (
        "HUMANLOOP_API_KEY is not set: export your Humanloop API key in it to fetch logs "
        "(the key is read only from the environment)"
    )


def _counting_transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=LOG)

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    "base_url", ["http://example.com/v4", "http://10.0.0.8/v4", "http://api.humanloop.com.evil/v4"]
)
async def test_plain_http_to_another_host_is_refused(base_url: str) -> None:
    seen: list[httpx.Request] = []
    transport = _counting_transport(seen)
    async with HumanloopClient(settings(base_url), transport=transport) as client:
        with pytest.raises(InsecureURLError) as caught:
            await client.get_log("data_test1")
    assert seen == []
    host = httpx.URL(base_url).host
    assert str(caught.value) == (
        f"refusing to send the API key over plain http:// to {host}: use https://, or pass "
        "--insecure if you trust every network in between"
    )


@pytest.mark.parametrize(
    ("base_url", "insecure"),
    [
        ("http://example.com/v4", True),
        ("https://example.com/v4", False),
        ("http://localhost:8000/v4", False),
        ("http://127.0.0.2/v4", False),
        ("http://[::1]:8000/v4", False),
    ],
)
async def test_https_loopback_or_insecure_is_sent(base_url: str, insecure: bool) -> None:
    seen: list[httpx.Request] = []
    transport = _counting_transport(seen)
    async with HumanloopClient(
        settings(base_url, insecure=insecure), transport=transport
    ) as client:
        doc = await client.get_log("data_test1")
    assert doc.raw == LOG
    (request,) = seen
    assert request.headers["x-api-key"] == KEY
    assert KEY not in str(request.url)


@pytest.mark.parametrize(
    ("raised", "kind"),
    [
        (httpx.ConnectError("boom"), UnreachableError),
        (httpx.ReadError("reset"), UnreachableError),
        (httpx.WriteError("broken pipe"), UnreachableError),
        (httpx.ReadTimeout(""), FetchTimeoutError),
        (httpx.ConnectTimeout(""), FetchTimeoutError),
        (httpx.PoolTimeout(""), FetchTimeoutError),
        (httpx.RemoteProtocolError("illegal status line"), UnreachableError),
        (httpx.ProxyError("proxy said no"), UnreachableError),
        (httpx.UnsupportedProtocol("ftp"), UnreachableError),
        (httpx.LocalProtocolError("bad header"), UnreachableError),
    ],
)
async def test_no_httpx_exception_escapes(raised: httpx.HTTPError, kind: type[FetchError]) -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise raised

    transport = httpx.MockTransport(handle)
    async with HumanloopClient(
        settings("https://api.example/v4", retries=1), transport=transport, backoff=FAST
    ) as client:
        with pytest.raises(FetchError) as caught:
            await client.get_log("data_test1")
    assert type(caught.value) is kind
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert "\n" not in str(caught.value)
    assert str(caught.value)


async def test_cancelling_during_a_request_stops_at_once_without_retry() -> None:
    with FaultServer([Hang()]) as server:
        client = HumanloopClient(settings(server.base_url, timeout=30, retries=5), backoff=FAST)
        task = asyncio.create_task(client.get_log("data_test1"))
        while not server.requests:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        await client.aclose()
        await asyncio.sleep(0.1)
    assert len(server.requests) == 1


async def test_cancelling_during_the_backoff_wait_stops_at_once() -> None:
    notices: list[RetryNotice] = []
    slow = Backoff(base=30, cap=30)
    with FaultServer([Reply(503, b"")]) as server:
        client = HumanloopClient(
            settings(server.base_url, retries=5), on_retry=notices.append, backoff=slow
        )
        task = asyncio.create_task(client.get_log("data_test1"))
        while not notices:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        await client.aclose()
    assert len(server.requests) == 1
    assert notices[0].wait > 20


async def test_an_outer_timeout_is_not_mistaken_for_ours() -> None:
    # The caller's own deadline cancels the fetch; it must surface as the caller's TimeoutError.
    with FaultServer([Hang()]) as server:
        async with HumanloopClient(settings(server.base_url, timeout=30), backoff=FAST) as client:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await client.get_log("data_test1")
    assert len(server.requests) == 1


@pytest.mark.parametrize("base_url", ["not a url", "ftp://host/v4", "http://", "https://[::1"])
async def test_a_bad_base_url_given_directly_is_a_settings_error(base_url: str) -> None:
    with pytest.raises(SettingsError, match="the base URL is not an http"):
        HumanloopClient(settings(base_url))
