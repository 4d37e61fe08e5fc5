"""The client reading bodies: compression, size caps, gzip bombs, and answers that are not logs."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from typing import Any

import pytest

from inspector.api.client import HumanloopClient
from inspector.errors import BadResponseError, FetchError, LogDecodeError, TooLargeError
from tests.support.conftest_http import FAST, log_bytes, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env
from tests.support.faultserver import FaultServer, Reply, gzip_reply

LOG = log_bytes()
MIB = 1024 * 1024


async def get(base_url: str, **overrides: Any) -> Any:
    async with HumanloopClient(settings(base_url, **overrides), backoff=FAST) as client:
        return await client.get_log("data_test1")


async def fails(base_url: str, **overrides: Any) -> FetchError | LogDecodeError:
    with pytest.raises((FetchError, LogDecodeError)) as caught:
        await get(base_url, **overrides)
    return caught.value


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(LOG)),
        ("x-gzip", gzip.compress(LOG)),
        ("deflate", zlib.compress(LOG)),
        ("deflate", _raw_deflate(LOG)),
        ("identity", LOG),
    ],
    ids=["gzip", "x-gzip", "zlib-deflate", "raw-deflate", "identity"],
)
async def test_compressed_answers_are_inflated(encoding: str, body: bytes) -> None:
    with FaultServer([Reply(200, body, [("Content-Encoding", encoding)])]) as server:
        doc = await get(server.base_url)
    assert doc.raw == LOG


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [("gzip", gzip.compress(LOG)), ("deflate", zlib.compress(LOG)), ("deflate", _raw_deflate(LOG))],
    ids=["gzip", "zlib-deflate", "raw-deflate"],
)
async def test_compressed_body_split_into_single_bytes(encoding: str, packed: bytes) -> None:
    chunks = [packed[i : i + 1] for i in range(len(packed))]
    with FaultServer([Reply(200, chunks=chunks, headers=[("Content-Encoding", encoding)])]) as s:
        doc = await get(s.base_url)
    assert doc.raw == LOG


async def test_gzip_bomb_stops_at_the_cap_without_inflating_it() -> None:
    bomb = gzip_reply(b"\0" * (50 * MIB))
    assert len(bomb.body) < 64 * 1024
    with FaultServer([bomb]) as server:
        tracemalloc.start()
        try:
            error = await fails(server.base_url, max_bytes=1 * MIB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert isinstance(error, TooLargeError)
    assert str(error) == (
        "the answer from 127.0.0.1 is larger than the 1 MiB limit once decompressed; stopped "
        "reading; raise the limit with --max-size if you trust it"
    )
    # Inflating all of it would need 50 MiB; stopping at the cap needs a few.
    assert peak < 8 * MIB
    assert len(server.requests) == 1


async def test_declared_size_over_the_cap_is_refused_before_reading() -> None:
    big = b"x" * (2 * MIB)
    with FaultServer([Reply(200, big)]) as server:
        error = await fails(server.base_url, max_bytes=1 * MIB)
    assert isinstance(error, TooLargeError)
    assert str(error) == (
        "the answer from 127.0.0.1 is 2 MiB (Content-Length), more than the 1 MiB limit; "
        "raise it with --max-size if you trust it"
    )
    assert len(server.requests) == 1


async def test_chunked_body_over_the_cap_is_stopped_while_streaming() -> None:
    chunks = [b"x" * 65536] * 40
    with FaultServer([Reply(200, chunks=chunks)]) as server:
        started = time.monotonic()
        error = await fails(server.base_url, max_bytes=1 * MIB)
    assert isinstance(error, TooLargeError)
    assert "larger than the 1 MiB limit; stopped reading" in str(error)
    assert time.monotonic() - started < 2


async def test_body_exactly_at_the_cap_is_accepted() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        doc = await get(server.base_url, max_bytes=len(LOG))
    assert doc.raw == LOG


async def test_unknown_encoding_is_refused_clearly() -> None:
    with FaultServer([Reply(200, b"???", [("Content-Encoding", "br")])]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error) == (
        "the answer from 127.0.0.1 is compressed as 'br', which inspector cannot read "
        "(it asks for gzip or deflate)"
    )


async def test_corrupt_gzip_is_reported() -> None:
    with FaultServer([Reply(200, b"not gzip at all", [("Content-Encoding", "gzip")])]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error) == (
        "the answer from 127.0.0.1 says it is gzip-compressed but is not valid gzip data"
    )


async def test_gzip_that_ends_early_is_reported() -> None:
    cut = gzip.compress(LOG)[:-12]
    with FaultServer([Reply(200, cut, [("Content-Encoding", "gzip")])]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error).startswith("the gzip-compressed answer from 127.0.0.1 ends early")


async def test_html_with_200_shows_status_content_type_and_a_sanitised_excerpt() -> None:
    page = b"<!doctype html>\n<html><title>\x1b]0;owned\x07Login</title></html>"
    with FaultServer([Reply(200, page, content_type="text/html; charset=utf-8")]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error) == (
        "HTTP 200 from 127.0.0.1 is not JSON (content type text/html; charset=utf-8): "
        '"<!doctype html> <html><title>\\x1b]0;owned\\x07Login</title></html>"; '
        "is --base-url the API (it usually ends in /v4)?"
    )
    assert error.status == 200


async def test_empty_body_with_200() -> None:
    with FaultServer([Reply(200, b"")]) as server:
        error = await fails(server.base_url)
    assert str(error) == (
        "HTTP 200 from 127.0.0.1 has an empty body (content type application/json)"
    )


async def test_malformed_json_says_where() -> None:
    with FaultServer([Reply(200, b'{"id": "data_test1",}')]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert str(error).startswith(
        "HTTP 200 from 127.0.0.1 is not valid JSON (content type application/json): "
        "malformed JSON at line 1, column"
    )


async def test_a_log_that_breaks_the_model_is_read_in_part_with_a_path() -> None:
    body = log_bytes(messages=[{"role": 5}])
    with FaultServer([Reply(200, body)]) as server:
        doc = await get(server.base_url)
    assert doc.raw == body
    assert doc.problems == ("expected str, got int at $.messages[0].role",)


async def test_json_that_is_not_a_log_is_a_decode_error() -> None:
    with FaultServer([Reply(200, b'{"id": "data_test1", "hello": 1}')]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, LogDecodeError)
    assert str(error).startswith(f"{server.base_url}/logs/data_test1: not a Humanloop log: ")


async def test_invalid_utf8_body_is_not_json() -> None:
    with FaultServer([Reply(200, b'{"id": "\xff\xfe"}')]) as server:
        error = await fails(server.base_url)
    assert isinstance(error, BadResponseError)
    assert "not valid UTF-8" in str(error)


async def test_an_error_body_in_an_unknown_encoding_keeps_the_status_meaning() -> None:
    script = [Reply(503, b"??", [("Content-Encoding", "br")]), Reply(200, LOG)]
    with FaultServer(script) as server:
        doc = await get(server.base_url)
    assert doc.raw == LOG
    assert len(server.requests) == 2


async def test_a_gzipped_error_detail_is_read() -> None:
    body = gzip.compress(b'{"detail": "no such log here"}')
    with FaultServer([Reply(404, body, [("Content-Encoding", "gzip")])]) as server:
        error = await fails(server.base_url)
    assert str(error).endswith("(server said: no such log here)")
