"""Fixtures for the HTTP tests: an isolated environment, a distinctive key, fast settings.

Imported by each HTTP test module (`from tests.support.conftest_http import *`), so these tests stay
isolated even without the shared conftest.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from inspector.api.retry import Backoff
from inspector.settings import Settings

#: A key no test output may ever contain.
KEY = "sk-test-SECRET-5b9e1f3c7a2d4e6f"
#: Fast backoff so retry tests take milliseconds; the real policy is unit-tested in test_retry.
FAST = Backoff(base=0.01, cap=0.02)

_ENV_TO_CLEAR = (
    "HUMANLOOP_API_KEY",
    "HUMANLOOP_BASE_URL",
    "NO_COLOR",
    "FORCE_COLOR",
    # A proxy from the developer's shell would reroute loopback requests.
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture(autouse=True)
def isolated_http_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No HUMANLOOP_* variables, no proxy, and a settings file path that does not exist."""
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSPECTOR_CONFIG", str(tmp_path / "no-such-config.toml"))
    yield


def settings(base_url: str, **overrides: Any) -> Settings:
    """Settings for a test server: the test key, a 1 s deadline, 2 retries."""
    values: dict[str, Any] = {"base_url": base_url, "timeout": 1.0, "retries": 2, "api_key": KEY}
    values.update(overrides)
    return Settings(**values)


def log_bytes(log_id: str = "data_test1", **fields: Any) -> bytes:
    """A small valid log as JSON bytes, with an unknown field to prove bytes are kept."""
    log: dict[str, Any] = {
        "id": log_id,
        "config": {"type": "model", "id": "config_1", "model": "gpt-4o", "provider": "openai"},
        "evaluation_results": [],
        "observability_status": "completed",
        "updated_at": "2024-09-18T14:03:12Z",
        "created_at": "2024-09-18T14:03:10Z",
        "project_id": "pr_test",
        "output": "The weather is sunny.",
        "messages": [{"role": "user", "content": "What is the weather?"}],
        "x_unknown_field": {"kept": True},
    }
    log.update(fields)
    return json.dumps(log, indent=1).encode()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class Run:
    """A finished `inspector` subprocess."""

    code: int
    stdout: str
    stderr: str
    elapsed: float


def inspector(*args: str, env: dict[str, str] | None = None, timeout: float = 30) -> Run:
    """Run `python -m inspector ARGS` with the test's environment plus `env`."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
