"""`inspector show` filters, `--stats`, jsonl/csv/curl, and `inspector diff`, run as a user."""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import exports

COUNT = 30
LOGS = exports.make_logs(COUNT)
SAMPLES = Path(__file__).parents[2] / "inspector" / "samples"


def inspector(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS))
    return path


def ids(stdout: bytes) -> list[str]:
    return [line.split()[0] for line in stdout.decode().splitlines()]


def test_filters_pick_lines(export: Path) -> None:
    result = inspector("show", str(export), "--errors", "--model", "gpt-4o-mini")
    assert result.returncode == 0, result.stderr
    want = [
        log["id"] for log in LOGS if "error" in log and log["config"].get("model") == "gpt-4o-mini"
    ]
    assert want and ids(result.stdout) == want
    search = inspector("show", str(export), "--search", "refund")
    assert ids(search.stdout) == [log["id"] for i, log in enumerate(LOGS) if i % 5 == 0]


def test_since_and_until_with_dates_and_spans(export: Path) -> None:
    result = inspector(
        "show", str(export), "--since", "2024-09-20T11:00Z", "--until", "2024-09-20T11:30Z"
    )
    assert result.returncode == 0, result.stderr
    assert 0 < len(ids(result.stdout)) < COUNT
    # The logs are from 2024: none is from the last 7 days.
    assert inspector("show", str(export), "--since", "7d").stdout == b""
    bad = inspector("show", str(export), "--since", "last tuesday")
    assert bad.returncode == 2 and b"not a date" in bad.stderr


def test_stats_text_and_json(export: Path) -> None:
    text = inspector("show", str(export), "--stats")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.decode().splitlines()
    assert lines[0] == f"logs      {COUNT}"
    assert lines[1].startswith("errors    6 (20.0%)")
    assert any(line.startswith("gpt-4o-mini ") for line in lines)
    result = inspector("show", str(export), "--stats", "--format", "json", "--errors")
    stats = json.loads(result.stdout)
    assert stats["count"] == stats["errors"] == 6
    assert set(stats["latency"]) == {"p50", "p95", "max"}
    assert sum(group["count"] for group in stats["by_model"]) == 6
    wrong = inspector("show", str(export), "--stats", "--format", "csv")
    assert wrong.returncode == 2 and b"--stats prints text or json" in wrong.stderr


def test_jsonl_is_the_stored_lines_and_matches_jq(export: Path) -> None:
    result = inspector("show", str(export), "--format", "jsonl", "--status", "failed")
    assert result.returncode == 0, result.stderr
    stored = [exports.encode(log) for log in LOGS if log["observability_status"] == "failed"]
    assert result.stdout.splitlines() == stored


def test_csv_has_a_header_and_a_row_per_log(export: Path) -> None:
    result = inspector("show", str(export), "--format", "csv", "--search", "invoice")
    rows = list(csv.reader(io.StringIO(result.stdout.decode())))
    assert rows[0][:8] == [
        "id",
        "created",
        "model",
        "status",
        "tokens",
        "cost",
        "latency",
        "output",
    ]
    assert [row[0] for row in rows[1:]] == [log["id"] for i, log in enumerate(LOGS) if i % 5 == 1]


def test_one_log_refuses_many_log_options_and_prints_curl() -> None:
    one = str(SAMPLES / "ticket-triage-structured.json")
    refused = inspector("show", one, "--stats")
    assert refused.returncode == 2 and b"holds one log" in refused.stderr
    curl = inspector("show", one, "--format", "curl")
    assert curl.returncode == 0, curl.stderr
    words = shlex.split(curl.stdout.decode().replace("\\\n", " "))
    assert words[:2] == ["curl", "https://api.openai.com/v1/chat/completions"]
    assert "Authorization: Bearer $OPENAI_API_KEY" in words
    jsonl = inspector("show", one, "--format", "jsonl")
    assert json.loads(jsonl.stdout) == json.loads(
        (SAMPLES / "ticket-triage-structured.json").read_text()
    )


def test_curl_of_many_needs_an_id_and_says_when_it_cannot(export: Path) -> None:
    many = inspector("show", str(export), "--format", "curl")
    assert many.returncode == 2 and b"--id" in many.stderr
    tool = inspector("show", str(SAMPLES / "refund-agent-lookup-order.json"), "--format", "curl")
    assert tool.returncode == 1 and b"holds no provider_request" in tool.stderr


def diff(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return inspector("diff", *args, stdin=stdin)


def test_diff_two_samples_in_every_format() -> None:
    a, b = str(SAMPLES / "weather-parallel-tools.json"), str(SAMPLES / "weather-required-tool.json")
    text = diff(a, b)
    assert text.returncode == 0, text.stderr
    out = text.stdout.decode()
    assert out.startswith(f"--- {a} (")
    for expected in ["\nconfig\n", "~ .config.other.parallel_tool_calls: true → false",
                     "Today is Tuesday [-24 September-]{+8 October+} 2024",
                     "~ .provider_request.tool_choice", "~ .prompt_tokens: 534 → 349"]:  # fmt: skip
        assert expected in out
    as_json: dict[str, Any] = json.loads(diff(a, b, "--format", "json").stdout)
    assert as_json["differs"] is True and as_json["messages"]
    markdown = diff(a, b, "--format", "markdown").stdout.decode()
    assert markdown.startswith("# Diff") and "## Messages" in markdown


def test_exit_code_and_sides_from_stdin_and_exports(export: Path) -> None:
    a, b = str(SAMPLES / "refund-agent.json"), str(SAMPLES / "support-evaluated.json")
    assert diff(a, b).returncode == 0
    assert diff(a, b, "--exit-code").returncode == 1
    same = diff(a, "-", "--exit-code", stdin=Path(a).read_bytes())
    assert same.returncode == 0 and same.stdout.decode().endswith("no differences\n")
    member = diff(f"{export}#{LOGS[1]['id']}", f"{export}#{LOGS[2]['id']}")
    assert member.returncode == 0 and "[-question 1 about invoice-]" not in member.stdout.decode()
    assert "question [-1-]{+2+} about" in member.stdout.decode()
    many = diff(str(export), a)
    assert many.returncode == 2 and b"holds many logs" in many.stderr
    missing = diff(a, "nope.json", "--exit-code")
    assert missing.returncode == 2 and b"no such file" in missing.stderr
