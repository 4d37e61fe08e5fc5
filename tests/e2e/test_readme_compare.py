"""The README's commands of issue 12 (totals, exports, curl, diff) via the installed script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.test_readme_commands import SAMPLES, inspector
from tests.support import exports


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(inspector(*args), capture_output=True, text=True, timeout=60)


def test_stats_of_the_samples_is_the_readme_example() -> None:
    result = run("show", str(SAMPLES), "--stats")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("logs      13\nerrors    1 (7.7%)\n")
    assert "latency   p50 1.6 s · p95 24.7 s · max 24.7 s" in result.stdout
    shaped = json.loads(run("show", str(SAMPLES), "--stats", "--format", "json").stdout)
    assert shaped["count"] == 13 and len(shaped["by_model"]) == 9


def test_filtered_exports_of_the_readme(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_bytes(exports.jsonl(exports.make_logs(20)))
    sept = run("show", str(export), "--since", "2024-09-01", "--until", "2024-09-30",
               "--format", "jsonl")  # fmt: skip
    assert len(sept.stdout.splitlines()) == 19  # log 10 has no created_at
    gpt = run("show", str(export), "--model", "gpt-4o", "--format", "csv")
    assert gpt.stdout.splitlines()[0].startswith("id,created,model,status")


def test_curl_and_diff_of_the_readme() -> None:
    curl = run("show", str(SAMPLES / "weather-forced-tool.json"), "--format", "curl")
    assert curl.stdout.startswith("curl https://api.anthropic.com/v1/messages \\\n")
    a, b = SAMPLES / "weather-parallel-tools.json", SAMPLES / "weather-required-tool.json"
    diff = run("diff", str(a), str(b))
    assert diff.returncode == 0
    assert "Today is Tuesday [-24 September-]{+8 October+} 2024." in diff.stdout
    assert run("diff", str(a), str(b), "--exit-code").returncode == 1
