"""The client against a real loopback server: statuses, retries, deadlines, broken connections."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from inspector import __version__
from inspector.api.client import HumanloopClient
from inspector.api.retry import RetryNotice
from inspector.errors import (
    AuthError,
    BadResponseError,
    FetchError,
    FetchTimeoutError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    ServerError,
    TruncatedError,
    UnreachableError,
)
from tests.support.conftest_http import FAST, KEY, closed_port, log_bytes, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env
from tests.support.faultserver import (
    Close,
    Drip,
    FaultServer,
    Hang,
    Reply,
    Truncate,
    json_reply,
)

LOG = log_bytes()


async def fetch(base_url: str, log_id: str = "data_test1", **overrides: Any) -> Any:
    notices: list[RetryNotice] = []
    async with HumanloopClient(
        settings(base_url, **overrides), on_retry=notices.append, backoff=FAST
    ) as client:
        doc = await client.get_log(log_id)
    return doc, notices


async def fails(base_url: str, **overrides: Any) -> tuple[FetchError, list[RetryNotice]]:
    notices: list[RetryNotice] = []
    async with HumanloopClient(
        settings(base_url, **overrides), on_retry=notices.append, backoff=FAST
    ) as client:
        with pytest.raises(FetchError) as caught:
            await client.get_log("data_test1")
    return caught.value, notices


async def test_success_keeps_exact_bytes_and_sends_the_right_headers() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert doc.log.id == "data_test1"
    assert doc.source == f"{server.base_url}/logs/data_test1"
    assert notices == []
    (request,) = server.requests
    assert request.method == "GET"
    assert request.target == "/v4/logs/data_test1"
    assert request.headers["x-api-key"] == KEY
    assert request.headers["user-agent"] == f"inspector/{__version__}"
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert "authorization" not in request.headers
    assert KEY not in request.target


async def test_log_id_is_quoted_into_one_path_segment() -> None:
    with FaultServer([Reply(404, b'{"detail": "nope"}')]) as server, pytest.raises(NotFoundError):
        async with HumanloopClient(settings(server.base_url), backoff=FAST) as client:
            await client.get_log("data_a/../b?c")
    assert server.requests[0].target == "/v4/logs/data_a%2F..%2Fb%3Fc"


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_failures_name_the_variable_and_are_not_retried(status: int) -> None:
    body = json.dumps({"detail": "Invalid API key"}).encode()
    with FaultServer([json_reply(status, body)]) as server:
        error, notices = await fails(server.base_url)
    assert isinstance(error, AuthError)
    assert str(error) == (
        f"HTTP {status} from 127.0.0.1: the API key in HUMANLOOP_API_KEY is missing, invalid or "
        "not allowed to read this; check the key (server said: Invalid API key)"
    )
    assert (error.status, error.attempts) == (status, 1)
    assert len(server.requests) == 1
    assert notices == []


async def test_not_found_names_the_id_and_is_not_retried() -> None:
    with FaultServer([json_reply(404, b'{"detail": "Log not found"}')]) as server:
        error, _ = await fails(server.base_url)
    assert isinstance(error, NotFoundError)
    assert str(error) == (
        "no log with id data_test1 at 127.0.0.1 (HTTP 404); check the id, and --base-url if the "
        "log lives elsewhere (server said: Log not found)"
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            400,
            b'{"detail": "Bad id"}',
            "HTTP 400 Bad Request from 127.0.0.1: the server refused the request: Bad id",
        ),
        (422, b"{}", "HTTP 422 Unprocessable Entity from 127.0.0.1"),
        (418, b"<html>teapot</html>", "HTTP 418 I'm a teapot from 127.0.0.1"),
    ],
)
async def test_other_client_errors_are_refusals_not_retried(
    status: int, body: bytes, message: str
) -> None:
    with FaultServer([json_reply(status, body)]) as server:
        error, _ = await fails(server.base_url)
    assert isinstance(error, RejectedError)
    assert str(error) == message
    assert len(server.requests) == 1


DETAILS = [
    ({"detail": "Log id must start with data_"}, "Log id must start with data_"),
    ({"detail": {"description": "described"}}, "described"),
    ({"detail": {"message": "with message"}}, "with message"),
    ({"detail": {"msg": "with msg"}}, "with msg"),
    (
        {
            "detail": {
                "type": "unprocessable_entity_error",
                "message": "Too long",
                "origin": "OpenAI",
            }
        },
        "OpenAI: Too long",
    ),
    (
        {
            "detail": [
                {"loc": ["path", "id"], "msg": "field required", "type": "value_error.missing"}
            ]
        },
        "path.id: field required",
    ),
    (
        {
            "detail": [
                {"loc": ["query", "page"], "msg": "not an integer", "type": "type_error"},
                {"loc": ["query", "size", 0], "msg": "too small", "type": "value_error"},
            ]
        },
        "query.page: not an integer; query.size.0: too small",
    ),
    (
        {"detail": [{"loc": ["q", str(n)], "msg": "bad", "type": "t"} for n in range(6)]},
        "q.0: bad; q.1: bad; q.2: bad; q.3: bad; and 2 more",
    ),
    ({"detail": "line one\n\x1b[2Jline two"}, "line one \\x1b[2Jline two"),
]


@pytest.mark.parametrize(("payload", "shown"), DETAILS)
async def test_422_quotes_every_shape_of_detail(payload: Any, shown: str) -> None:
    with FaultServer([json_reply(422, json.dumps(payload).encode())]) as server:
        error, _ = await fails(server.base_url)
    assert isinstance(error, RejectedError)
    assert str(error) == (
        f"HTTP 422 Unprocessable Entity from 127.0.0.1: the server refused the request: {shown}"
    )
    assert "\n" not in str(error)


async def test_rate_limited_gives_up_after_every_attempt() -> None:
    with FaultServer([json_reply(429, b'{"detail": "slow down"}')]) as server:
        error, notices = await fails(server.base_url, retries=2)
    assert isinstance(error, RateLimitedError)
    assert str(error) == (
        "rate limited by 127.0.0.1 (HTTP 429): gave up after 3 attempts; wait a minute, "
        "then try again"
    )
    assert (error.status, error.attempts) == (429, 3)
    assert len(server.requests) == 3
    assert [(n.attempt, n.attempts, n.reason) for n in notices] == [
        (2, 3, "HTTP 429 from 127.0.0.1"),
        (3, 3, "HTTP 429 from 127.0.0.1"),
    ]


@pytest.mark.parametrize("retries", [0, 1, 3])
async def test_server_error_forever_gives_up_after_retries_plus_one(retries: int) -> None:
    with FaultServer([Reply(500, b"oops", content_type="text/plain")]) as server:
        error, notices = await fails(server.base_url, retries=retries)
    assert isinstance(error, ServerError)
    assert len(server.requests) == retries + 1
    assert len(notices) == retries
    tries = f": gave up after {retries + 1} attempts" if retries else ""
    assert str(error) == (
        f"server error from 127.0.0.1 (HTTP 500 Internal Server Error){tries}; try again later"
    )


async def test_503_twice_then_success() -> None:
    script = [Reply(503, b'{"detail": "busy"}'), Reply(503, b""), Reply(200, LOG)]
    with FaultServer(script) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert len(server.requests) == 3
    assert [n.describe()[:58] for n in notices] == [
        "HTTP 503 from 127.0.0.1 on attempt 1 of 3; trying again in",
        "HTTP 503 from 127.0.0.1 on attempt 2 of 3; trying again in",
    ]
    assert [n.attempt for n in notices] == [2, 3]


@pytest.mark.parametrize("status", [408, 409, 502])
async def test_transient_statuses_are_retried(status: int) -> None:
    with FaultServer([Reply(status, b""), Reply(200, LOG)]) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert len(server.requests) == 2
    assert notices[0].reason == f"HTTP {status} from 127.0.0.1"


async def test_retry_after_ms_is_honoured() -> None:
    script = [Reply(429, b"", [("retry-after-ms", "250")]), Reply(200, LOG)]
    with FaultServer(script) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert [n.wait for n in notices] == [0.25]
    first, second = server.requests
    assert second.at - first.at >= 0.24


async def test_retry_after_seconds_is_honoured() -> None:
    script = [Reply(503, b"", [("Retry-After", "1")]), Reply(200, LOG)]
    with FaultServer(script) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert [n.wait for n in notices] == [1.0]
    assert len(server.requests) == 2
    assert server.requests[1].at - server.requests[0].at >= 0.99


async def test_redirect_is_not_followed_and_says_where() -> None:
    script = [Reply(301, b"", [("Location", "https://new.example/v4/logs/data_test1")])]
    with FaultServer(script) as server:
        error, _ = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error) == (
        "HTTP 301 from 127.0.0.1: redirected to https://new.example/v4/logs/data_test1; if that "
        "is the right server, use it as --base-url"
    )
    assert len(server.requests) == 1


async def test_hang_ends_at_the_deadline() -> None:
    with FaultServer([Hang()]) as server:
        started = time.monotonic()
        error, notices = await fails(server.base_url, timeout=0.5, retries=0)
        elapsed = time.monotonic() - started
    assert isinstance(error, FetchTimeoutError)
    assert str(error) == (
        f"no answer from 127.0.0.1:{server.port} within 0.5 s; raise --timeout, or check the "
        "server and the network"
    )
    assert 0.45 < elapsed < 1.5
    assert notices == []


async def test_hang_is_retried_and_every_attempt_has_the_deadline() -> None:
    with FaultServer([Hang()]) as server:
        started = time.monotonic()
        error, notices = await fails(server.base_url, timeout=0.3, retries=2)
        elapsed = time.monotonic() - started
    assert isinstance(error, FetchTimeoutError)
    assert "within 0.3 s: gave up after 3 attempts;" in str(error)
    assert len(server.requests) == 3
    assert [n.reason for n in notices] == [
        f"no answer from 127.0.0.1:{server.port} within 0.3 s"
    ] * 2
    assert 0.85 < elapsed < 2.5


async def test_drip_is_stopped_by_the_deadline_not_by_per_read_timeouts() -> None:
    # One byte every 0.1 s never trips httpx's per-read timeout; only a real deadline ends it.
    with FaultServer([Drip(LOG, interval=0.1)]) as server:
        started = time.monotonic()
        error, _ = await fails(server.base_url, timeout=0.6, retries=0)
        elapsed = time.monotonic() - started
    assert isinstance(error, FetchTimeoutError)
    assert str(error).startswith(
        f"the answer from 127.0.0.1:{server.port} did not finish within 0.6 s (HTTP 200, "
    )
    assert 0.55 < elapsed < 1.6


async def test_truncated_body_is_retried_then_reported() -> None:
    with FaultServer([Truncate(LOG[:50], declared=len(LOG))]) as server:
        error, notices = await fails(server.base_url)
    assert isinstance(error, TruncatedError)
    assert str(error) == (
        f"the answer from 127.0.0.1:{server.port} was cut off after 50 bytes (HTTP 200): "
        "gave up after 3 attempts; try again"
    )
    assert len(server.requests) == 3
    assert len(notices) == 2


async def test_truncated_body_then_success() -> None:
    with FaultServer([Truncate(LOG[:10], declared=len(LOG)), Reply(200, LOG)]) as server:
        doc, notices = await fetch(server.base_url)
    assert doc.raw == LOG
    assert notices[0].reason == f"the answer from 127.0.0.1:{server.port} was cut off"


async def test_truncated_chunked_body_is_cut_off() -> None:
    raw = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"id": "data_te'
    from tests.support.faultserver import Raw

    with FaultServer([Raw(raw)]) as server:
        error, _ = await fails(server.base_url, retries=0)
    assert isinstance(error, TruncatedError)


async def test_connection_closed_without_an_answer() -> None:
    with FaultServer([Close()]) as server:
        error, notices = await fails(server.base_url, retries=1)
    assert isinstance(error, UnreachableError)
    assert str(error) == (
        f"127.0.0.1:{server.port} closed the connection without answering: gave up after 2 "
        "attempts; check that --base-url is the API, then try again"
    )
    assert notices[0].reason == f"127.0.0.1:{server.port} closed the connection without answering"
    assert len(server.requests) == 2
    assert len(notices) == 1


async def test_closed_port_cannot_reach_the_host() -> None:
    port = closed_port()
    started = time.monotonic()
    error, notices = await fails(f"http://127.0.0.1:{port}/v4")
    assert isinstance(error, UnreachableError)
    assert str(error) == (
        f"cannot reach 127.0.0.1:{port}: connection refused: gave up after 3 attempts; check "
        "--base-url, that the server is running, and the network"
    )
    assert [n.reason for n in notices] == [f"cannot reach 127.0.0.1:{port}: connection refused"] * 2
    assert time.monotonic() - started < 2


async def test_dns_failure_is_not_retried() -> None:
    started = time.monotonic()
    error, notices = await fails("https://no-such-host.invalid/v4")
    assert isinstance(error, UnreachableError)
    assert str(error) == (
        "cannot reach no-such-host.invalid: the host name does not resolve; check --base-url"
    )
    assert notices == []
    assert time.monotonic() - started < 5
