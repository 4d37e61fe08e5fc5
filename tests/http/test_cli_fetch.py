"""`inspector show data_…` and `inspector serve` as a user runs them: subprocesses, real servers."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.conftest_http import KEY, Run, closed_port, inspector, log_bytes
from tests.support.conftest_http import isolated_http_env as isolated_http_env
from tests.support.faultserver import Drip, FaultServer, Hang, Reply, Truncate

LOG = log_bytes()
WITH_KEY = {"HUMANLOOP_API_KEY": KEY}
RETRY_LINE = re.compile(
    r"^inspector: HTTP 503 from 127\.0\.0\.1; retrying in \d+\.\d s \(attempt (\d) of 3\)$"
)


def show(base_url: str, *options: str, env: dict[str, str] | None = None) -> Run:
    return inspector("show", "data_test1", "--base-url", base_url, *options, env=env or WITH_KEY)


def error_line(run: Run) -> str:
    lines = run.stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[-1].startswith("inspector: error: "), run.stderr
    assert "Traceback" not in run.stderr
    return lines[-1].removeprefix("inspector: error: ")


def test_show_fetches_and_prints_the_log() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        run = show(server.base_url)
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("Log data_test1\n")
    assert run.stderr == ""
    assert server.requests[0].headers["x-api-key"] == KEY


def test_options_before_the_target_and_json_format() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        run = inspector(
            "show",
            "--timeout",
            "5",
            "--base-url",
            server.base_url,
            "-f",
            "json",
            "data_test1",
            env=WITH_KEY,
        )
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(LOG)


def test_base_url_from_the_environment() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        run = inspector(
            "show", "data_test1", env={**WITH_KEY, "HUMANLOOP_BASE_URL": server.base_url}
        )
    assert run.code == 0, run.stderr


def test_retries_are_shown_on_stderr_then_succeed() -> None:
    with FaultServer([Reply(503, b""), Reply(503, b""), Reply(200, LOG)]) as server:
        run = show(server.base_url)
    assert run.code == 0, run.stderr
    lines = run.stderr.splitlines()
    assert [RETRY_LINE.match(line).group(1) for line in lines] == ["2", "3"]  # type: ignore[union-attr]
    assert run.stdout.startswith("Log data_test1")


FAILURES = [
    (
        "401",
        [Reply(401, b'{"detail": "Invalid API key"}')],
        (),
        "HTTP 401 from 127.0.0.1: the API key in HUMANLOOP_API_KEY is missing",
    ),
    (
        "404",
        [Reply(404, b'{"detail": "Not found"}')],
        (),
        "no log with id data_test1 at 127.0.0.1 (HTTP 404)",
    ),
    (
        "422",
        [Reply(422, b'{"detail": [{"loc": ["path", "id"], "msg": "bad id", "type": "x"}]}')],
        (),
        "the server refused the request: path.id: bad id",
    ),
    (
        "429",
        [Reply(429, b"", [("retry-after-ms", "10")])],
        ("--retries", "1"),
        "rate limited by 127.0.0.1 (HTTP 429): gave up after 2 attempts",
    ),
    (
        "500",
        [Reply(500, b"")],
        ("--retries", "0"),
        "server error from 127.0.0.1 (HTTP 500 Internal Server Error); try again later",
    ),
    (
        "hang",
        [Hang()],
        ("--timeout", "1", "--retries", "0"),
        "no answer from 127.0.0.1:{port} within 1 s",
    ),
    ("drip", [Drip(LOG, 0.1)], ("--timeout", "1", "--retries", "0"), "did not finish within 1 s"),
    ("truncated", [Truncate(LOG[:30], len(LOG))], ("--retries", "0"), "was cut off after 30 bytes"),
    (
        "html",
        [Reply(200, b"<html>login</html>", content_type="text/html")],
        (),
        'is not JSON (content type text/html): "<html>login</html>"',
    ),
    ("too large", [Reply(200, LOG)], ("--max-size", "100"), "more than the 100 bytes limit"),
]


@pytest.mark.parametrize(
    ("name", "script", "options", "expected"), FAILURES, ids=[f[0] for f in FAILURES]
)
def test_each_failure_is_one_line_exit_1_within_the_deadline(
    name: str, script: list[object], options: tuple[str, ...], expected: str
) -> None:
    with FaultServer(script) as server:  # type: ignore[arg-type]
        run = show(server.base_url, *options)
    assert run.code == 1
    assert expected.format(port=server.port) in error_line(run)
    assert KEY not in run.stderr + run.stdout
    assert run.stdout == ""
    assert run.elapsed < 5


def test_closed_port() -> None:
    port = closed_port()
    run = show(f"http://127.0.0.1:{port}/v4", "--retries", "0")
    assert run.code == 1
    assert error_line(run) == (
        f"cannot reach 127.0.0.1:{port}: connection refused; check --base-url, that the server "
        "is running, and the network"
    )


def test_dns_failure() -> None:
    run = show("https://no-such-host.invalid/v4")
    assert run.code == 1
    assert error_line(run) == (
        "cannot reach no-such-host.invalid: the host name does not resolve; check --base-url"
    )


def test_missing_key_sends_nothing() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        run = show(server.base_url, env={"HUMANLOOP_API_KEY": ""})
    assert run.code == 1
    assert "HUMANLOOP_API_KEY is not set" in error_line(run)
    assert server.requests == []


def test_plain_http_elsewhere_needs_insecure() -> None:
    refused = show("http://no-such-host.invalid/v4")
    assert refused.code == 1
    assert error_line(refused).startswith(
        "refusing to send the API key over plain http:// to no-such-host.invalid"
    )
    allowed = show("http://no-such-host.invalid/v4", "--insecure")
    assert error_line(allowed).startswith("cannot reach no-such-host.invalid")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--timeout", "soon"),
        ("--timeout", "0"),
        ("--retries", "-1"),
        ("--retries", "99"),
        ("--max-size", "lots"),
    ],
)
def test_bad_option_values_are_usage_errors(option: str, value: str) -> None:
    run = inspector("show", "data_test1", option, value, env=WITH_KEY)
    assert run.code == 2
    assert run.stderr.splitlines()[-1].startswith(f"inspector: error: argument {option}: ")


def test_a_key_in_the_settings_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'api_key = "{KEY}"\n')
    run = inspector("show", "data_test1", env={**WITH_KEY, "INSPECTOR_CONFIG": str(path)})
    assert run.code == 1
    assert "looks like an API key" in error_line(run)
    assert KEY not in run.stderr


def test_ctrl_c_exits_130_quietly() -> None:
    with FaultServer([Hang()]) as server:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "inspector",
                "show",
                "data_test1",
                "--base-url",
                server.base_url,
            ],
            env={**os.environ, **WITH_KEY},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 10
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
    assert process.returncode == 130
    assert err == "inspector: interrupted\n"
    assert out == ""
    assert len(server.requests) == 1


def test_serve_then_show(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_bytes(LOG)
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector", "serve", str(tmp_path)],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.match(r"serving 1 logs from .* at (http://127\.0\.0\.1:\d+/v4)$", first.strip())
        assert match, first
        hint = re.match(r"try: HUMANLOOP_API_KEY=(\S+) inspector show", process.stdout.readline())
        assert hint, "the generated key is printed"
        refused = show(match.group(1), env={"HUMANLOOP_API_KEY": "anything"})
        assert refused.code == 1 and "401" in refused.stderr, "a key is required"
        run = show(match.group(1), env={"HUMANLOOP_API_KEY": hint.group(1)})
        assert run.code == 0, run.stderr
        assert run.stdout.startswith("Log data_test1")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
    assert process.returncode == 0
    assert out.endswith("stopped\n")
    assert '"GET /v4/logs/data_test1 HTTP/1.1" 200' in err
    assert "anything" not in err


def test_serve_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    run = inspector("serve", str(tmp_path / "nope"))
    assert run.code == 1
    assert error_line(run).endswith("nope: not a folder of log files")


def test_show_by_id_never_imports_textual() -> None:
    with FaultServer([Reply(200, LOG)]) as server:
        code = (
            "import sys\nfrom inspector.cli.main import main\n"
            f"status = main(['show', 'data_test1', '--base-url', {server.base_url!r}])\n"
            "sys.stderr.write(f'{status} {\"textual\" in sys.modules}')"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, **WITH_KEY},
            timeout=30,
        )
    assert done.stderr.strip().endswith("0 False"), done.stderr
