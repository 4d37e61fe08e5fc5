"""`inspector web` for real: a server process, Chromium on its page, the app drawn in it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import browser_context

SAMPLE = Path(__file__).parents[2] / "inspector" / "samples" / "weather-parallel-tools.json"
SAMPLE_ID = json.loads(SAMPLE.read_text())["id"]
#: What each served target draws first: a log's id in its header, or a row of the demo list.
TARGETS = {str(SAMPLE): SAMPLE_ID, "demo": "data_PXtNhYF6T5yDiNGbAvBvj"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module", params=["demo", str(SAMPLE)], ids=["demo", "file"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """`inspector web TARGET` on a free loopback port, stopped (with its tabs) afterwards."""
    target: str = request.param
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector", "web", target, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                process.kill()
                pytest.fail(f"inspector web did not start:\n{output}")
            time.sleep(0.1)
    try:
        yield url, TARGETS[target]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_page_loads_and_draws_the_log(served: tuple[str, str], tmp_path: Path) -> None:
    server, expected = served
    received: list[bytes] = []
    requests: list[str] = []

    def on_websocket(socket: Any) -> None:
        socket.on("framereceived", lambda frame: received.append(_bytes(frame)))

    with browser_context(tmp_path / "profile", viewport={"width": 1200, "height": 800}) as context:
        page = context.new_page()
        page.on("websocket", on_websocket)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server)
        # The app's screen reaches the page as terminal output over the websocket; wait
        # until the header with the log's id has been drawn.
        page.wait_for_function("document.querySelector('canvas') !== null", timeout=30_000)
        deadline = time.monotonic() + 30
        while expected.encode() not in b"".join(received) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert expected.encode() in b"".join(received)
    # Everything the page loads comes from this server: no fonts or scripts from elsewhere.
    assert requests and all(url.startswith(f"{server}/") for url in requests), requests


def _bytes(frame: str | bytes) -> bytes:
    return frame if isinstance(frame, bytes) else frame.encode()


@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_another_sites_page_cannot_open_the_app(
    served: tuple[str, str], origin: str | None
) -> None:
    server, _ = served
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    if origin is not None:
        headers["Origin"] = origin
    response = httpx.get(f"{server}/ws?width=80&height=24", headers=headers)
    assert response.status_code == 403
