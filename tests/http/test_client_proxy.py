"""The key and the network: proxies, a password in the base URL, names under `.localhost`."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from inspector.api.client import HumanloopClient
from inspector.api.server import LogServer
from inspector.errors import FetchError, InsecureURLError, LogDecodeError, SettingsError
from inspector.settings import load_settings
from tests.support.conftest_http import KEY, log_bytes, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env

PASSWORD = "s3cret-pw-9f2"


class Recorder:
    """A would-be proxy on loopback: records every byte sent to it, answers nothing."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    self.received.extend(conn.recv(65536))


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, recorder.url)
    yield recorder
    recorder.sock.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LogServer]:
    (tmp_path / "log.json").write_bytes(log_bytes("data_test1"))
    (tmp_path / "broken.json").write_bytes(b'{"id": "data_broken", "messages": 3}')
    with LogServer(tmp_path, api_key=KEY) as running:
        yield running


async def test_loopback_never_goes_through_a_proxy(proxy: Recorder, server: LogServer) -> None:
    async with HumanloopClient(settings(server.base_url)) as client:
        doc = await client.get_log("data_test1")
    assert doc.log.id == "data_test1"
    assert bytes(proxy.received) == b"", "the proxy saw the request (and the key)"


async def test_an_https_api_through_a_plain_proxy_is_tunnelled(proxy: Recorder) -> None:
    async with HumanloopClient(settings("https://api.example.invalid/v4", retries=0)) as client:
        with pytest.raises(FetchError):
            await client.get_log("data_test1")
    assert bytes(proxy.received).startswith(b"CONNECT api.example.invalid:443")
    assert KEY.encode() not in proxy.received


async def test_a_password_in_the_base_url_is_never_shown(server: LogServer) -> None:
    base = server.base_url.replace("http://", f"http://user:{PASSWORD}@")
    async with HumanloopClient(settings(base)) as client:
        assert PASSWORD not in repr(client)
        with pytest.raises(LogDecodeError) as caught:
            await client.get_log("data_broken")
    assert "127.0.0.1" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    with pytest.raises(SettingsError) as bad:
        load_settings(flags={"base_url": f"ftp://user:{PASSWORD}@host/v4"}, environ={})
    assert PASSWORD not in str(bad.value)


def fake_resolver(address: str) -> Any:
    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0))]

    return getaddrinfo


def mock_transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=log_bytes("data_test1"))

    return httpx.MockTransport(handle)


async def test_a_localhost_name_that_resolves_elsewhere_is_not_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver("93.184.216.34"))
    seen: list[httpx.Request] = []
    base = "http://evil.localhost:8000/v4"
    async with HumanloopClient(settings(base), transport=mock_transport(seen)) as client:
        with pytest.raises(InsecureURLError):
            await client.get_log("data_test1")
    assert seen == []


async def test_a_localhost_name_that_resolves_to_loopback_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver("127.0.0.1"))
    seen: list[httpx.Request] = []
    base = "http://app.localhost:8000/v4"
    async with HumanloopClient(settings(base), transport=mock_transport(seen)) as client:
        await client.get_log("data_test1")
    assert len(seen) == 1
