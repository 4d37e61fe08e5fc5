"""`inspector show` on every published payload and an exporter-shaped folder; exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.catalog import Catalog
from tests.support import exports_v5

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"
NOT_LOGS = {
    "hl-docs-v5-examples-create_flow_log_response.json",
    "hl-docs-v5-examples-prompt_log_response.json",
    "hl-docs-v5-examples-tool_log_response.json",
}


def inspector(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args], capture_output=True, timeout=60
    )


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.json")))
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_real_payload_prints(name: str, fmt: str) -> None:
    path = REAL / name
    data = json.loads(path.read_bytes())
    page = "records" in data
    pick = ["--id", data["records"][0]["id"]] if page else []
    done = inspector("show", "-f", fmt, *pick, str(path))
    if page:
        data = data["records"][0]
    log_id = data["data"][0]["id"] if "data" in data else data.get("id") or data["log"]["id"]
    if fmt == "json":
        assert done.returncode == 0
        assert json.loads(done.stdout) == data  # as stored
        return
    assert log_id in done.stdout.decode()
    if name in NOT_LOGS:
        assert done.returncode == 1
        assert done.stderr.decode().startswith("inspector: error: ")
        assert "not a log" in done.stderr.decode()
        assert len(done.stderr.decode().splitlines()) == 1
    else:
        assert done.returncode == 0, done.stderr


def test_a_degraded_log_prints_what_it_can_and_exits_1(tmp_path: Path) -> None:
    log = exports_v5.prompt_log(__import__("random").Random(1), 1)
    log["messages"][0]["role"] = 5
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(log))
    text = inspector("show", str(path))
    assert text.returncode == 1 and "Weather in" in text.stdout.decode()
    assert "$.messages[0].role" in text.stderr.decode()
    assert len(text.stderr.decode().splitlines()) == 1
    markdown = inspector("show", "-f", "markdown", str(path))
    assert markdown.returncode == 1 and "could not read" in markdown.stdout.decode()
    stored = inspector("show", "-f", "json", str(path))
    assert stored.returncode == 0 and json.loads(stored.stdout) == log


def test_a_flow_prints_its_trace() -> None:
    log = exports_v5.flow_log(__import__("random").Random(1), 3)
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "show", "-"],
        input=json.dumps(log).encode(),
        capture_output=True,
        timeout=60,
    )
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "Trace (3 logs)" in text and "weather/get_weather" in text
    assert "flow log (v5)" in text and "v5 keeps no feedback" in text


def test_an_exporter_folder_opens_as_a_list(tmp_path: Path) -> None:
    base = exports_v5.make_export(tmp_path, flows=20)
    with Catalog.open(tmp_path) as catalog:
        catalog.start()
        catalog.wait()
        entries = list(catalog.entries())
    kinds = {entry.config_type for entry in entries}
    assert kinds == {"flow", "agent", "prompt", "tool", "evaluator"}
    assert not [entry for entry in entries if entry.invalid]
    # 20 flows, 4 agents, 20 prompts + 20 tools (trace children repeated in their own
    # files), 20 judgments, and 5 evaluation records.
    assert len(entries) == 20 + 4 + 20 + 20 + 20 + 5
    locations = {entry.location.split(" ")[0] for entry in entries}
    assert all("/logs/" in where for where in locations)
    evaluated = [e for e in entries if "evaluations/" in e.location]
    assert len(evaluated) == 5 and all(e.evaluation_count == 1 for e in evaluated)
    assert (base / "files" / "pr_Weather0001" / "file.json").exists()


def test_show_lists_an_exporter_folder(tmp_path: Path) -> None:
    exports_v5.make_export(tmp_path, flows=5)
    done = inspector("show", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert any(line.startswith("log_flow0000000") for line in lines)
    found = inspector("show", "--id", "log_agent0000000", str(tmp_path))
    assert found.returncode == 0 and "agent log (v5)" in found.stdout.decode()


def test_show_many_exits_1_when_any_log_is_not_fully_read(tmp_path: Path) -> None:
    rng = __import__("random").Random(1)
    good = exports_v5.prompt_log(rng, 1)
    broken = exports_v5.prompt_log(rng, 2)
    broken["prompt_tokens"] = "many"
    path = tmp_path / "logs.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(broken) + "\n")
    done = inspector("show", str(path))
    assert done.returncode == 1
    assert len(done.stdout.decode().splitlines()) == 2
    assert done.stderr.decode() == f"inspector: error: {path}: 1 of 2 logs not fully read\n"
    path.write_text(json.dumps(good) + "\n")
    assert inspector("show", str(path)).returncode == 0


def test_show_id_finds_nested_logs_and_reports_duplicates(tmp_path: Path) -> None:
    exports_v5.make_export(tmp_path, flows=3)
    # A prompt log sits in its own file and in its flow's trace: one is reported.
    found = inspector("show", "--id", "log_prompt0000001", str(tmp_path))
    assert found.returncode == 0 and "log_prompt0000001" in found.stdout.decode()
    # A judgment is found nested in its flow's evaluator_logs and in its own file.
    judged = inspector("show", "--id", "log_judge0000002", "-f", "json", str(tmp_path))
    assert judged.returncode == 0 and json.loads(judged.stdout)["judgment"] in (True, False)
    path = tmp_path / "twice.jsonl"
    line = json.dumps(exports_v5.prompt_log(__import__("random").Random(1), 5))
    path.write_text(line + "\n" + line + "\n")
    twice = inspector("show", "--id", "log_prompt0000005", str(path))
    assert twice.returncode == 0 and "2 logs have id log_prompt0000005" in twice.stderr.decode()
    flow = tmp_path / "flow.json"
    flow.write_text(json.dumps(exports_v5.flow_log(__import__("random").Random(1), 4)))
    nested = inspector("show", "--id", "log_tool0000004", str(flow))
    assert nested.returncode == 0, nested.stderr
