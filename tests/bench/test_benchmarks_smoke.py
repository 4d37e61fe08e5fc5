"""The benchmark suite runs end to end in quick mode and writes its tables (no timings checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.bench
@pytest.mark.skipif(not (ROOT / "benchmarks").is_dir(), reason="benchmarks/ is not shipped")
def test_quick_benchmarks_run_and_write_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "INSPECTOR_BENCH_DATA": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text()
    # 8 is v5's benchmark, run on its own (BENCHMARKS.md section 8).
    for number in (*range(1, 8), 9, 10):
        assert f"### {number}." in text
    assert "| show messages |" in text
    assert "| first rows on screen |" in text
