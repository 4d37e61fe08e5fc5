"""Worker processes start when `sys.stderr` is a capture without a descriptor (as in the app)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import exports

CHILD = """
import io, sys
from inspector.catalog import Catalog, parallel
parallel.MIN_BYTES = 0  # Workers for this small file too.
class Capture(io.StringIO):  # What Textual puts in place of stderr while it runs.
    def fileno(self):
        return -1
sys.stderr = Capture()
with Catalog.open(sys.argv[1]) as catalog:
    catalog.start(text=False)
    catalog.wait(listed_only=True)
    progress = catalog.progress
print(progress.indexed, progress.error)
"""


def test_workers_start_when_stderr_has_no_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    path.write_bytes(exports.jsonl(exports.make_logs(3000)))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"INSPECTOR_WORKERS": "2", "INSPECTOR_CACHE_MB": "0", "PATH": ""},
    )
    assert done.stdout.split() == ["3000", "None"], done.stderr
