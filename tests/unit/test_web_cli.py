"""`inspector web` without a browser: who may connect, what each tab runs, what it warns."""

from __future__ import annotations

import io
import shlex
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from inspector.cli import web
from inspector.errors import UsageError


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_private(host: str, loopback: bool) -> None:
    assert web.is_loopback(host) is loopback
    assert (web.exposure_warning(host, 8000, uses_key=True) is None) is loopback


def test_the_warning_names_the_port_and_the_key_only_when_the_key_is_used() -> None:
    with_key = web.exposure_warning("0.0.0.0", 9000, uses_key=True)
    without = web.exposure_warning("0.0.0.0", 9000, uses_key=False)
    assert with_key is not None and without is not None
    assert "0.0.0.0:9000" in without and "anyone who can reach this port sees these logs" in without
    assert "HUMANLOOP_API_KEY" in with_key and "HUMANLOOP_API_KEY" not in without


def test_each_tab_runs_this_inspector_with_the_target_quoted(tmp_path: Path) -> None:
    odd = tmp_path / "a log; rm -rf ~ $(x).json"
    odd.write_text("{}")
    argv = web.serve_argv(str(odd), None, ["--timeout", "5.0"])
    command = web.app_command(argv)
    assert shlex.split(command) == [sys.executable, "-m", "inspector", str(odd), "--timeout", "5.0"]


def test_demo_and_projects_and_ids_pass_through() -> None:
    assert web.serve_argv("demo", None, []) == ["demo"]
    assert web.serve_argv("demo", "dev-copilot", []) == ["demo", "--project", "dev-copilot"]
    assert web.serve_argv(None, "pr_1", []) == ["--project", "pr_1"]
    assert web.serve_argv("data_abc", None, ["--insecure"]) == ["data_abc", "--insecure"]


def test_stdin_cannot_be_served() -> None:
    with pytest.raises(UsageError, match="stdin"):
        web.serve_argv("-", None, [])


def test_only_this_servers_pages_may_open_the_websocket() -> None:
    loopback = web.allowed_origins("http://127.0.0.1:8000", "127.0.0.1", 8000)
    assert loopback == {"http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"}
    wide = web.allowed_origins("http://box:8000", "0.0.0.0", 8000)
    assert wide == {"http://box:8000"}


class FakeServer:
    served: ClassVar[list[tuple[str, str, int]]] = []

    def __init__(self, command: str, host: str, port: int, title: str, url: str) -> None:
        self.args = (command, host, port)

    def serve(self) -> None:
        FakeServer.served.append(self.args)


def test_binding_beyond_loopback_warns_before_serving(monkeypatch: Any) -> None:
    monkeypatch.setattr(web, "make_server", FakeServer)
    err = io.StringIO()
    assert web.run_web(["data_abc", "--host", "0.0.0.0", "--port", "8123"], err) == 0
    assert "anyone who can reach this port sees these logs" in err.getvalue()
    assert "HUMANLOOP_API_KEY" in err.getvalue()
    command, host, port = FakeServer.served[-1]
    assert (host, port) == ("0.0.0.0", 8123)
    assert shlex.split(command)[-1] == "data_abc"


def test_the_default_is_loopback_and_quiet(monkeypatch: Any) -> None:
    monkeypatch.setattr(web, "make_server", FakeServer)
    err = io.StringIO()
    web.run_web(["demo"], err)
    assert err.getvalue() == ""
    assert FakeServer.served[-1][1:] == ("127.0.0.1", web.DEFAULT_PORT)
