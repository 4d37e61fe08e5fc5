"""`inspector serve` against hostile clients and odd folders: nothing leaks, nothing hangs."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from inspector.api import guarded
from inspector.api.server import LogServer
from tests.support.conftest_http import KEY, log_bytes
from tests.support.conftest_http import isolated_http_env as isolated_http_env


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_bytes(log_bytes("data_good"))
    return logs


@pytest.fixture
def server(folder: Path) -> Iterator[LogServer]:
    with LogServer(folder, api_key=KEY, log=io.StringIO()) as running:
        yield running


def address(server: LogServer) -> tuple[str, int]:
    found = re.match(r"http://([\d.]+):(\d+)/", server.base_url)
    assert found
    return found.group(1), int(found.group(2))


def raw_request(server: LogServer, data: bytes) -> bytes:
    with socket.create_connection(address(server), timeout=10) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
            if b"\r\n\r\n" in received:
                break
        return received


def test_every_logged_line_is_sanitised(server: LogServer) -> None:
    host, port = address(server)
    raw_request(
        server,
        b"GET /v4/logs/\x1b]0;pwned\x07\x1b[2J HTTP/1.1\r\n"
        + f"Host: {host}:{port}\r\nX-API-KEY: {KEY}\r\nConnection: close\r\n\r\n".encode(),
    )
    log = server._log
    assert isinstance(log, io.StringIO)
    written = log.getvalue()
    assert "GET /v4/logs/" in written
    assert "\x1b" not in written and "\x07" not in written
    assert "\\x1b]0;pwned" in written


def test_a_link_out_of_the_folder_is_not_served(folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "credentials"
    secret.write_text('{"id": "creds", "aws_secret": "hunter2"}')
    (folder / "creds.json").symlink_to(secret)
    (folder / "inside.json").symlink_to(folder / "good.json")
    with LogServer(folder, api_key=KEY) as server:
        answer = httpx.get(f"{server.base_url}/logs/creds", headers={"X-API-KEY": KEY})
        assert answer.status_code == 404
        assert "hunter2" not in answer.text
        assert "creds.json: skipped: a link to a file outside the folder" in server.notes
        assert server.log_ids == ["data_good"], "a link inside the folder is fine"


def test_a_host_that_is_not_ours_is_refused(server: LogServer) -> None:
    url = f"{server.base_url}/logs/data_good"
    headers = {"X-API-KEY": KEY}
    rebound = httpx.get(url, headers={**headers, "Host": "evil.example"})
    assert rebound.status_code == 421
    assert "data_good" not in rebound.text
    port = address(server)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert httpx.get(url, headers={**headers, "Host": host}).status_code == 200
    assert httpx.get(url, headers={**headers, "Host": "127.0.0.1:1"}).status_code == 421


def test_a_fifo_or_a_folder_named_x_json_never_stops_the_start(folder: Path) -> None:
    os.mkfifo(folder / "fifo.json")
    (folder / "dir.json").mkdir()
    (folder / "loop.json").symlink_to("loop.json")
    server = LogServer(folder, api_key=KEY)
    # Before, reading the FIFO waited for a writer for ever.
    starting = threading.Thread(target=server.start, daemon=True)
    starting.start()
    starting.join(20)
    assert not starting.is_alive(), "the start hangs"
    try:
        assert server.log_ids == ["data_good"]
        assert sorted(server.notes) == [
            "dir.json: skipped: a folder",
            "fifo.json: skipped: a FIFO (named pipe)",
            "loop.json: skipped: a symlink loop",
        ]
    finally:
        server.stop()


def test_serve_reports_bad_entries_instead_of_cannot_listen(folder: Path) -> None:
    (folder / "dir.json").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector", "serve", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("serving 1 logs from ")
        assert process.stdout.readline().strip() == "dir.json: skipped: a folder"
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_too_many_idle_connections_are_closed_not_queued(server: LogServer) -> None:
    idle = [
        socket.create_connection(address(server), timeout=20)
        for _ in range(guarded.MAX_CONNECTIONS)
    ]
    try:
        with socket.create_connection(address(server), timeout=20) as extra:
            # The server closes the one over the cap at once.
            assert extra.recv(100) == b""
    finally:
        for conn in idle:
            conn.close()


def test_an_idle_connection_is_dropped_after_the_timeout(server: LogServer) -> None:
    with socket.create_connection(address(server), timeout=guarded.TIMEOUT + 20) as conn:
        assert conn.recv(100) == b"", "the server closes an idle connection"
    answer = httpx.get(f"{server.base_url}/logs/data_good", headers={"X-API-KEY": KEY})
    assert answer.status_code == 200
